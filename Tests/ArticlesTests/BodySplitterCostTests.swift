import Foundation
import Testing
@testable import Articles

/// The splitter's cohesion costs, computed with dense ids and a table of increments, against the
/// direct formula (a dictionary of counts and two logarithms per bigram), bit for bit.
@Suite struct BodySplitterCostTests {
    static func directCosts(_ lists: [[UInt64]]) -> [[Double]] {
        let vocabulary = Double(Set(lists.joined()).count)
        var cost = Array(repeating: Array(repeating: 0.0, count: lists.count + 1), count: lists.count + 1)
        for a in 0..<lists.count {
            var frequency: [UInt64: Int] = [:]
            var sum = 0.0
            var n = 0.0
            for b in a..<lists.count {
                for bigram in lists[b] {
                    let f = Double(frequency[bigram, default: 0])
                    sum += (f + 1) * Foundation.log(f + 2) - f * Foundation.log(f + 1)
                    frequency[bigram, default: 0] += 1
                    n += 1
                }
                cost[a][b + 1] = n * Foundation.log(n + vocabulary) - sum
            }
        }
        return cost
    }

    @Test(arguments: [0, 1, 7, 42])
    func matchesTheDirectFormula(seed: UInt64) {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        // Paragraphs of a few dozen bigrams from a small vocabulary, so counts repeat; some empty.
        let lists: [[UInt64]] = (0..<(5 + next(30))).map { _ in
            (0..<next(60)).map { _ in UInt64(0x4E00 + next(40)) << 32 | UInt64(0x4E00 + next(40)) }
        }
        let fast = BodySplitter.cohesionCosts(lists)
        let direct = Self.directCosts(lists)
        #expect(fast.map { $0.map(\.bitPattern) } == direct.map { $0.map(\.bitPattern) })
    }
}
