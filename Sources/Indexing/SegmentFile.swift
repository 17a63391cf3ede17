/// The on-disk form of one segment: an immutable file of postings, stored fields and a term
/// dictionary, read through a memory map. Every block carries a CRC-32 that is checked when the
/// block is read, so damage is reported, never trusted; opening reads only the header, the
/// footer and the term dictionary's root.
///
/// Layout (integers little-endian; `v` = LEB128 varint; every `[…]+crc` block is followed by the
/// CRC-32 of its bytes):
/// ```
/// header  "CSEG" u32 formatVersion u32 analyzerVersion u32 fieldCount u32 docCount
/// per field, per term (ascending UTF-8), unless short enough to sit in its dictionary entry:
///         [ skip table, blocks of 128 bit-packed doc deltas and frequencies ]+crc
///         [ per block: packed position gaps ]+crc      positions, apart (read for phrases);
///                                                      none for the bigram field
///         (both laid out by `PostingsEncoder`)
/// per 16 docs [ v length, zlib(16 stored documents) ]+crc   title, author, where the body's
///                                                      lines are …, compressed together
///                                                      (`StoredDocument.encodeBlock`)
/// doc table, in blocks of 1024 entries: [ u64 recordBlockOffset × ⌈n / 16⌉ ]+crc, then u64 end offset
/// per field, in blocks of 1024 docs: [ u8 width, fieldLength × n bit-packed at width ]+crc
/// per field, term blocks of ≤ 64 terms:
///         [ { string term, v df, v maxTf, v minFieldLength, docs, positions } ]+crc, where docs
///         and positions are each
///         v (length << 1 | 1) + the bytes themselves (≤ 32 bytes, inline), or v (length << 1) + v offset
/// root    [ per field: v totalLength, v blockCount { string firstTerm, v offset, v length } ]+crc
/// footer  u64 rootOffset u64 rootLength u64 docTableOffset u64 fieldLengthsOffset
///         u32 crc(header + the four offsets) "GESC"
/// ```
public enum SegmentFile {
    public static let magic: [UInt8] = Array("CSEG".utf8)
    public static let endMagic: [UInt8] = Array("GESC".utf8)
    /// 4: short postings inline in the term dictionary. 5: postings in bit-packed blocks with a
    /// skip table and per-block score bounds; stored documents compressed. 6: positions packed
    /// per block (patched frame of reference). 7: stored documents without their body's text
    /// (an empty string; the lines are read back from the corpus file, `SourceFiles`). 8: stored
    /// documents compressed sixteen to a block, their line numbers as differences; field lengths
    /// bit-packed per block of 1024.
    public static let formatVersion: UInt32 = 8
    /// The oldest format still read: 6 is 7 with the bodies' text stored; 7 has a record per
    /// document (`recordsPerBlock(version:)`) and field lengths as u32s.
    public static let oldestReadableVersion: UInt32 = 6
    /// Postings (or positions) of at most this many bytes are stored in the dictionary entry.
    static let inlineLimit = 32
    static let headerSize = 20
    static let footerSize = 40
    static let docsPerBlock = 1024
    static let termsPerBlock = 64

    /// How many documents' records share a compressed block in a segment of `version`.
    static func recordsPerBlock(version: UInt32) -> Int { version >= 8 ? StoredDocument.recordsPerBlock : 1 }

    /// Serialises an in-memory index (one segment's documents, numbered from 0).
    public static func encode(_ index: InvertedIndex, analyzerVersion: UInt32) -> [UInt8] {
        var w = BinaryWriter()
        w.raw(magic)
        w.u32(formatVersion)
        w.u32(analyzerVersion)
        w.u32(UInt32(Field.allCases.count))
        w.u32(UInt32(index.documentCount))
        let header = w.bytes

        func sealBlock(_ start: Int) {
            let crc = CRC32.checksum(w.bytes[start...])
            w.u32(crc)
        }

        struct TermEntry {
            var term: String
            var df: Int
            var maxTf: UInt32
            var minLength: UInt32
            var docs: Storage
            var positions: Storage
        }
        /// Where a term's postings are: short lists ride in the dictionary entry itself (covered
        /// by the term block's CRC); longer ones are blocks of their own with their own CRC.
        enum Storage {
            case inline([UInt8])
            case block(Range<Int>)
        }
        func store(_ bytes: [UInt8]) -> Storage {
            if bytes.count <= inlineLimit { return .inline(bytes) }
            let start = w.bytes.count
            w.raw(bytes)
            let end = w.bytes.count
            sealBlock(start)
            return .block(start..<end)
        }
        var dictionaries: [[TermEntry]] = []
        for field in Field.allCases {
            var entries: [TermEntry] = []
            let terms = index.postings[Int(field.rawValue)]
            let lengths = index.fieldLengths[Int(field.rawValue)]
            // Ascending UTF-8 (each term's bytes made once, not once per comparison).
            let ordered = terms.keys.map { (term: $0, bytes: Array($0.utf8)) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
            for (term, _) in ordered {
                let list = terms[term]!
                let encoded = PostingsEncoder.encode(list, positions: field.hasPositions) { lengths[$0] }
                entries.append(TermEntry(
                    term: term, df: list.documentFrequency, maxTf: encoded.maxTermFrequency, minLength: encoded.minFieldLength,
                    docs: store(encoded.docs), positions: field.hasPositions ? store(encoded.positions) : .inline([])))
            }
            dictionaries.append(entries)
        }
        var recordOffsets: [Int] = []
        for first in stride(from: 0, to: index.documents.count, by: StoredDocument.recordsPerBlock) {
            recordOffsets.append(w.bytes.count)
            let start = w.bytes.count
            StoredDocument.encodeBlock(index.documents[first..<min(index.documents.count, first + StoredDocument.recordsPerBlock)], into: &w)
            sealBlock(start)
        }
        let recordsEnd = w.bytes.count
        let docTableOffset = w.bytes.count
        for blockStart in stride(from: 0, to: recordOffsets.count, by: docsPerBlock) {
            let start = w.bytes.count
            for offset in recordOffsets[blockStart..<min(recordOffsets.count, blockStart + docsPerBlock)] { w.u64(UInt64(offset)) }
            sealBlock(start)
        }
        w.u64(UInt64(recordsEnd))
        let fieldLengthsOffset = w.bytes.count
        for field in Field.allCases {
            let lengths = index.fieldLengths[Int(field.rawValue)]
            for blockStart in stride(from: 0, to: lengths.count, by: docsPerBlock) {
                let start = w.bytes.count
                let block = lengths[blockStart..<min(lengths.count, blockStart + docsPerBlock)]
                let width = BitPacking.width(of: block)
                w.u8(UInt8(width))
                w.packed(block, width: width)
                sealBlock(start)
            }
        }
        var root = BinaryWriter()
        for (f, entries) in dictionaries.enumerated() {
            let total = index.fieldLengths[f].reduce(0) { $0 + Int($1) }
            root.varint(total)
            let blocks = stride(from: 0, to: entries.count, by: termsPerBlock).map { entries[$0..<min(entries.count, $0 + termsPerBlock)] }
            root.varint(blocks.count)
            for block in blocks {
                let start = w.bytes.count
                for entry in block {
                    w.string(entry.term)
                    w.varint(entry.df)
                    w.varint(Int(entry.maxTf))
                    w.varint(Int(entry.minLength))
                    for storage in [entry.docs, entry.positions] {
                        switch storage {
                        case .inline(let bytes):
                            w.varint(bytes.count << 1 | 1)
                            w.raw(bytes)
                        case .block(let range):
                            w.varint(range.count << 1)
                            w.varint(range.lowerBound)
                        }
                    }
                }
                let end = w.bytes.count
                sealBlock(start)
                root.string(block.first!.term)
                root.varint(start)
                root.varint(end - start)
            }
        }
        let rootOffset = w.bytes.count
        w.raw(root.bytes)
        sealBlock(rootOffset)
        var footer = BinaryWriter()
        footer.u64(UInt64(rootOffset))
        footer.u64(UInt64(root.bytes.count))
        footer.u64(UInt64(docTableOffset))
        footer.u64(UInt64(fieldLengthsOffset))
        w.raw(footer.bytes)
        w.u32(CRC32.checksum(header + footer.bytes))
        w.raw(endMagic)
        return w.bytes
    }
}
