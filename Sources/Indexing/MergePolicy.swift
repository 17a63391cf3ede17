/// Which segments to merge into one: the smallest, as many as fit a budget of segment-file bytes,
/// but never one much larger than the others together (at most twice their sum). Merging a small
/// new segment into a large one rewrites the large one for almost nothing, so a tiny update to a
/// large index would pay for a full-size merge every time; with the skew rule small segments merge
/// with each other, and sizes grow in tiers (as in Lucene's merge policies).
enum MergePolicy {
    /// Segments no larger than a budget that the budget cannot merge any more (two of them exceed
    /// it) merge within `ceiling` once there are this many.
    static let pileUp = 4

    /// The segments to merge (at least two), or none. With a `ceiling` above `budget` (an
    /// incremental update's budget below the writer's), segments that only a budget like this one
    /// ever made, and that it can no longer merge, are merged within `ceiling` once `pileUp` of
    /// them wait: otherwise every few small updates would leave one more segment for good.
    static func choose(_ segments: [(name: String, bytes: Int)], budget: Int, ceiling: Int) -> [String] {
        let chosen = choose(segments, budget: budget)
        guard chosen.isEmpty, ceiling > budget else { return chosen }
        let small = segments.filter { $0.bytes <= budget }
        return small.count >= pileUp ? choose(small, budget: ceiling) : []
    }

    /// The segments to merge (at least two), or none.
    static func choose(_ segments: [(name: String, bytes: Int)], budget: Int) -> [String] {
        var chosen: [(name: String, bytes: Int)] = []
        var total = 0
        for segment in segments.sorted(by: { ($0.bytes, $0.name) < ($1.bytes, $1.name) }) {
            guard segment.bytes <= budget - total else { break }
            total += segment.bytes
            chosen.append(segment)
        }
        while chosen.count >= 2, let largest = chosen.last, largest.bytes > 2 * (total - largest.bytes) {
            total -= largest.bytes
            chosen.removeLast()
        }
        return chosen.count >= 2 ? chosen.map(\.name) : []
    }
}
