import Testing
@testable import Indexing

/// Which segments a merge takes: the smallest within the budget, none much larger than the rest.
@Suite struct MergePolicyTests {
    @Test func mergesTheSmallestThatFit() {
        let segments = [("c", 5), ("a", 1), ("d", 50), ("b", 2)].map { (name: $0.0, bytes: $0.1) }
        #expect(MergePolicy.choose(segments, budget: 10) == ["a", "b", "c"])
        #expect(MergePolicy.choose(segments, budget: 3) == ["a", "b"])
        #expect(MergePolicy.choose(segments, budget: 1) == [])
    }

    @Test func neverRewritesALargeSegmentForASmallOne() {
        // A new issue (1) beside full-size segments (28): merging it would rewrite 28 for 1.
        let tinyAndLarge = [("new", 1), ("old1", 28), ("old2", 28), ("old3", 28)].map { (name: $0.0, bytes: $0.1) }
        #expect(MergePolicy.choose(tinyAndLarge, budget: 30) == [])
        // With room for two large ones they balance the small one, and the merge is worth it.
        #expect(MergePolicy.choose(tinyAndLarge, budget: 64) == ["new", "old1", "old2"])
        // Small segments merge with each other; the large one stays out.
        let smallOnes = [("s1", 1), ("s2", 1), ("s3", 2), ("big", 100)].map { (name: $0.0, bytes: $0.1) }
        #expect(MergePolicy.choose(smallOnes, budget: 1000) == ["s1", "s2", "s3"])
    }

    @Test func equalSizesTieByName() {
        let segments = [("b", 4), ("a", 4), ("c", 4)].map { (name: $0.0, bytes: $0.1) }
        #expect(MergePolicy.choose(segments, budget: 8) == ["a", "b"])
    }

    /// (Review) The writer's incremental budget (at most `mergeBudget`, four times what the
    /// update added, at least the 8 MB floor) over a stream of 1 MB updates beside ten 28 MB
    /// segments, merging whenever there are more than ten: the count must stay bounded. Merged
    /// segments of 6–8 MB can never merge with each other within 8 MB, so they pile up (35
    /// segments after 200 updates; the policy before this session, smallest within 64 MB, stays
    /// at 10).
    @Test func smallUpdatesDoNotPileUpSegments() {
        let mb = 1 << 20, maxSegments = 10
        var segments = (0..<10).map { (name: "full\($0)", bytes: 28 * mb) }
        var merges = 0
        for update in 0..<200 {
            let added = mb
            segments.append((name: String(format: "u%03d", update), bytes: added))
            guard segments.count > maxSegments else { continue }
            let budget = min(64 * mb, max(8 * mb, 4 * added))
            let chosen = Set(MergePolicy.choose(segments, budget: budget, ceiling: 64 * mb))
            guard !chosen.isEmpty else { continue }
            let bytes = segments.filter { chosen.contains($0.name) }.reduce(0) { $0 + $1.bytes }
            segments.removeAll { chosen.contains($0.name) }
            merges += 1
            segments.append((name: String(format: "m%03d", merges), bytes: bytes))
        }
        // No more than a full build would flush (segments of half the full budget) plus maxSegments.
        let total = segments.reduce(0) { $0 + $1.bytes }
        #expect(segments.count <= maxSegments + total / (32 * mb), "\(segments.count) segments: \(segments.map { $0.bytes / mb }.sorted())")
        #expect(segments.filter { $0.bytes <= 8 * mb }.count <= maxSegments)
    }
}
