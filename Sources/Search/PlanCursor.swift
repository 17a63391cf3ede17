import Indexing

/// One plan of a query (a clause's words, or its bigrams) in one segment, for
/// `MaxScoreRetrieval`: where it matches (its required matchers, leapfrogged when all are
/// needed) and what it scores there (its scored matchers' BM25 terms, in the exhaustive
/// evaluator's order; phrases last and only on request), with bounds of that score over the
/// whole segment and over the blocks around a document.
final class PlanCursor {
    let clause: Int
    /// Whether the plan's match is its clause's (else it only adds to documents the clause matched).
    let decides: Bool
    /// The last document `scoreTerms` scored (−1 before any): the plan matched it. Documents
    /// are scored in ascending order, so no per-document reset is needed.
    @exclusivity(unchecked) private var scoredDoc = -1

    /// Whether the plan matched `doc` (the document being scored): `scoreTerms` ran for it, which
    /// the caller does once `nextMatch` or `matches` found the plan there.
    @inline(__always)
    func isMatched(_ doc: Int) -> Bool { scoredDoc == doc }

    /// One field's term of a plan whose only required matcher is its only scored one, a term
    /// (the common shape: a word): its cursor, moved directly, and what scoring it needs.
    private struct Term {
        let cursor: Unmanaged<PostingCursor>
        let factor: Double
        let norm: BM25.LengthNorm
        let lengths: FieldLengths
        /// Its index in `contributions` (and `scored`).
        let slot: Int
    }
    /// Non-empty for that shape: then `nextMatch`, `matches`, `scoreTerms` and `blockBound` work
    /// on the cursors alone (the sources' own `doc` is not kept up to date).
    private let terms: UnsafeMutableBufferPointer<Term>
    /// Each term cursor's `doc`, kept here as the cursors move (only this plan moves them): read
    /// from this module, the cursor's own property would pay a dynamic exclusivity check.
    private let termDocs: UnsafeMutablePointer<Int>
    /// Whether the plan takes the single-term path (for tests).
    var isSingleTerm: Bool { !terms.isEmpty }
    /// The required matchers' sources, matcher after matcher: matcher r's fields are
    /// `requiredSources[requiredStarts[r]..<requiredStarts[r + 1]]` (flat, so the hot loop
    /// copies no arrays).
    private let requiredSources: [Borrowed<FieldSource>]
    private let requiredStarts: [Int]
    private var requiredCount: Int { requiredStarts.count - 1 }
    private let minimumMatch: Int
    /// Per scored matcher, per field of the plan, in the exhaustive evaluator's order: its
    /// source (nil where this segment's field lacks it).
    private let scored: [Borrowed<FieldSource>?]
    /// Every source of the plan: what keeps the borrowed references alive.
    private let owned: [FieldSource]
    let upperBound: Double
    /// The last document `nextMatch` or `matches` settled on (−1 before any): the plan's next match
    /// at or after the documents asked.
    @exclusivity(unchecked) private(set) var matchDoc = -1
    /// The current document's terms, in the exhaustive evaluator's order (`scored.count` of
    /// them, owned by the cursor), and their sum.
    let contributions: UnsafeMutableBufferPointer<Double>
    @exclusivity(unchecked) private(set) var sum = 0.0
    private let lengths: [FieldLengths]
    /// Per field (by raw value), BM25's length normalisation for its average length.
    private let norms: [BM25.LengthNorm]

    init(clause: Int, decides: Bool, required: [[Borrowed<FieldSource>]], minimumMatch: Int, scored: [[FieldSource?]], owned: [FieldSource],
         lengths: [FieldLengths], norms: [BM25.LengthNorm]) {
        self.clause = clause
        self.decides = decides
        requiredSources = required.flatMap { $0 }
        var starts = [0]
        var end = 0
        for sources in required {
            end += sources.count
            starts.append(end)
        }
        requiredStarts = starts
        self.minimumMatch = minimumMatch
        self.scored = scored.flatMap { $0.map { $0.map(Borrowed.init) } }
        self.owned = owned
        self.lengths = lengths
        self.norms = norms
        var bound = 0.0
        for row in scored {
            for case let source? in row {
                bound += source.factor * norms[Int(source.field.rawValue)].tfNorm(
                    termFrequency: Double(source.maxTermFrequency), fieldLength: Double(source.minFieldLength))
            }
        }
        upperBound = bound
        contributions = .allocate(capacity: self.scored.count)
        contributions.initialize(repeating: 0)
        var phrases: [(index: Int, source: Borrowed<FieldSource>)] = []
        for (i, entry) in self.scored.enumerated() {
            if let entry, entry.with({ $0.isPhrase }) { phrases.append((i, entry)) }
        }
        self.phrases = phrases
        // The single-term shape: one required matcher, which is the one scored, not a phrase.
        var single: [Term] = []
        if required.count == 1, minimumMatch == 1, scored.count == 1, phrases.isEmpty {
            var r = 0
            for (slot, entry) in scored[0].enumerated() {
                guard let source = entry else { continue }
                guard r < required[0].count, required[0][r].object === source, let cursor = source.termCursor else {
                    single = []
                    break
                }
                r += 1
                let f = Int(source.field.rawValue)
                single.append(Term(cursor: .passUnretained(cursor), factor: source.factor, norm: norms[f], lengths: lengths[f], slot: slot))
            }
            if r != required[0].count { single = [] }
        }
        terms = .allocate(capacity: single.count)
        _ = terms.initialize(from: single)
        termDocs = .allocate(capacity: single.count)
        termDocs.initialize(repeating: -1, count: single.count)
    }

    deinit {
        contributions.deallocate()
        terms.deallocate()
        termDocs.deallocate()
    }

    @exclusivity(unchecked) private var blockBound = 0.0
    @exclusivity(unchecked) private var blockEnd = -1
    @exclusivity(unchecked) private var blockStart = Int.max

    /// An upper bound of the plan's score for documents from `doc` to the returned last
    /// document, from the per-block bounds of its scored sources (no block is decoded).
    func blockBound(at doc: Int) -> (bound: Double, lastDoc: Int) {
        if doc >= blockStart && doc <= blockEnd { return (blockBound, blockEnd) }
        var bound = 0.0
        var last = PostingCursor.end
        if !terms.isEmpty {
            // As `FieldSource.blockBounds` for a term, on its cursor.
            for k in terms.indices {
                let t = terms[k], at = termDocs[k]
                if at == PostingCursor.end { continue }
                let found: (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? =
                    at > doc ? (at - 1, 0, UInt32.max) : t.cursor._withUnsafeGuaranteedRef { $0.blockBounds(at: doc) }
                guard let b = found else { continue }
                last = min(last, b.lastDoc)
                guard b.maxTermFrequency > 0 else { continue }
                bound += t.factor * t.norm.tfNorm(termFrequency: Double(b.maxTermFrequency), fieldLength: Double(b.minFieldLength))
            }
            blockStart = doc
            blockEnd = last
            blockBound = bound
            return (bound, last)
        }
        for case let entry? in scored {
            entry.with { source in
                guard let b = source.blockBounds(at: doc) else { return }
                last = min(last, b.lastDoc)
                guard b.maxTermFrequency > 0 else { return }
                bound += source.factor * norms[Int(source.field.rawValue)].tfNorm(
                    termFrequency: Double(b.maxTermFrequency), fieldLength: Double(b.minFieldLength))
            }
        }
        blockStart = doc
        blockEnd = last
        blockBound = bound
        return (bound, last)
    }

    /// The first document ≥ `target` holding required matcher `r` in some field.
    @inline(__always)
    private func advance(_ r: Int, to target: Int) throws -> Int {
        var best = PostingCursor.end
        for i in requiredStarts[r]..<requiredStarts[r + 1] {
            let d = try requiredSources[i].with { source in source.doc >= target ? source.doc : try source.advance(to: target) }
            best = min(best, d)
        }
        return best
    }

    @inline(__always)
    private func isPresent(_ r: Int, at doc: Int) -> Bool {
        for i in requiredStarts[r]..<requiredStarts[r + 1] where requiredSources[i].with({ $0.doc == doc }) { return true }
        return false
    }

    /// Moves to the first document ≥ `target` where the plan matches, and returns it.
    func nextMatch(atLeast target: Int) throws -> Int {
        if !terms.isEmpty {
            matchDoc = try nextTermDoc(target)
            return matchDoc
        }
        var candidate = target
        if minimumMatch == requiredCount {
            // Every required matcher: leapfrog.
            var r = 0
            while r < requiredCount {
                let d = try advance(r, to: candidate)
                if d == PostingCursor.end {
                    candidate = d
                    break
                }
                if d > candidate {
                    candidate = d
                    r = 0
                    continue
                }
                r += 1
            }
        } else {
            while true {
                var best = PostingCursor.end
                for r in 0..<requiredCount { best = min(best, try advance(r, to: candidate)) }
                candidate = best
                if best == PostingCursor.end { break }
                var count = 0
                for r in 0..<requiredCount where isPresent(r, at: best) { count += 1 }
                if count >= minimumMatch { break }
                candidate = best + 1
            }
        }
        matchDoc = candidate
        return candidate
    }

    /// Whether the plan matches `doc`. Documents are asked in ascending order; a plan that
    /// already found its next match past `doc` does not match it.
    func matches(_ doc: Int) throws -> Bool {
        if matchDoc >= doc { return matchDoc == doc }
        if !terms.isEmpty {
            guard try nextTermDoc(doc) == doc else { return false }
            matchDoc = doc
            return true
        }
        var count = 0
        for r in 0..<requiredCount where try advance(r, to: doc) == doc { count += 1 }
        guard count >= minimumMatch else { return false }
        matchDoc = doc
        return true
    }

    /// The single-term shape: the first document ≥ `target` where any field holds the term
    /// (each cursor moved there).
    @inline(__always)
    private func nextTermDoc(_ target: Int) throws -> Int {
        var best = PostingCursor.end
        for k in terms.indices {
            var d = termDocs[k]
            if d < target {
                d = try terms[k].cursor._withUnsafeGuaranteedRef { try $0.advance(to: target) }
                termDocs[k] = d
            }
            best = min(best, d)
        }
        return best
    }

    /// The scored phrases (index in `scored`, source), and whether `scoreTerms` left them for
    /// `addPhrases`.
    private let phrases: [(index: Int, source: Borrowed<FieldSource>)]
    @exclusivity(unchecked) private var phrasesPending = false

    /// What `source` scores in `doc` with `frequency` occurrences.
    @inline(__always)
    private func weighted(_ source: FieldSource, frequency: Int, _ doc: Int) -> Double {
        let f = Int(source.field.rawValue)
        return source.factor * norms[f].tfNorm(termFrequency: Double(frequency), fieldLength: Double(lengths[f][doc]))
    }

    /// Scores the terms of `doc`, which the plan matches, into `contributions` and `sum`, and
    /// marks the plan matched; its phrases (positions) wait for `addPhrases`, for a document that
    /// can still enter. Returns the terms' sum and a bound of what the phrases can add.
    func scoreTerms(_ doc: Int) throws -> (terms: Double, phrases: Double) {
        scoredDoc = doc
        if !terms.isEmpty {
            // The same values and sum as below: a field the segment lacks adds +0 there (its
            // contribution stays 0), which leaves a sum that starts at +0 unchanged.
            var sum = 0.0
            for k in terms.indices {
                let t = terms[k]
                var d = termDocs[k]
                if d < doc {
                    d = try t.cursor._withUnsafeGuaranteedRef { try $0.advance(to: doc) }
                    termDocs[k] = d
                }
                let value = d == doc
                    ? t.factor * t.norm.tfNorm(termFrequency: Double(t.cursor._withUnsafeGuaranteedRef { $0.termFrequency }), fieldLength: Double(t.lengths[doc]))
                    : 0
                contributions[t.slot] = value
                sum += value
            }
            self.sum = sum
            return (sum, 0)
        }
        var sum = 0.0
        for i in scored.indices {
            var value = 0.0
            if let entry = scored[i] {
                if !entry.with({ $0.isPhrase }) {
                    value = try entry.with { source in
                        try source.advance(to: doc) == doc ? weighted(source, frequency: source.termFrequency, doc) : 0
                    }
                }
            }
            contributions[i] = value
            sum += value
        }
        self.sum = sum
        phrasesPending = !phrases.isEmpty
        return (sum, phrasesPending ? try pendingPhraseBound(doc) : 0)
    }

    /// An upper bound of what `addPhrases` adds for `doc`: each phrase scored at the most its
    /// terms' frequencies there allow (no positions read).
    private func pendingPhraseBound(_ doc: Int) throws -> Double {
        var bound = 0.0
        for (_, entry) in phrases {
            bound += try entry.with { source in
                let frequency = try source.maxFrequency(at: doc)
                return frequency > 0 ? weighted(source, frequency: frequency, doc) : 0
            }
        }
        return bound
    }

    /// Adds the phrases' part of `doc`'s score (after `scoreTerms`), and returns it.
    func addPhrases(_ doc: Int) throws -> Double {
        var added = 0.0
        guard phrasesPending else { return 0 }
        phrasesPending = false
        for (index, entry) in phrases {
            let value = try entry.with { source in
                try source.advance(to: doc) == doc ? weighted(source, frequency: source.termFrequency, doc) : 0
            }
            guard value != 0 else { continue }
            contributions[index] = value
            sum += value
            added += value
        }
        return added
    }
}
