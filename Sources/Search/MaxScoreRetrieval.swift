import Indexing

/// Top-k retrieval, document at a time, with MaxScore pruning (Turtle & Flood, 1995; as in
/// Lucene and PISA), for the query most searches are: one or more clauses, any of which may match.
///
/// Every clause becomes one or two *plans* (its words, its character bigrams), each matching where
/// its required matchers occur and scoring the BM25 sum of its scored ones. A plan's score has an
/// upper bound from its terms' largest frequency and shortest field (stored per term and per
/// block of 128 postings). Plans are ordered by bound; those whose bounds together (plus the
/// largest proximity bonus) cannot reach the k-th best score so far are *non-essential*: they
/// never propose a document, and are looked up only for documents an essential plan proposes, and
/// only while the document can still make it. The result is exactly the exhaustive one: the same
/// documents, the same scores (summed in the exhaustive evaluator's order), the same ties.
struct MaxScoreRetrieval {
    let searcher: Searcher
    let snapshot: IndexSnapshot
    let clauses: [Clause]
    /// Per segment, which local documents the filters let through (nil: all of them).
    let allowed: [[Bool]]?
    /// Each term's dictionary entries and live document frequency, looked up once per query.
    private let terms: TermLookups

    init(searcher: Searcher, snapshot: IndexSnapshot, clauses: [Clause], allowed: [[Bool]]? = nil) {
        self.searcher = searcher
        self.snapshot = snapshot
        self.clauses = clauses
        self.allowed = allowed
        terms = TermLookups(snapshot)
    }

    final class TermLookups {
        struct Key: Hashable {
            var field: Field
            var term: String
        }
        private let snapshot: IndexSnapshot
        private var entries: [Key: (infos: [SegmentReader.TermInfo?], documentFrequency: Int)] = [:]
        /// Whether threads share it now: then it is only read (a term not yet looked up is looked
        /// up again each time).
        private var frozen = false

        init(_ snapshot: IndexSnapshot) { self.snapshot = snapshot }

        private func entry(_ term: String, _ field: Field) throws -> (infos: [SegmentReader.TermInfo?], documentFrequency: Int) {
            let key = Key(field: field, term: term)
            if let found = entries[key] { return found }
            let infos = try snapshot.termInfos(term, in: field)
            let found = (infos, try snapshot.documentFrequency(infos))
            if !frozen { entries[key] = found }
            return found
        }

        /// From now on only read, so that threads can share it.
        func freeze() { frozen = true }

        func documentFrequency(_ term: String, _ field: Field) throws -> Int { try entry(term, field).documentFrequency }
        func info(_ term: String, _ field: Field, segment: Int) throws -> SegmentReader.TermInfo? { try entry(term, field).infos[segment] }
    }

    /// The flat disjunction this algorithm runs, or nil for any other query shape.
    static func clauses(of root: QueryNode) -> [Clause]? {
        switch root {
        case .clause(let c) where c.occur != .mustNot: return [c]
        case .boolean(let must, let should, let mustNot) where must.isEmpty && mustNot.isEmpty && !should.isEmpty:
            var result: [Clause] = []
            for node in should {
                guard case .clause(let c) = node, c.occur == .should else { return nil }
                result.append(c)
            }
            return result
        default: return nil
        }
    }

    /// A plan bound to the index's statistics: per matcher, per field, what a tfNorm of 1 scores.
    struct BoundPlan {
        var clause: Int
        /// Whether matching the plan matches its clause (a required clause's bigrams only score
        /// where its words match).
        var decides: Bool
        var plan: Searcher.Plan
        var fields: [Field]
        /// Scored matchers first (in the plan's order, with their weights), then matchers that
        /// are only required.
        var matchers: [(matcher: Matcher, required: Bool, scored: Bool)]
        /// `factors[m][f]`: weight × field boost × idf, nil where the field lacks the matcher.
        var factors: [[Double?]]
    }

    func bind() throws -> [BoundPlan] {
        let similarity = searcher.similarity
        let live = snapshot.liveDocumentCount
        var bound: [BoundPlan] = []
        for (c, clause) in clauses.enumerated() {
            var plans = [searcher.plan(clause)]
            if snapshot.hasBigrams, similarity.gramBoost > 0, let grams = searcher.gramPlan(clause) { plans.append(grams) }
            for (p, plan) in plans.enumerated() {
                let fields = searcher.fields(of: plan.clause)
                var matchers: [(matcher: Matcher, required: Bool, scored: Bool)] = []
                var weights: [Double] = []
                let required = Set(plan.required)
                var listed = Set<Matcher>()
                for (matcher, weight) in plan.scored {
                    matchers.append((matcher, required.contains(matcher), true))
                    weights.append(weight)
                    listed.insert(matcher)
                }
                for matcher in plan.required where !listed.contains(matcher) {
                    matchers.append((matcher, true, false))
                    weights.append(0)
                }
                var factors: [[Double?]] = []
                for (m, entry) in matchers.enumerated() {
                    var row: [Double?] = []
                    for field in fields {
                        let frequencies = try entry.matcher.terms.map { try terms.documentFrequency($0, field) }
                        let idf = similarity.idf(documentFrequencies: frequencies, documentCount: live)
                        row.append(frequencies.contains(0) ? nil : weights[m] * similarity.boost(field) * idf)
                    }
                    factors.append(row)
                }
                let decides = p == 0 || clause.occur != .must
                let whole = BoundPlan(clause: c, decides: decides, plan: plan, fields: fields, matchers: matchers, factors: factors)
                if plan.minimumMatch >= plan.required.count || !decides {
                    // (A plan that does not decide never proposes documents: nothing to prune apart.)
                    bound.append(whole)
                } else {
                    // Any one matcher will do (a long chunk): the plan is a plain disjunction, so
                    // each matcher becomes a plan of its own, in the same order (the same sum), and
                    // pruning can treat a rare piece apart from a common one. What only scores
                    // (the chunk's phrase) follows: it adds to documents the pieces matched.
                    for m in matchers.indices {
                        var one = whole
                        one.matchers = [(matchers[m].matcher, true, matchers[m].scored)]
                        one.factors = [factors[m]]
                        one.decides = matchers[m].required && decides
                        one.plan.required = [matchers[m].matcher]
                        one.plan.minimumMatch = 1
                        bound.append(one)
                    }
                }
            }
        }
        return bound
    }

    /// The bound plans' cursors in one segment (nil for a plan that cannot match there).
    func cursors(_ plans: [BoundPlan], segment: Int, _ reader: SegmentReader, lengths: [FieldLengths]) throws -> [PlanCursor?] {
        var result: [PlanCursor?] = []
        let norms = Field.allCases.map { searcher.similarity.lengthNorm(averageFieldLength: searcher.averageFieldLength($0)) }
        for bound in plans {
            var sources: [[FieldSource?]] = []
            for (m, entry) in bound.matchers.enumerated() {
                var row: [FieldSource?] = []
                for (f, field) in bound.fields.enumerated() {
                    row.append(try source(entry.matcher, field, factor: bound.factors[m][f] ?? 0, slop: bound.plan.clause.slop, segment, reader))
                }
                sources.append(row)
            }
            var required: [[Borrowed<FieldSource>]] = []
            for (m, entry) in bound.matchers.enumerated() where entry.required {
                required.append(sources[m].compactMap { $0.map(Borrowed.init) })
            }
            let all = bound.plan.minimumMatch == required.count
            // A required matcher absent from the segment: with all needed, the plan cannot match.
            if all && required.contains(where: { $0.isEmpty }) {
                result.append(nil)
                continue
            }
            required.removeAll { $0.isEmpty }
            guard !required.isEmpty else {
                result.append(nil)
                continue
            }
            let scored = bound.matchers.indices.filter { bound.matchers[$0].scored }.map { sources[$0] }
            result.append(PlanCursor(
                clause: bound.clause, decides: bound.decides, required: required, minimumMatch: all ? required.count : min(bound.plan.minimumMatch, required.count),
                scored: scored, owned: sources.flatMap { $0.compactMap { $0 } }, lengths: lengths, norms: norms))
        }
        return result
    }

    private func source(_ matcher: Matcher, _ field: Field, factor: Double, slop: Int, _ segment: Int, _ reader: SegmentReader) throws -> FieldSource? {
        switch matcher {
        case .term(let term):
            guard let info = try terms.info(term, field, segment: segment) else { return nil }
            return FieldSource(field: field, factor: factor, term: try reader.cursor(info, positions: false))
        case .phrase(let phrase):
            var cursors: [PostingCursor] = []
            for term in phrase {
                guard let info = try terms.info(term, field, segment: segment) else { return nil }
                cursors.append(try reader.cursor(info, positions: true))
            }
            return FieldSource(field: field, factor: factor, phrase: cursors, slop: slop)
        }
    }

    /// The top `k` documents, best first (ties in corpus order), and the proximity bonus of those
    /// that got one. A query with enough postings is searched by `searcher.threads` lanes at once,
    /// each over its share of the segments (`SearchShares`) with a top k of its own, merged at the
    /// end: the same documents, scores and ties as one lane.
    func topK(_ k: Int) throws -> (hits: [(score: Double, doc: DocID)], bonuses: [Int: Double]) {
        let plans = try bind()
        guard k > 0 else { return ([], [:]) }
        let places = snapshot.corpusPlaces
        func proximity() throws -> ProximityContext? {
            try ProximityContext(searcher, clauses, bodyFrequency: { try terms.documentFrequency($0, .body) })
        }
        let readers = snapshot.segmentReaders
        let laneCount = try lanes(plans)
        let shares = laneCount > 1 ? SearchShares.deal(segmentSizes: readers.map(\.documentCount), lanes: laneCount, smallest: searcher.smallestShare) : []
        if shares.count < 2 {
            var lane = Lane(collector: TopKCollector(k: k, places: places), proximity: try proximity(), shared: nil)
            defer { lane.windowed?.deallocate() }
            for (s, reader) in readers.enumerated() {
                try search(segment: s, reader, documents: 0..<reader.documentCount, plans, places: places, lane: &lane)
            }
            return (lane.collector.sorted(), lane.bonuses)
        }
        let shared = SharedThreshold()
        let lanes = UnsafeMutableBufferPointer<Lane>.allocate(capacity: shares.count)
        for w in shares.indices {
            (lanes.baseAddress! + w).initialize(to: Lane(collector: TopKCollector(k: k, places: places), proximity: try proximity(), shared: shared))
        }
        // Every term the lanes look up is in `terms` by now (bound by `bind` and the proximity
        // contexts): from here on the lanes only read it.
        terms.freeze()
        let failures = UnsafeMutableBufferPointer<(any Error)?>.allocate(capacity: shares.count)
        failures.initialize(repeating: nil)
        defer {
            for w in shares.indices { lanes[w].windowed?.deallocate() }
            _ = lanes.deinitialize()
            lanes.deallocate()
            _ = failures.deinitialize()
            failures.deallocate()
        }
        // Each thread writes only its own lane and failure; what else they touch they only read,
        // or is behind locks (the segment readers' caches).
        LanePool.shared.run(shares.count) { w in
            do {
                for unit in shares[w] {
                    try search(segment: unit.segment, readers[unit.segment], documents: unit.documents, plans, places: places, lane: &lanes[w])
                }
            } catch {
                failures[w] = error
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        var merged = TopKCollector(k: k, places: places)
        var bonuses: [Int: Double] = [:]
        for lane in lanes {
            for hit in lane.collector.sorted() { merged.collect(hit.doc, score: hit.score) }
            bonuses.merge(lane.bonuses) { a, _ in a }
        }
        return (merged.sorted(), bonuses)
    }

    /// How many lanes search this query: one unless its plans' postings are enough to pay for
    /// handing work to other threads (`Searcher.parallelPostings`).
    func lanes(_ plans: [BoundPlan]) throws -> Int {
        guard searcher.threads > 1, snapshot.segmentReaders.count > 0 else { return 1 }
        var postings = 0
        for plan in plans {
            for entry in plan.matchers {
                for field in plan.fields {
                    for term in entry.matcher.terms { postings += try terms.documentFrequency(term, field) }
                }
            }
        }
        return postings >= searcher.parallelPostings ? searcher.threads : 1
    }

    /// One thread's share of a search: its own top k, the proximity bonuses it computed, its
    /// buffers and proximity scratch, and the threshold the lanes publish to one another.
    struct Lane {
        var collector: TopKCollector
        var bonuses: [Int: Double] = [:]
        var windowed: WindowedUnion?
        let proximity: ProximityContext?
        let shared: SharedThreshold?

        init(collector: TopKCollector, proximity: ProximityContext?, shared: SharedThreshold?) {
            self.collector = collector
            self.proximity = proximity
            self.shared = shared
        }

        /// The least score that may still enter, given this lane's k-th score (−∞ until it holds
        /// k): that less a margin for rounding, or (`sharing`) what the best k-th any lane
        /// published allows, whichever is higher. The lane's own k-th is published here.
        @inline(__always)
        static func entry(threshold: Double, shared: SharedThreshold, sharing: Bool) -> Double {
            var entry = threshold > -.infinity ? MaxScoreRetrieval.entryLimit(threshold: threshold) : -.infinity
            if sharing {
                if threshold > -.infinity { shared.raise(to: threshold) }
                let published = shared.score
                if published > -.infinity { entry = max(entry, MaxScoreRetrieval.entryLimit(threshold: published)) }
            }
            return entry
        }
    }

    /// Searches `documents` of segment `s` into `lane`.
    private func search(
        segment s: Int, _ reader: SegmentReader, documents: Range<Int>, _ plans: [BoundPlan], places: [UInt64], lane: inout Lane
    ) throws {
        let ascending = snapshot.segmentsInCorpusOrder
        let proximityMaximum = lane.proximity?.maximum ?? 0
        let clauseCount = clauses.count
        /// The lanes' threshold, if shared. Looked at once per document, so held without a retain:
        /// a retain and a release per look, by two threads at once, sent its count's cache line
        /// back and forth between the cores (`lane` keeps it alive).
        let sharing = lane.shared != nil
        unowned(unsafe) let shared = lane.shared ?? SharedThreshold.unshared
        /// The best k-th another lane had published when last looked.
        var published = -Double.infinity
        let base = snapshot.base(ofSegment: s)
        let lengths = try Field.allCases.map { try reader.fieldLengths($0) }
        let built = try cursors(plans, segment: s, reader, lengths: lengths)
        let live = built.compactMap { $0 }
        // Plans that decide propose documents; the others (a required clause's bigrams) only
        // add to documents their clause matched, within `followersBound`.
        let followers = live.filter { !$0.decides }.map(Borrowed.init)
        let followersBound = followers.reduce(0.0) { $0 + $1.object.upperBound }
        let extra = proximityMaximum + followersBound
        // Deciding plans by ascending upper bound; prefix[i] = the bounds of those before i.
        let ordered = live.filter { $0.decides }.sorted { $0.upperBound < $1.upperBound }.map(Borrowed.init)
        guard !ordered.isEmpty else { return }
        let everyPlan = live.map(Borrowed.init)
        // Every plan deciding and without phrases, at most one per clause (in clause order): a
        // clause's exact score is its plan's sum (the same terms from 0 in the same order).
        let sumsAreScores = live.allSatisfy { !$0.hasPhrases && $0.decides }
            && zip(live, live.dropFirst()).allSatisfy { $0.clause < $1.clause }
        /// Whether block bounds are exact to the bit (no margin for rounding): the score is the
        /// plans' sums in order, summed the same way as the bound, and tfNorm grows with the
        /// frequency in floating point too. That needs k1 not tiny: tf·(k1+1)/(tf + D) rises
        /// by about D/tf² from tf to tf + 1, far above rounding for k1 ≥ 0.1 and real lengths;
        /// with k1 near 0 it can fall by an ulp (the review's k1 = 1e-12).
        let exactBounds = sumsAreScores && searcher.similarity.k1 >= 0.1
        var prefix = [0.0]
        var sum = 0.0
        for plan in ordered {
            sum += plan.object.upperBound
            prefix.append(sum)
        }
        let proximityCursors = try lane.proximity.map { try SegmentProximity($0, segment: s, reader, terms) }
        var admits = LiveDocuments(deleted: snapshot.deletedRanges(ofSegment: s), allowed: allowed?[s])
        /// Where the document-at-a-time loop below starts.
        var start = documents.lowerBound
        if sumsAreScores && proximityCursors == nil && (2...WindowedUnion.maximumPlans).contains(everyPlan.count)
            && live.reduce(0, { $0 + $1.requiredPostings }) >= reader.documentCount / WindowedUnion.leastDensity {
            // BM25 over an OR of words with many postings: plan at a time within windows, until
            // a plan becomes required (then the loop below leapfrogs).
            if lane.windowed == nil { lane.windowed = WindowedUnion(plans: min(plans.count, WindowedUnion.maximumPlans)) }
            let resume = try lane.windowed!.run(everyPlan, documents: documents, base: base, collector: &lane.collector, admits: &admits) {
                Lane.entry(threshold: $0, shared: shared, sharing: sharing)
            }
            guard let resume else {
                withExtendedLifetime(live) {}
                return
            }
            start = resume
        }

        /// Whether a document with at most `bound` can still enter the top k: at least the
        /// k-th best score so far, less a margin for rounding (−∞ until k are held).
        var entry = Lane.entry(threshold: lane.collector.threshold, shared: shared, sharing: sharing)
        @inline(__always) func canEnter(_ bound: Double) -> Bool { bound >= entry }
        /// Plans before `essential` cannot make a document enter on their own.
        var essential = 0
        /// Plans from `firstRequired` on are *required*: the bounds of all the others together
        /// cannot make a document enter, so a document lacking one of them cannot (Lucene's
        /// MaxScoreBulkScorer does the same). Bounds ascend, so they are a suffix, which holds
        /// the last plan; and then the last plan is the only essential one (the others' bounds
        /// fall short together). So the loop leapfrogs them once there are two or more: the
        /// last plan proposes, the others are looked up before anything is scored.
        var firstRequired = ordered.count
        let bounds = ordered.map { $0.object.upperBound }
        (essential, firstRequired) = Self.partition(bounds, prefix: prefix, extra: extra, entry: entry, essential: essential, firstRequired: firstRequired)
        /// Per essential plan, its next match (a buffer: the leapfrog, apart, moves it too).
        let next = UnsafeMutableBufferPointer<Int>.allocate(capacity: ordered.count)
        next.initialize(repeating: 0)
        defer { next.deallocate() }
        for i in essential..<ordered.count { next[i] = try ordered[i].with { try $0.nextMatch(atLeast: start) } }
        var clauseScores = [Double](repeating: 0, count: clauseCount)
        var clauseMatched = [Bool](repeating: false, count: clauseCount)
        /// The block-max bound summed over every plan, which holds for documents from
        /// `blockFrom` to `blockUpto` (each plan's bound is the same there); `blockExact`:
        /// from the decoded blocks' best scores, else from the skip data alone.
        var blockFrom = Int.max, blockUpto = -1, blockSum = 0.0, blockExact = false
        /// Whether the blocks' bound was found to admit documents at the present threshold
        /// (judged again when the range or the threshold changes).
        var blockAdmitted = false
        /// Whether to try the decoded blocks' best scores where the skip data's bounds admit: for
        /// a query of one plan of one term (in one field, the block's exact best; in several,
        /// the sum of each field's), whose blocks are all visited anyway. Several plans' or
        /// terms' bests rarely fall on one document, and decoding what a leapfrog would skip
        /// costs more than it saves.
        let refineBlocks = everyPlan.count == 1 && everyPlan[0].object.isSingleTerm
        /// In a segment whose places ascend with ids: the place of a document already
        /// collected, below those of all documents still to come (0: none yet).
        var placeFloor: UInt64 = 0

        while essential < ordered.count {
            var doc = PostingCursor.end
            for i in essential..<ordered.count { doc = min(doc, next[i]) }
            if doc >= documents.upperBound { break }
            if firstRequired < ordered.count && (firstRequired < ordered.count - 1 || essential < ordered.count - 1) {
                // Only where every required plan matches can a document enter.
                doc = try Self.leapfrog(ordered, next: next, from: doc, essential: essential, firstRequired: firstRequired)
                // A required plan has no match left: nothing more in this segment can enter.
                if doc >= documents.upperBound { break }
            }
            // Block-max: when the blocks around `doc` cannot reach the top k together, no
            // document up to the first block end can; skip there without scoring. The skip
            // data's bounds first; where they are not enough, the decoded blocks' best scores.
            if entry > -.infinity {
                if doc < blockFrom || doc > blockUpto {
                    (blockSum, blockUpto) = try Self.blockBound(everyPlan, at: doc, exact: false, proximityMaximum: proximityMaximum)
                    blockFrom = doc
                    blockExact = false
                    blockAdmitted = false
                }
                if !blockAdmitted {
                    // Where the bound is exact to the bit (`exactBounds`: summed as the score
                    // is, each part at least the score's, rounding monotone), a run whose bound
                    // is below the k-th score is out, and so is one at it whose documents come
                    // later in corpus order than the k-th (ties go to the earlier). Else
                    // `canEnter`'s margin covers the rounding.
                    var out = exactBounds ? (lane.collector.excludes(blockSum, from: places[base + doc], ascending: ascending[s]) || blockSum < published) : !canEnter(blockSum)
                    if refineBlocks && !out && !blockExact {
                        (blockSum, blockUpto) = try Self.blockBound(everyPlan, at: doc, exact: true, proximityMaximum: proximityMaximum)
                        blockFrom = doc
                        blockExact = true
                        out = exactBounds ? (lane.collector.excludes(blockSum, from: places[base + doc], ascending: ascending[s]) || blockSum < published) : !canEnter(blockSum)
                    }
                    if out {
                        let upto = blockUpto
                        for i in essential..<ordered.count where next[i] <= upto { next[i] = try ordered[i].with { try $0.nextMatch(atLeast: upto + 1) } }
                        continue
                    }
                    blockAdmitted = true
                }
            }
            if admits.contains(doc) {
                // `partial`: the terms scored so far; `phrases`: a bound of their plans' phrases.
                var partial = 0.0, phrases = 0.0
                for i in essential..<ordered.count where next[i] == doc {
                    if let value = ordered[i].with({ $0.single != nil ? $0.scoreSingle(doc) : nil }) {
                        partial += value
                        continue
                    }
                    let scored = try ordered[i].with { try $0.scoreTerms(doc) }
                    partial += scored.terms
                    phrases += scored.phrases
                }
                var possible = true
                var i = essential
                while i > 0 {  // (a `stride` loop here was not inlined: 3–5% of a query)
                    i -= 1
                    guard canEnter(partial + phrases + prefix[i + 1] + extra) else {
                        possible = false
                        break
                    }
                    if ordered[i].with({ $0.single != nil }) {
                        partial += try ordered[i].with { plan in try plan.matchesAt(doc) ? plan.scoreSingle(doc) : 0 }
                        continue
                    }
                    let scored = try ordered[i].with { plan in try plan.matches(doc) ? try plan.scoreTerms(doc) : nil }
                    if let scored {
                        partial += scored.terms
                        phrases += scored.phrases
                    }
                }
                if possible {
                    // Phrases (positions) only while the document can still enter with them.
                    if phrases > 0 && canEnter(partial + phrases + extra) {
                        for plan in ordered { partial += try plan.with { $0.isMatched(doc) ? try $0.addPhrases(doc) : 0 } }
                    } else if phrases > 0 {
                        possible = false
                    }
                }
                if possible && !followers.isEmpty && canEnter(partial + extra) {
                    for plan in followers {
                        partial += try plan.with { plan in
                            guard try plan.matches(doc) else { return 0 }
                            return try plan.scoreTerms(doc).terms + plan.addPhrases(doc)
                        }
                    }
                }
                if possible && canEnter(partial + proximityMaximum) {
                    // The exact score, summed as the exhaustive evaluator sums it: clause by
                    // clause, each clause's plans in order.
                    var score = 0.0
                    if sumsAreScores {
                        for plan in everyPlan {
                            plan.with { plan in
                                if plan.isMatched(doc) { score += plan.sum }
                            }
                        }
                    } else {
                        for c in 0..<clauseCount {
                            clauseScores[c] = 0
                            clauseMatched[c] = false
                        }
                        for plan in everyPlan {
                            plan.with { plan in
                                guard plan.isMatched(doc) else { return }
                                if plan.decides { clauseMatched[plan.clause] = true }
                                for value in plan.contributions { clauseScores[plan.clause] += value }
                            }
                        }
                        if clauseCount == 1 {
                            score = clauseScores[0]
                        } else {
                            for c in 0..<clauseCount where clauseMatched[c] { score += clauseScores[c] }
                        }
                    }
                    let bonus = try proximityCursors?.bonus(doc, score: score, entry: entry) ?? 0
                    if bonus > 0 { lane.bonuses[base + doc] = bonus }
                    if ascending[s] {
                        // A tie with the last entry, later in corpus order than a document
                        // already compared, loses: no place to look up (a likely cache miss).
                        if placeFloor == 0 || !lane.collector.certainlyRejects(score + bonus, placeAbove: placeFloor) {
                            lane.collector.collect(DocID(base + doc), score: score + bonus)
                            placeFloor = places[base + doc]
                        }
                    } else {
                        lane.collector.collect(DocID(base + doc), score: score + bonus)
                    }
                    entry = Lane.entry(threshold: lane.collector.threshold, shared: shared, sharing: sharing)
                    blockAdmitted = false
                    (essential, firstRequired) = Self.partition(bounds, prefix: prefix, extra: extra, entry: entry, essential: essential, firstRequired: firstRequired)
                }
            }
            for i in essential..<ordered.count where next[i] == doc {
                // (A plan of one term in one field moves inline.)
                next[i] = try ordered[i].with { $0.single != nil ? try $0.nextSingle(atLeast: doc + 1) : try $0.nextMatch(atLeast: doc + 1) }
            }
            if sharing && shared.score > published {
                // Another lane's k-th has risen: perhaps past this one's.
                published = shared.score
                let raised = Self.entryLimit(threshold: published)
                if raised > entry {
                    entry = raised
                    blockAdmitted = false
                    (essential, firstRequired) = Self.partition(bounds, prefix: prefix, extra: extra, entry: entry, essential: essential, firstRequired: firstRequired)
                }
            }
        }
        // The loop uses the plans only through borrowed references: keep them alive to here.
        withExtendedLifetime(live) {}
    }

    /// The plans' block bounds at `doc` summed in order, plus the largest proximity bonus, and the
    /// last document they hold for (each plan's bound holds, and is cached, from `doc` to its last
    /// document: their sum to the least of them). `exact`: from the decoded blocks' best scores.
    static func blockBound(_ plans: [Borrowed<PlanCursor>], at doc: Int, exact: Bool = false, proximityMaximum: Double = 0) throws -> (bound: Double, lastDoc: Int) {
        var bound = 0.0
        var upto = PostingCursor.end
        for plan in plans {
            let b = try plan.with { exact ? try $0.exactBlockBound(at: doc) : $0.blockBound(at: doc) }
            bound += b.bound
            upto = min(upto, b.lastDoc)
        }
        return (bound + proximityMaximum, upto)
    }

    /// The first document from `doc` on that every required plan (from `firstRequired` on)
    /// matches, leapfrogging them: essential plans through `next` (their next matches), the others
    /// moved forward directly; the other essential plans are then brought up to there.
    /// (Apart from `topK`'s loop, which it would slow down inline.)
    @inline(never)
    private static func leapfrog(_ ordered: [Borrowed<PlanCursor>], next: UnsafeMutableBufferPointer<Int>, from doc: Int, essential: Int, firstRequired: Int) throws -> Int {
        @inline(__always) func advance(_ i: Int, _ target: Int) throws -> Int {
            try ordered[i].with { $0.single != nil ? try $0.nextSingle(atLeast: target) : try $0.nextMatch(atLeast: target) }
        }
        var candidate = doc
        var r = ordered.count - 1
        while r >= firstRequired && candidate != PostingCursor.end {
            let d: Int
            if r >= essential {
                if next[r] < candidate { next[r] = try advance(r, candidate) }
                d = next[r]
            } else {
                d = try advance(r, candidate)
            }
            if d > candidate {
                candidate = d
                r = ordered.count - 1
                continue
            }
            r -= 1
        }
        if candidate != PostingCursor.end && candidate > doc {
            for i in essential..<ordered.count where next[i] < candidate { next[i] = try advance(i, candidate) }
        }
        return candidate
    }

    /// MaxScore's partition of plans by ascending bound (`prefix[i]`: the bounds of those before
    /// i; `extra`: what the other plans and the proximity bonus can add) at `entry`, the least
    /// score that can still enter, from the previous one (both only move one way as it rises):
    /// plans before `essential` cannot make a document enter on their own; plans from
    /// `firstRequired` on are each needed, the bounds of all the others together falling short.
    @inline(__always)
    static func partition(_ bounds: [Double], prefix: [Double], extra: Double, entry: Double, essential: Int, firstRequired: Int) -> (essential: Int, firstRequired: Int) {
        var essential = essential, firstRequired = firstRequired
        while essential < bounds.count && !(prefix[essential + 1] + extra >= entry) { essential += 1 }
        let total = prefix[bounds.count] + extra
        while firstRequired > 0 && !(total - bounds[firstRequired - 1] >= entry) { firstRequired -= 1 }
        return (essential, firstRequired)
    }

    /// The least score bound that can still enter a full collector: its threshold less a margin
    /// for the rounding of bounds summed in another order than scores.
    @inline(__always)
    static func entryLimit(threshold: Double) -> Double {
        threshold - 1e-9 * max(1, abs(threshold))
    }

    /// How many live documents the query matches (every plan, no pruning).
    func count() throws -> Int {
        let plans = try bind()
        var total = 0
        for (s, reader) in snapshot.segmentReaders.enumerated() {
            let lengths = try Field.allCases.map { try reader.fieldLengths($0) }
            // Only plans that decide make a document match.
            let live = try cursors(plans, segment: s, reader, lengths: lengths).compactMap { $0 }.filter { $0.decides }
            guard !live.isEmpty else { continue }
            var admits = LiveDocuments(deleted: snapshot.deletedRanges(ofSegment: s), allowed: allowed?[s])
            var next = try live.map { try $0.nextMatch(atLeast: 0) }
            while true {
                let doc = next.min()!
                if doc == PostingCursor.end { break }
                if admits.contains(doc) { total += 1 }
                for i in live.indices where next[i] == doc { next[i] = try live[i].nextMatch(atLeast: doc + 1) }
            }
        }
        return total
    }
}

/// The documents of one segment a search may return: not deleted, and let through by the filters.
/// Asked in ascending order (it walks the deleted ranges forward).
struct LiveDocuments {
    let deleted: [Range<Int>]
    let allowed: [Bool]?
    /// No deletions and no filters: every document.
    private let all: Bool
    private var next = 0

    init(deleted: [Range<Int>], allowed: [Bool]?) {
        self.deleted = deleted
        self.allowed = allowed
        all = deleted.isEmpty && allowed == nil
    }

    @inline(__always)
    mutating func contains(_ doc: Int) -> Bool {
        if all { return true }
        while next < deleted.count && deleted[next].upperBound <= doc { next += 1 }
        if next < deleted.count && deleted[next].contains(doc) { return false }
        return allowed?[doc] ?? true
    }
}
