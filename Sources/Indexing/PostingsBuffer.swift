/// One field's postings under construction: for every term id, the stream `doc, tf, positions…`
/// per document (`doc, tf` for a field without positions), in document order.
///
/// The streams live in slices of one paged arena (as Lucene's `ByteBlockPool`): a term starts
/// with a slice of 4 words and each further slice is twice as large, up to 1024 words; the last
/// word of a full slice holds the address of the next. So adding an occurrence is a bump of a
/// write pointer, no term owns an allocation of its own, and `footprint` is the memory held,
/// not an estimate. Occurrences arrive in position order, so a term's positions need no
/// sorting: its current document's `tf` word is kept and incremented in place.
///
/// A field of a document is added at once (`add(document:terms:positions:)`): the per-term
/// records are reached through one unsafe buffer for the whole field, not an array access (and
/// its uniqueness check) per occurrence.
///
/// Not thread-safe (one builder, one thread), so the runtime's exclusivity checks are left out.
final class PostingsBuffer {
    /// 2¹⁶ words (256 kB) per page; an address is `page << 16 | word`.
    private static let pageShift = 16
    private static let pageWords = 1 << pageShift
    /// Slices are `4 << level` words, level 0 … 8 (4 … 1024 words).
    private static let topLevel: UInt8 = 8

    @inline(__always)
    private static func sliceWords(_ level: UInt8) -> UInt32 { 4 << UInt32(level) }

    /// The arena's pages (`pageCount` of `pageCapacity` slots used).
    @exclusivity(unchecked) private var pages: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>>
    @exclusivity(unchecked) private var pageCount = 0
    @exclusivity(unchecked) private var pageCapacity = 16
    /// Next free word of the last page.
    @exclusivity(unchecked) private var used = PostingsBuffer.pageWords
    /// Where each term's stream is, one record per term id (so one cache line per occurrence).
    private struct Stream {
        var head = UInt32.max
        var tail = UInt32.max
        /// Address of the current slice's link word (its last).
        var sliceEnd = UInt32.max
        var lastDocument = UInt32.max
        /// Address of the `tf` word of the term's last document.
        var frequencySlot = UInt32.max
        var level: UInt8 = 0
    }
    @exclusivity(unchecked) private var streams: [Stream] = []

    init() {
        pages = .allocate(capacity: pageCapacity)
    }

    deinit {
        for p in 0..<pageCount { pages[p].deallocate() }
        pages.deallocate()
    }

    var termCount: Int { streams.count }

    /// Bytes held: the arena's pages and the per-term records (by capacity).
    var footprint: Int { pageCount * Self.pageWords * 4 + streams.capacity * MemoryLayout<Stream>.stride }

    /// An occurrence of `term` in `document` (documents in ascending order; within one, positions
    /// in ascending order). `position` nil: a field without positions, only counted.
    func add(term: Int, document: UInt32, position: UInt32?) {
        let id = Int32(term)
        withUnsafePointer(to: id) { id in
            if let position {
                withUnsafePointer(to: position) { add(document: document, terms: .init(start: id, count: 1), positions: .init(start: $0, count: 1)) }
            } else {
                add(document: document, terms: .init(start: id, count: 1), positions: nil)
            }
        }
    }

    /// The occurrences of one field of `document` (documents in ascending order): `terms[i]` at
    /// `positions[i]` (positions ascending), or, with `positions` nil, only counted.
    func add(document: UInt32, terms: UnsafeBufferPointer<Int32>, positions: UnsafeBufferPointer<UInt32>?) {
        // New terms' records first, in order: the same appends, so the same capacities (and
        // `footprint`), as one occurrence at a time.
        for term in terms where Int(term) >= streams.count {
            streams.append(contentsOf: repeatElement(Stream(), count: Int(term) + 1 - streams.count))
        }
        streams.withUnsafeMutableBufferPointer { streams in
            for i in 0..<terms.count {
                let record = streams.baseAddress! + Int(terms[i])
                var stream = record.pointee
                if stream.head == UInt32.max {
                    let start = allocate(level: 0)
                    stream.head = start
                    stream.tail = start
                    stream.sliceEnd = start + Self.sliceWords(0) - 1
                }
                if stream.lastDocument != document {
                    stream.lastDocument = document
                    write(document, &stream)
                    stream.frequencySlot = write(1, &stream)
                } else {
                    word(stream.frequencySlot).pointee += 1
                }
                if let positions { write(positions[i], &stream) }
                record.pointee = stream
            }
        }
    }

    /// Calls `body` with every word of `term`'s stream, in order.
    func forEachWord(of term: Int, _ body: (UInt32) -> Void) {
        forEachRun(of: term) { run in for w in run { body(w) } }
    }

    /// Calls `body` with the words of `term`'s stream, in order, a slice's run at a time.
    func forEachRun(of term: Int, _ body: (UnsafeBufferPointer<UInt32>) -> Void) {
        guard term < streams.count, streams[term].head != UInt32.max else { return }
        var address = streams[term].head
        var level: UInt8 = 0
        let last = streams[term].tail
        while true {
            let end = address + Self.sliceWords(level) - 1  // the link word
            if last >= address && last <= end {  // the tail is in this slice
                body(UnsafeBufferPointer(start: word(address), count: Int(last - address)))
                return
            }
            body(UnsafeBufferPointer(start: word(address), count: Int(end - address)))
            address = word(end).pointee
            level = min(level + 1, Self.topLevel)
        }
    }

    @inline(__always)
    private func word(_ address: UInt32) -> UnsafeMutablePointer<UInt32> {
        let page = Int(address >> UInt32(Self.pageShift)), offset = Int(address & UInt32(Self.pageWords - 1))
        assert(page < pageCount, "postings address out of the arena")
        return pages[page] + offset
    }

    /// Appends `value` to a term's stream; returns its address.
    @inline(__always) @discardableResult
    private func write(_ value: UInt32, _ stream: inout Stream) -> UInt32 {
        if stream.tail == stream.sliceEnd {
            let next = min(stream.level + 1, Self.topLevel)
            let start = allocate(level: next)
            word(stream.sliceEnd).pointee = start
            stream.level = next
            stream.tail = start
            stream.sliceEnd = start + Self.sliceWords(next) - 1
        }
        let address = stream.tail
        word(address).pointee = value
        stream.tail = address + 1
        return address
    }

    /// A slice of `sliceWords(level)` words that does not cross a page.
    private func allocate(level: UInt8) -> UInt32 {
        let size = Int(Self.sliceWords(level))
        if used + size > Self.pageWords {
            precondition(pageCount < 1 << (32 - Self.pageShift), "postings arena over 16 GB")
            if pageCount == pageCapacity {
                let grown = UnsafeMutablePointer<UnsafeMutablePointer<UInt32>>.allocate(capacity: pageCapacity * 2)
                grown.moveInitialize(from: pages, count: pageCount)
                pages.deallocate()
                pages = grown
                pageCapacity *= 2
            }
            (pages + pageCount).initialize(to: .allocate(capacity: Self.pageWords))
            pageCount += 1
            used = 0
        }
        let address = UInt32((pageCount - 1) << Self.pageShift | used)
        used += size
        return address
    }
}
