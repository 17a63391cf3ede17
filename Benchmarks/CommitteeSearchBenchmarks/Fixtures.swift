import Analysis
import Articles
import Foundation
import Indexing
import Search

/// What the benchmarks run on: the corpus (the repository's `corpus/`, or `CS_BENCH_CORPUS`), its
/// text read into memory, the judged queries grouped by shape, and an on-disk index of the corpus.
enum Fixtures {
    /// The repository root, from this file's path (Benchmarks/CommitteeSearchBenchmarks/…).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `CS_BENCH_CORPUS=/path/to/dir`, else the bundled `corpus/`.
    static let corpus: URL = {
        if let path = ProcessInfo.processInfo.environment["CS_BENCH_CORPUS"], !path.isEmpty {
            return URL(fileURLWithPath: path).standardizedFileURL
        }
        return repository.appendingPathComponent("corpus")
    }()

    /// Bytes of `*.txt` under the corpus (as on disk), without reading them: decides iteration
    /// counts when the benchmarks are registered.
    static let corpusBytes: Int = {
        let reader = CorpusReader(root: corpus)
        guard let paths = try? reader.listFiles() else { return 0 }
        return paths.reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: corpus.appendingPathComponent(path).path)[.size] as? Int) ?? 0)
        }
    }()

    /// More than this, and a pass over the corpus takes seconds: no warm-up pass, few iterations.
    static var isLarge: Bool { corpusBytes > 16 << 20 }

    static var megabytes: Double { Double(corpusBytes) / 1_048_576 }

    /// The corpus's files, decoded to UTF-8, in the windows the indexer reads them in.
    static func windows() throws -> [CorpusWindow] {
        let reader = CorpusReader(root: corpus)
        var windows: [CorpusWindow] = []
        for path in try reader.listFiles() {
            guard case .success(let file) = reader.scan(path) else { continue }
            _ = try reader.forEachWindow(file) { windows.append($0) }
        }
        guard !windows.isEmpty else { throw FixtureError("no readable *.txt files in \(corpus.path)") }
        return windows
    }

    // MARK: Queries

    /// The judged queries (`Benchmarks/Relevance/queries.tsv`), grouped by shape:
    /// - one word: every query typed as one chunk (no space) — 158 queries;
    /// - two words: every query of two chunks — 11;
    /// - four words: every pair of two-word queries joined (`乡村振兴 政协委员 书香政协 读书`) — 55;
    /// - phrase: every one-chunk query the analyzer splits into two or more pieces, quoted
    ///   (`"两个薄弱"`), so positions are read and matched;
    /// - pasted sentence: ten one-word queries run together (no quadratic work in long queries).
    /// Each list is shuffled with a fixed seed, so a run cut short by `maxDuration` still sees a
    /// mix of queries.
    enum QueryShape: String, CaseIterable {
        case oneWord = "one-word"
        case twoWords = "two-words"
        case fourWords = "four-words"
        case phrase = "phrase"
        /// Ten one-word queries run together into one chunk with no space (a pasted sentence of
        /// ≈ 40 characters: many pieces, any of which may match, and many bigrams).
        case pasted = "pasted-sentence"
    }

    static let judgedQueries: [String] = {
        let path = repository.appendingPathComponent("Benchmarks/Relevance/queries.tsv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let columns = line.split(separator: "\t", maxSplits: 1)
            return columns.count == 2 ? String(columns[1]).trimmingCharacters(in: .whitespaces) : nil
        }
    }()

    static func chunks(_ query: String) -> [Substring] {
        query.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" })
    }

    /// How many queries of a shape (without analysing anything; the phrase count is an upper bound).
    static func count(_ shape: QueryShape) -> Int {
        let two = judgedQueries.filter { chunks($0).count == 2 }.count
        switch shape {
        case .oneWord, .phrase: return judgedQueries.filter { chunks($0).count == 1 }.count
        case .pasted: return judgedQueries.filter { chunks($0).count == 1 }.count / 10
        case .twoWords: return two
        case .fourWords: return two * (two - 1) / 2
        }
    }

    static func queries(_ shape: QueryShape, analyzer: Analyzer) -> [String] {
        let one = judgedQueries.filter { chunks($0).count == 1 }
        let two = judgedQueries.filter { chunks($0).count == 2 }
        var list: [String]
        switch shape {
        case .oneWord:
            list = one
        case .twoWords:
            list = two
        case .fourWords:
            list = []
            for i in two.indices {
                for j in two.indices where j > i { list.append(two[i] + " " + two[j]) }
            }
        case .phrase:
            list = one.filter { Set(analyzer.analyze($0).map(\.position)).count >= 2 }.map { "\"\($0)\"" }
        case .pasted:
            list = stride(from: 0, to: one.count - 9, by: 10).map { one[$0..<($0 + 10)].joined() }
        }
        return shuffled(list)
    }

    /// A fixed-seed Fisher–Yates shuffle (SplitMix64), the same on every run and platform.
    static func shuffled<T>(_ list: [T]) -> [T] {
        var list = list
        var state: UInt64 = 0x5EED_C0DE
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        if list.count > 1 {
            for i in stride(from: list.count - 1, to: 0, by: -1) {
                list.swapAt(i, Int(next() % UInt64(i + 1)))
            }
        }
        return list
    }

    // MARK: The on-disk index

    /// An index of the corpus written by `IndexWriter` (what `committee-search index` writes), shared
    /// by the query benchmarks. package-benchmark runs every benchmark in a process of its own, so
    /// the index is kept in the temporary directory, under a name made of the corpus path and of
    /// this executable's size and modification time: a rebuilt benchmark never reads an index an
    /// older build wrote. The writer brings it up to date (nothing to do when the corpus has not
    /// changed). Older indexes of the same corpus are removed.
    static func sharedIndex() throws -> IndexDirectory {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("committee-search-benchmarks")
        let corpusKey = hex(ContentHash.fnv1a64(Array(corpus.path.utf8)))
        var executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: executable)) ?? executable
        let attributes = (try? FileManager.default.attributesOfItem(atPath: executable)) ?? [:]
        let stamp = "\(attributes[.size] ?? 0)-\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        let name = "\(corpusKey)-\(hex(ContentHash.fnv1a64(Array(stamp.utf8))))"
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for old in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        where old.hasPrefix(corpusKey + "-") && old != name {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(old))
        }
        let directory = IndexDirectory(url: root.appendingPathComponent(name))
        let report = try IndexWriter(directory: directory, corpus: corpus).update()
        guard report.liveArticles > 0 else { throw FixtureError("the index of \(corpus.path) holds no articles") }
        // Give the builder's freed memory back, so that the peak resident memory the benchmark
        // samples is the search's, not the indexing's (which happens in this process only when the
        // index has to be built). glibc's malloc_trim, looked up: its header is not in Glibc's module.
        if let trim = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        return directory
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Bytes of the regular files under a directory.
    static func size(of directory: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
    }

    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("committee-search-benchmarks-\(label)-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
