import Analysis
import Foundation
import Testing
@testable import Indexing

/// An on-disk index stores where each body's lines are, not their text: `SourceFiles` reads them
/// back from the corpus, and only from files that are still what was indexed.
@Suite(.serialized) struct SourceFilesTests {
    /// The bundled issues and the encoding fixtures (GB18030, UTF-16 with a byte-order mark, CRLF
    /// with one).
    static func mixedCorpus() throws -> (root: URL, corpus: URL) {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        let reader = CorpusReader(root: SegmentFileTests.corpus)
        for path in try reader.listFiles() {
            try FileManager.default.copyItem(at: SegmentFileTests.corpus.appendingPathComponent(path), to: corpus.appendingPathComponent(path))
        }
        let fixtures = try IndexWriterTests.fixtures()
        for name in ["gb18030.txt", "utf16le_bom.txt", "utf8_bom_crlf.txt"] {
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: corpus.appendingPathComponent(name))
        }
        return (dir, corpus)
    }

    static func build(_ corpus: URL, in dir: URL, windowSize: Int? = nil) throws -> IndexSnapshot {
        let writer = IndexWriter(directory: IndexDirectory(url: dir.appendingPathComponent("idx")), corpus: corpus)
        if let windowSize { writer.reader.windowSize = windowSize }
        writer.memoryBudget = 200_000  // several segments
        _ = try writer.update()
        return try writer.directory.open(analyzerVersion: Analyzer.version)
    }

    @Test func bodiesReadBackAreTheOnesAnIndexInMemoryStores() throws {
        let (dir, corpus) = try Self.mixedCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let snapshot = try Self.build(corpus, in: dir)
        #expect(snapshot.segmentReaders.count > 1)
        // The oracle: the same files, each read whole, into an index that stores the bodies.
        let reader = CorpusReader(root: corpus)
        let builder = try IndexBuilder(bigrams: true)
        for path in try reader.listFiles() { builder.add(path: path, bytes: try reader.read(path).get().1) }
        let oracle = Dictionary(uniqueKeysWithValues: builder.finish().documents.map { ($0.key, $0) })
        #expect(oracle.count > 30 && oracle.count == snapshot.documentCount)
        let sources = SourceFiles(root: corpus)
        var offsets = 0
        for d in 0..<snapshot.documentCount {
            let stored = try snapshot.document(DocID(d))
            #expect(stored.body.isEmpty && !stored.hasBody)
            // The files were written just now: their stamps are too recent to trust, so each is
            // read whole and hashed.
            var indexed = try #require(snapshot.sourceFile(DocID(d)))
            #expect(indexed.changed >= indexed.stampsTrustedBefore)
            var document = try sources.withBody(stored, indexed: indexed).get()
            document.sourceOffset = nil
            var expected = try #require(oracle[document.key])
            expected.sourceOffset = nil
            #expect(document == expected, "\(document.key)")
            // Trusted stamps: only the article's lines are read, from the stored offset (UTF-8
            // files; the others are read whole). The same text either way.
            indexed.stampsTrustedBefore = .max
            #expect(try SourceFiles(root: corpus).withBody(stored, indexed: indexed).get().body == expected.body)
            if stored.sourceOffset != nil { offsets += 1 }
            #expect((stored.sourceOffset == nil) == ["gb18030.txt", "utf16le_bom.txt"].contains(stored.file))
        }
        #expect(offsets >= 30)
    }

    @Test func aFileReadInWindowsGivesEachBodyItsOwnLines() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 0..<300 { text += "□ 作者\(i)号\n\n第\(i)篇文章的正文，\r\n政协委员履职尽责。\n\n" }
        try text.write(to: corpus.appendingPathComponent("windowed.txt"), atomically: true, encoding: .utf8)
        let snapshot = try Self.build(corpus, in: dir, windowSize: 4096)
        #expect(snapshot.segmentReaders.count > 1)
        let sources = SourceFiles(root: corpus)
        // Every article whole, also where a window ends between its byline and its text.
        #expect(snapshot.documentCount == 300)
        for d in 0..<snapshot.documentCount {
            let document = try sources.withBody(try snapshot.document(DocID(d)), indexed: snapshot.sourceFile(DocID(d))).get()
            let i = Int(try #require(document.author).dropFirst(2).dropLast())!
            #expect(document.body == "第\(i)篇文章的正文，\n政协委员履职尽责。")
            #expect(document.bodyLines.map(\.number) == [5 * i + 3, 5 * i + 4])
            #expect(document.key == "windowed#\(i + 1)")
        }
    }

    @Test func aChangedOrRemovedFileGivesNoBodyRatherThanTheWrongLines() throws {
        let (dir, corpus) = try IndexWriterTests.emptyCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = corpus.appendingPathComponent("a.txt"), b = corpus.appendingPathComponent("b.txt")
        let original = "□ 孙立新\n\n政协委员履职尽责，读书学习。\n"
        try original.write(to: a, atomically: true, encoding: .utf8)
        try "□ 赵国华\n\n围绕中心服务大局。\n".write(to: b, atomically: true, encoding: .utf8)
        let snapshot = try Self.build(corpus, in: dir)
        func body(_ file: String) -> Result<StoredDocument, SourceFiles.Unavailable> {
            let d = (0..<snapshot.documentCount).first { (try? snapshot.filePath(DocID($0))) == file }!
            return SourceFiles(root: corpus).withBody(try! snapshot.document(DocID(d)), indexed: snapshot.sourceFile(DocID(d)))
        }
        #expect(try body("a.txt").get().body == "政协委员履职尽责，读书学习。")
        // A line inserted above: the recorded line numbers now point at other text.
        try ("新增一行\n" + original).write(to: a, atomically: true, encoding: .utf8)
        #expect(body("a.txt") == .failure(.changed(path: "a.txt")))
        try FileManager.default.removeItem(at: b)
        guard case .failure(.unreadable(path: "b.txt", _)) = body("b.txt") else {
            Issue.record("a removed file must be unreadable")
            return
        }
        // A rewrite of the same size: the stamp (ctime) differs, so the file is hashed, not trusted.
        let d = (0..<snapshot.documentCount).first { (try? snapshot.filePath(DocID($0))) == "a.txt" }!
        var trusted = try #require(snapshot.sourceFile(DocID(d)))
        trusted.stampsTrustedBefore = .max
        try original.replacingOccurrences(of: "读书", with: "学习").write(to: a, atomically: true, encoding: .utf8)
        #expect(SourceFiles(root: corpus).withBody(try snapshot.document(DocID(d)), indexed: trusted) == .failure(.changed(path: "a.txt")))
        // Put back as indexed, the file serves again (the snapshot's record still holds).
        try original.write(to: a, atomically: true, encoding: .utf8)
        #expect(try body("a.txt").get().body == "政协委员履职尽责，读书学习。")
        #expect(SourceFiles.Unavailable.changed(path: "a.txt").description == "a.txt changed since it was indexed; run `committee-search index`")
    }

    /// A format-6 segment stored the bodies' text: it is shown as stored, with no file to read.
    @Test func segmentsOfTheFormatThatStoredBodiesAreStillRead() throws {
        let path = try SegmentFileTests.temporaryFile(try OlderFormatTests.fixtureBytes(version: 6))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        let document = try reader.document(1)
        #expect(document.hasBody && document.body.contains("政协"))
        #expect(SourceFiles(root: URL(fileURLWithPath: "/nonexistent")).withBody(document, indexed: nil) == .success(document))
    }
}
