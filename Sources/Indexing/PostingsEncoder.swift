/// Writes one term's postings in blocks of `PostingsEncoder.blockSize` documents, the layout
/// `PostingCursor` reads.
///
/// Doc ids and frequencies (`docs` bytes):
/// ```
/// if more than one block, a skip table, one entry per block (u32 little-endian each):
///     lastDoc  blockEnd  positionsStart  maxTermFrequency  minFieldLength
/// then per block: u8 docWidth, docDeltas bit-packed; u8 tfWidth, (tf − 1) bit-packed
/// ```
/// Deltas are from the previous document (the first block's first from 0); `blockEnd` is the
/// offset just past the block, counted from the end of the skip table; `positionsStart` is where
/// the block's positions begin in the `positions` bytes. `maxTermFrequency` and `minFieldLength`
/// bound the BM25 score of any document in the block (it grows with the frequency and falls with
/// the length, for any k1 ≥ 0 and b in 0…1), which is what block-max pruning needs. A single-block list
/// has no skip table: its bounds are the term's own (in the dictionary entry).
///
/// Positions (`positions` bytes), apart, read only for phrases and proximity: per document its
/// `tf` positions as LEB128 deltas (the first from 0).
public struct PostingsEncoder {
    public static let blockSize = 128
    static let skipEntrySize = 20

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
        var skips: [UInt32] = []
        var blocks: [UInt8] = []
        var positions = BinaryWriter()
        var previous: UInt32 = 0
        var maxTf: UInt32 = 0, minLength = UInt32.max
        var deltas: [UInt32] = [], frequencies: [UInt32] = []
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
                        positions.varint(UInt64(position - last))
                        last = position
                    }
                }
            }
            let docWidth = BitPacking.width(of: deltas), tfWidth = BitPacking.width(of: frequencies)
            blocks.append(UInt8(docWidth))
            BitPacking.pack(deltas, width: docWidth, into: &blocks)
            blocks.append(UInt8(tfWidth))
            BitPacking.pack(frequencies, width: tfWidth, into: &blocks)
            skips += [previous, UInt32(blocks.count), UInt32(positionsStart), blockMaxTf, blockMinLength]
            maxTf = max(maxTf, blockMaxTf)
            minLength = min(minLength, blockMinLength)
        }
        var docs = BinaryWriter()
        if blockCount > 1 { for value in skips { docs.u32(value) } }
        docs.raw(blocks)
        return Encoded(docs: docs.bytes, positions: positions.bytes, maxTermFrequency: maxTf, minFieldLength: minLength)
    }
}
