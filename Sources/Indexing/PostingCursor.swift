/// A forward-only cursor over one term's postings in one segment (the blocks `PostingsEncoder`
/// writes), decoding a block of 128 ids and frequencies at a time into buffers it owns: no
/// allocation per posting, and blocks a seek jumps over are never decoded.
///
/// Contract (as tantivy's `DocSet`): `doc` is −1 before the first move and `PostingCursor.end`
/// after the last posting; `next()` and `advance(to:)` only move forward and return the new
/// `doc`; `advance(to:)` lands on the first document ≥ the target. `termFrequency` and
/// `positions(into:)` describe the current document. Damaged bytes throw `IndexError.damaged`.
public final class PostingCursor {
    /// The sentinel past the last posting.
    public static let end = Int.max

    public let documentFrequency: Int
    /// The largest frequency and the smallest field length of any posting (score bounds).
    public let maxTermFrequency: UInt32
    public let minFieldLength: UInt32
    public private(set) var doc: Int {
        get { window.pointee.doc }
        set { window.pointee.doc = newValue }
    }

    /// The cursor's place in its decoded block, in memory the cursor owns: a caller in another
    /// module moves within the block and reads the frequency inline, with no call and no dynamic
    /// exclusivity check (which reading a stored property of the cursor from there pays). Its
    /// members change only through its methods and the cursor's.
    public struct Window {
        /// As the cursor's `doc`.
        public var doc = -1
        /// The current posting in the block, and how many the block holds (0: none decoded yet).
        public var index = 0
        public var count = 0
        public let ids: UnsafeMutablePointer<UInt32>
        public let frequencies: UnsafeMutablePointer<UInt32>

        /// Moves to the first posting whose document is ≥ `target` when the decoded block holds
        /// one, and returns its document (the current one if it is ≥ `target` already); nil when
        /// the block ends before `target`: then `PostingCursor.advance(to:)` moves on.
        @inlinable @inline(__always)
        public mutating func advanceInBlock(to target: Int) -> Int? {
            guard target > doc else { return doc }
            guard count > 0, Int(ids[count - 1]) >= target else { return nil }
            var i = index
            while Int(ids[i]) < target { i += 1 }
            index = i
            doc = Int(ids[i])
            return doc
        }

        /// The current document's frequency (only while on a document).
        @inlinable @inline(__always)
        public var termFrequency: Int { Int(frequencies[index]) }
    }
    public let window: UnsafeMutablePointer<Window>

    private let file: MappedFile
    private let docs: UnsafeRawBufferPointer
    private let positionBytes: UnsafeRawBufferPointer
    /// Copies of postings that sat inline in a term dictionary block.
    private let owned: [UnsafeMutableRawBufferPointer]
    private let documentCount: Int
    private let blockCount: Int
    private let blocksStart: Int
    private let skips: PostingsEncoder.SkipLayout

    @exclusivity(unchecked) private var block = -1
    private var count: Int {
        get { window.pointee.count }
        set { window.pointee.count = newValue }
    }
    private var index: Int {
        get { window.pointee.index }
        set { window.pointee.index = newValue }
    }
    private let ids: UnsafeMutablePointer<UInt32>
    private let frequencies: UnsafeMutablePointer<UInt32>

    /// The block whose positions are decoded (−1: none): every document's position gaps, one
    /// document after another (where each document's begin: `gapStarts`).
    @exclusivity(unchecked) private var positionsBlock = -1
    @exclusivity(unchecked) private var gaps: [UInt32] = []
    @exclusivity(unchecked) private var gapStarts: [Int] = []

    init(file: MappedFile, documentFrequency: Int, maxTermFrequency: UInt32, minFieldLength: UInt32, documentCount: Int,
         docs: SegmentReader.Storage, positions: SegmentReader.Storage, skips: PostingsEncoder.SkipLayout) throws {
        self.file = file
        self.documentFrequency = documentFrequency
        self.maxTermFrequency = maxTermFrequency
        self.minFieldLength = minFieldLength
        self.documentCount = documentCount
        var owned: [UnsafeMutableRawBufferPointer] = []
        func view(_ storage: SegmentReader.Storage, _ what: String) throws -> UnsafeRawBufferPointer {
            switch storage {
            case .block(let range): return try file.checkedBytes(range, what: what)
            case .inline(let bytes):
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 8)
                copy.copyBytes(from: bytes)
                owned.append(copy)
                return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<bytes.count])
            }
        }
        let blockCount = (documentFrequency + PostingsEncoder.blockSize - 1) / PostingsEncoder.blockSize
        let blocksStart = blockCount > 1 ? blockCount * skips.size : 0
        do {
            self.docs = try view(docs, "a postings block")
            self.positionBytes = try view(positions, "a positions block")
            guard documentFrequency > 0, blocksStart <= self.docs.count else { throw file.damaged("postings shorter than their skip table") }
        } catch {
            for buffer in owned { buffer.deallocate() }
            throw error
        }
        self.owned = owned
        self.skips = skips
        self.blockCount = blockCount
        self.blocksStart = blocksStart
        ids = .allocate(capacity: PostingsEncoder.blockSize)
        frequencies = .allocate(capacity: PostingsEncoder.blockSize)
        window = .allocate(capacity: 1)
        window.initialize(to: Window(ids: ids, frequencies: frequencies))
    }

    deinit {
        ids.deallocate()
        frequencies.deallocate()
        window.deallocate()
        for buffer in owned { buffer.deallocate() }
    }

    // MARK: Skip table

    @inline(__always)
    private func skipU32(_ block: Int, at offset: Int) -> UInt32 {
        docs.loadUnaligned(fromByteOffset: block * skips.size + offset, as: UInt32.self).littleEndian
    }

    /// Where `block` ends, counted from the end of the skip table.
    @inline(__always)
    private func blockEnd(_ block: Int) -> Int { Int(skipU32(block, at: 4)) }

    /// Where `block`'s positions begin in the term's positions.
    @inline(__always)
    private func positionsStart(_ block: Int) -> Int { skips.hasPositions ? Int(skipU32(block, at: 8)) : 0 }

    /// The last document of `block` (for a single block: the segment's last id, a valid bound).
    @inline(__always)
    private func lastDoc(_ block: Int) -> Int {
        blockCount == 1 ? documentCount - 1 : Int(skipU32(block, at: 0))
    }

    /// The score bounds of the block holding the first posting ≥ `target`, without decoding it:
    /// its last document (bounds hold up to there), largest frequency and smallest field length.
    /// Nil past the last posting.
    public func blockBounds(at target: Int) -> (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? {
        if blockCount == 1 { return target <= documentCount - 1 ? (documentCount - 1, maxTermFrequency, minFieldLength) : nil }
        guard let b = firstBlock(atLeast: target, from: max(block, 0)) else { return nil }
        if skips.wideBounds { return (Int(skipU32(b, at: 0)), skipU32(b, at: 12), skipU32(b, at: 16)) }
        let bounds = skipU32(b, at: skips.size - 4)
        let frequency = bounds & 0xFFFF, length = bounds >> 16
        return (Int(skipU32(b, at: 0)), frequency == PostingsEncoder.saturated ? maxTermFrequency : frequency, length)
    }

    /// The first block from `start` whose last document is ≥ `target` (galloping, then binary search).
    private func firstBlock(atLeast target: Int, from start: Int) -> Int? {
        guard start < blockCount else { return nil }
        if lastDoc(start) >= target { return start }
        var low = start + 1, step = 1
        var high = low
        while high < blockCount && lastDoc(high) < target {
            low = high + 1
            step *= 2
            high = start + step
        }
        high = min(high, blockCount - 1)
        guard low <= high, lastDoc(high) >= target else { return nil }
        while low < high {
            let mid = (low + high) / 2
            if lastDoc(mid) < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    // MARK: Moving

    private func decode(_ b: Int) throws {
        let start = b == 0 ? blocksStart : blocksStart + blockEnd(b - 1)
        let end = blockCount == 1 ? docs.count : blocksStart + blockEnd(b)
        let n = b == blockCount - 1 ? documentFrequency - b * PostingsEncoder.blockSize : PostingsEncoder.blockSize
        guard start < end, end <= docs.count else { throw file.damaged("a postings block out of range") }
        let base = docs.baseAddress!
        var at = start
        let docWidth = Int(base.load(fromByteOffset: at, as: UInt8.self))
        at += 1
        guard docWidth <= 32, at + BitPacking.byteCount(count: n, width: docWidth) < end else { throw file.damaged("a postings block out of range") }
        BitPacking.unpack(base + at, count: n, width: docWidth, into: ids)
        at += BitPacking.byteCount(count: n, width: docWidth)
        let tfWidth = Int(base.load(fromByteOffset: at, as: UInt8.self))
        at += 1
        guard tfWidth <= 32, at + BitPacking.byteCount(count: n, width: tfWidth) <= end else { throw file.damaged("a postings block out of range") }
        BitPacking.unpack(base + at, count: n, width: tfWidth, into: frequencies)
        // Every delta but the list's first must be positive (ids strictly ascending): checked as
        // the least delta, not a branch per posting. The sum cannot overflow (at most 128 deltas
        // below 2^32); ascending, the last id bounds all of them (checked below).
        var previous: UInt64 = b == 0 ? 0 : UInt64(skipU32(b - 1, at: 0))
        var least: UInt32 = b == 0 ? 1 : ids[0]
        previous &+= UInt64(ids[0])
        ids[0] = UInt32(truncatingIfNeeded: previous)
        for i in 1..<n {
            let delta = ids[i]
            least = min(least, delta)
            previous &+= UInt64(delta)
            ids[i] = UInt32(truncatingIfNeeded: previous)
        }
        guard least > 0 else { throw file.damaged("postings out of order") }
        for i in 0..<n { frequencies[i] &+= 1 }
        guard previous < UInt64(documentCount) else { throw file.damaged("a posting names document \(previous) of \(documentCount)") }
        guard blockCount == 1 || previous == UInt64(skipU32(b, at: 0)) else { throw file.damaged("a skip entry disagrees with its postings block") }
        block = b
        count = n
        index = 0
    }

    /// Moves to the next posting.
    @discardableResult
    public func next() throws -> Int {
        guard doc != Self.end else { return doc }
        if block >= 0 && index + 1 < count {
            index += 1
            doc = Int(ids[index])
            return doc
        }
        guard block + 1 < blockCount else {
            doc = Self.end
            return doc
        }
        try decode(block + 1)
        doc = Int(ids[0])
        return doc
    }

    /// Moves to the first posting whose document is ≥ `target` (never backwards).
    @discardableResult
    public func advance(to target: Int) throws -> Int {
        guard target > doc else { return doc }
        if block < 0 || Int(ids[count - 1]) < target {
            guard let b = firstBlock(atLeast: target, from: block + 1) else {
                doc = Self.end
                return doc
            }
            try decode(b)
            if Int(ids[count - 1]) < target {
                // Only a single block's bound (the segment's end) can overshoot its postings.
                guard blockCount == 1 else { throw file.damaged("a skip entry disagrees with its postings block") }
                doc = Self.end
                return doc
            }
        }
        // The block holds a document ≥ target: scan to it.
        while Int(ids[index]) < target { index += 1 }
        doc = Int(ids[index])
        return doc
    }

    /// The current document's frequency (only while on a document).
    public var termFrequency: Int { Int(frequencies[index]) }

    /// The current document's positions, ascending, replacing `buffer`'s contents. The first
    /// two documents asked in a block have their own positions decoded, the third and later
    /// read them from the whole block's, decoded then: a ranked query asks for few documents of
    /// a block (those that can still enter the top k), a phrase of common words for many.
    public func positions(into buffer: inout [UInt32]) throws {
        buffer.removeAll(keepingCapacity: true)
        try appendPositions(to: &buffer)
    }

    /// The current document's positions, ascending, appended to `buffer` (as `positions(into:)`).
    public func appendPositions(to buffer: inout [UInt32]) throws {
        guard !positionBytes.isEmpty else { return }
        if positionsBlock != block {
            if layoutBlock != block {
                try readLayout(block)
                documentsRead = 0
            }
            if documentsRead < 2 {
                documentsRead += 1
                try documentPositions(into: &buffer)
                return
            }
            try decodePositions()
        }
        var position: UInt32 = 0
        for i in gapStarts[index]..<gapStarts[index + 1] {
            position &+= gaps[i]
            buffer.append(position)
        }
    }

    /// Block `layoutBlock`'s positions: where each document's gaps begin (`gapStarts`), their
    /// bit width, and where the packed gaps and the exceptions start in `positionBytes`.
    @exclusivity(unchecked) private var layoutBlock = -1
    @exclusivity(unchecked) private var layoutWidth = 0
    @exclusivity(unchecked) private var packedStart = 0
    @exclusivity(unchecked) private var exceptionsStart = 0
    /// Documents of `layoutBlock` whose positions were decoded on their own.
    @exclusivity(unchecked) private var documentsRead = 0

    /// Reads block `b`'s layout of positions (patched frame of reference, `PostingsEncoder`): a
    /// byte with the width, every gap's low bits packed, then the exceptions.
    private func readLayout(_ b: Int) throws {
        gapStarts.removeAll(keepingCapacity: true)
        var total = 0
        gapStarts.append(total)
        for i in 0..<count {
            total += Int(frequencies[i])
            gapStarts.append(total)
        }
        let bytes = positionBytes
        let at = blockCount == 1 ? 0 : positionsStart(b)
        guard at < bytes.count else { throw file.damaged("positions out of range") }
        let width = Int(bytes[at])
        let packed = BitPacking.byteCount(count: total, width: width)
        guard width <= 32, at + 1 + packed <= bytes.count else { throw file.damaged("positions out of range") }
        layoutWidth = width
        packedStart = at + 1
        exceptionsStart = at + 1 + packed
        layoutBlock = b
    }

    /// A LEB128 number at `at` in `positionBytes`, moving `at` past it.
    @inline(__always)
    private func positionsVarint(_ at: inout Int) throws -> Int {
        let bytes = positionBytes
        var value = 0, shift = 0
        while true {
            guard at < bytes.count, shift < 35 else { throw file.damaged("positions out of range") }
            let byte = bytes[at]
            at += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// The current document's positions from its own gaps alone (its packed low bits, and the
    /// exceptions up to its last gap), appended to `buffer`.
    private func documentPositions(into buffer: inout [UInt32]) throws {
        let first = gapStarts[index], end = gapStarts[index + 1]
        let width = layoutWidth, base = buffer.count
        let source = positionBytes.baseAddress! + packedStart
        let packed = exceptionsStart - packedStart
        for i in first..<end { buffer.append(BitPacking.value(at: i, width: width, in: source, byteCount: packed)) }
        try forEachException(before: end) { gap, high in
            if gap >= first { buffer[base + gap - first] |= high }
        }
        var position: UInt32 = 0
        for i in base..<buffer.count {
            position &+= buffer[i]
            buffer[i] = position
        }
    }

    /// Decodes the position gaps of every document of block `layoutBlock`.
    private func decodePositions() throws {
        let total = gapStarts[count], width = layoutWidth
        if gaps.count < total { gaps = [UInt32](repeating: 0, count: total) }
        let bytes = positionBytes
        try gaps.withUnsafeMutableBufferPointer { out in
            BitPacking.unpack(bytes.baseAddress! + packedStart, count: total, width: width, into: out.baseAddress!)
            try forEachException(before: total) { gap, high in out[gap] |= high }
        }
        positionsBlock = layoutBlock
    }

    /// Block `layoutBlock`'s exceptions in order, up to the first at or past gap `end`: each one's
    /// gap and its high bits, shifted into place (checked against the block's gaps and width).
    @inline(__always)
    private func forEachException(before end: Int, _ body: (_ gap: Int, _ high: UInt32) -> Void) throws {
        let total = gapStarts[count], width = layoutWidth
        var at = exceptionsStart
        let exceptions = try positionsVarint(&at)
        guard exceptions <= total else { throw file.damaged("positions out of range") }
        var gap = 0
        for _ in 0..<exceptions {
            gap += try positionsVarint(&at)
            let high = try positionsVarint(&at)
            guard (gap < total) && (width < 32) && (high >> (32 - width) == 0) else { throw file.damaged("a position exception out of range") }
            if gap >= end { return }
            body(gap, UInt32(high) << UInt32(width))
        }
    }
}
