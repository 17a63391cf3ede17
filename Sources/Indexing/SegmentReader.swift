import Foundation

/// Reads a segment file through a memory map. Opening checks the header, the footer and the
/// term dictionary's root; everything else is checked block by block on first use.
///
/// Safe to share between threads: its caches (decoded term blocks, verified field lengths, the
/// block of stored documents inflated last) are behind a lock.
public final class SegmentReader: @unchecked Sendable {
    public let file: MappedFile
    public let documentCount: Int
    /// Sum of each field's lengths over all documents (deleted ones included).
    public let totalFieldLengths: [Int]


    public struct TermInfo: Sendable, Equatable {
        public var documentFrequency: Int
        /// Bounds over the term's postings: the largest frequency, the smallest field length.
        public var maxTermFrequency: UInt32
        public var minFieldLength: UInt32
        var docs: Storage
        var positions: Storage
    }

    /// Postings bytes: inline in the (already checked) term block, or a block of their own.
    enum Storage: Sendable, Equatable {
        case inline([UInt8])
        case block(Range<Int>)

        var isEmpty: Bool {
            switch self {
            case .inline(let bytes): bytes.isEmpty
            case .block(let range): range.isEmpty
            }
        }
    }

    /// Per field, its term blocks: their first terms and where they are.
    private let roots: [(firstTerms: SortedKeys, ranges: [Range<Int>])]
    private let docTableOffset: Int
    private let fieldLengthsOffset: Int
    private let rootOffset: Int
    /// Format 8: field lengths bit-packed per block rather than u32s, skip entries compact
    /// (`PostingsEncoder.SkipLayout`).
    private let packedLengths: Bool
    /// A decoded term dictionary block: its terms (ascending) and their entries, side by side.
    private final class TermBlock {
        let terms: SortedKeys
        let infos: [TermInfo]
        init(_ entries: [(term: [UInt8], info: TermInfo)]) {
            terms = SortedKeys(entries.lazy.map(\.term))
            infos = entries.map(\.info)
        }
    }
    /// Decoded term blocks and verified field lengths, kept once read. A reader is shared by
    /// the threads searching its snapshot, so they are behind `lock`. (Which other blocks were
    /// verified the mapping remembers, behind its own lock.)
    private var termBlocks: [Int: TermBlock] = [:]
    private var lengths: [FieldLengths?] = Array(repeating: nil, count: Field.allCases.count)
    /// The block of stored documents read last, inflated: a merge reads a segment's documents
    /// in order, sixteen from each block.
    private var lastRecords: InflatedRecords?
    private struct InflatedRecords {
        var block: Int
        var plain: [UInt8]
        var records: [Range<Int>]
    }
    private let lock = NSLock()
    /// Documents whose records share a compressed block (1 before format 8).
    private let recordsPerBlock: Int

    public init(path: String, analyzerVersion: UInt32) throws {
        file = try MappedFile(path: path)
        let size = file.count
        guard size >= SegmentFile.headerSize + SegmentFile.footerSize else {
            throw file.damaged("truncated: \(size) bytes is shorter than a header and a footer")
        }
        let header = try file.bytes(0..<SegmentFile.headerSize)
        guard Array(header[0..<4]) == SegmentFile.magic else { throw file.damaged("not a segment file (bad magic)") }
        var h = BinaryReader(header, file: path, offset: 4)
        let version = try h.u32()
        guard version <= SegmentFile.formatVersion else {
            throw IndexError.unsupportedVersion(file: path, found: version, supported: SegmentFile.formatVersion)
        }
        let footer = try file.bytes((size - SegmentFile.footerSize)..<size)
        guard Array(footer[36..<40]) == SegmentFile.endMagic else { throw file.damaged("truncated (end marker missing)") }
        var f = BinaryReader(footer, file: path)
        // As read, until the checksum holds and each is within the file: a damaged one may not fit an Int.
        let offsets = [try f.u64(), try f.u64(), try f.u64(), try f.u64()]
        let storedCRC = try f.u32()
        guard CRC32.checksum(Array(header) + Array(footer[0..<32])) == storedCRC else {
            throw file.damaged("checksum mismatch in the header or footer")
        }
        guard offsets.allSatisfy({ $0 <= size }) else { throw file.damaged("footer offsets out of range") }
        let rootOffset = Int(offsets[0]), rootLength = Int(offsets[1])
        docTableOffset = Int(offsets[2])
        fieldLengthsOffset = Int(offsets[3])
        guard version >= SegmentFile.oldestReadableVersion else {
            throw IndexError.unsupportedVersion(file: path, found: version, supported: SegmentFile.formatVersion)
        }
        recordsPerBlock = SegmentFile.recordsPerBlock(version: version)
        packedLengths = version >= 8
        self.rootOffset = rootOffset
        let analyzer = try h.u32()
        guard analyzer == analyzerVersion else {
            throw IndexError.staleAnalyzer(file: path, found: analyzer, current: analyzerVersion)
        }
        guard try h.u32() == UInt32(Field.allCases.count) else { throw file.damaged("unexpected field count") }
        documentCount = Int(try h.u32())
        let rootEnd = rootOffset + rootLength
        guard rootOffset >= SegmentFile.headerSize, rootEnd + 4 <= size - SegmentFile.footerSize,
            docTableOffset <= fieldLengthsOffset, fieldLengthsOffset <= rootOffset
        else { throw file.damaged("footer offsets out of range") }
        // The doc table holds an entry per block of records, then the records' end: a document
        // count it does not fit is damage, found here, before anything is sized by the count
        // (unpacked field lengths, a snapshot's places: gigabytes for a count of 2^32 − 1).
        let recordBlocks = (documentCount + recordsPerBlock - 1) / recordsPerBlock
        let tableBlocks = (recordBlocks + SegmentFile.docsPerBlock - 1) / SegmentFile.docsPerBlock
        guard fieldLengthsOffset - docTableOffset == recordBlocks * 8 + tableBlocks * 4 + 8 else {
            throw file.damaged("the document table does not fit \(documentCount) documents")
        }
        var r = BinaryReader(try file.checkedBytes(rootOffset..<rootEnd, what: "the term dictionary root"), file: path)
        var roots: [(firstTerms: SortedKeys, ranges: [Range<Int>])] = []
        var totals: [Int] = []
        for _ in Field.allCases {
            totals.append(try r.count(max: Int.max))
            var firstTerms = SortedKeys(), ranges: [Range<Int>] = []
            for _ in 0..<(try r.count()) {
                firstTerms.append(try r.stringBytes())
                let offset = try r.count(max: size), length = try r.count(max: size)
                ranges.append(offset..<(offset + length))
            }
            roots.append((firstTerms, ranges))
        }
        self.roots = roots
        totalFieldLengths = totals
    }

    deinit {
        for unpacked in lengths { unpacked?.values.deallocate() }
    }

    // MARK: Terms

    /// The term's statistics and where its postings are, or nil when the segment lacks it.
    public func lookup(_ term: String, in field: Field) throws -> TermInfo? {
        var term = term
        return try term.withUTF8 { try lookup(UnsafeRawBufferPointer($0), in: field) }
    }

    private func lookup(_ key: UnsafeRawBufferPointer, in field: Field) throws -> TermInfo? {
        // The last block whose first term ≤ key.
        let blocksAtMost = roots[Int(field.rawValue)].firstTerms.countNotAbove(key)
        guard blocksAtMost > 0 else { return nil }
        let blockIndex = blocksAtMost - 1
        let cacheKey = Int(field.rawValue) << 40 | blockIndex
        let block: TermBlock
        lock.lock()
        let cached = termBlocks[cacheKey]
        lock.unlock()
        if let cached {
            block = cached
        } else {
            block = TermBlock(try decodeTermBlock(roots[Int(field.rawValue)].ranges[blockIndex]))
            lock.lock()
            termBlocks[cacheKey] = block
            lock.unlock()
        }
        return block.terms.index(of: key).map { block.infos[$0] }
    }

    /// Every term of a field with its statistics, ascending (for merging).
    public func terms(in field: Field) throws -> [(term: String, info: TermInfo)] {
        var result: [(String, TermInfo)] = []
        for range in roots[Int(field.rawValue)].ranges {
            for entry in try decodeTermBlock(range) {
                result.append((String(decoding: entry.term, as: UTF8.self), entry.info))
            }
        }
        return result
    }

    private func decodeTermBlock(_ range: Range<Int>) throws -> [(term: [UInt8], info: TermInfo)] {
        var r = BinaryReader(try file.checkedBytes(range, what: "a term dictionary block"), file: file.path)
        var entries: [(term: [UInt8], info: TermInfo)] = []
        while !r.isAtEnd {
            let term = Array(try r.stringBytes())
            let df = try r.count(max: documentCount)
            let maxTf = UInt32(try r.count(max: Int(UInt32.max))), minLength = UInt32(try r.count(max: Int(UInt32.max)))
            var storages: [Storage] = []
            for _ in 0..<2 {
                let packed = try r.count(max: Int.max)
                let length = packed >> 1
                guard length <= file.count else { throw file.damaged("implausible postings length") }
                if packed & 1 == 1 {
                    guard length <= SegmentFile.inlineLimit else { throw file.damaged("inline postings too long") }
                    storages.append(.inline(Array(try r.bytes(length))))
                } else {
                    let offset = try r.count(max: file.count)
                    storages.append(.block(offset..<(offset + length)))
                }
            }
            entries.append((term, TermInfo(
                documentFrequency: df, maxTermFrequency: maxTf, minFieldLength: minLength, docs: storages[0], positions: storages[1])))
        }
        return entries
    }

    /// A cursor over a term's postings (blocks checked on first use).
    public func cursor(_ info: TermInfo, positions wantPositions: Bool = true) throws -> PostingCursor {
        try PostingCursor(
            file: file, documentFrequency: info.documentFrequency, maxTermFrequency: info.maxTermFrequency,
            minFieldLength: info.minFieldLength, documentCount: documentCount, docs: info.docs,
            positions: wantPositions ? info.positions : .inline([]),
            skips: packedLengths ? .compact(positions: !info.positions.isEmpty) : .wide)
    }

    /// Decodes a term's whole postings list (doc ids local to this segment).
    public func postings(_ info: TermInfo, positions wantPositions: Bool = true) throws -> PostingList {
        var list = PostingList()
        list.documents.reserveCapacity(info.documentFrequency)
        list.termFrequencies.reserveCapacity(info.documentFrequency)
        list.positionStarts.reserveCapacity(info.documentFrequency + 1)
        let cursor = try self.cursor(info, positions: wantPositions)
        var buffer: [UInt32] = []
        while try cursor.next() != PostingCursor.end {
            list.documents.append(DocID(cursor.doc))
            list.termFrequencies.append(UInt32(cursor.termFrequency))
            if wantPositions && !info.positions.isEmpty {
                try cursor.positions(into: &buffer)
                list.positions.append(contentsOf: buffer)
            }
            list.positionStarts.append(UInt32(list.positions.count))
        }
        guard list.documents.count == info.documentFrequency else { throw file.damaged("a postings list holds \(list.documents.count) documents, its entry says \(info.documentFrequency)") }
        return list
    }

    /// One field's lengths, verified and unpacked once (the first call), then read without
    /// checks: the hot path of scoring.
    public func fieldLengths(_ field: Field) throws -> FieldLengths {
        let f = Int(field.rawValue)
        lock.lock()
        let known = lengths[f]
        lock.unlock()
        if let known { return known }
        let values = UnsafeMutablePointer<UInt32>.allocate(capacity: max(1, documentCount))
        do {
            try unpackFieldLengths(f, into: values)
        } catch {
            values.deallocate()
            throw error
        }
        lock.lock()
        defer { lock.unlock() }
        if let known = lengths[f] {  // another thread unpacked them meanwhile
            values.deallocate()
            return known
        }
        let unpacked = FieldLengths(values: values)
        lengths[f] = unpacked
        return unpacked
    }

    /// Field `f`'s lengths, checked block by block: from format 8 each block of 1024 is a width
    /// and the lengths bit-packed at it, before that 1024 u32s.
    private func unpackFieldLengths(_ f: Int, into values: UnsafeMutablePointer<UInt32>) throws {
        let blockCount = (documentCount + SegmentFile.docsPerBlock - 1) / SegmentFile.docsPerBlock
        func count(_ block: Int) -> Int { min(SegmentFile.docsPerBlock, documentCount - block * SegmentFile.docsPerBlock) }
        guard packedLengths else {
            let start = fieldLengthsOffset + f * (documentCount * 4 + blockCount * 4)
            for block in 0..<blockCount {
                let blockStart = start + block * (SegmentFile.docsPerBlock * 4 + 4)
                let bytes = try file.checkedBytes(blockStart..<(blockStart + count(block) * 4), what: "field lengths")
                for i in 0..<count(block) {
                    values[block * SegmentFile.docsPerBlock + i] = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                }
            }
            return
        }
        // The fields' blocks follow one another; each block's size comes from its width.
        var at = fieldLengthsOffset
        for field in 0...f {
            for block in 0..<blockCount {
                let width = Int(try file.bytes(at..<(at + 1))[0])
                guard width <= 32 else { throw file.damaged("field lengths packed \(width) bits wide") }
                let end = at + 1 + BitPacking.byteCount(count: count(block), width: width)
                guard end + 4 <= rootOffset else { throw file.damaged("field lengths past their end") }
                if field == f {
                    let bytes = try file.checkedBytes(at..<end, what: "field lengths")
                    BitPacking.unpack(bytes.baseAddress! + 1, count: count(block), width: width, into: values + block * SegmentFile.docsPerBlock)
                }
                at = end + 4
            }
        }
    }

    // MARK: Documents

    public func fieldLength(_ doc: Int, _ field: Field) throws -> Int {
        guard doc >= 0 && doc < documentCount else { throw file.damaged("document \(doc) out of range") }
        return Int(try fieldLengths(field)[doc])
    }

    public func document(_ doc: Int) throws -> StoredDocument {
        guard doc >= 0 && doc < documentCount else { throw file.damaged("document \(doc) out of range") }
        let block = doc / recordsPerBlock
        let start = try recordBlockOffset(block)
        let end = block + 1 < recordBlockCount ? try recordBlockOffset(block + 1) - 4 : try recordsEnd() - 4
        guard start <= end else { throw file.damaged("stored document \(doc) has a negative length") }
        var r = BinaryReader(try file.checkedBytes(start..<end, what: "stored document \(doc)"), file: file.path)
        guard recordsPerBlock > 1 else { return try StoredDocument.decodeFormat7Record(from: &r) }
        let inflated: InflatedRecords
        lock.lock()
        let last = lastRecords
        lock.unlock()
        if let last, last.block == block {
            inflated = last
        } else {
            let (plain, records) = try StoredDocument.inflateBlock(from: &r)
            let expected = min(recordsPerBlock, documentCount - block * recordsPerBlock)
            guard records.count == expected else {
                throw file.damaged("a block of stored documents holds \(records.count) records, not \(expected)")
            }
            inflated = InflatedRecords(block: block, plain: plain, records: records)
            lock.lock()
            lastRecords = inflated
            lock.unlock()
        }
        return try StoredDocument.decode(inflated.plain, inflated.records[doc - block * recordsPerBlock], file: file.path)
    }

    private var recordBlockCount: Int { (documentCount + recordsPerBlock - 1) / recordsPerBlock }

    private func recordBlockOffset(_ recordBlock: Int) throws -> Int {
        let block = recordBlock / SegmentFile.docsPerBlock
        let blockStart = docTableOffset + block * (SegmentFile.docsPerBlock * 8 + 4)
        let n = min(SegmentFile.docsPerBlock, recordBlockCount - block * SegmentFile.docsPerBlock)
        let bytes = try file.checkedBytes(blockStart..<(blockStart + n * 8), what: "the document table")
        var r = BinaryReader(bytes, file: file.path, offset: (recordBlock - block * SegmentFile.docsPerBlock) * 8)
        let offset = try r.u64()  // compared as read: a damaged one may not fit an Int
        guard offset >= SegmentFile.headerSize && offset < docTableOffset else { throw file.damaged("document table entry out of range") }
        return Int(offset)
    }

    private func recordsEnd() throws -> Int {
        let tableBlocks = (recordBlockCount + SegmentFile.docsPerBlock - 1) / SegmentFile.docsPerBlock
        let at = docTableOffset + recordBlockCount * 8 + tableBlocks * 4
        var r = BinaryReader(try file.bytes(at..<(at + 8)), file: file.path)
        let end = try r.u64()  // under no checksum: compared before it becomes an Int
        guard end <= docTableOffset else { throw file.damaged("end of the stored documents out of range") }
        return Int(end)
    }
}

/// A field's lengths in one segment, verified and unpacked, one per document. Valid while its
/// `SegmentReader` is alive (the reader owns the memory; the scoring loop copies a pointer, with
/// nothing to retain).
public struct FieldLengths: @unchecked Sendable {
    let values: UnsafePointer<UInt32>

    init(values: UnsafeMutablePointer<UInt32>) { self.values = UnsafePointer(values) }

    @inline(__always)
    public subscript(doc: Int) -> UInt32 { values[doc] }
}
