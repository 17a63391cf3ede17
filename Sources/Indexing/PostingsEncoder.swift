/// Writes one term's postings in blocks of `PostingsEncoder.blockSize` documents, the layout
/// `PostingCursor` reads.
///
/// Doc ids and frequencies (`docs` bytes):
/// ```
/// if more than one block, a skip table, one entry per block (little-endian):
///     u32 lastDoc  u32 blockEnd  [u32 positionsStart]  u16 maxTermFrequency  u16 minFieldLength
///     (positionsStart only for a term with positions; formats 6 and 7: all five u32, `SkipLayout.wide`)
/// then per block: u8 docWidth, docDeltas bit-packed; u8 tfWidth, (tf − 1) bit-packed
/// ```
/// Deltas are from the previous document (the first block's first from 0); `blockEnd` is the
/// offset just past the block, counted from the end of the skip table; `positionsStart` is where
/// the block's positions begin in the `positions` bytes. `maxTermFrequency` and `minFieldLength`
/// bound the BM25 score of any document in the block (it grows with the frequency and falls with
/// the length, for any k1 ≥ 0 and b in 0…1), which is what block-max pruning needs. The two bounds
/// saturate at 65,535 and stay bounds: a larger frequency is written as 65,535, which means "the
/// term's largest" (its dictionary entry's), and a longer field as 65,535, less than it is. A
/// single-block list has no skip table: its bounds are the term's own (in the dictionary entry).
///
/// Positions (`positions` bytes), apart, read only for phrases and proximity: per block, the
/// position deltas of its documents one after another (each document's first from 0), patched
/// frame of reference: u8 width, every delta's low `width` bits packed, v exceptionCount, then per
/// exception v (index − previous exception's index) and v (delta >> width). The width is the one
/// that makes the block smallest, so the few large gaps (a term's first occurrence deep in an
/// article) do not widen every small one.
public struct PostingsEncoder {
    public static let blockSize = 128

    /// Where a skip entry's values are.
    struct SkipLayout: Equatable {
        /// Bytes per entry.
        let size: Int
        /// Whether the entry holds `positionsStart` (after `blockEnd`).
        let hasPositions: Bool
        /// Whether the bounds are u32s (formats 6 and 7) rather than saturated u16s.
        let wideBounds: Bool

        /// Format 8: positions' start only where there are positions; bounds in u16s.
        static func compact(positions: Bool) -> SkipLayout {
            SkipLayout(size: positions ? 16 : 12, hasPositions: positions, wideBounds: false)
        }
        /// Formats 6 and 7: five u32s.
        static let wide = SkipLayout(size: 20, hasPositions: true, wideBounds: true)
    }
    /// A saturated u16 bound's "the term's largest frequency".
    static let saturated = UInt32(UInt16.max)

    /// The encoded list and its bounds over all blocks.
    public struct Encoded {
        public var docs: [UInt8]
        public var positions: [UInt8]
        public var maxTermFrequency: UInt32
        public var minFieldLength: UInt32
    }

    /// Encodes `list`; `fieldLength(doc)` gives each document's length in the term's field.
    /// Without `positions` (bigrams) only ids and frequencies are written.
    public static func encode(_ list: PostingList, positions withPositions: Bool, fieldLength: (Int) -> UInt32) -> Encoded {
        let df = list.documentFrequency
        precondition(df > 0, "an empty postings list is not written")
        let blockCount = (df + blockSize - 1) / blockSize
        var skips = BinaryWriter()
        if blockCount > 1 { skips.reserve(blockCount * SkipLayout.compact(positions: withPositions).size) }
        var blocks: [UInt8] = []
        var positions = BinaryWriter()
        var previous: UInt32 = 0
        var maxTf: UInt32 = 0, minLength = UInt32.max
        var deltas: [UInt32] = [], frequencies: [UInt32] = [], gaps: [UInt32] = []
        deltas.reserveCapacity(blockSize)
        frequencies.reserveCapacity(blockSize)
        for block in 0..<blockCount {
            let range = (block * blockSize)..<min(df, (block + 1) * blockSize)
            let positionsStart = positions.bytes.count
            deltas.removeAll(keepingCapacity: true)
            frequencies.removeAll(keepingCapacity: true)
            var blockMaxTf: UInt32 = 0, blockMinLength = UInt32.max
            for i in range {
                let doc = list.documents[i].rawValue
                precondition(i == 0 || doc > previous, "postings must ascend")
                deltas.append(doc - previous)
                previous = doc
                let tf = list.termFrequencies[i]
                precondition(tf > 0, "a posting has a frequency of at least 1")
                frequencies.append(tf - 1)
                blockMaxTf = max(blockMaxTf, tf)
                blockMinLength = min(blockMinLength, fieldLength(Int(doc)))
                if withPositions {
                    var last: UInt32 = 0
                    for position in list.positions(at: i) {
                        gaps.append(position - last)
                        last = position
                    }
                }
            }
            if withPositions {
                Self.packPositions(gaps, into: &positions)
                gaps.removeAll(keepingCapacity: true)
            }
            let docWidth = BitPacking.width(of: deltas), tfWidth = BitPacking.width(of: frequencies)
            blocks.append(UInt8(docWidth))
            BitPacking.pack(deltas, width: docWidth, into: &blocks)
            blocks.append(UInt8(tfWidth))
            BitPacking.pack(frequencies, width: tfWidth, into: &blocks)
            if blockCount > 1 {  // a single block has no skip table
                skips.u32(previous)
                skips.u32(UInt32(blocks.count))
                if withPositions { skips.u32(UInt32(positionsStart)) }
                skips.u16(UInt16(min(blockMaxTf, Self.saturated)))
                skips.u16(UInt16(min(blockMinLength, Self.saturated)))
            }
            maxTf = max(maxTf, blockMaxTf)
            minLength = min(minLength, blockMinLength)
        }
        if blockCount > 1 { skips.raw(blocks) }
        return Encoded(docs: blockCount > 1 ? skips.bytes : blocks, positions: positions.bytes, maxTermFrequency: maxTf, minFieldLength: minLength)
    }

    /// One block's position deltas, patched frame of reference (the layout above).
    static func packPositions(_ gaps: [UInt32], into w: inout BinaryWriter) {
        // Bytes for each width: the packed bits, plus about 3 bytes per exception.
        let best = withUnsafeTemporaryAllocation(of: Int.self, capacity: 33) { histogram -> Int in
            histogram.initialize(repeating: 0)
            for gap in gaps { histogram[gap == 0 ? 0 : 32 - gap.leadingZeroBitCount] += 1 }
            var best = 32, bestCost = Int.max
            var above = 0  // gaps wider than `width`
            for width in stride(from: 32, through: 0, by: -1) {
                let cost = (gaps.count * width + 7) / 8 + above * 3
                if cost < bestCost {
                    best = width
                    bestCost = cost
                }
                above += histogram[width]
            }
            return best
        }
        w.u8(UInt8(best))
        let mask: UInt32 = best == 32 ? .max : (1 << UInt32(best)) - 1
        w.packed(gaps.lazy.map { $0 & mask }, width: best)
        var exceptions = 0
        for gap in gaps where gap > mask { exceptions += 1 }
        w.varint(exceptions)
        var previous = 0
        for (i, gap) in gaps.enumerated() where gap > mask {
            w.varint(i - previous)
            w.varint(UInt64(gap >> UInt32(best)))
            previous = i
        }
    }
}
