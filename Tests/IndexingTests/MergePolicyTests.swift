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
}
