import Indexing

/// Keeps the k best (score, doc) pairs seen, in a min-heap: O(n log k) for n candidates.
/// Ties go to the document that comes first in corpus order (`precedes`), so results are
/// deterministic and the same however the index was built.
public struct TopKCollector {
    public let k: Int
    private var heap: [(score: Double, doc: DocID)] = []
    /// Corpus order: a function, or (nil) `places` compared.
    private let precedes: ((DocID, DocID) -> Bool)?
    private let places: [UInt64]

    public init(k: Int, precedes: @escaping (DocID, DocID) -> Bool = { $0 < $1 }) {
        precondition(k >= 0)
        self.k = k
        self.precedes = precedes
        places = []
        heap.reserveCapacity(k)
    }

    /// Corpus order as `places[doc.index]` ascending (`IndexSnapshot.corpusPlaces`): ties are
    /// broken with no call per comparison.
    public init(k: Int, places: [UInt64]) {
        precondition(k >= 0)
        self.k = k
        precedes = nil
        self.places = places
        heap.reserveCapacity(k)
    }

    /// Whether `a` ranks below `b` (lower score, or same score and later in corpus order).
    @inline(__always)
    func worse(_ a: (score: Double, doc: DocID), _ b: (score: Double, doc: DocID)) -> Bool {
        a.score < b.score || (a.score == b.score && earlier(b.doc, a.doc))
    }

    @inline(__always)
    private func earlier(_ a: DocID, _ b: DocID) -> Bool {
        if let precedes { return precedes(a, b) }
        return places[a.index] < places[b.index]
    }

    /// Whether k documents are held.
    public var isFull: Bool { heap.count >= k }

    /// The score a new document must beat to enter (−∞ until k are held).
    public var threshold: Double { heap.count < k ? -.infinity : heap[0].score }

    /// Whether a document with `score`, whose corpus place is above `floor`, certainly cannot
    /// enter (compared by places only): k are held and the last of them scores more, or as much
    /// and no later than `floor` in corpus order.
    @inline(__always)
    func certainlyRejects(_ score: Double, placeAbove floor: UInt64) -> Bool {
        guard precedes == nil, k > 0, heap.count >= k else { return false }
        return score < heap[0].score || (score == heap[0].score && places[heap[0].doc.index] <= floor)
    }

    /// Whether no document scoring at most `bound` can enter, among documents at `place` in
    /// corpus order or later (`ascending`; else at any place): k are held, and the bound is below
    /// the last one's score, or equal and (places compared) the last one comes earlier.
    @inline(__always)
    func excludes(_ bound: Double, from place: UInt64, ascending: Bool) -> Bool {
        guard k > 0, heap.count >= k else { return false }
        let last = heap[0]
        return bound < last.score || (bound == last.score && ascending && precedes == nil && places[last.doc.index] < place)
    }

    public mutating func collect(_ doc: DocID, score: Double) {
        guard k > 0 else { return }
        let entry = (score: score, doc: doc)
        if heap.count < k {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if worse(heap[0], entry) {
            heap[0] = entry
            siftDown(0)
        }
    }

    /// The collected pairs, best first.
    public func sorted() -> [(score: Double, doc: DocID)] {
        heap.sorted { worse($1, $0) }
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard worse(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let left = 2 * i + 1, right = left + 1
            var smallest = i
            if left < heap.count && worse(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && worse(heap[right], heap[smallest]) { smallest = right }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
