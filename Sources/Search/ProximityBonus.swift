import Indexing

/// Rewards articles where different query clauses stand close together in the body, after
/// BM25TP (Rasolofo & Savoy, 2003): for every pair of clauses whose nearest occurrences are at
/// most `window` words apart (d = gap between them, 0 when adjacent), the pair adds
/// (idf_a + idf_b) / 2 · 1 / (1 + d)²; the sum s becomes weight · s · (k1 + 1) / (s + k1), so a
/// few close pairs count and many do not run away.
struct ProximityBonus {
    var weight: Double
    var window: Int
    var k1: Double

    /// A clause's occurrences in one document: start positions, the span length, and its idf.
    struct Occurrences {
        var starts: [UInt32]
        var length: Int
        var idf: Double
    }

    func bonus(_ clauses: [Occurrences]) -> Double {
        guard weight > 0, clauses.count >= 2 else { return 0 }
        var sum = 0.0
        for a in 0..<clauses.count {
            for b in (a + 1)..<clauses.count {
                guard let d = Self.gap(clauses[a], clauses[b]), d <= window else { continue }
                sum += (clauses[a].idf + clauses[b].idf) / 2 / Double((1 + d) * (1 + d))
            }
        }
        return weight * sum * (k1 + 1) / (sum + k1)
    }

    /// Words between the nearest occurrences of two clauses (nil when they overlap or never meet).
    static func gap(_ a: Occurrences, _ b: Occurrences) -> Int? {
        var best: Int? = nil
        var j = 0
        for start in a.starts {
            // Occurrences of b around `start`, by a merge over the sorted positions.
            while j < b.starts.count && b.starts[j] < start { j += 1 }
            for k in [j - 1, j] where k >= 0 && k < b.starts.count {
                let s = Int(b.starts[k])
                let d: Int
                if s >= Int(start) + a.length { d = s - Int(start) - a.length } else if Int(start) >= s + b.length {
                    d = Int(start) - s - b.length
                } else { continue }  // overlapping: the same words
                if best == nil || d < best! { best = d }
            }
        }
        return best
    }
}

/// One query's proximity scoring: each clause's body postings read once, then the bonus of any
/// document on demand.
final class ProximityContext {
    private let scorer: ProximityBonus
    /// Per clause: its terms in order, each term's body postings (with positions), and its idf.
    private let clauses: [(terms: [String], lists: [String: PostingList], idf: Double)]

    /// An upper bound of any document's bonus (the saturation's limit).
    var maximum: Double { scorer.weight * (scorer.k1 + 1) }

    /// Nil when the bonus cannot apply (off, or fewer than two clauses that can meet in the body).
    init?(_ searcher: Searcher, _ clauses: [Clause]) throws {
        let index = searcher.index
        scorer = ProximityBonus(weight: searcher.similarity.proximityBoost, window: 5, k1: searcher.similarity.k1)
        guard scorer.weight > 0, clauses.count >= 2 else { return nil }
        var prepared: [(terms: [String], lists: [String: PostingList], idf: Double)] = []
        for clause in clauses where clause.field == nil || clause.field == .body {
            let terms = clause.matcher.terms
            var lists: [String: PostingList] = [:]
            for term in terms where lists[term] == nil {
                if let list = try index.postingList(term, in: .body) { lists[term] = list }
            }
            let df = lists.values.map(\.documentFrequency).min() ?? 0
            guard df > 0 else { continue }
            prepared.append((terms, lists, searcher.similarity.idf(documentFrequency: df, documentCount: index.liveDocumentCount)))
        }
        guard prepared.count >= 2 else { return nil }
        self.clauses = prepared
    }

    /// The bonus of one document: each clause's occurrences there (its whole phrase where it stands
    /// together, else its pieces), then `ProximityBonus.bonus`.
    func bonus(_ doc: Int) throws -> Double {
        var present: [ProximityBonus.Occurrences] = []
        for clause in clauses {
            var positions: [String: ArraySlice<UInt32>] = [:]
            for (term, list) in clause.lists {
                if let i = list.index(of: DocID(doc)) { positions[term] = list.positions(at: i) }
            }
            guard !positions.isEmpty else { continue }
            var starts: [UInt32] = []
            var length = 1
            let unique = Set(clause.terms)
            if clause.terms.count > 1, positions.count == unique.count {
                let sets = clause.terms.map { Set(positions[$0]!) }
                starts = positions[clause.terms[0]]!.filter { start in
                    (1..<clause.terms.count).allSatisfy { sets[$0].contains(start + UInt32($0)) }
                }
                length = clause.terms.count
            }
            if starts.isEmpty {
                starts = positions.values.flatMap { $0 }.sorted()
                length = 1
            }
            present.append(ProximityBonus.Occurrences(starts: starts, length: length, idf: clause.idf))
        }
        return scorer.bonus(present)
    }
}
