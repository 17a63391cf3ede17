import Foundation
import Testing
@testable import Indexing

/// (Review of the one "least delta" test per block) Postings blocks written by hand, with valid
/// framing but ids that do not ascend (a zero delta anywhere but the list's first posting) or
/// that run past the segment: walking or seeking must throw `IndexError.damaged`, never return
/// such ids. Well-formed lists (a first delta of 0: document 0) still read.
@Suite struct DamagedPostingsReviewTests {
    /// A cursor over blocks of `deltas` (frequencies all 1), with a skip table whose last
    /// documents are the deltas' running sums (or `lastDocs`), in the five-u32 entries of formats
    /// 6 and 7.
    static func cursor(_ deltas: [[UInt32]], documentCount: Int, lastDocs: [UInt32]? = nil) throws -> PostingCursor {
        var blocks: [UInt8] = []
        var skips: [UInt32] = []
        var previous: UInt64 = 0
        for (b, block) in deltas.enumerated() {
            let width = BitPacking.width(of: block)
            blocks.append(UInt8(width))
            BitPacking.pack(block, width: width, into: &blocks)
            blocks.append(0)  // tf − 1 = 0, width 0
            for d in block { previous += UInt64(d) }
            skips += [lastDocs?[b] ?? UInt32(truncatingIfNeeded: previous), UInt32(blocks.count), 0, 1, 1]
        }
        var docs = BinaryWriter()
        if deltas.count > 1 { for value in skips { docs.u32(value) } }
        docs.raw(blocks)
        let path = try SegmentFileTests.temporaryFile([0, 1, 2, 3])
        let file = try MappedFile(path: path)
        unlink(path)
        return try PostingCursor(
            file: file, documentFrequency: deltas.reduce(0) { $0 + $1.count }, maxTermFrequency: 1, minFieldLength: 1,
            documentCount: documentCount, docs: .inline(docs.bytes), positions: .inline([]), skips: .wide)
    }

    /// Every document, walked with `next()`.
    static func walk(_ cursor: PostingCursor) throws -> [Int] {
        var found: [Int] = []
        while try cursor.next() != PostingCursor.end { found.append(cursor.doc) }
        return found
    }

    static func expectDamaged(_ deltas: [[UInt32]], documentCount: Int, lastDocs: [UInt32]? = nil, _ comment: Comment) throws {
        #expect(throws: IndexError.self, comment) { try walk(try cursor(deltas, documentCount: documentCount, lastDocs: lastDocs)) }
        // A seek throws too, or (past the skip table's last document) ends without reading.
        for target in [1, 5, 127, 128, 129, 200] where target < documentCount {
            let c = try cursor(deltas, documentCount: documentCount, lastDocs: lastDocs)
            do {
                let landed = try c.advance(to: target)
                let rest = try walk(c)
                if landed == PostingCursor.end && rest.isEmpty { continue }
                Issue.record("\(comment): advance to \(target) read \(landed) then \(rest)")
            } catch is IndexError {
                // Reported.
            } catch {
                Issue.record("\(comment): \(error)")
            }
        }
    }

    @Test func wellFormedListsRead() throws {
        #expect(try Self.walk(try Self.cursor([[0, 1, 2]], documentCount: 10)) == [0, 1, 3])
        #expect(try Self.walk(try Self.cursor([[5]], documentCount: 10)) == [5])
        let ones = [UInt32](repeating: 1, count: 128)
        #expect(try Self.walk(try Self.cursor([[0] + ones.dropFirst(), [1, 1]], documentCount: 200)) == Array(0..<130))
        #expect(try Self.walk(try Self.cursor([ones, ones], documentCount: 257)) == Array(1...256))
    }

    @Test func zeroDeltasAreDamage() throws {
        let ones = [UInt32](repeating: 1, count: 128)
        try Self.expectDamaged([[0, 1, 0, 2]], documentCount: 10, "a repeated id inside the first block")
        try Self.expectDamaged([[0, 1, 2, 0]], documentCount: 10, "a repeated last id")
        try Self.expectDamaged([[3, 0]], documentCount: 10, "a repeated second id")
        try Self.expectDamaged([ones, [0, 1]], documentCount: 300, "a second block's first id repeating the first block's last")
        try Self.expectDamaged([ones, [1, 0]], documentCount: 300, "a repeated id in a second block")
        var middle = ones
        middle[64] = 0
        try Self.expectDamaged([ones, middle, [1]], documentCount: 400, "a repeated id in a middle block")
        try Self.expectDamaged([ones, ones.dropFirst() + [0]], documentCount: 400, "a repeated id at a block's end")
    }

    @Test func idsPastTheSegmentAreDamage() throws {
        try Self.expectDamaged([[0, 0xFFFF_FFFF, 0xFFFF_FFFF]], documentCount: 10, "deltas whose sum wraps 32 bits")
        try Self.expectDamaged([[0, 1, 2, 9]], documentCount: 10, "an id past the last document")
        let ones = [UInt32](repeating: 1, count: 128)
        try Self.expectDamaged([ones, [0xFFFF_FFF0, 0x20]], documentCount: 300, lastDocs: [128, 0x10], "a second block wrapping 32 bits")
    }
}
