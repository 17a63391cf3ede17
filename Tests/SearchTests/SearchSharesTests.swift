import Testing
@testable import Search

/// How a search's documents are dealt to threads.
struct SearchSharesTests {
    typealias Unit = SearchShares.Unit

    /// Every document of every segment in exactly one unit, no share empty, at most `lanes`
    /// shares, each in segment and document order.
    static func expectCovers(_ shares: [[Unit]], _ sizes: [Int], lanes: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(shares.count <= lanes && shares.allSatisfy { !$0.isEmpty }, sourceLocation: sourceLocation)
        var seen = sizes.map { [Int](repeating: 0, count: $0) }
        for share in shares {
            #expect(share == share.sorted { ($0.segment, $0.documents.lowerBound) < ($1.segment, $1.documents.lowerBound) }, sourceLocation: sourceLocation)
            for unit in share { for d in unit.documents { seen[unit.segment][d] += 1 } }
        }
        #expect(seen.allSatisfy { $0.allSatisfy { $0 == 1 } }, "\(sizes) \(shares)", sourceLocation: sourceLocation)
    }

    @Test func wholeSegmentsWhereTheyBalance() {
        let shares = SearchShares.deal(segmentSizes: [4000, 1000, 4000, 1000], lanes: 2)
        #expect(shares == [[Unit(segment: 0, documents: 0..<4000), Unit(segment: 1, documents: 0..<1000)],
                           [Unit(segment: 2, documents: 0..<4000), Unit(segment: 3, documents: 0..<1000)]])
    }

    @Test func oneSegmentCutInHalves() {
        let shares = SearchShares.deal(segmentSizes: [10_000], lanes: 2)
        #expect(shares == [[Unit(segment: 0, documents: 0..<5000)], [Unit(segment: 0, documents: 5000..<10_000)]])
    }

    @Test func aLargeSegmentBesideSmallOnes() {
        let sizes = [9000, 500, 700]
        let shares = SearchShares.deal(segmentSizes: sizes, lanes: 2)
        Self.expectCovers(shares, sizes, lanes: 2)
        let loads = shares.map { $0.reduce(0) { $0 + $1.documents.count } }
        #expect(Double(loads.max()!) <= 1.1 * 10_200 / 2, "\(loads)")
    }

    @Test func tooSmallToCut() {
        #expect(SearchShares.deal(segmentSizes: [1500], lanes: 2) == [[Unit(segment: 0, documents: 0..<1500)]])
        #expect(SearchShares.deal(segmentSizes: [1500], lanes: 2, smallest: 500).count == 2)
        #expect(SearchShares.deal(segmentSizes: [], lanes: 2).isEmpty)
        // Empty segments are left out.
        #expect(SearchShares.deal(segmentSizes: [0, 3000, 0], lanes: 2, smallest: 1000).joined().allSatisfy { $0.segment == 1 })
    }

    @Test func randomSizesAreCoveredAndBalanced() {
        var random = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let sizes = (0..<(1 + Int(random.next() % 7))).map { _ in Int(random.next() % 20_000) }
            let lanes = 1 + Int(random.next() % 4)
            let smallest = [1, 64, 1024][Int(random.next() % 3)]
            let shares = SearchShares.deal(segmentSizes: sizes, lanes: lanes, smallest: smallest)
            Self.expectCovers(shares, sizes, lanes: lanes)
            // With units as small as one document, every share is within the tolerance.
            let total = sizes.reduce(0, +)
            if smallest == 1 && total >= lanes {
                let loads = shares.map { $0.reduce(0) { $0 + $1.documents.count } }
                #expect(Double(loads.max()!) <= 1.1 * Double(total) / Double(lanes) + 1, "\(sizes) \(lanes) \(loads)")
            }
        }
    }
}
