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
        return saturated(sum)
    }

    /// The bonus of a sum over close pairs.
    func saturated(_ sum: Double) -> Double {
        // (No close pair: no bonus — and no 0/0 when k1 is 0.)
        guard sum > 0 else { return 0 }
        return weight * sum * (k1 + 1) / (sum + k1)
    }

    /// Words between the nearest occurrences of two clauses (nil when they overlap or never meet).
    static func gap(_ a: Occurrences, _ b: Occurrences) -> Int? {
        a.starts.withUnsafeBufferPointer { aStarts in
            b.starts.withUnsafeBufferPointer { bStarts in gap(aStarts, a.length, bStarts, b.length) }
        }
    }

    /// Words between the nearest of occurrences starting at `a` (each `aLength` words long) and
    /// at `b`, both ascending.
    static func gap(_ a: UnsafeBufferPointer<UInt32>, _ aLength: Int, _ b: UnsafeBufferPointer<UInt32>, _ bLength: Int) -> Int? {
        var best: Int? = nil
        var j = 0
        for start in a {
            // Occurrences of b around `start`, by a merge over the sorted positions.
            while j < b.count && b[j] < start { j += 1 }
            for k in (j - 1)...j where k >= 0 && k < b.count {  // (a range: no array per start)
                let s = Int(b[k])
                let d: Int
                if s >= Int(start) + aLength { d = s - Int(start) - aLength } else if Int(start) >= s + bLength {
                    d = Int(start) - s - bLength
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
        clauseCount = prepared.count
        var termBase: [Int] = [], phraseBase: [Int] = [], phraseCounts: [Int] = [], phraseSlots: [Int] = []
        var terms = 0
        for clause in prepared {
            termBase.append(terms)
            // Each of the clause's terms by its index among the present ones (nil: not in the body).
            let slots = clause.terms.map { clause.present.firstIndex(of: $0) }
            phraseBase.append(phraseSlots.count)
            if clause.terms.count > 1, !slots.contains(nil) {
                phraseCounts.append(slots.count)
                phraseSlots += slots.map { terms + $0! }
            } else {
                phraseCounts.append(0)
            }
            terms += clause.present.count
        }
        self.termBase = termBase
        termCounts = prepared.map(\.present.count)
        self.phraseBase = phraseBase
        self.phraseCounts = phraseCounts
        self.phraseSlots = phraseSlots
        idfs = prepared.map(\.idf)
        termFrom = .allocate(capacity: terms)
        termTo = .allocate(capacity: terms)
        clausePresent = .allocate(capacity: prepared.count)
        foundFrom = .allocate(capacity: prepared.count)
        foundTo = .allocate(capacity: prepared.count)
        foundLength = .allocate(capacity: prepared.count)
        foundIdf = .allocate(capacity: prepared.count)
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
    /// together, else its pieces), then `ProximityBonus.bonus`. `append(c, t, i, &positions)`
    /// appends the body positions in the document of clause c's present term t (`i`: its index
    /// among every clause's present terms, `terms(ofClause:)`) and says whether it is there.
    func bonus(appending append: (_ clause: Int, _ term: Int, _ index: Int, _ positions: inout [UInt32]) throws -> Bool) throws -> Double {
        // Buffers kept between documents (a query runs on one thread): nothing allocated or
        // retained per document.
        arena.removeAll(keepingCapacity: true)
        for c in 0..<clauseCount {
            var present = 0
            for t in 0..<termCounts[c] {
                let i = termBase[c] + t
                let from = arena.count
                if try append(c, t, i, &arena) {
                    termFrom[i] = from
                    termTo[i] = arena.count
                    present += 1
                } else {
                    termFrom[i] = -1
                }
            }
            clausePresent[c] = present
        }
        starts.removeAll(keepingCapacity: true)
        var found = 0
        arena.withUnsafeBufferPointer { positions in
            func termPositions(_ i: Int) -> UnsafeBufferPointer<UInt32> {
                UnsafeBufferPointer(rebasing: positions[termFrom[i]..<termTo[i]])
            }
            for c in 0..<clauseCount where clausePresent[c] > 0 {
                let from = starts.count
                var length = 1
                // The whole phrase, where every distinct term of it occurs.
                let n = phraseCounts[c]
                if n > 0, clausePresent[c] == termCounts[c] {
                    let slots = phraseBase[c]
                    for start in termPositions(phraseSlots[slots]) {
                        var whole = true
                        for k in 1..<n where !Self.contains(termPositions(phraseSlots[slots + k]), start + UInt32(k)) {
                            whole = false
                            break
                        }
                        if whole { starts.append(start) }
                    }
                    length = n
                }
                if starts.count == from {
                    for t in 0..<termCounts[c] where termFrom[termBase[c] + t] >= 0 {
                        starts.append(contentsOf: termPositions(termBase[c] + t))
                    }
                    starts[from...].sort()
                    length = 1
                }
                foundFrom[found] = from
                foundTo[found] = starts.count
                foundLength[found] = length
                foundIdf[found] = idfs[c]
                found += 1
            }
        }
        // Pairs in clause order, as `ProximityBonus.bonus` sums them. At most `maximum` to the
        // bit (with k1 = 0, w·s/s can round an ulp above w·p/p), as pruning assumes. Both
        // evaluators share this, so their scores agree.
        return starts.withUnsafeBufferPointer { starts in
            var sum = 0.0
            for a in 0..<found {
                let startsA = UnsafeBufferPointer(rebasing: starts[foundFrom[a]..<foundTo[a]])
                for b in (a + 1)..<max(a + 1, found) {
                    let startsB = UnsafeBufferPointer(rebasing: starts[foundFrom[b]..<foundTo[b]])
                    guard let d = ProximityBonus.gap(startsA, foundLength[a], startsB, foundLength[b]), d <= scorer.window else { continue }
                    sum += (foundIdf[a] + foundIdf[b]) / 2 / Double((1 + d) * (1 + d))
                }
            }
            return found >= 2 ? min(scorer.saturated(sum), maximum) : 0
        }
    }

    /// Clause c's present terms' indexes among every clause's present terms (`bonus`'s `index`).
    func terms(ofClause c: Int) -> Range<Int> { termBase[c]..<(termBase[c] + termCounts[c]) }

    // The clauses flattened: per clause its first present term's index, their number, its phrase
    // (length 0 where it cannot stand whole: one term, or one absent from the body) as indexes
    // of present terms in `phraseSlots` from `phraseBase`, and its idf.
    private let clauseCount: Int
    private let termBase: [Int], termCounts: [Int]
    private let phraseBase: [Int], phraseCounts: [Int], phraseSlots: [Int]
    private let idfs: [Double]

    // Per document: every present term's positions in `arena` (`termFrom` −1 where absent), each
    // clause's number of present terms, and each clause found's starts in `starts`.
    @exclusivity(unchecked) private var arena: [UInt32] = []
    @exclusivity(unchecked) private var starts: [UInt32] = []
    private let termFrom: UnsafeMutablePointer<Int>, termTo: UnsafeMutablePointer<Int>
    private let clausePresent: UnsafeMutablePointer<Int>
    private let foundFrom: UnsafeMutablePointer<Int>, foundTo: UnsafeMutablePointer<Int>, foundLength: UnsafeMutablePointer<Int>
    private let foundIdf: UnsafeMutablePointer<Double>

    deinit {
        for buffer in [termFrom, termTo, clausePresent, foundFrom, foundTo, foundLength] { buffer.deallocate() }
        foundIdf.deallocate()
    }

    /// Whether ascending `positions` holds `value` (binary search).
    private static func contains(_ positions: UnsafeBufferPointer<UInt32>, _ value: UInt32) -> Bool {
        var low = 0, high = positions.count
        while low < high {
            let mid = (low + high) / 2
            if positions[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < positions.count && positions[low] == value
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
        try context.bonus { c, t, _, positions in
            let term = context.clauses[c].present[t]
            if lists[term] == nil { lists[term] = try index.postingList(term, in: .body) }
            guard let list = lists[term], let i = list.index(of: DocID(doc)) else { return false }
            positions.append(contentsOf: list.positions(at: i))
            return true
        }
    }
}

/// The proximity bonus in one segment, from body cursors with positions moved forward to each
/// document asked.
final class SegmentProximity {
    private let context: ProximityContext
    /// Per present term of every clause (`ProximityContext.terms(ofClause:)`): its body cursor, nil
    /// where this segment lacks it; borrowed from `owned` (no retain per document).
    private let owned: [PostingCursor?]
    private let cursors: [Borrowed<PostingCursor>?]
    /// Per clause, its first present term's index and their number.
    private let clauseTerms: [Range<Int>]

    init(_ context: ProximityContext, segment: Int, _ reader: SegmentReader, _ terms: MaxScoreRetrieval.TermLookups) throws {
        self.context = context
        owned = try context.clauses.flatMap { clause in
            try clause.present.map { term in
                try terms.info(term, .body, segment: segment).map { try reader.cursor($0, positions: true) }
            }
        }
        cursors = owned.map { $0.map(Borrowed.init) }
        clauseTerms = context.clauses.indices.map(context.terms(ofClause:))
        present = .allocate(capacity: context.clauses.count)
        present.initialize(repeating: false)
    }

    private func bonus(_ doc: Int) throws -> Double {
        try context.bonus { _, _, i, positions in
            guard let cursor = cursors[i], try cursor.with({ try $0.advance(to: doc) }) == doc else { return false }
            try cursor.with { try $0.appendPositions(to: &positions) }
            return true
        }
    }

    /// `bonus(doc)` where it can make a document of `score` enter at `entry`; else 0, without
    /// reading a position. Most documents of an OR query hold one clause in their body (no pair:
    /// no bonus) or a few whose pairs together cannot lift it to `entry`, which the cursors'
    /// documents alone tell.
    func bonus(_ doc: Int, score: Double, entry: Double) throws -> Double {
        var count = 0
        for c in clauseTerms.indices {
            present[c] = false
            for i in clauseTerms[c] {
                if let cursor = cursors[i], try cursor.with({ try $0.advance(to: doc) }) == doc {
                    present[c] = true
                    count += 1
                    break
                }
            }
        }
        guard count >= 2 else { return 0 }
        if count < clauseTerms.count {
            guard score + context.maximum(present: UnsafeBufferPointer(present)) >= entry else { return 0 }
        }
        return try bonus(doc)
    }

    /// Per clause, whether the document being scored holds it in its body.
    private let present: UnsafeMutableBufferPointer<Bool>

    deinit { present.deallocate() }
}
