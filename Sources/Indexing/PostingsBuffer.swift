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
    // Per term id.
    @exclusivity(unchecked) private var head: [UInt32] = []
    @exclusivity(unchecked) private var tail: [UInt32] = []
    /// Address of the current slice's link word (its last).
    @exclusivity(unchecked) private var sliceEnd: [UInt32] = []
    @exclusivity(unchecked) private var level: [UInt8] = []
    @exclusivity(unchecked) private var lastDocument: [UInt32] = []
    /// Address of the `tf` word of the term's last document.
    @exclusivity(unchecked) private var frequencySlot: [UInt32] = []

    init() {}

    deinit {
        for page in pages { page.deallocate() }
    }

    var termCount: Int { head.count }

    /// Bytes held: the arena's pages and the per-term arrays (by capacity).
    var footprint: Int {
        pages.count * Self.pageWords * 4
            + 4 * (head.capacity + tail.capacity + sliceEnd.capacity + lastDocument.capacity + frequencySlot.capacity)
            + level.capacity
    }

    /// An occurrence of `term` in `document` (documents in ascending order; within one, positions
    /// in ascending order). `position` nil: a field without positions, only counted.
    func add(term: Int, document: UInt32, position: UInt32?) {
        while head.count <= term { newTerm() }
        if head[term] == UInt32.max {
            let start = allocate(level: 0)
            head[term] = start
            tail[term] = start
            sliceEnd[term] = start + Self.sliceWords[0] - 1
        }
        if lastDocument[term] != document {
            lastDocument[term] = document
            write(document, term)
            frequencySlot[term] = write(1, term)
        } else {
            word(frequencySlot[term]).pointee += 1
        }
        if let position { write(position, term) }
    }

    /// Calls `body` with every word of `term`'s stream, in order.
    func forEachWord(of term: Int, _ body: (UInt32) -> Void) {
        guard term < head.count, head[term] != UInt32.max else { return }
        var address = head[term]
        var level = 0
        var end = address + Self.sliceWords[0] - 1
        let last = tail[term]
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

    private func newTerm() {
        head.append(UInt32.max)
        tail.append(UInt32.max)
        sliceEnd.append(UInt32.max)
        level.append(0)
        lastDocument.append(UInt32.max)
        frequencySlot.append(UInt32.max)
    }

    @inline(__always)
    private func word(_ address: UInt32) -> UnsafeMutablePointer<UInt32> {
        let page = Int(address >> UInt32(Self.pageShift)), offset = Int(address & UInt32(Self.pageWords - 1))
        precondition(page < pages.count, "postings address out of the arena")
        return pages[page] + offset
    }

    /// Appends `value` to `term`'s stream; returns its address.
    @inline(__always) @discardableResult
    private func write(_ value: UInt32, _ term: Int) -> UInt32 {
        if tail[term] == sliceEnd[term] {
            let next = min(Int(level[term]) + 1, Self.sliceWords.count - 1)
            let start = allocate(level: next)
            word(sliceEnd[term]).pointee = start
            level[term] = UInt8(next)
            tail[term] = start
            sliceEnd[term] = start + Self.sliceWords[next] - 1
        }
        let address = tail[term]
        word(address).pointee = value
        tail[term] = address + 1
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
