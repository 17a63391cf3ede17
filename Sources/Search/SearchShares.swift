/// How one search's documents are dealt to threads: each thread gets units (a segment's range of
/// documents) adding up to about the same number of documents. Whole segments where they
/// balance; else the largest unit is cut in halves until they do (or units get too small).
enum SearchShares {
    struct Unit: Equatable, Sendable {
        var segment: Int
        var documents: Range<Int>
    }

    /// Per thread (at most `lanes`, none empty), its units in segment and document order.
    /// `tolerance`: how far above an even share the largest may be.
    static func deal(segmentSizes: [Int], lanes: Int, tolerance: Double = 1.1, smallest: Int = 1024) -> [[Unit]] {
        precondition(lanes > 0)
        var units = segmentSizes.enumerated().filter { $0.element > 0 }.map { Unit(segment: $0.offset, documents: 0..<$0.element) }
        let total = units.reduce(0) { $0 + $1.documents.count }
        let even = Double(total) / Double(lanes)
        while true {
            let shares = largestFirst(units, lanes: lanes)
            let heaviest = shares.map { $0.reduce(0) { $0 + $1.documents.count } }.max() ?? 0
            if Double(heaviest) <= tolerance * even { return shares }
            // Cut the largest unit (the first, of equals) in two.
            guard let largest = units.indices.max(by: { units[$0].documents.count < units[$1].documents.count || (units[$0].documents.count == units[$1].documents.count && $0 > $1) }),
                units[largest].documents.count >= 2 * smallest
            else { return shares }
            let unit = units[largest]
            let middle = unit.documents.lowerBound + unit.documents.count / 2
            units[largest].documents = unit.documents.lowerBound..<middle
            units.insert(Unit(segment: unit.segment, documents: middle..<unit.documents.upperBound), at: largest + 1)
        }
    }

    /// Longest processing time first: units by size, largest first, each to the least loaded
    /// thread (the first, of equals).
    private static func largestFirst(_ units: [Unit], lanes: Int) -> [[Unit]] {
        var shares = Array(repeating: [Unit](), count: min(lanes, units.count))
        guard !shares.isEmpty else { return [] }
        var loads = Array(repeating: 0, count: shares.count)
        let bySize = units.indices.sorted { units[$0].documents.count > units[$1].documents.count || (units[$0].documents.count == units[$1].documents.count && $0 < $1) }
        for u in bySize {
            let w = loads.indices.min { loads[$0] < loads[$1] || (loads[$0] == loads[$1] && $0 < $1) }!
            shares[w].append(units[u])
            loads[w] += units[u].documents.count
        }
        return shares.map { $0.sorted { ($0.segment, $0.documents.lowerBound) < ($1.segment, $1.documents.lowerBound) } }
    }
}
