import Foundation
import Testing
@testable import Indexing

/// Segments written by earlier releases still read. `Fixtures/segments/format7.seg` was written
/// by the format-7 writer (the last release before stored records were packed in blocks) from
/// `fixtureIndex()`; it is bytes on disk, not made again by today's code, so it checks the reader
/// against what that writer really wrote.
@Suite struct OlderFormatTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/segments/format7.seg")

    /// 300 documents: the first 40 with every stored field in its forms (absent, empty, long,
    /// Chinese), bodies with and without text, line numbers that jump and fall back; postings in
    /// every field, short (one block, no skip table) and long (three blocks of 128 with a skip
    /// table, with and without positions).
    static func fixtureIndex() -> InvertedIndex {
        var index = InvertedIndex()
        for d in 0..<300 {
            let start = 3 + d * 37
            let lines = (0..<(d < 40 ? d % 6 : 1)).map { StoredDocument.BodyLine(number: start + $0 * ($0 % 3 == 2 ? 5 : 1), standsAlone: $0 % 4 == 1) }
            let rich = d < 40
            index.documents.append(StoredDocument(
                key: "issue\(d / 10)#\(d % 10 + 1)", file: "2026/issue\(d / 10).txt",
                title: d % 7 == 0 ? "" : "推动新时代政协工作高质量发展第\(d)篇", subtitle: rich && d % 3 == 0 ? "——在全市政协工作会议上的讲话" : nil,
                titleIsDerived: d % 5 == 0, author: d % 4 == 0 ? nil : "周均发\(d)", affiliation: !rich ? nil : d % 2 == 0 ? "张掖市政协" : (d % 3 == 0 ? "" : nil),
                lineStart: start, lineEnd: start + max(0, lines.count - 1) * 2,
                lineRanges: d % 9 == 0 ? [] : [(start - 2)...(start - 1), start...(start + 12)],
                body: lines.isEmpty ? "" : lines.indices.map { "正文第\($0)行，政协委员履职尽责" }.joined(separator: "\n"),
                bodyLines: lines, sourceOffset: nil))
            for f in Field.allCases { index.fieldLengths[Int(f.rawValue)].append(UInt32(d % 11 + Int(f.rawValue) % 3 + 1)) }
        }
        for (f, field) in Field.allCases.enumerated() {
            for t in 0..<7 {
                var list = PostingList()
                // Terms 0…5 in a few of the first 40 documents; term 6 in every document.
                for d in stride(from: t == 6 ? 0 : t, to: t == 6 ? 300 : 40, by: t == 6 ? 1 : t + 1) {
                    if field.hasPositions {
                        list.append(DocID(d), positions: (0..<(1 + d % 4)).map { UInt32(t + $0 * (d + 1)) })
                    } else {  // frequencies without positions, as the bigram field keeps them
                        list.documents.append(DocID(d))
                        list.termFrequencies.append(UInt32(1 + d % 3))
                        list.positionStarts.append(0)
                    }
                }
                index.postings[f]["词\(field)\(t)"] = list
            }
        }
        return index
    }

    /// The fixture's bytes with another format version in the header (the footer's checksum
    /// covers the header, so it is computed again).
    static func fixtureBytes(version: UInt32) throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: fixture))
        for k in 0..<4 { bytes[4 + k] = UInt8(truncatingIfNeeded: version >> (8 * UInt32(k))) }
        let footer = bytes.count - SegmentFile.footerSize
        let crc = CRC32.checksum(Array(bytes[0..<SegmentFile.headerSize]) + Array(bytes[footer..<(footer + 32)]))
        for k in 0..<4 { bytes[footer + 32 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        return bytes
    }

    /// Format 7 reads back whole: every stored field, length and posting. Format 6 had the same
    /// layout (its records end before the source offset, and its writer always stored the body's
    /// text, as the fixture's records do), so the same bytes labelled 6 read the same. Format 5
    /// is refused by name.
    @Test(arguments: [UInt32(7), 6])
    func formatReadsBackWhole(version: UInt32) throws {
        let path = try SegmentFileTests.temporaryFile(try Self.fixtureBytes(version: version))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        #expect(try SegmentFileTests.readAll(reader) == Self.fixtureIndex())
        // Backwards too: the reader keeps no state that only a forward walk sets up.
        let expected = Self.fixtureIndex().documents
        for doc in stride(from: reader.documentCount - 1, through: 0, by: -3) { #expect(try reader.document(doc) == expected[doc]) }
        // The long lists' skip tables (five u32s an entry): seeks land, and each block's bounds
        // are its own.
        for field in Field.allCases {
            let info = try #require(try reader.lookup("词\(field)6", in: field))
            let cursor = try reader.cursor(info)
            #expect(try cursor.advance(to: 200) == 200)
            let bounds = try #require(cursor.blockBounds(at: 130))
            #expect(bounds.lastDoc == 255 && bounds.maxTermFrequency == (field.hasPositions ? 4 : 3))
            #expect(bounds.minFieldLength == UInt32(1 + Int(field.rawValue) % 3))
        }
    }

    @Test func format5IsRefusedByName() throws {
        let path = try SegmentFileTests.temporaryFile(try Self.fixtureBytes(version: 5))
        defer { unlink(path) }
        #expect(throws: IndexError.unsupportedVersion(file: path, found: 5, supported: SegmentFile.formatVersion)) {
            try SegmentReader(path: path, analyzerVersion: 7)
        }
    }

    /// Writes the fixture again (only when asked: `CS_WRITE_FORMAT_FIXTURE=1`, with the writer of
    /// the format the fixture is named after).
    @Test func writeFixtureWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["CS_WRITE_FORMAT_FIXTURE"] == "1" else { return }
        try FileManager.default.createDirectory(at: Self.fixture.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(SegmentFile.encode(Self.fixtureIndex(), analyzerVersion: 7)).write(to: Self.fixture)
    }
}
