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
    /// The last document `scoreTerms` (or `scoreSingle`) scored (−1 before any): the plan matched
    /// it. Documents are scored in ascending order, so no per-document reset is needed.
    @exclusivity(unchecked) private var scoredDoc = -1

    /// Whether the plan matched `doc` (the document being scored): `scoreTerms` ran for it, which
    /// the caller does once `nextMatch` or `matches` found the plan there.
    @inline(__always)
    func isMatched(_ doc: Int) -> Bool { scoredDoc == doc }

    /// A term's source (a term matcher in one field): its postings cursor, moved directly (not
    /// through its `FieldSource`, whose own `doc` then stays behind and is never read), and what
    /// scoring it needs. Phrases keep their `FieldSource`.
    private struct Slot {
        let cursor: Unmanaged<PostingCursor>
        /// The cursor's `window`: its `doc`, moves within its block and frequency, inline.
        let window: UnsafeMutablePointer<PostingCursor.Window>
        let factor: Double
        let norm: BM25.LengthNorm
        let lengths: FieldLengths
        /// The last document of the decoded block whose best score `exactBound` holds (−1:
        /// none yet), for an exact `blockBound`.
        var exactUpto = -1
        var exactBound = 0.0

        /// What the term scores `frequency` times in a field of `length` (as `weighted`): one
        /// arithmetic for scores and their bounds, which pruning needs to the bit.
        @inline(__always)
        func score(frequency: Int, length: Int) -> Double {
            factor * norm.tfNorm(termFrequency: Double(frequency), fieldLength: Double(length))
        }
    }
    private let slots: UnsafeMutableBufferPointer<Slot>
    /// Per required source (as `requiredSources`) and per scored entry (as `scored`): its slot,
    /// or −1 (a phrase, or no source).
    private let requiredSlots: UnsafeMutableBufferPointer<Int>
    private let scoredSlots: UnsafeMutableBufferPointer<Int>
    /// One required matcher, a term in every field: the plan matches where any of its cursors
    /// stands (no leapfrog).
    private let singleRequired: Bool
    /// Every required matcher a term in one field, all needed (a split word's pieces in one
    /// field): `nextMatch` leapfrogs their cursors directly.
    private let conjunction: Bool
    /// Whether the plan is one term matcher, required and scored, in each of its fields.
    var isSingleTerm: Bool { singleRequired && phrases.isEmpty && scoredSlots.filter { $0 >= 0 } == Array(requiredSlots) }
    /// Whether the plan scores phrases (positions): without, `sum` is its contributions summed in
    /// order from 0.
    var hasPhrases: Bool { !phrases.isEmpty }
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
    /// at or after the documents asked. (`nextSingle` leaves it behind; `matches` then asks the
    /// cursors again.)
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
        // One slot per term source (a source both required and scored is one slot).
        var found: [Slot] = []
        var slotOf: [ObjectIdentifier: Int] = [:]
        func slot(_ source: FieldSource) -> Int {
            guard let cursor = source.termCursor else { return -1 }
            if let s = slotOf[ObjectIdentifier(source)] { return s }
            let f = Int(source.field.rawValue)
            found.append(Slot(cursor: .passUnretained(cursor), window: cursor.window, factor: source.factor, norm: norms[f], lengths: lengths[f]))
            slotOf[ObjectIdentifier(source)] = found.count - 1
            return found.count - 1
        }
        let required = requiredSources.map { slot($0.object) }
        let scoredSlots = self.scored.map { $0.map { slot($0.object) } ?? -1 }
        slots = .allocate(capacity: found.count)
        _ = slots.initialize(from: found)
        requiredSlots = .allocate(capacity: required.count)
        _ = requiredSlots.initialize(from: required)
        self.scoredSlots = .allocate(capacity: scoredSlots.count)
        _ = self.scoredSlots.initialize(from: scoredSlots)
        singleRequired = starts.count == 2 && !required.contains(-1)
        conjunction = minimumMatch == starts.count - 1 && starts.count > 2 && required.count == starts.count - 1 && !required.contains(-1)
        // (Scored entries without a source, fields lacking the term, stay 0.)
        let scoredEntries = self.scored
        let sourced = scoredSlots.indices.filter { scoredSlots[$0] >= 0 || scoredEntries[$0] != nil }
        let isSingle = found.count == 1 && required == [0] && sourced.count == 1 && scoredSlots[sourced[0]] == 0 && phrases.isEmpty
        single = isSingle ? found[0].window : nil
        singleEntry = isSingle ? sourced[0] : 0
    }

    deinit {
        contributions.deallocate()
        slots.deallocate()
        requiredSlots.deallocate()
        scoredSlots.deallocate()
    }

    /// The window of the plan's only source when the plan is one term in one field, required and
    /// scored (nil otherwise): `MaxScoreRetrieval` moves and scores such a plan inline, through
    /// `nextSingle` and `scoreSingle`.
    let single: UnsafeMutablePointer<PostingCursor.Window>?
    /// Its entry in `contributions` (the others, fields without the term, are 0).
    private let singleEntry: Int

    /// How many postings its required terms have in the segment (a measure of the documents it
    /// proposes).
    var requiredPostings: Int {
        requiredSlots.reduce(0) { $0 + ($1 >= 0 ? slots[$1].cursor._withUnsafeGuaranteedRef { $0.documentFrequency } : 0) }
    }

    /// `nextMatch` for a plan of one term in one field.
    /// (It leaves `matchDoc` behind: harmless, `matches` then asks the cursor.)
    @inline(__always)
    func nextSingle(atLeast target: Int) throws -> Int {
        try move(0, to: target)
    }

    /// The score of a plan of one term in one field at `doc`, where its cursor stands (nothing
    /// recorded: for `WindowedUnion`).
    @inline(__always)
    func singleScore(_ doc: Int) -> Double {
        let t = slots[0]
        return t.score(frequency: t.window.pointee.termFrequency, length: Int(t.lengths[doc]))
    }

    /// Whether the plan matches `doc` (documents asked in ascending order): `matches`, or for a
    /// plan of one term in one field, its cursor moved there.
    @inline(__always)
    func matchesAt(_ doc: Int) throws -> Bool {
        single != nil ? try nextSingle(atLeast: doc) == doc : try matches(doc)
    }

    /// `scoreTerms` for a plan of one term in one field, whose cursor stands on `doc`: its score
    /// there (no phrases to wait for).
    @inline(__always)
    func scoreSingle(_ doc: Int) -> Double {
        let value = singleScore(doc)
        scoredDoc = doc
        contributions[singleEntry] = value
        sum = value
        return value
    }

    /// Moves slot `s`'s cursor to its first document ≥ `target`, and returns it.
    @inline(__always)
    private func move(_ s: Int, to target: Int) throws -> Int {
        if let d = slots[s].window.pointee.advanceInBlock(to: target) { return d }
        return try slots[s].cursor._withUnsafeGuaranteedRef { try $0.advance(to: target) }
    }

    @exclusivity(unchecked) private var blockBound = 0.0
    @exclusivity(unchecked) private var blockEnd = -1
    @exclusivity(unchecked) private var blockStart = Int.max

    /// An upper bound of the plan's score for documents from `doc` to the returned last
    /// document, summed in its score's order, from the per-block bounds of its scored sources
    /// (no block is decoded).
    func blockBound(at doc: Int) -> (bound: Double, lastDoc: Int) {
        if doc >= blockStart && doc <= blockEnd { return (blockBound, blockEnd) }
        var bound = 0.0
        var last = PostingCursor.end
        for i in scored.indices {
            let s = scoredSlots[i]
            if s >= 0 {
                // As `FieldSource.blockBounds` for a term, on its cursor.
                let t = slots[s], at = t.window.pointee.doc
                if at == PostingCursor.end { continue }
                let found: (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? =
                    at > doc ? (at - 1, 0, UInt32.max) : t.cursor._withUnsafeGuaranteedRef { $0.blockBounds(at: doc) }
                guard let b = found else { continue }
                last = min(last, b.lastDoc)
                guard b.maxTermFrequency > 0 else { continue }
                bound += t.score(frequency: Int(b.maxTermFrequency), length: Int(b.minFieldLength))
            } else if let entry = scored[i] {
                entry.with { source in
                    guard let b = source.blockBounds(at: doc) else { return }
                    last = min(last, b.lastDoc)
                    guard b.maxTermFrequency > 0 else { return }
                    bound += source.factor * norms[Int(source.field.rawValue)].tfNorm(
                        termFrequency: Double(b.maxTermFrequency), fieldLength: Double(b.minFieldLength))
                }
            }
        }
        blockStart = doc
        blockEnd = last
        blockBound = bound
        return (bound, last)
    }

    /// As `blockBound`, tighter, for a plan of terms only (`isSingleTerm`) that proposes
    /// documents: each term's best score in the block its cursor holds at `doc` (moving the cursor
    /// there and decoding the block, which the plan visits anyway), summed in the score's order.
    /// For a plan of one term, its best score there.
    func exactBlockBound(at doc: Int) throws -> (bound: Double, lastDoc: Int) {
        var bound = 0.0
        var last = PostingCursor.end
        for i in scored.indices {
            let s = scoredSlots[i]
            guard s >= 0, try move(s, to: doc) != PostingCursor.end else { continue }
            let t = slots[s]
            let window = t.window.pointee
            let blockLast = Int(window.ids[window.count - 1])
            if t.exactUpto != blockLast {
                // The best score among the block's documents from the cursor's on (a superset of
                // those from `doc` on), computed as `scoreTerms` does.
                var best = 0.0
                for p in window.index..<window.count {
                    best = max(best, t.score(frequency: Int(window.frequencies[p]), length: Int(t.lengths[Int(window.ids[p])])))
                }
                slots[s].exactUpto = blockLast
                slots[s].exactBound = best
            }
            last = min(last, blockLast)
            bound += slots[s].exactBound
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
            let s = requiredSlots[i]
            let d = s >= 0 ? try move(s, to: target) : try requiredSources[i].with { source in source.doc >= target ? source.doc : try source.advance(to: target) }
            best = min(best, d)
        }
        return best
    }

    @inline(__always)
    private func isPresent(_ r: Int, at doc: Int) -> Bool {
        for i in requiredStarts[r]..<requiredStarts[r + 1] {
            let s = requiredSlots[i]
            if s >= 0 ? slots[s].window.pointee.doc == doc : requiredSources[i].with({ $0.doc == doc }) { return true }
        }
        return false
    }

    /// Moves to the first document ≥ `target` where the plan matches, and returns it.
    func nextMatch(atLeast target: Int) throws -> Int {
        if singleRequired {
            // Leapfrogging one matcher lands where its first field does.
            var best = PostingCursor.end
            for i in requiredSlots.indices { best = min(best, try move(requiredSlots[i], to: target)) }
            matchDoc = best
            return best
        }
        var candidate = target
        if conjunction {
            var r = 0
            while r < requiredSlots.count {
                let d = try move(requiredSlots[r], to: candidate)
                if d > candidate {
                    candidate = d
                    if d == PostingCursor.end { break }
                    r = 0
                    continue
                }
                r += 1
            }
        } else if minimumMatch == requiredCount {
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
        var count = 0
        for r in 0..<requiredCount where try advance(r, to: doc) == doc { count += 1 }
        guard count >= minimumMatch else { return false }
        matchDoc = doc
        return true
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
        var sum = 0.0
        // Terms (a phrase, or no source, scores 0 here), as `weighted` would score them.
        for i in scoredSlots.indices {
            var value = 0.0
            let s = scoredSlots[i]
            if s >= 0, try move(s, to: doc) == doc {
                let t = slots[s]
                value = t.score(frequency: t.window.pointee.termFrequency, length: Int(t.lengths[doc]))
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
