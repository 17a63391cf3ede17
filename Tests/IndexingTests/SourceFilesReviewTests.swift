import Analysis
import Foundation
import Testing
@testable import Indexing

/// Edge cases of reading bodies back from the corpus: line endings, byte-order marks, windows,
/// large articles, merges, updates and files that cannot be read.
@Suite(.serialized) struct SourceFilesReviewTests {
    /// Every document of `snapshot`, read back by both paths (the stamp trusted: only its lines
    /// from `sourceOffset`; and hashed: the whole file), must have the body an index in memory
    /// stores for the same windows of the same files.
    static func expectBodiesMatchAnOracle(
        _ snapshot: IndexSnapshot, corpus: URL, windowSize: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var reader = CorpusReader(root: corpus)
        reader.windowSize = windowSize
        let builder = try IndexBuilder(bigrams: true)
        for path in try reader.listFiles() {
            guard case .success(let scanned) = reader.scan(path) else { continue }
            var windows = WindowedFile()
            _ = try reader.forEachWindow(scanned) { windows.add($0, to: builder) }
            windows.finish(builder)
        }
        let oracle = Dictionary(uniqueKeysWithValues: builder.finish().documents.map { ($0.key, $0) })
        #expect(oracle.count == snapshot.documentCount, sourceLocation: sourceLocation)
        for d in 0..<snapshot.documentCount {
            let stored = try snapshot.document(DocID(d))
            let expected = try #require(oracle[stored.key], sourceLocation: sourceLocation)
            #expect(stored.bodyLines == expected.bodyLines, "\(stored.key)", sourceLocation: sourceLocation)
            var indexed = try #require(snapshot.sourceFile(DocID(d)), sourceLocation: sourceLocation)
            indexed.stampsTrustedBefore = 0  // hashed
            let hashed = SourceFiles(root: corpus).withBody(stored, indexed: indexed)
            #expect(hashed.map(\.body) == .success(expected.body), "\(stored.key) (hashed)", sourceLocation: sourceLocation)
            indexed.stampsTrustedBefore = .max  // trusted
            let trusted = SourceFiles(root: corpus).withBody(stored, indexed: indexed)
            #expect(trusted.map(\.body) == .success(expected.body), "\(stored.key) (trusted)", sourceLocation: sourceLocation)
        }
    }

    static func build(_ corpus: URL, in dir: URL, windowSize: Int, budget: Int = 200_000, maxSegments: Int = 100) throws -> (IndexWriter, IndexSnapshot) {
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus)
        writer.reader.windowSize = windowSize
        writer.memoryBudget = budget
        writer.maxSegments = maxSegments
        _ = try writer.update()
        return (writer, try writer.directory.open(analyzerVersion: Analyzer.version))
    }

    /// Articles separated by blank lines, with the given line end, the last line without one.
    static func issue(articles: Int, lineEnd: String, prefix: String = "") -> String {
        var text = prefix
        for i in 0..<articles {
            text += "□ 作者\(i)号\(lineEnd)\(lineEnd)第\(i)篇文章的正文，\(lineEnd)政协委员履职尽责。\(lineEnd)\(lineEnd)"
        }
        return text + "□ 末位\(lineEnd)\(lineEnd)最后一篇没有换行的正文。"
    }

    @Test(arguments: ["\n", "\r\n", "\r"], [true, false])
    func windowedFilesWithEveryLineEndReadBackTheirOwnLines(lineEnd: String, bom: Bool) throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes: [UInt8] = bom ? [0xEF, 0xBB, 0xBF] : []
        bytes += Array(Self.issue(articles: 120, lineEnd: lineEnd).utf8)
        try Data(bytes).write(to: corpus.appendingPathComponent("issue.txt"))
        for windowSize in [97, 1000, 4096] {
            let idx = dir.appendingPathComponent("w\(windowSize)")
            let (_, snapshot) = try Self.build(corpus, in: idx, windowSize: windowSize)
            #expect(snapshot.documentCount > 100)
            try Self.expectBodiesMatchAnOracle(snapshot, corpus: corpus, windowSize: windowSize)
        }
    }

    /// An article longer than the first reads (64 KiB, then twice as much each time), a `\r\n`
    /// split by the first read, and a body with a skipped blank line.
    @Test func aLargeArticleIsReadWholeAcrossChunks() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let head = "□ 张三\r\n\r\n"
        // The first body line ends so that its `\r` is the 65,536th byte from the body's start.
        let unit = "政协委员履职尽责。"  // 27 bytes
        var first = String(repeating: unit, count: 65535 / 27)
        first += String(repeating: "x", count: 65535 - first.utf8.count)
        #expect(first.utf8.count == 65535)
        var text = head + first + "\r\n"
        for k in 0..<40 { text += String(repeating: "读书学习\(k)。", count: 700) + "\r\n" }
        text += "\r\n□ 李四\r\n\r\n另一篇。\r\n"
        try Data(text.utf8).write(to: corpus.appendingPathComponent("big.txt"))
        let (_, snapshot) = try Self.build(corpus, in: dir, windowSize: 8 << 20)
        try Self.expectBodiesMatchAnOracle(snapshot, corpus: corpus, windowSize: 8 << 20)
        let big = try (0..<snapshot.documentCount).map { try snapshot.document(DocID($0)) }.first { $0.author == "张三" }
        #expect(big?.sourceOffset == head.utf8.count)
        #expect((big?.bodyLines.count ?? 0) == 41)
    }

    /// Merged segments keep each document's offset: the trusted path still reads the right lines.
    @Test func mergedSegmentsKeepTheOffsets() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        for f in 0..<6 {
            let bom = f % 2 == 0 ? "\u{FEFF}" : ""
            try (bom + Self.issue(articles: 30, lineEnd: f % 3 == 0 ? "\r\n" : "\n", prefix: "第\(f)期\n\n"))
                .write(to: corpus.appendingPathComponent("f\(f).txt"), atomically: true, encoding: .utf8)
        }
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus)
        writer.memoryBudget = 50_000
        writer.maxSegments = 1
        let report = try writer.update()
        #expect(report.mergedSegments > 1)
        let snapshot = try writer.directory.open(analyzerVersion: Analyzer.version)
        #expect(snapshot.segmentReaders.count == 1)
        #expect(try (0..<snapshot.documentCount).allSatisfy { try snapshot.document(DocID($0)).sourceOffset != nil })
        try Self.expectBodiesMatchAnOracle(snapshot, corpus: corpus, windowSize: writer.reader.windowSize)
    }

    /// After an update that re-reads an unchanged file (its ctime moved), the commit point records
    /// the new time for the articles kept in the old segment, and they still read back.
    @Test func anUnchangedFileReReadKeepsItsArticlesReadable() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = corpus.appendingPathComponent("a.txt"), b = corpus.appendingPathComponent("b.txt")
        try Self.issue(articles: 5, lineEnd: "\n").write(to: a, atomically: true, encoding: .utf8)
        try Self.issue(articles: 5, lineEnd: "\r\n").write(to: b, atomically: true, encoding: .utf8)
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus)
        _ = try writer.update()
        // The same bytes, a new ctime; and another file added, so that a commit point is written.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: a.path)
        try Self.issue(articles: 2, lineEnd: "\n").write(to: corpus.appendingPathComponent("c.txt"), atomically: true, encoding: .utf8)
        let report = try writer.update()
        #expect(report.unchanged == 2 && report.added == 1)
        let snapshot = try writer.directory.open(analyzerVersion: Analyzer.version)
        let stamp = try #require(writer.reader.stamp("a.txt"))
        for d in 0..<snapshot.documentCount where try snapshot.filePath(DocID(d)) == "a.txt" {
            let indexed = try #require(snapshot.sourceFile(DocID(d)))
            #expect(indexed.changed == stamp.changed && indexed.size == stamp.size)
        }
        try Self.expectBodiesMatchAnOracle(snapshot, corpus: corpus, windowSize: writer.reader.windowSize)
    }

    /// A file that could not be read at the last update keeps its articles with an unknown time:
    /// never trusted, so read whole (and hashed) once it can be read again.
    @Test func aFileUnreadableAtTheLastUpdateIsHashedNotTrusted() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = corpus.appendingPathComponent("a.txt")
        let text = Self.issue(articles: 3, lineEnd: "\n")
        try text.write(to: a, atomically: true, encoding: .utf8)
        try "□ 赵国华\n\n围绕中心服务大局。\n".write(to: corpus.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus)
        _ = try writer.update()
        // A directory where the file was: unreadable, so its articles are kept.
        try FileManager.default.removeItem(at: a)
        try FileManager.default.createDirectory(at: a, withIntermediateDirectories: false)
        let report = try writer.update()
        #expect(report.skipped.count == 1)
        let snapshot = try writer.directory.open(analyzerVersion: Analyzer.version)
        let docs = try (0..<snapshot.documentCount).filter { try snapshot.filePath(DocID($0)) == "a.txt" }
        #expect(docs.count == 4)
        for d in docs {
            var indexed = try #require(snapshot.sourceFile(DocID(d)))
            #expect(indexed.changed == 0)
            indexed.stampsTrustedBefore = .max
            guard case .failure(.unreadable(path: "a.txt", _)) = SourceFiles(root: corpus).withBody(try snapshot.document(DocID(d)), indexed: indexed) else {
                Issue.record("a directory in place of the file must be unreadable")
                continue
            }
        }
        try FileManager.default.removeItem(at: a)
        try text.write(to: a, atomically: true, encoding: .utf8)
        for d in docs {
            var indexed = try #require(snapshot.sourceFile(DocID(d)))
            indexed.stampsTrustedBefore = .max
            #expect(throws: Never.self) { try SourceFiles(root: corpus).withBody(try snapshot.document(DocID(d)), indexed: indexed).get() }
        }
    }

    /// A body right after the title on the first line, after a UTF-8 byte-order mark (the plain
    /// layout): its offset counts the mark; and the same without the mark.
    @Test func offsetsCountAByteOrderMark() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "关于政协工作的报告\r\n政协委员履职尽责。\r\n\r\n读书学习。"
        try Data(("\u{FEFF}" + text).utf8).write(to: corpus.appendingPathComponent("bom.txt"))
        try Data(text.utf8).write(to: corpus.appendingPathComponent("plain.txt"))
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus, layout: .plain)
        _ = try writer.update()
        let snapshot = try writer.directory.open(analyzerVersion: Analyzer.version)
        let documents = try (0..<snapshot.documentCount).map { try snapshot.document(DocID($0)) }
        let title = "关于政协工作的报告\r\n".utf8.count
        #expect(documents.map(\.file) == ["bom.txt", "plain.txt"])
        #expect(documents.map(\.sourceOffset) == [3 + title, title])
        for d in 0..<snapshot.documentCount {
            var indexed = try #require(snapshot.sourceFile(DocID(d)))
            indexed.stampsTrustedBefore = .max
            #expect(try SourceFiles(root: corpus).withBody(documents[d], indexed: indexed).get().body == "政协委员履职尽责。\n读书学习。")
            indexed.stampsTrustedBefore = 0
            #expect(try SourceFiles(root: corpus).withBody(documents[d], indexed: indexed).get().body == "政协委员履职尽责。\n读书学习。")
        }
    }

    /// The two ways to a body, told apart: a trusted stamp reads the lines without hashing the
    /// file (a wrong recorded hash does not matter), an untrusted one needs the hash.
    @Test func aTrustedStampSkipsTheHashAnUntrustedOneNeedsIt() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.issue(articles: 3, lineEnd: "\n").write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let (_, snapshot) = try Self.build(corpus, in: dir, windowSize: 8 << 20)
        let stored = try snapshot.document(DocID(0))
        var indexed = try #require(snapshot.sourceFile(DocID(0)))
        indexed.contentHash &+= 1
        indexed.stampsTrustedBefore = .max
        #expect(try SourceFiles(root: corpus).withBody(stored, indexed: indexed).get().body == "第0篇文章的正文，\n政协委员履职尽责。")
        indexed.stampsTrustedBefore = indexed.changed  // the time is not before it: not trusted
        #expect(SourceFiles(root: corpus).withBody(stored, indexed: indexed) == .failure(.changed(path: "a.txt")))
        indexed.stampsTrustedBefore = .max
        indexed.changed = 0  // unknown
        #expect(SourceFiles(root: corpus).withBody(stored, indexed: indexed) == .failure(.changed(path: "a.txt")))
    }

    /// A record as format 6 wrote it ends after the body's lines, without the offset (the
    /// format-7 fixture's records all end with the offset's 0, so relabelled 6 they do not show
    /// this). Its layout, written out by hand: `string key, file, title, opt subtitle, u8 derived,
    /// opt author, opt affiliation, v lineStart, v lineEnd, v rangeCount { v low, v high }, string
    /// body, v lineCount { v (number << 1 | alone) }`.
    @Test func aFormat6RecordWithoutTheOffsetDecodes() throws {
        let document = StoredDocument(
            key: "a#0", file: "a.txt", title: "标题", subtitle: nil, titleIsDerived: false, author: "张三", affiliation: nil,
            lineStart: 3, lineEnd: 4, lineRanges: [1...4], body: "政协委员\n履职尽责",
            bodyLines: [.init(number: 3, standsAlone: false), .init(number: 4, standsAlone: true)])
        var format6 = BinaryWriter()
        for text in ["a#0", "a.txt", "标题"] { format6.string(text) }
        format6.optionalString(nil)
        format6.u8(0)
        format6.optionalString("张三")
        format6.optionalString(nil)
        for value in [3, 4, 1, 1, 4] { format6.varint(value) }
        format6.string("政协委员\n履职尽责")
        for value in [2, 3 << 1, 4 << 1 | 1] { format6.varint(value) }
        let decoded = try format6.bytes.withUnsafeBytes { bytes in
            var reader = BinaryReader(bytes, file: "test")
            let decoded = try StoredDocument.decodeFormat7(from: &reader)
            #expect(reader.isAtEnd)
            return decoded
        }
        #expect(decoded == document)
        var located = document
        located.body = ""
        located.sourceOffset = 1234
        var again = BinaryWriter()
        located.encode(into: &again)
        let round = try again.bytes.withUnsafeBytes { bytes in
            var reader = BinaryReader(bytes, file: "test")
            return try StoredDocument.decode(from: &reader)
        }
        #expect(round == located && !round.hasBody)
    }

    /// A file is hashed (`scan`) before it is analysed (`forEachWindow` opens it again). One
    /// rewritten in between is indexed as it is then, but recorded with the hash of what was
    /// scanned: put back as scanned, it hashes as recorded, and the hashed path quoted the lines
    /// the index numbered in the other text (and the next update took it as unchanged, keeping
    /// the other text's articles).
    /// (`long`: the analysed text is read in windows and flushed into several segments.)
    @Test(arguments: [false, true])
    func aFileRewrittenBetweenItsScanAndItsAnalysisIsNotQuotedWithTheOtherTextsLines(long: Bool) throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = corpus.appendingPathComponent("a.txt"), b = corpus.appendingPathComponent("b.txt")
        let scanned = "□ 孙立新\n\n政协委员履职尽责，\n读书学习。\n"
        let analysed = "□ 孙立新\n\n新增的第一行。\n协商议政，建言资政。\n"
            + (long ? (0..<400).map { "\n□ 作者\($0)号\n\n第\($0)篇文章的正文，政协委员履职尽责。\n" }.joined() : "")
        try "□ 赵国华\n\n围绕中心服务大局。\n".write(to: a, atomically: true, encoding: .utf8)
        try scanned.write(to: b, atomically: true, encoding: .utf8)
        let directory = IndexDirectory(url: dir.appendingPathComponent("idx"))
        let writer = IndexWriter(directory: directory, corpus: corpus)
        writer.threads = 1  // a.txt, then b.txt, on one worker
        if long {
            writer.reader.windowSize = 4096
            writer.memoryBudget = 100_000
        }
        nonisolated(unsafe) var rewritten = false
        writer.progress = { _ in
            // a.txt is done; b.txt was scanned with every file, and is read next.
            guard !rewritten else { return }
            rewritten = true
            try? analysed.write(to: b, atomically: true, encoding: .utf8)
        }
        _ = try writer.update()
        #expect(rewritten)
        let snapshot = try directory.open(analyzerVersion: Analyzer.version)
        if long { #expect(snapshot.segmentReaders.count > 2) }
        for d in 0..<snapshot.documentCount where try snapshot.filePath(DocID(d)) == "b.txt" {
            #expect(snapshot.sourceFile(DocID(d))?.contentHash == ContentHash.fnv1a64(Array(analysed.utf8)))
        }
        let d = try #require((0..<snapshot.documentCount).first { (try? snapshot.filePath(DocID($0))) == "b.txt" })
        #expect(try snapshot.document(DocID(d)).bodyLines.map(\.number) == [3, 4])  // analysed: the new text
        // While the file is what was analysed, its lines are quoted.
        let now = SourceFiles(root: corpus).withBody(try snapshot.document(DocID(d)), indexed: snapshot.sourceFile(DocID(d)))
        #expect(now.map(\.body) == .success("新增的第一行。\n协商议政，建言资政。"))
        // Put back as scanned: not what was analysed, so no passage (not lines 3-4 of this text).
        try scanned.write(to: b, atomically: true, encoding: .utf8)
        let back = SourceFiles(root: corpus).withBody(try snapshot.document(DocID(d)), indexed: snapshot.sourceFile(DocID(d)))
        #expect(back == .failure(.changed(path: "b.txt")), "\(back)")
        // And the next update sees that the file is not what was indexed.
        let report = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(report.changed == 1, "\(report)")
        #expect(try directory.open(analyzerVersion: Analyzer.version).postingList("读书", in: .body)?.documentFrequency == 1)
    }
}
