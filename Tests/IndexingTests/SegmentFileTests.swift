import Analysis
import Foundation
import Testing
@testable import Indexing

/// Round trips of the segment format and the commit point, and a fuzzed reader.
@Suite struct SegmentFileTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpus")

    static func corpusIndex(bigrams: Bool = true) throws -> InvertedIndex {
        let reader = CorpusReader(root: corpus)
        let builder = try IndexBuilder(bigrams: bigrams)
        for path in try reader.listFiles() { builder.add(path: path, bytes: try reader.read(path).get().1) }
        return builder.finish()
    }

    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-seg-\(UUID().uuidString).seg").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Everything a reader holds, decoded back into an in-memory index.
    static func readAll(_ reader: SegmentReader) throws -> InvertedIndex {
        var index = InvertedIndex()
        for doc in 0..<reader.documentCount {
            index.documents.append(try reader.document(doc))
            for field in Field.allCases { index.fieldLengths[Int(field.rawValue)].append(UInt32(try reader.fieldLength(doc, field))) }
        }
        for field in Field.allCases {
            for (term, info) in try reader.terms(in: field) {
                index.postings[Int(field.rawValue)][term] = try reader.postings(info)
                #expect(try reader.lookup(term, in: field) == info)
            }
        }
        return index
    }

    @Test(arguments: [false, true])
    func roundTripsTheCorpusIndex(bigrams: Bool) throws {
        let index = try Self.corpusIndex(bigrams: bigrams)
        let path = try Self.temporaryFile(SegmentFile.encode(index, analyzerVersion: Analyzer.version))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: Analyzer.version)
        #expect(reader.documentCount == index.documentCount)
        #expect(try Self.readAll(reader) == index)
        #expect(try reader.lookup("不存在的词", in: .body) == nil)
        #expect(try reader.lookup("", in: .title) == nil)
        for field in Field.allCases {
            #expect(reader.totalFieldLengths[Int(field.rawValue)] == index.fieldLengths[Int(field.rawValue)].reduce(0) { $0 + Int($1) })
        }
    }

    @Test func roundTripsEdgeCases() throws {
        var index = InvertedIndex()
        let empty = try Self.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(empty) }
        #expect(try Self.readAll(try SegmentReader(path: empty, analyzerVersion: 7)) == index)
        // More documents than one block of the doc table and lengths; odd terms.
        for d in 0..<2500 {
            index.documents.append(StoredDocument(
                key: "f#\(d)", file: "a/b.txt", title: d % 2 == 0 ? "" : "题\(d)", subtitle: nil, titleIsDerived: true, author: nil,
                affiliation: d % 3 == 0 ? "" : nil, lineStart: d, lineEnd: d + 1, lineRanges: [d...(d + 1)], body: "正文\n第二行",
                bodyLines: [.init(number: d, standsAlone: false), .init(number: d + 1, standsAlone: true)]))
            for f in Field.allCases { index.fieldLengths[Int(f.rawValue)].append(UInt32(d % 7)) }
        }
        var list = PostingList()
        for d in stride(from: 0, to: 2500, by: 3) { list.append(DocID(d), positions: [0, 1, UInt32(d) + 2]) }
        index.postings[2]["词"] = list
        for i in 0..<300 { var l = PostingList(); l.append(DocID(i), positions: [UInt32(i)]); index.postings[0]["t\(i)"] = l }
        let path = try Self.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        #expect(try Self.readAll(try SegmentReader(path: path, analyzerVersion: 7)) == index)
    }

    @Test func namesTheProblem() throws {
        var bytes = SegmentFile.encode(InvertedIndex(), analyzerVersion: 3)
        let stale = try Self.temporaryFile(bytes)
        defer { unlink(stale) }
        #expect(throws: IndexError.staleAnalyzer(file: stale, found: 3, current: 4)) { try SegmentReader(path: stale, analyzerVersion: 4) }
        bytes[4] = 99  // format version from the future
        let future = try Self.temporaryFile(bytes)
        defer { unlink(future) }
        #expect(throws: IndexError.unsupportedVersion(file: future, found: 99, supported: SegmentFile.formatVersion)) {
            try SegmentReader(path: future, analyzerVersion: 3)
        }
        #expect(throws: IndexError.missingFile(file: "/nonexistent/x.seg")) { try SegmentReader(path: "/nonexistent/x.seg", analyzerVersion: 3) }
        let message = IndexError.damaged(file: "f.seg", detail: "checksum mismatch in a postings block").description
        #expect(message == "index file f.seg is damaged (checksum mismatch in a postings block); run `committee-search index --full` to rebuild it")
    }

    /// Random truncations and byte flips over a real segment: opening and reading everything
    /// must throw `IndexError`, never crash and never return different data.
    @Test func fuzzedReaderReportsDamage() throws {
        let index = try Self.corpusIndex()
        let bytes = SegmentFile.encode(index, analyzerVersion: Analyzer.version)
        var generator = SplitMix(seed: 42)
        var cases: [[UInt8]] = []
        for _ in 0..<40 { cases.append(Array(bytes[..<Int.random(in: 0..<bytes.count, using: &generator)])) }
        for _ in 0..<200 {
            var damaged = bytes
            let at = Int.random(in: 0..<bytes.count, using: &generator)
            damaged[at] ^= UInt8.random(in: 1...255, using: &generator)
            cases.append(damaged)
        }
        for damaged in cases {
            let path = try Self.temporaryFile(damaged)
            defer { unlink(path) }
            do {
                let decoded = try Self.readAll(try SegmentReader(path: path, analyzerVersion: Analyzer.version))
                Issue.record("damage went unnoticed (decoded equal: \(decoded == index))")
            } catch is IndexError {
                // Reported, as it must be.
            }
        }
    }

    @Test func commitPointRoundTripsAndDetectsDamage() throws {
        let manifest = Manifest(
            generation: 7, formatVersion: SegmentFile.formatVersion, analyzerVersion: 2, layout: "journal", bigrams: true,
            segments: [.init(name: "g000007_000.seg", documentCount: 10, deleted: [[2, 4], [8, 9]], liveFieldLengths: [1, 2, 3, 4])],
            files: [.init(path: "a.txt", size: 5, contentHash: "00ff", segment: "g000007_000.seg", firstDocument: 0, documentCount: 10)])
        let data = try manifest.encoded()
        #expect(try Manifest.decode(data, file: "m") == manifest)
        #expect(manifest.segments[0].deletedCount == 3 && manifest.segments[0].liveCount == 7)
        #expect((0..<10).filter { manifest.segments[0].isDeleted($0) } == [2, 3, 8])
        var damaged = [UInt8](data)
        damaged[10] ^= 1
        #expect(throws: IndexError.self) { try Manifest.decode(Data(damaged), file: "m") }
        #expect(throws: IndexError.self) { try Manifest.decode(Data(damaged.prefix(20)), file: "m") }
    }

    @Test func crcMatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
