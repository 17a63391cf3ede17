import Analysis
import Foundation
import Testing
@testable import Indexing

/// Review of format 8 (stored records sixteen to a block): damaged and hostile bytes around the
/// blocks and the doc table are reported as damage, never a trap; a shared reader's one-block
/// cache holds under concurrent reads; an index of an older format is rebuilt as 8.
@Suite struct StoredBlocksReviewTests {
    /// `count` stored documents and no postings: the records, then the doc table, are all there is.
    static func storedIndex(_ count: Int) -> InvertedIndex {
        var index = InvertedIndex()
        for d in 0..<count {
            index.documents.append(StoredDocument(
                key: "a/\(d / 7)#\(d % 7 + 1)", file: "a/\(d / 7).txt", title: "政协第\(d)篇", subtitle: nil,
                titleIsDerived: d % 3 == 0, author: d % 2 == 0 ? "周\(d)" : nil, affiliation: nil,
                lineStart: 10 * d, lineEnd: 10 * d + 4, lineRanges: [(10 * d)...(10 * d + 4)], body: "",
                bodyLines: (0..<(d % 5)).map { .init(number: 10 * d + $0, standsAlone: $0 % 2 == 0) },
                sourceOffset: d * 100))
            for f in Field.allCases { index.fieldLengths[Int(f.rawValue)].append(UInt32(d % 9 + 1)) }
        }
        return index
    }

    /// The footer's offsets, in the order written.
    static func footer(_ bytes: [UInt8]) throws -> (root: Int, rootLength: Int, docTable: Int, fieldLengths: Int) {
        try bytes.withUnsafeBytes { all in
            var r = BinaryReader(all, file: "", offset: bytes.count - SegmentFile.footerSize)
            return (Int(try r.u64()), Int(try r.u64()), Int(try r.u64()), Int(try r.u64()))
        }
    }

    static func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for k in 0..<8 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
    }

    static func put(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))) }
    }

    /// The footer's checksum (over the header and the four offsets) made right again.
    static func resealFooter(_ bytes: inout [UInt8]) {
        let footer = bytes.count - SegmentFile.footerSize
        put(CRC32.checksum(Array(bytes[0..<SegmentFile.headerSize]) + Array(bytes[footer..<(footer + 32)])), at: footer + 32, in: &bytes)
    }

    /// What reading every document gives: nil when all read back as `index` holds them.
    static func readEvery(_ bytes: [UInt8], _ index: InvertedIndex) throws -> IndexError? {
        let path = try SegmentFileTests.temporaryFile(bytes)
        defer { unlink(path) }
        do {
            let reader = try SegmentReader(path: path, analyzerVersion: 7)
            for doc in 0..<reader.documentCount where try reader.document(doc) != index.documents[doc] {
                Issue.record("document \(doc) read back different")
            }
            return nil
        } catch let error as IndexError {
            return error
        }
    }

    static func isDamage(_ error: IndexError?) -> Bool {
        if case .damaged = error { return true }
        return false
    }

    /// The u64 end of the records after the doc table has no checksum of its own: a flipped top
    /// bit made it larger than `Int.max`, and converting it trapped.
    @Test(arguments: [UInt64(1) << 63, UInt64.max])
    func aRecordsEndPastIntMaxIsDamage(end: UInt64) throws {
        let index = Self.storedIndex(20)
        var bytes = SegmentFile.encode(index, analyzerVersion: 7)
        let docTable = try Self.footer(bytes).docTable
        Self.put(end, at: docTable + 2 * 8 + 4, in: &bytes)  // two record blocks, one table block
        #expect(Self.isDamage(try Self.readEvery(bytes, index)))
    }

    /// A doc-table entry past `Int.max` under a checksum made to match (hostile bytes, not a
    /// flip) trapped the same way.
    @Test func aDocTableEntryPastIntMaxIsDamage() throws {
        let index = Self.storedIndex(20)
        var bytes = SegmentFile.encode(index, analyzerVersion: 7)
        let docTable = try Self.footer(bytes).docTable
        Self.put(UInt64.max, at: docTable + 8, in: &bytes)
        Self.put(CRC32.checksum(bytes[docTable..<(docTable + 16)]), at: docTable + 16, in: &bytes)
        #expect(Self.isDamage(try Self.readEvery(bytes, index)))
    }

    /// The footer's offsets were converted to `Int` before their checksum was checked: one
    /// flipped top bit trapped on opening. With the checksum made to match, an offset and a
    /// length that overflow when added trapped too.
    @Test func aFooterOffsetPastIntMaxIsDamage() throws {
        let index = Self.storedIndex(20)
        let bytes = SegmentFile.encode(index, analyzerVersion: 7)
        let footer = bytes.count - SegmentFile.footerSize
        for field in 0..<4 {
            var flipped = bytes
            flipped[footer + field * 8 + 7] ^= 0x80
            #expect(Self.isDamage(try Self.readEvery(flipped, index)), "offset \(field) flipped")
            Self.resealFooter(&flipped)
            #expect(Self.isDamage(try Self.readEvery(flipped, index)), "offset \(field) past Int.max, resealed")
        }
        var overflowing = bytes
        Self.put(UInt64(Int.max), at: footer + 8, in: &overflowing)  // root length
        Self.resealFooter(&overflowing)
        #expect(Self.isDamage(try Self.readEvery(overflowing, index)))
    }

    /// A last, partial block holding one record fewer or more than the header's document count
    /// says (the count relabelled, the footer resealed; the doc table is the same size either way).
    @Test(arguments: [(19, 20), (20, 19), (16 * 1024 + 3, 16 * 1024 + 4), (16 * 1024 + 4, 16 * 1024 + 3)])
    func aBlockWithAnotherNumberOfRecordsIsDamage(written: Int, claimed: Int) throws {
        let index = Self.storedIndex(written)
        var bytes = SegmentFile.encode(index, analyzerVersion: 7)
        Self.put(UInt32(claimed), at: 16, in: &bytes)
        Self.resealFooter(&bytes)
        let path = try SegmentFileTests.temporaryFile(bytes)
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        let last = min(written, claimed) - 1
        #expect(try reader.document(last - 16) == index.documents[last - 16])  // a whole block before it
        #expect(throws: IndexError.damaged(file: path, detail: "a block of stored documents holds \(written % 16) records, not \(claimed % 16)")) {
            try reader.document(last)
        }
    }

    /// A doc table with fewer or more entries than the document count needs (one record block
    /// more or less) is caught by the table's checksum, which then sits elsewhere.
    @Test(arguments: [(32, 33), (33, 32), (16 * 1024, 16 * 1024 + 1)])
    func aDocTableOfAnotherLengthIsDamage(written: Int, claimed: Int) throws {
        let index = Self.storedIndex(written)
        var bytes = SegmentFile.encode(index, analyzerVersion: 7)
        Self.put(UInt32(claimed), at: 16, in: &bytes)
        Self.resealFooter(&bytes)
        #expect(Self.isDamage(try Self.readEvery(bytes, index)))
    }

    /// Around the doc table's block boundary (1024 record blocks, 16,384 documents) and with a
    /// last block of one record: every document reads back, first and last of each block included.
    @Test(arguments: [16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 16 * 2048 + 17])
    func documentsAroundTheDocTableBoundaryReadBack(count: Int) throws {
        let index = Self.storedIndex(count)
        let path = try SegmentFileTests.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        for doc in 0..<count { #expect(try reader.document(doc) == index.documents[doc]) }
    }

    /// One reader shared by threads reading documents of different blocks at once (as searches
    /// showing their hits do): the one-block cache never hands a thread another block's records.
    @Test func concurrentReadsOfDifferentBlocksAgree() async throws {
        let index = Self.storedIndex(16 * 40 + 5)
        let path = try SegmentFileTests.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        let documents = index.documents
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var generator = SplitMix(seed: UInt64(task + 1))
                    var wrong = 0
                    for _ in 0..<4000 {
                        let doc = Int.random(in: 0..<documents.count, using: &generator)
                        if try reader.document(doc) != documents[doc] { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    /// A commit point of format 7 makes the next update a full rebuild, whose commit point and
    /// segments are format 8 and whose documents are the same.
    @Test func aFormat7IndexIsRebuiltAs8() throws {
        let (root, corpus, directory) = try ManifestTests.temporaryIndex()
        defer { try? FileManager.default.removeItem(at: root) }
        var manifest = try #require(try directory.latestManifest())
        let before = try ManifestTests.corpusOrder(try directory.open(analyzerVersion: Analyzer.version))
        manifest.formatVersion = 7
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: directory.file(manifest.fileName)))
        let report = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(report.fullRebuildReason == "the index format changed")
        let rebuilt = try #require(try directory.latestManifest())
        #expect(rebuilt.formatVersion == SegmentFile.formatVersion && SegmentFile.formatVersion == 8)
        for segment in rebuilt.segments {
            let header = try Data(contentsOf: URL(fileURLWithPath: directory.file(segment.name))).prefix(8)
            #expect(Array(header.suffix(4)) == [8, 0, 0, 0], "\(segment.name)")
        }
        #expect(try ManifestTests.corpusOrder(try directory.open(analyzerVersion: Analyzer.version)) == before)
    }
}
