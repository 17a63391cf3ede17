import Synchronization

/// The best k-th score any thread of one search has reached: a document scoring below it cannot
/// enter the merged top k (k documents score at least that), so every thread prunes with it.
final class SharedThreshold: Sendable {
    private let bits = Atomic<UInt64>((-Double.infinity).bitPattern)

    /// Stands in where a search has one lane (never looked at).
    static let unshared = SharedThreshold()

    /// −∞ until some thread holds k documents.
    var score: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    /// Raises the threshold to `score` if that is higher.
    func raise(to score: Double) {
        var current = bits.load(ordering: .relaxed)
        while score > Double(bitPattern: current) {
            let (exchanged, found) = bits.compareExchange(expected: current, desired: score.bitPattern, ordering: .relaxed)
            if exchanged { return }
            current = found
        }
    }
}
