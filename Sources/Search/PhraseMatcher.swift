import Indexing

/// The documents of one field where a term or phrase occurs, with how often (ascending doc order).
public struct FieldMatches: Sendable, Equatable {
    public var documents: [DocID] = []
    public var frequencies: [UInt32] = []
    public var count: Int { documents.count }
}

extension SearchableIndex {
    /// Where `matcher` occurs in `field`. A phrase occurs where its terms sit at consecutive
    /// positions; the rarest term's list drives the intersection.
    public func matches(_ matcher: Matcher, in field: Field, slop: Int = 0) throws -> FieldMatches {
        switch matcher {
        case .term(let term):
            guard let list = try postingList(term, in: field, positions: false) else { return FieldMatches() }
            return FieldMatches(documents: list.documents, frequencies: list.termFrequencies)
        case .phrase(let terms):
            var lists: [PostingList] = []
            for term in terms {
                guard let list = try postingList(term, in: field) else { return FieldMatches() }
                lists.append(list)
            }
            let driver = lists.indices.min { lists[$0].documentFrequency < lists[$1].documentFrequency }!
            var result = FieldMatches()
            var cursors = Array(repeating: 0, count: lists.count)
            candidates: for (driverIndex, doc) in lists[driver].documents.enumerated() {
                var rows: [Int] = []
                for (i, list) in lists.enumerated() {
                    if i == driver { rows.append(driverIndex); continue }
                    // Advance (gallop-free linear merge; lists are in ascending doc order).
                    while cursors[i] < list.documentFrequency && list.documents[cursors[i]] < doc { cursors[i] += 1 }
                    guard cursors[i] < list.documentFrequency, list.documents[cursors[i]] == doc else { continue candidates }
                    rows.append(cursors[i])
                }
                let positions = lists.indices.map { lists[$0].positions(at: rows[$0]) }
                let frequency = slop == 0 ? PhraseCounting.countPhrase(positions) : PhraseCounting.countSloppy(positions, slop: slop)
                if frequency > 0 {
                    result.documents.append(doc)
                    result.frequencies.append(UInt32(frequency))
                }
            }
            return result
        }
    }

}

enum PhraseCounting {
    /// Occurrences where, from each term's position, the next term follows within `slop` extra
    /// positions (in order): `"a b"~2` matches `a x x b`. Each start counts once.
    static func countSloppy(_ positions: [ArraySlice<UInt32>], slop: Int) -> Int {
        var count = 0
        for start in positions[0] {
            var at = start
            var ok = true
            for i in 1..<positions.count {
                guard let next = positions[i].first(where: { $0 > at && Int($0 - at) <= 1 + slop }) else { ok = false; break }
                at = next
            }
            if ok { count += 1 }
        }
        return count
    }

    /// Occurrences of p such that term i sits at p + i for every i (positions ascending).
    static func countPhrase(_ positions: [ArraySlice<UInt32>]) -> Int {
        // (Per document of a phrase: no array for the cursors, and no key path, which Swift
        // projects at run time.)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: positions.count) { cursors in
            for i in positions.indices { cursors[i] = positions[i].startIndex }
            var count = 0
            outer: for start in positions[0] {
                for i in 1..<positions.count {
                    let want = start + UInt32(i)
                    while cursors[i] < positions[i].endIndex && positions[i][cursors[i]] < want { cursors[i] += 1 }
                    guard cursors[i] < positions[i].endIndex else { break outer }
                    if positions[i][cursors[i]] != want { continue outer }
                }
                count += 1
            }
            return count
        }
    }
}
