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
/// Not thread-safe (one builder, one thread), so the runtime's exclusivity checks are left out.
final class PostingsBuffer {
    /// 2¹⁶ words (256 kB) per page; an address is `page << 16 | word`.
    private static let pageShift = 16
    private static let pageWords = 1 << pageShift
    private static let sliceWords: [UInt32] = [4, 8, 16, 32, 64, 128, 256, 512, 1024]

    @exclusivity(unchecked) private var pages: [UnsafeMutablePointer<UInt32>] = []
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

    init() {}

    deinit {
        for page in pages { page.deallocate() }
    }

    var termCount: Int { streams.count }

    /// Bytes held: the arena's pages and the per-term records (by capacity).
    var footprint: Int { pages.count * Self.pageWords * 4 + streams.capacity * MemoryLayout<Stream>.stride }

    /// An occurrence of `term` in `document` (documents in ascending order; within one, positions
    /// in ascending order). `position` nil: a field without positions, only counted.
    func add(term: Int, document: UInt32, position: UInt32?) {
        if streams.count <= term { streams.append(contentsOf: repeatElement(Stream(), count: term + 1 - streams.count)) }
        var stream = streams[term]
        if stream.head == UInt32.max {
            let start = allocate(level: 0)
            stream.head = start
            stream.tail = start
            stream.sliceEnd = start + Self.sliceWords[0] - 1
        }
        if stream.lastDocument != document {
            stream.lastDocument = document
            write(document, &stream)
            stream.frequencySlot = write(1, &stream)
        } else {
            word(stream.frequencySlot).pointee += 1
        }
        if let position { write(position, &stream) }
        streams[term] = stream
    }

    /// Calls `body` with every word of `term`'s stream, in order.
    func forEachWord(of term: Int, _ body: (UInt32) -> Void) {
        guard term < streams.count, streams[term].head != UInt32.max else { return }
        var address = streams[term].head
        var level = 0
        var end = address + Self.sliceWords[0] - 1
        let last = streams[term].tail
        while address != last {
            if address == end {
                address = word(end).pointee
                level = min(level + 1, Self.sliceWords.count - 1)
                end = address + Self.sliceWords[level] - 1
                continue
            }
            body(word(address).pointee)
            address += 1
        }
    }

    @inline(__always)
    private func word(_ address: UInt32) -> UnsafeMutablePointer<UInt32> {
        let page = Int(address >> UInt32(Self.pageShift)), offset = Int(address & UInt32(Self.pageWords - 1))
        precondition(page < pages.count, "postings address out of the arena")
        return pages[page] + offset
    }

    /// Appends `value` to a term's stream; returns its address.
    @inline(__always) @discardableResult
    private func write(_ value: UInt32, _ stream: inout Stream) -> UInt32 {
        if stream.tail == stream.sliceEnd {
            let next = min(Int(stream.level) + 1, Self.sliceWords.count - 1)
            let start = allocate(level: next)
            word(stream.sliceEnd).pointee = start
            stream.level = UInt8(next)
            stream.tail = start
            stream.sliceEnd = start + Self.sliceWords[next] - 1
        }
        let address = stream.tail
        word(address).pointee = value
        stream.tail = address + 1
        return address
    }

    /// A slice of `sliceWords[level]` words that does not cross a page.
    private func allocate(level: Int) -> UInt32 {
        let size = Int(Self.sliceWords[level])
        if used + size > Self.pageWords {
            let page = UnsafeMutablePointer<UInt32>.allocate(capacity: Self.pageWords)
            pages.append(page)
            used = 0
        }
        precondition(pages.count <= 1 << (32 - Self.pageShift), "postings arena over 16 GB")
        let address = UInt32((pages.count - 1) << Self.pageShift | used)
        used += size
        return address
    }
}
