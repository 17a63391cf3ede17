import Analysis
import Foundation
import Testing
@testable import Indexing

/// Round trips of the segment format, and a fuzzed reader (the commit point's are in `ManifestTests`).
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

    /// Stored records are packed sixteen to a compressed block, their line numbers as
    /// differences: numbers that fall back, a last line before the first, the largest and the
    /// smallest numbers, empty lists, and more blocks than one block of the doc table holds (and
    /// a last block that is not full) all come back exactly, read in any order.
    @Test func roundTripsStoredRecordsInBlocks() throws {
        let big = Int(Int32.max)
        var index = InvertedIndex()
        let count = StoredDocument.recordsPerBlock * (SegmentFile.docsPerBlock + 1) + 5
        for d in 0..<count {
            let start = [0, 1, big, big - 1, 500][d % 5]
            let numbers: [Int] = switch d % 4 {
            case 0: []
            case 1: [start, start == 0 ? big : 0, start]
            case 2: (0..<(d % 40)).map { min(big, start + $0 * 2) }
            default: [big, 0, big]
            }
            index.documents.append(StoredDocument(
                key: "f#\(d)", file: "a/\(d / 100).txt", title: d % 2 == 0 ? "" : "题\(d)", subtitle: d % 3 == 0 ? "副" : nil,
                titleIsDerived: d % 7 == 0, author: d % 5 == 0 ? nil : "周\(d % 13)", affiliation: d % 3 == 0 ? "" : nil,
                lineStart: start, lineEnd: d % 6 == 0 ? max(0, start - 1) : (d % 6 == 1 ? 0 : min(big, start + d)),
                lineRanges: d % 8 == 0 ? [] : [0...0, big...big, start...min(big, start + 3), 2...(big - 1)],
                body: d % 9 == 0 ? "正文\n第二行" : "", bodyLines: numbers.enumerated().map { .init(number: $1, standsAlone: $0 % 2 == 1) },
                sourceOffset: d % 10 == 0 ? nil : [0, 1, Int(UInt32.max) * 4][d % 3]))
            for f in Field.allCases { index.fieldLengths[Int(f.rawValue)].append(UInt32(d % 7)) }
        }
        let path = try Self.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        #expect(try Self.readAll(reader) == index)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let doc = Int.random(in: 0..<count, using: &generator)
            #expect(try reader.document(doc) == index.documents[doc])
        }
    }

    /// Field lengths are bit-packed per block of 1024 at the block's width: all zero (width 0),
    /// ones, a block with one large length, the largest u32, and a last block that is not full
    /// come back exactly, for each field.
    @Test func roundTripsPackedFieldLengths() throws {
        var index = InvertedIndex()
        let count = SegmentFile.docsPerBlock * 4 + 3
        for d in 0..<count {
            index.documents.append(StoredDocument(
                key: "f#\(d)", file: "f.txt", title: "", subtitle: nil, titleIsDerived: true, author: nil, affiliation: nil,
                lineStart: 1, lineEnd: 1, lineRanges: [], body: "", bodyLines: []))
            let block = d / SegmentFile.docsPerBlock
            index.fieldLengths[0].append(0)
            index.fieldLengths[1].append(block == 1 ? 1 : 0)
            index.fieldLengths[2].append(UInt32(d % 300) + (d == 2 * SegmentFile.docsPerBlock + 5 ? 100_000 : 0))
            index.fieldLengths[3].append(block == 3 && d % 2 == 0 ? .max : UInt32(d))
        }
        let path = try Self.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        #expect(try Self.readAll(reader) == index)
        for field in Field.allCases {
            let lengths = try reader.fieldLengths(field)
            #expect((0..<count).allSatisfy { lengths[$0] == index.fieldLengths[Int(field.rawValue)][$0] }, "\(field)")
        }
    }

    /// Skip entries keep a block's bounds in u16s: a larger frequency saturates to "the term's
    /// largest" and a longer field to 65,535, so both stay bounds (a score can only be
    /// overestimated, and pruning stays exact). A term without positions has no positions' start.
    @Test func saturatedSkipBoundsStayBounds() throws {
        var index = InvertedIndex()
        for d in 0..<300 {
            index.documents.append(StoredDocument(
                key: "f#\(d)", file: "f.txt", title: "", subtitle: nil, titleIsDerived: true, author: nil, affiliation: nil,
                lineStart: 1, lineEnd: 1, lineRanges: [], body: "", bodyLines: []))
            for f in Field.allCases { index.fieldLengths[Int(f.rawValue)].append(d >= 128 && d < 256 ? UInt32(70_000 + d) : UInt32(1 + d % 5)) }
        }
        var body = PostingList(), grams = PostingList()
        for d in 0..<300 {
            let tf = d == 150 ? 70_000 : 1 + d % 3
            body.append(DocID(d), positions: (0..<tf).map { UInt32($0) })
            grams.documents.append(DocID(d))
            grams.termFrequencies.append(UInt32(tf))
            grams.positionStarts.append(0)
        }
        index.postings[Int(Field.body.rawValue)]["词"] = body
        index.postings[Int(Field.grams.rawValue)]["词"] = grams
        let path = try Self.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        #expect(try Self.readAll(reader) == index)
        for field in [Field.body, .grams] {
            let cursor = try reader.cursor(try #require(try reader.lookup("词", in: field)))
            let middle = try #require(cursor.blockBounds(at: 130))  // documents 128…255
            #expect(middle.lastDoc == 255 && middle.maxTermFrequency == 70_000 && middle.minFieldLength == 65_535)
            let last = try #require(cursor.blockBounds(at: 260))  // 256…299: their own bounds
            #expect(last.lastDoc == 299 && last.maxTermFrequency == 3 && last.minFieldLength == 1)
            #expect(try cursor.advance(to: 150) == 150 && cursor.termFrequency == 70_000)
        }
    }

    /// The bundled corpus as one string: long Chinese text to store.
    static func corpusText() throws -> String {
        let reader = CorpusReader(root: corpus)
        return try reader.listFiles().map { String(decoding: try reader.read($0).get().1, as: UTF8.self) }.joined(separator: "\n")
    }

    /// An index of stored documents only (no postings), one per body.
    static func storedOnly(_ bodies: [String]) -> InvertedIndex {
        var index = InvertedIndex()
        for (d, body) in bodies.enumerated() {
            let lines = body.split(separator: "\n", omittingEmptySubsequences: false).indices
            index.documents.append(StoredDocument(
                key: "long#\(d)", file: "long.txt", title: "长文\(d)", subtitle: nil, titleIsDerived: false, author: "周均发",
                affiliation: "张掖市政协", lineStart: 1, lineEnd: max(1, lines.count), lineRanges: [1...max(1, lines.count)], body: body,
                bodyLines: body.isEmpty ? [] : lines.map { .init(number: $0 + 1, standsAlone: $0 % 5 == 0) }))
            for f in Field.allCases { index.fieldLengths[Int(f.rawValue)].append(0) }
        }
        return index
    }

    /// Stored records are compressed: long Chinese bodies, a one-character body and an empty
    /// one come back exactly, and the segment is smaller than the text it stores.
    @Test func roundTripsCompressedStoredDocuments() throws {
        let text = try Self.corpusText()
        let bodies = [text, String(text.reversed()), "", "两", String(repeating: "两个薄弱", count: 50_000), ""]
        let index = Self.storedOnly(bodies)
        let bytes = SegmentFile.encode(index, analyzerVersion: 7)
        let path = try Self.temporaryFile(bytes)
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        #expect(try Self.readAll(reader) == index)
        #expect(try reader.document(2).body == "" && reader.document(2).bodyLines == [])
        let stored = bodies.reduce(0) { $0 + $1.utf8.count }
        #expect(bytes.count < stored / 4, "\(bytes.count) bytes store \(stored) bytes of bodies")
    }

    /// A record whose compressed bytes were altered and whose CRC was then recomputed passes the
    /// CRC check; decompression must still report it as damage, never crash or return other text.
    /// Deflate's encoding is not unique, though: a back-reference can be moved to another earlier
    /// occurrence of the same bytes, and then the record still holds exactly the same document.
    @Test func alteredCompressedRecordWithValidCRCIsReported() throws {
        let text = try Self.corpusText()
        let index = Self.storedOnly([String(text.prefix(1500))])
        let bytes = SegmentFile.encode(index, analyzerVersion: 7)
        // One document and no postings: its record runs from the header to the CRC in front of the doc table.
        let docTableOffset = try bytes.withUnsafeBytes { all in
            var footer = BinaryReader(all, file: "", offset: bytes.count - SegmentFile.footerSize + 16)
            return Int(try footer.u64())
        }
        let record = SegmentFile.headerSize..<(docTableOffset - 4)
        let (declaredLength, compressedStart) = try bytes.withUnsafeBytes { all in
            var r = BinaryReader(all, file: "", offset: record.lowerBound)
            return (Int(try r.varint()), r.offset)
        }
        #expect(record.count < declaredLength, "the record is not compressed")

        enum Outcome: Equatable {
            case damage, sameDocument, otherDocument, otherError(IndexError)
        }
        /// What reading the document gives once `change` has been applied to the record and its CRC rewritten.
        func read(_ change: (inout ArraySlice<UInt8>) -> Void) throws -> Outcome {
            var altered = bytes
            change(&altered[record])
            let crc = CRC32.checksum(altered[record])
            for i in 0..<4 { altered[record.upperBound + i] = UInt8(truncatingIfNeeded: crc >> (8 * i)) }
            let path = try Self.temporaryFile(altered)
            defer { unlink(path) }
            let reader = try SegmentReader(path: path, analyzerVersion: 7)
            do {
                return try reader.document(0) == index.documents[0] ? .sameDocument : .otherDocument
            } catch let error as IndexError {
                if case .damaged = error { return .damage }
                return .otherError(error)
            }
        }
        // Every byte of the zlib stream (header, deflate data, Adler-32), inverted in turn.
        var unchanged: [Int] = []
        for at in compressedStart..<record.upperBound {
            let outcome = try read { $0[at] ^= 0xFF }
            if outcome == .sameDocument { unchanged.append(at - compressedStart) }
            #expect(outcome == .damage || outcome == .sameDocument, "byte \(at - compressedStart) of the stream: \(outcome)")
        }
        #expect(unchanged.count * 100 < record.count, "bytes that changed nothing: \(unchanged)")
        // The declared length one less or one more than the stream holds (a varint rewritten in as many bytes).
        for wrong in [declaredLength - 1, declaredLength + 1] {
            let outcome = try read { slice in
                var value = wrong
                for i in record.lowerBound..<compressedStart {
                    slice[i] = UInt8(value & 0x7F) | (i + 1 < compressedStart ? 0x80 : 0)
                    value >>= 7
                }
            }
            #expect(outcome == .damage, "declared length \(wrong)")
        }
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
