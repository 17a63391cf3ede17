import Analysis
import Evaluation
import Foundation
import Indexing
import Testing
@testable import Search

/// An index brought up to date step by step answers exactly as one built from scratch.
@Suite(.serialized) struct IncrementalIndexTests {
    static let queries: [String] = {
        let url = Corpus.root.deletingLastPathComponent().appendingPathComponent("Benchmarks/Relevance/queries.tsv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { $0.split(separator: "\t").last.map(String.init) }
    }()

    /// Every query's hits as (key, score), and its total.
    static func answers(_ index: any SearchableIndex) throws -> [String] {
        let analyzer = try Analyzer()
        let parser = QueryParser(analyzer: analyzer)
        let searcher = Searcher(index: index)
        return try queries.map { text in
            let result = try searcher.search(try parser.parse(text), limit: 20)
            let hits = try result.hits.map { "\(try index.document($0.doc).key)=\(String(format: "%.9f", $0.score))" }
            return "\(text) \(result.totalHits): " + hits.joined(separator: " ")
        }
    }

    static func build(_ corpus: URL, into directory: URL, full: Bool = false) throws -> IndexWriter.Report {
        try IndexWriter(directory: IndexDirectory(url: directory), corpus: corpus).update(full: full)
    }

    @Test func addChangeRemoveMatchesAFullRebuild() throws {
        #expect(Self.queries.count >= 100)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cs-incr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: Corpus.root.path).filter { $0.hasSuffix(".txt") }.sorted()
        func copy(_ name: String) throws {
            try FileManager.default.copyItem(at: Corpus.root.appendingPathComponent(name), to: corpus.appendingPathComponent(name))
        }
        let incremental = dir.appendingPathComponent("incremental")
        // Three issues, then the other two arrive.
        for name in names.prefix(3) { try copy(name) }
        #expect(try Self.build(corpus, into: incremental).added == 3)
        for name in names.dropFirst(3) { try copy(name) }
        var report = try Self.build(corpus, into: incremental)
        #expect((report.added, report.changed, report.removed, report.unchanged) == (2, 0, 0, 3))
        // One issue is corrected, one withdrawn, one arrives in a subfolder.
        let changed = corpus.appendingPathComponent(names[1])
        let text = try String(contentsOf: changed, encoding: .utf8)
        try text.replacingOccurrences(of: "两个薄弱", with: "两个短板").write(to: changed, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: corpus.appendingPathComponent(names[4]))
        try FileManager.default.createDirectory(at: corpus.appendingPathComponent("2026"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Corpus.root.appendingPathComponent(names[4]), to: corpus.appendingPathComponent("2026/new.txt"))
        report = try Self.build(corpus, into: incremental)
        #expect((report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 3))

        let fresh = dir.appendingPathComponent("fresh")
        _ = try Self.build(corpus, into: fresh, full: true)
        let a = try Self.answers(try IndexDirectory(url: incremental).open(analyzerVersion: Analyzer.version))
        let b = try Self.answers(try IndexDirectory(url: fresh).open(analyzerVersion: Analyzer.version))
        #expect(a == b)
        // The withdrawn text is gone and the correction is searchable.
        let snapshot = try IndexDirectory(url: incremental).open(analyzerVersion: Analyzer.version)
        let files = try (0..<snapshot.documentCount).filter { !snapshot.isDeleted(DocID($0)) }.map { try snapshot.document(DocID($0)).file }
        #expect(!files.contains(names[4]) && files.contains("2026/new.txt"))
        #expect(try snapshot.postingList("短板", in: .grams) != nil)
        // And the in-memory index of the same corpus agrees too.
        let builder = try IndexBuilder(bigrams: true)
        let reader = CorpusReader(root: corpus)
        for path in try reader.listFiles() { builder.add(path: path, bytes: try reader.read(path).get().1) }
        #expect(try Self.answers(builder.finish()) == b)
    }
}
