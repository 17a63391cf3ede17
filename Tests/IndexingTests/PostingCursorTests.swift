import Foundation
import Testing
@testable import Indexing

/// The postings codec: bit packing round trips, and a cursor over encoded blocks against the
/// plain list it came from (walks, seeks, positions, block bounds).
@Suite struct PostingCursorTests {
    @Test(arguments: 0...32)
    func bitPackingRoundTrips(width: Int) {
        var random = SplitMix(seed: UInt64(width) + 1)
        for count in [0, 1, 7, 8, 127, 128] {
            let values: [UInt32] = (0..<count).map { _ in
                width == 0 ? 0 : UInt32(truncatingIfNeeded: random.next()) >> UInt32(32 - width)
            }
            var bytes: [UInt8] = []
            BitPacking.pack(values, width: width, into: &bytes)
            #expect(bytes.count == BitPacking.byteCount(count: count, width: width))
            #expect(BitPacking.width(of: values) <= width)
            var decoded = [UInt32](repeating: 99, count: count)
            bytes.withUnsafeBytes { raw in
                decoded.withUnsafeMutableBufferPointer { out in
                    BitPacking.unpack(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: count, width: width, into: out.baseAddress!)
                }
            }
            #expect(decoded == values)
            // One value at a time (a document's positions alone), up to the last byte.
            let single = bytes.withUnsafeBytes { raw in
                (0..<count).map { BitPacking.value(at: $0, width: width, in: raw.baseAddress!, byteCount: raw.count) }
            }
            #expect(single == values)
        }
    }

    /// A one-term segment holding `list` in the body field, read back.
    static func segment(_ list: PostingList, documentCount: Int, lengths: [UInt32]) throws -> (SegmentReader, SegmentReader.TermInfo, String) {
        var index = InvertedIndex()
        for d in 0..<documentCount {
            index.documents.append(StoredDocument(
                key: "f#\(d)", file: "f.txt", title: "", subtitle: nil, titleIsDerived: true, author: nil, affiliation: nil,
                lineStart: 0, lineEnd: 0, lineRanges: [], body: "", bodyLines: []))
            for f in Field.allCases { index.fieldLengths[Int(f.rawValue)].append(lengths[d]) }
        }
        index.postings[Int(Field.body.rawValue)]["词"] = list
        let path = try SegmentFileTests.temporaryFile(SegmentFile.encode(index, analyzerVersion: 1))
        let reader = try SegmentReader(path: path, analyzerVersion: 1)
        return (reader, try #require(try reader.lookup("词", in: .body)), path)
    }

    static func randomList(documentFrequency df: Int, documentCount: Int, seed: UInt64) -> PostingList {
        var random = SplitMix(seed: seed)
        var docs = Set<Int>()
        while docs.count < df { docs.insert(Int(random.next() % UInt64(documentCount))) }
        var list = PostingList()
        for doc in docs.sorted() {
            let tf = 1 + Int(random.next() % (random.next() % 5 == 0 ? 300 : 4))
            var positions: [UInt32] = []
            var p: UInt32 = 0
            for _ in 0..<tf {
                p += UInt32(random.next() % (random.next() % 9 == 0 ? 100_000 : 20)) + (positions.isEmpty ? 0 : 1)
                positions.append(p)
            }
            list.append(DocID(doc), positions: positions)
        }
        return list
    }

    @Test(arguments: [1, 2, 127, 128, 129, 256, 1000, 5000])
    func cursorAgreesWithThePlainList(documentFrequency df: Int) throws {
        let n = max(df * 3, 10)
        let list = Self.randomList(documentFrequency: df, documentCount: n, seed: UInt64(df))
        var random = SplitMix(seed: 42)
        let lengths = (0..<n).map { _ in UInt32(1 + random.next() % 3000) }
        let (reader, info, path) = try Self.segment(list, documentCount: n, lengths: lengths)
        defer { unlink(path) }
        #expect(info.maxTermFrequency == list.termFrequencies.max())
        #expect(info.minFieldLength == list.documents.map { lengths[$0.index] }.min())
        #expect(try reader.postings(info) == list)

        // A full walk.
        let walk = try reader.cursor(info)
        #expect(walk.doc == -1)
        var buffer: [UInt32] = []
        for i in 0..<df {
            #expect(try walk.next() == list.documents[i].index)
            #expect(walk.termFrequency == Int(list.termFrequencies[i]))
            // Positions of every other document only: skipping some must not disturb the rest.
            if i % 2 == 0 {
                try walk.positions(into: &buffer)
                #expect(buffer[...] == list.positions(at: i))
            }
        }
        #expect(try walk.next() == PostingCursor.end)
        #expect(try walk.next() == PostingCursor.end)

        // Seeks to random increasing targets land on the first document ≥ the target, and the
        // block bounds hold for every posting up to their last document.
        for trial in 0..<20 {
            let seek = try reader.cursor(info)
            var target = 0
            var gen = SplitMix(seed: UInt64(trial))
            while target < n + 2 {
                let bounds = seek.blockBounds(at: target)
                let expected = list.documents.firstIndex { $0.index >= target }
                #expect(try seek.advance(to: target) == (expected.map { list.documents[$0].index } ?? PostingCursor.end))
                if let i = expected {
                    let b = try #require(bounds)
                    #expect(list.documents[i].index <= b.lastDoc)
                    #expect(Int(list.termFrequencies[i]) <= Int(b.maxTermFrequency))
                    #expect(lengths[list.documents[i].index] >= b.minFieldLength)
                    #expect(seek.termFrequency == Int(list.termFrequencies[i]))
                    try seek.positions(into: &buffer)
                    #expect(buffer[...] == list.positions(at: i))
                } else {
                    #expect(bounds == nil || bounds!.lastDoc == n - 1)
                }
                target += 1 + Int(gen.next() % UInt64(max(1, n / (trial % 4 == 0 ? 3 : 40))))
            }
            // Seeking backwards does not move.
            #expect(try seek.advance(to: 0) == seek.doc)
        }
    }

    @Test(arguments: [3, 300])
    func nextAfterTheEndStaysAtTheEnd(documentFrequency df: Int) throws {
        let n = df * 3
        let list = Self.randomList(documentFrequency: df, documentCount: n, seed: 9)
        let (reader, info, path) = try Self.segment(list, documentCount: n, lengths: Array(repeating: 5, count: n))
        defer { unlink(path) }
        let cursor = try reader.cursor(info)
        _ = try cursor.next()
        #expect(try cursor.advance(to: n + 5) == PostingCursor.end)
        #expect(try cursor.next() == PostingCursor.end)
    }
}
