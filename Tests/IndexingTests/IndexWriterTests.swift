import Analysis
import Foundation
import Testing
@testable import Indexing

/// The writer: bad input, the lock, windows of large files, deletions and merges.
@Suite(.serialized) struct IndexWriterTests {
    static let corpus = SegmentFileTests.corpus

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cs-writer-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A temporary directory holding an empty `corpus` folder (the caller removes the directory).
    static func emptyCorpus() throws -> (root: URL, corpus: URL) {
        let dir = temporaryDirectory()
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        return (dir, corpus)
    }

    static func fixtures() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    }

    @Test func decodesOtherEncodingsAndSkipsWhatItCannot() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.copyItem(at: try Self.fixtures(), to: corpus)
        try Data().write(to: corpus.appendingPathComponent("empty.txt"))
        try Data([0x41, 0x00, 0x42, 0x0A]).write(to: corpus.appendingPathComponent("binary.txt"))
        try FileManager.default.createSymbolicLink(atPath: corpus.appendingPathComponent("broken.txt").path, withDestinationPath: "/nonexistent/x.txt")
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus)
        let report = try writer.update()
        #expect(report.added == 3)
        #expect(report.skipped.sorted() == [
            "binary.txt: binary file (contains NUL bytes), not text",
            "broken.txt: broken symbolic link",
            "empty.txt: empty file",
            "undecodable.txt: not UTF-8, and its encoding could not be detected with confidence",
        ])
        let snapshot = try writer.directory.open(analyzerVersion: Analyzer.version)
        let authors = try (0..<snapshot.documentCount).map { try snapshot.document(DocID($0)).author ?? "" }.sorted()
        #expect(authors == ["孙立新", "赵国华", "钱文静"])
        // Line numbers survive CRLF and the byte-order mark.
        let crlf = try (0..<snapshot.documentCount).map { try snapshot.document(DocID($0)) }.first { $0.file == "utf8_bom_crlf.txt" }
        #expect(crlf?.lineStart == 3 && crlf?.lineEnd == 4)
        #expect(try snapshot.postingList("读书", in: .body)?.documentFrequency == 3)
    }

    /// Hidden files and directories are not articles: an index kept inside the corpus (with its
    /// `dictionary.txt`), `.git/`, an editor's `.#draft.txt`.
    @Test func hiddenFilesAndDirectoriesAreNotTheCorpus() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "□ 作者\n\n政协工作。\n".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        for hidden in [".committee-search", ".git/objects"] {
            let sub = corpus.appendingPathComponent(hidden)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try "履职\n协商\n".write(to: sub.appendingPathComponent("dictionary.txt"), atomically: true, encoding: .utf8)
        }
        try "□ 草稿\n\n未完。\n".write(to: corpus.appendingPathComponent(".#draft.txt"), atomically: true, encoding: .utf8)
        #expect(try CorpusReader(root: corpus).listFiles() == ["a.txt"])
        let writer = IndexWriter(directory: IndexDirectory(url: corpus.appendingPathComponent(".committee-search")), corpus: corpus)
        let report = try writer.update()
        #expect(report.added == 1 && report.liveArticles == 1)
    }

    @Test func secondWriterFailsAtOnceNamingTheHolder() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let directory = IndexDirectory(url: dir)
        let held = try WriteLock(directory: directory)
        #expect(throws: IndexError.locked(path: directory.path, pid: Int(getpid()))) { try WriteLock(directory: directory) }
        let message = IndexError.locked(path: "/i", pid: 42).description
        #expect(message == "the index /i is being updated by another process (pid 42); wait for it to finish")
        withExtendedLifetime(held) {}
    }

    @Test func staleLockFileDoesNotBlock() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A lock file left by a process that died: no one holds the flock.
        try "999999\n".write(to: dir.appendingPathComponent(WriteLock.fileName), atomically: true, encoding: .utf8)
        let writer = IndexWriter(directory: IndexDirectory(url: dir), corpus: Self.corpus)
        #expect(try writer.update().added == 5)
    }

    @Test func largeFilesAreReadInWindowsWithTrueLineNumbers() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 0..<300 { text += "□ 作者\(i)号\n\n第\(i)篇文章的正文，政协委员履职尽责。\n\n" }
        try text.write(to: corpus.appendingPathComponent("big.txt"), atomically: true, encoding: .utf8)
        var reader = CorpusReader(root: corpus, windowSize: 4096)
        var windows = 0
        let scanned = try reader.scan("big.txt").get()
        _ = try reader.forEachWindow(scanned) { window in
            windows += 1
            #expect(window.bytes.count < 8192)
        }
        #expect(windows > 5)
        reader.windowSize = 1 << 20
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus)
        writer.memoryBudget = 20_000  // flush segments often
        let report = try writer.update()
        #expect(report.articles == 300)
        #expect(report.segments >= 1)
        let snapshot = try writer.directory.open(analyzerVersion: Analyzer.version)
        #expect(snapshot.liveDocumentCount == 300)
        // Every article where it is in the file, whatever window or segment it landed in.
        var seen = Set<String>()
        for d in 0..<snapshot.documentCount where !snapshot.isDeleted(DocID(d)) {
            let document = try snapshot.document(DocID(d))
            let i = Int(document.author!.dropFirst(2).dropLast())!
            #expect(document.lineStart == 4 * i + 3)
            seen.insert(document.key)
            // The commit point's parts of the file number its articles as the stored keys do.
            #expect(try snapshot.documentKey(DocID(d)) == document.key)
            #expect(try snapshot.filePath(DocID(d)) == "big.txt")
        }
        #expect(seen.count == 300 && seen.contains("big#1") && seen.contains("big#300"))
        // Corpus order is article order, across windows and segments.
        let live = (0..<snapshot.documentCount).map { DocID($0) }.filter { !snapshot.isDeleted($0) }
        let ordered = live.sorted { snapshot.precedes($0, $1) }
        #expect(try ordered.map { try snapshot.document($0).key } == (1...300).map { "big#\($0)" })
    }

    /// A file that holds no article (only blank lines) is still recorded, so the next update
    /// finds it unchanged, also when it is the last of a worker's files (nothing left to flush).
    @Test func filesWithoutArticlesAreRecordedAsUnchanged() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "□ 作者\n\n政协工作。\n".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        for name in ["y.txt", "z.txt"] {
            try " \n\n\u{3000}\n".write(to: corpus.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        let first = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(first.added == 3)
        let manifest = try #require(try directory.latestManifest())
        #expect(manifest.files.map(\.path).sorted() == ["a.txt", "y.txt", "z.txt"])
        let second = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(second.added == 0 && second.changed == 0 && second.removed == 0)
        #expect(second.unchanged == 3)
    }

    /// An update reads only files whose size or status-change time (ctime) moved, or whose time
    /// is too close to the last update's start to trust. A file whose bytes change is read even
    /// when its modification time is given back (as `cp -p`, `rsync -a`, `tar` and unzip do): no
    /// tool sets its ctime back. A file touched without a change is read, found unchanged, and its
    /// new time recorded, so the next update reads nothing.
    @Test func unchangedFilesAreNotReadAgain() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws {
            try text.write(to: corpus.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        for name in ["a", "b", "c", "d"] { try write("\(name).txt", "□ 作者\n\n政协工作\(name)。\n") }
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        func update() throws -> IndexWriter.Report {
            let writer = IndexWriter(directory: directory, corpus: corpus)
            writer.racyMargin = 0  // (the files here were all written just before; the margin has its own tests)
            return try writer.update()
        }
        let first = try update()
        #expect(first.added == 4 && first.filesRead == 4)
        let stampA = try #require(IndexWriter(directory: directory, corpus: corpus).reader.stamp("a.txt"))
        #expect(try directory.latestManifest()?.files.first { $0.path == "a.txt" }?.changed == stampA.changed)
        let quiet = try update()
        #expect(quiet.unchanged == 4 && quiet.filesRead == 0)

        // a.txt rewritten with other words of the same size, its modification time given back.
        let url = corpus.appendingPathComponent("a.txt")
        let modified = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
        try write("a.txt", "□ 作者\n\n协商工作a。\n")
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
        // c.txt touched: read again, the same.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: corpus.appendingPathComponent("c.txt").path)
        let second = try update()
        #expect(second.changed == 1 && second.unchanged == 3 && second.filesRead == 2)
        #expect(try directory.open(analyzerVersion: Analyzer.version).postingList("协商", in: .body)?.documentFrequency == 1)
        let stampC = try #require(IndexWriter(directory: directory, corpus: corpus).reader.stamp("c.txt"))
        #expect(try directory.latestManifest()?.files.first { $0.path == "c.txt" }?.changed == stampC.changed)
        let third = try update()
        #expect(third.unchanged == 4 && third.filesRead == 0)
    }

    /// (Review) A file rewritten with the same size in the clock tick of the time recorded for it,
    /// just after an update read it, keeps that time: the next update must not trust it (it was
    /// modified within `racyMargin` of that update's start), read it, and find the change.
    /// Passes today; guards the racy margin, which `unchangedFilesAreNotReadAgain` cannot (there,
    /// reading recent.txt or not gives the same counts).
    @Test func aSameSizeRewriteInTheClockTickOfTheRecordedTimeIsFound() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = corpus.appendingPathComponent("f.txt")
        let tick = Date()  // a time a Date can give back exactly
        try "□ 作者\n\n政协工作。\n".write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: tick], ofItemAtPath: file.path)
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        #expect(try IndexWriter(directory: directory, corpus: corpus).update().added == 1)
        // The same tick, after the read: other words, the same size, the same time.
        try "□ 作者\n\n协商工作。\n".write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: tick], ofItemAtPath: file.path)
        let report = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(report.changed == 1 && report.unchanged == 0)
        #expect(try directory.open(analyzerVersion: Analyzer.version).postingList("协商", in: .body)?.documentFrequency == 1)
    }

    /// (Review) The same racy rewrite, but the update after it cannot read the file (here a
    /// broken link for a moment; an EACCES/EIO or NFS hiccup in real life) while it commits
    /// something else. The file keeps its entry and the time that was never verified, and the
    /// new commit point's later `scanStarted` then vouches for that time: the update after takes
    /// the file as unchanged without reading it, and its new words are never indexed.
    @Test func aFileUnreadableInTheNextUpdateIsStillReadOnceItCanBe() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = corpus.appendingPathComponent("f.txt")
        let staged = dir.appendingPathComponent("f.staged")
        let tick = Date(timeIntervalSinceNow: -1.5)  // within racyMargin of the first update's start
        try "□ 作者\n\n政协工作。\n".write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: tick], ofItemAtPath: file.path)
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        #expect(try IndexWriter(directory: directory, corpus: corpus).update().added == 1)
        // Rewritten in the same tick (other words, same size, same time) ...
        try "□ 作者\n\n协商工作。\n".write(to: staged, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: tick], ofItemAtPath: staged.path)
        // ... and unreadable during the next update, which commits a new file.
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "/nonexistent/f.txt")
        Thread.sleep(forTimeInterval: 1.0)  // the second update starts more than racyMargin after `tick`
        try "□ 另一位\n\n新的一期。\n".write(to: corpus.appendingPathComponent("g.txt"), atomically: true, encoding: .utf8)
        let second = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(second.skipped.count == 1 && second.added == 1)
        // Readable again, with the rewritten words.
        try FileManager.default.removeItem(at: file)
        try FileManager.default.moveItem(at: staged, to: file)
        let third = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(third.changed == 1, "f.txt taken as unchanged without being read: \(third)")
        #expect(try directory.open(analyzerVersion: Analyzer.version).postingList("协商", in: .body)?.documentFrequency == 1)
    }

    /// (Review) One small issue per update, as a journal grows: the segment count must stay
    /// bounded. With the incremental budget (four times what the update added) every merged
    /// segment ends between half the budget and the budget, and two of those never fit it
    /// again, so one more segment stays behind every few updates, for ever.
    @Test func aStreamOfSmallUpdatesKeepsTheSegmentCountBounded() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        let paragraph = String(repeating: "政协委员围绕乡村振兴开展调研，提出意见建议。", count: 40)
        var counts: [Int] = []
        for i in 0..<30 {
            try "□ 作者\(i)\n\n\(paragraph)第\(i)期。\n".write(
                to: corpus.appendingPathComponent(String(format: "issue%03d.txt", i)), atomically: true, encoding: .utf8)
            let writer = IndexWriter(directory: directory, corpus: corpus)
            writer.maxSegments = 3
            writer.incrementalMergeFloor = 0  // the 8 MB floor scaled down to these tiny segments
            let report = try writer.update()
            counts.append(report.segments)
        }
        #expect(counts.last! <= 2 * 3, "segments after each update: \(counts)")
        #expect(try directory.open(analyzerVersion: Analyzer.version).liveDocumentCount == 30)
    }

    @Test func mergesWhenThereAreTooManySegmentsAndDropsDeletedDocuments() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        for i in 0..<14 {
            try "□ 作者\(i)\n\n第\(i)期政协工作。\n".write(to: corpus.appendingPathComponent("issue\(i).txt"), atomically: true, encoding: .utf8)
            let writer = IndexWriter(directory: directory, corpus: corpus)
            writer.maxSegments = 4
            _ = try writer.update()
        }
        let manifest = try #require(try directory.latestManifest())
        #expect(manifest.segments.count <= 4)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
        #expect(Set(files) == Set(manifest.segments.map(\.name)))
        let snapshot = try directory.open(analyzerVersion: Analyzer.version)
        #expect(snapshot.liveDocumentCount == 14)
        #expect(try snapshot.postingList("政协", in: .body)?.documentFrequency == 14)
    }

    /// Adding a small file to an index of larger segments merges nothing large: its budget is a
    /// few times what it added, and a merge never rewrites a large segment for a small one.
    @Test func aSmallUpdateDoesNotRewriteLargeSegments() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        func update() throws -> IndexWriter.Report {
            let writer = IndexWriter(directory: directory, corpus: corpus)
            writer.maxSegments = 2
            writer.incrementalMergeFloor = 0
            return try writer.update()
        }
        let paragraph = String(repeating: "政协委员围绕乡村振兴开展调研，提出意见建议。", count: 200)
        for i in 0..<3 {
            try "□ 作者\(i)\n\n\(paragraph)\(i)\n".write(to: corpus.appendingPathComponent("large\(i).txt"), atomically: true, encoding: .utf8)
            _ = try update()
        }
        let before = try #require(try directory.latestManifest()).segments.map(\.name)
        try "□ 作者\n\n新的一期。\n".write(to: corpus.appendingPathComponent("small.txt"), atomically: true, encoding: .utf8)
        let report = try update()
        #expect(report.added == 1 && report.mergedSegments == 0)
        let after = try #require(try directory.latestManifest()).segments.map(\.name)
        #expect(Set(before).isSubset(of: Set(after)) && after.count == before.count + 1)
        // A second small file: the two small segments merge with each other.
        try "□ 作者\n\n又一期。\n".write(to: corpus.appendingPathComponent("small2.txt"), atomically: true, encoding: .utf8)
        #expect(try update().mergedSegments == 2)
        let merged = try #require(try directory.latestManifest()).segments.map(\.name)
        #expect(Set(before).isSubset(of: Set(merged)) && merged.count == before.count + 1)
        #expect(try directory.open(analyzerVersion: Analyzer.version).liveDocumentCount == 5)
    }

    @Test func mergesOnlyWhatFitsTheMergeBudget() throws {
        let (dir, corpus) = try Self.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        func update(budget: Int) throws -> Manifest {
            let writer = IndexWriter(directory: directory, corpus: corpus)
            writer.maxSegments = 2
            writer.mergeBudget = budget
            _ = try writer.update()
            return try #require(try directory.latestManifest())
        }
        for i in 0..<5 {
            try "□ 作者\(i)\n\n第\(i)期政协工作。\n".write(to: corpus.appendingPathComponent("issue\(i).txt"), atomically: true, encoding: .utf8)
            // Segments larger than the budget are never merged, however many there are.
            #expect(try update(budget: 16).segments.count == i + 1)
        }
        try "□ 作者9\n\n第9期政协工作。\n".write(to: corpus.appendingPathComponent("issue9.txt"), atomically: true, encoding: .utf8)
        // Room for every segment: all six become one.
        #expect(try update(budget: 1 << 30).segments.count == 1)
        #expect(try directory.open(analyzerVersion: Analyzer.version).liveDocumentCount == 6)
    }
}
