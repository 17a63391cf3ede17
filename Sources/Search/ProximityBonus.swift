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
        // (No close pair: no bonus — and no 0/0 when k1 is 0.)
        guard sum > 0 else { return 0 }
        return weight * sum * (k1 + 1) / (sum + k1)
    }

    /// Words between the nearest occurrences of two clauses (nil when they overlap or never meet).
    static func gap(_ a: Occurrences, _ b: Occurrences) -> Int? {
        var best: Int? = nil
        var j = 0
        for start in a.starts {
            // Occurrences of b around `start`, by a merge over the sorted positions.
            while j < b.starts.count && b.starts[j] < start { j += 1 }
            for k in (j - 1)...j where k >= 0 && k < b.starts.count {  // (a range: no array per start)
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

/// One query's proximity scoring: which clauses can meet in the body and their idf, bound once;
/// then the bonus of any document from its positions, however the caller reads them (whole
/// postings lists, or cursors a document at a time).
final class ProximityContext {
    private let scorer: ProximityBonus
    /// Per clause: its terms in order, those that occur in the body at all, and its idf.
    let clauses: [(terms: [String], present: [String], idf: Double)]
    /// Per clause, for each of its terms, its index in `present` (nil when absent from the body).
    private let slots: [[Int?]]

    /// An upper bound of any document's bonus: every pair of clauses adjacent (gap 0), which
    /// for common words is far below the saturation's limit, weight · (k1 + 1).
    let maximum: Double

    /// Nil when the bonus cannot apply (off, or fewer than two clauses that can meet in the body).
    /// `bodyFrequency` is a term's live document frequency in the body.
    init?(_ searcher: Searcher, _ clauses: [Clause], bodyFrequency: (String) throws -> Int) throws {
        scorer = ProximityBonus(weight: searcher.similarity.proximityBoost, window: 5, k1: searcher.similarity.k1)
        guard scorer.weight > 0, clauses.count >= 2 else { return nil }
        var prepared: [(terms: [String], present: [String], idf: Double)] = []
        for clause in clauses where clause.field == nil || clause.field == .body {
            let terms = clause.matcher.terms
            var present: [String] = []
            var seen = Set<String>()
            var df = Int.max
            for term in terms where seen.insert(term).inserted {
                let f = try bodyFrequency(term)
                if f > 0 {
                    present.append(term)
                    df = min(df, f)
                }
            }
            guard !present.isEmpty else { continue }
            prepared.append((terms, present, searcher.similarity.idf(documentFrequency: df, documentCount: searcher.index.liveDocumentCount)))
        }
        guard prepared.count >= 2 else { return nil }
        self.clauses = prepared
        maximum = Self.bound(scorer, idfs: prepared.map(\.idf))
        slots = prepared.map { clause in clause.terms.map { clause.present.firstIndex(of: $0) } }
    }

    /// The bonus of clauses with these idfs all adjacent to one another.
    private static func bound(_ scorer: ProximityBonus, idfs: some Collection<Double>) -> Double {
        var pairs = 0.0
        for (a, idfA) in idfs.enumerated() {
            for idfB in idfs.dropFirst(a + 1) { pairs += (idfA + idfB) / 2 }
        }
        return pairs > 0 ? scorer.weight * pairs * (scorer.k1 + 1) / (pairs + scorer.k1) : 0
    }

    /// An upper bound of the bonus of a document whose body holds only the clauses marked in
    /// `present`: `maximum` over their pairs alone.
    func maximum(present: UnsafeBufferPointer<Bool>) -> Double {
        Self.bound(scorer, idfs: clauses.indices.lazy.filter { present[$0] }.map { self.clauses[$0].idf })
    }

    /// The bonus of one document: each clause's occurrences there (its whole phrase where it stands
    /// together, else its pieces), then `ProximityBonus.bonus`. `positions(c, t)` gives the body
    /// positions in the document of clause c's present term t (nil when it is not there).
    func bonus(positions: (_ clause: Int, _ term: Int) throws -> ArraySlice<UInt32>?) throws -> Double {
        // Buffers kept between documents (a query runs on one thread): no arrays made per call.
        found.removeAll(keepingCapacity: true)
        for (c, clause) in clauses.enumerated() {
            positionsOf.removeAll(keepingCapacity: true)
            var present = 0
            for t in clause.present.indices {
                let p = try positions(c, t)
                if p != nil { present += 1 }
                positionsOf.append(p)
            }
            guard present > 0 else { continue }
            var starts = spare.popLast() ?? []
            starts.removeAll(keepingCapacity: true)
            var length = 1
            // The whole phrase, where every distinct term of it occurs (present == all of them).
            if clause.terms.count > 1, present == clause.present.count, !slots[c].contains(nil) {
                let first = positionsOf[slots[c][0]!]!
                for start in first where (1..<slots[c].count).allSatisfy({ Self.contains(positionsOf[slots[c][$0]!]!, start + UInt32($0)) }) {
                    starts.append(start)
                }
                length = clause.terms.count
            }
            if starts.isEmpty {
                for case let p? in positionsOf { starts.append(contentsOf: p) }
                starts.sort()
                length = 1
            }
            found.append(ProximityBonus.Occurrences(starts: starts, length: length, idf: clause.idf))
        }
        // At most `maximum` to the bit (with k1 = 0, w·s/s can round an ulp above w·p/p), as
        // pruning assumes. Both evaluators share this, so their scores agree.
        let bonus = min(scorer.bonus(found), maximum)
        for occurrences in found { spare.append(occurrences.starts) }
        found.removeAll(keepingCapacity: true)
        return bonus
    }

    @exclusivity(unchecked) private var found: [ProximityBonus.Occurrences] = []
    @exclusivity(unchecked) private var positionsOf: [ArraySlice<UInt32>?] = []
    /// Start lists of earlier documents, for reuse.
    @exclusivity(unchecked) private var spare: [[UInt32]] = []

    /// Whether ascending `positions` holds `value` (binary search).
    private static func contains(_ positions: ArraySlice<UInt32>, _ value: UInt32) -> Bool {
        var low = positions.startIndex, high = positions.endIndex
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < positions.endIndex && positions[low] == value
    }
}

/// The bonus over whole postings lists (the exhaustive evaluator's way): each term's body
/// postings read once, on first use.
final class ListProximity {
    let context: ProximityContext
    private let index: any SearchableIndex
    private var lists: [String: PostingList] = [:]

    init?(_ searcher: Searcher, _ clauses: [Clause]) throws {
        let index = searcher.index
        guard let context = try ProximityContext(searcher, clauses, bodyFrequency: {
            try index.postingList($0, in: .body, positions: false)?.documentFrequency ?? 0
        }) else { return nil }
        self.context = context
        self.index = index
    }

    var maximum: Double { context.maximum }

    func bonus(_ doc: Int) throws -> Double {
        try context.bonus { c, t in
            let term = context.clauses[c].present[t]
            if lists[term] == nil { lists[term] = try index.postingList(term, in: .body) }
            guard let list = lists[term], let i = list.index(of: DocID(doc)) else { return nil }
            return list.positions(at: i)
        }
    }
}

/// The proximity bonus in one segment, from body cursors with positions moved forward to each
/// document asked.
final class SegmentProximity {
    private let context: ProximityContext
    /// Per clause, per present term: its body cursor (nil where this segment lacks it), and a
    /// buffer for its positions.
    private let cursors: [[PostingCursor?]]
    @exclusivity(unchecked) private var buffers: [[[UInt32]]]

    init(_ context: ProximityContext, segment: Int, _ reader: SegmentReader, _ terms: MaxScoreRetrieval.TermLookups) throws {
        self.context = context
        cursors = try context.clauses.map { clause in
            try clause.present.map { term in
                try terms.info(term, .body, segment: segment).map { try reader.cursor($0, positions: true) }
            }
        }
        buffers = context.clauses.map { Array(repeating: [], count: $0.present.count) }
        present = .allocate(capacity: context.clauses.count)
        present.initialize(repeating: false)
    }

    func bonus(_ doc: Int) throws -> Double {
        try context.bonus { c, t in
            guard let cursor = cursors[c][t], try cursor.advance(to: doc) == doc else { return nil }
            try cursor.positions(into: &buffers[c][t])
            return buffers[c][t][...]
        }
    }

    /// `bonus(doc)` where it can make a document of `score` enter at `entry`; else 0, without
    /// reading a position. Most documents of an OR query hold one clause in their body (no pair:
    /// no bonus) or a few whose pairs together cannot lift it to `entry`, which the cursors'
    /// documents alone tell.
    func bonus(_ doc: Int, score: Double, entry: Double) throws -> Double {
        var count = 0
        for c in cursors.indices {
            present[c] = false
            for cursor in cursors[c] {
                if let cursor, try cursor.advance(to: doc) == doc {
                    present[c] = true
                    count += 1
                    break
                }
            }
        }
        guard count >= 2 else { return 0 }
        if count < cursors.count {
            guard score + context.maximum(present: UnsafeBufferPointer(present)) >= entry else { return 0 }
        }
        return try bonus(doc)
    }

    /// Per clause, whether the document being scored holds it in its body.
    private let present: UnsafeMutableBufferPointer<Bool>

    deinit { present.deallocate() }
}
