import Indexing

/// Keeps the k best (score, doc) pairs seen, in a min-heap: O(n log k) for n candidates.
/// Ties go to the lower document id, so results are deterministic.
public struct TopKCollector {
    public let k: Int
    private var heap: [(score: Double, doc: DocID)] = []

    public init(k: Int) {
        precondition(k >= 0)
        self.k = k
        heap.reserveCapacity(k)
    }

    /// Whether `a` ranks below `b` (lower score, or same score and higher doc id).
    @inline(__always)
    static func worse(_ a: (score: Double, doc: DocID), _ b: (score: Double, doc: DocID)) -> Bool {
        a.score < b.score || (a.score == b.score && a.doc > b.doc)
    }

    /// The score a new document must beat to enter (−∞ until k are held).
    public var threshold: Double { heap.count < k ? -.infinity : heap[0].score }

    public mutating func collect(_ doc: DocID, score: Double) {
        guard k > 0 else { return }
        let entry = (score: score, doc: doc)
        if heap.count < k {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if Self.worse(heap[0], entry) {
            heap[0] = entry
            siftDown(0)
        }
    }

    /// The collected pairs, best first.
    public func sorted() -> [(score: Double, doc: DocID)] {
        heap.sorted { Self.worse($1, $0) }
    }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.worse(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let left = 2 * i + 1, right = left + 1
            var smallest = i
            if left < heap.count && Self.worse(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.worse(heap[right], heap[smallest]) { smallest = right }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
