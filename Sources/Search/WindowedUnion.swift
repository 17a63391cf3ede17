import Indexing

/// Top-k in one segment, plan at a time within windows of documents (tantivy's buffered union,
/// Lucene's BooleanScorer), for a query whose score is its plans' sums added in order, without
/// phrases or proximity: BM25 over an OR of words (`MaxScoreRetrieval` decides when).
///
/// Document at a time, every posting costs a pass through the general loop's branches. Here each
/// essential plan (MaxScore, as the general loop) writes its scores for a window of 1,024
/// documents into an array of its own and marks them; then the marked documents, ascending, look
/// up the non-essential plans (largest bound first) while they can still enter, and sum their
/// plans' scores in the plans' order from 0: the exhaustive evaluator's sum to the bit, so the
/// same documents and ties. A plan of one term in one field is moved and scored inline; another
/// (a word in several fields, a split word's pieces all required) through `nextMatch` and
/// `scoreTerms`.
struct WindowedUnion {
    static let width = 1024
    /// The most plans it takes (its buffers stay under glibc's mmap threshold).
    static let maximumPlans = 15
    /// It pays where the plans' postings are at least one in `leastDensity` of the segment's
    /// documents (a window's fixed cost spread over enough of them; measured on the stand-in).
    static let leastDensity = 8

    /// Per plan (in the score's order), its score of each document of the window (0 where the
    /// plan lacks it; reset as the window is read).
    private let scores: UnsafeMutableBufferPointer<Double>
    /// The window's documents that some essential plan holds, one bit each.
    private let marks: UnsafeMutableBufferPointer<UInt64>

    init(plans: Int) {
        scores = .allocate(capacity: plans * Self.width)
        scores.initialize(repeating: 0)
        marks = .allocate(capacity: Self.width / 64)
        marks.initialize(repeating: 0)
    }

    func deallocate() {
        scores.deallocate()
        marks.deallocate()
    }

    /// Collects the segment's `documents` into `collector`. `plans` are in the score's order;
    /// `entryLimit` turns the collector's threshold (−∞ until it holds k) into the least score
    /// that may still enter. Returns nil when done, or the document from which the caller goes on
    /// document at a time: once a plan is *required* (the others' bounds together cannot make a
    /// document enter), leapfrogging the required plans visits far fewer documents than windows.
    func run(
        _ plans: [Borrowed<PlanCursor>], documents: Range<Int>, base: Int, collector: inout TopKCollector, admits: inout LiveDocuments,
        entryLimit: (Double) -> Double
    ) throws -> Int? {
        let n = plans.count
        let width = Self.width
        // MaxScore: plans by ascending upper bound; those whose bounds together cannot reach the
        // entry are non-essential (looked up only for documents the others propose).
        let byBound = (0..<n).sorted { plans[$0].object.upperBound < plans[$1].object.upperBound }
        /// The next match of plan `p` at or after `target`; its score at a match.
        @inline(__always) func next(_ p: Int, atLeast target: Int) throws -> Int {
            try plans[p].with { plan in plan.single != nil ? try plan.nextSingle(atLeast: target) : try plan.nextMatch(atLeast: target) }
        }
        @inline(__always) func score(_ p: Int, _ doc: Int) throws -> Double {
            try plans[p].with { plan in plan.single != nil ? plan.singleScore(doc) : try plan.scoreTerms(doc).terms }
        }
        /// The plans' bounds in that order, and `prefix[j]`: the first j of them summed.
        let bounds = byBound.map { plans[$0].object.upperBound }
        var prefix = [0.0]
        for bound in bounds { prefix.append(prefix[prefix.count - 1] + bound) }
        var entry = entryLimit(collector.threshold)
        /// `byBound[..<split]` are non-essential, `byBound[split...]` essential (MaxScore's
        /// partition, as the general loop's); from `firstRequired` on, required.
        var split = 0, firstRequired = n
        (split, firstRequired) = MaxScoreRetrieval.partition(bounds, prefix: prefix, extra: 0, entry: entry, essential: split, firstRequired: firstRequired)
        var start = documents.lowerBound
        while split < n {
            // (Also with one plan required, the largest, then the only essential one, for which
            // there is nothing to leapfrog: the loop was as fast or faster there, measured against
            // handing over only at two; some queries 20–27% faster.)
            if firstRequired < n { return start }
            var first = PostingCursor.end
            for p in byBound[split...] { first = min(first, try next(p, atLeast: start)) }
            if first >= documents.upperBound { break }
            if entry > -.infinity {
                // Block-max: when every plan's block there cannot reach the entry together, no
                // document to the first block end can; go on after it.
                let (bound, upto) = try MaxScoreRetrieval.blockBound(plans, at: first)
                if bound < entry {
                    start = upto + 1
                    continue
                }
            }
            let end = min(first + width, documents.upperBound)
            // Essential plans: every posting in the window, scored and marked.
            for p in byBound[split...] {
                let row = scores.baseAddress! + p * width
                if plans[p].with({ $0.single != nil }) {
                    try plans[p].with { plan in
                        var d = try plan.nextSingle(atLeast: first)
                        while d < end {
                            let i = d - first
                            row[i] = plan.singleScore(d)
                            marks[i >> 6] |= 1 << UInt64(i & 63)
                            d = try plan.nextSingle(atLeast: d + 1)
                        }
                    }
                } else {
                    var d = try next(p, atLeast: first)
                    while d < end {
                        let i = d - first
                        row[i] = try score(p, d)
                        marks[i >> 6] |= 1 << UInt64(i & 63)
                        d = try next(p, atLeast: d + 1)
                    }
                }
            }
            // The marked documents, ascending.
            for word in 0..<((end - first + 63) >> 6) {
                var bits = marks[word]
                marks[word] = 0
                while bits != 0 {
                    let i = word << 6 | bits.trailingZeroBitCount
                    bits &= bits - 1
                    let doc = first + i
                    var possible = true
                    if split > 0 {
                        // Largest bound first, while the bounds of those left can still lift it in.
                        var partial = 0.0
                        for p in byBound[split...] { partial += scores[p * width + i] }
                        var j = split
                        while j > 0 {
                            guard partial + prefix[j] >= entry else {
                                possible = false
                                break
                            }
                            j -= 1
                            let p = byBound[j]
                            if try plans[p].with({ try $0.matchesAt(doc) }) {
                                let value = try score(p, doc)
                                scores[p * width + i] = value
                                partial += value
                            }
                        }
                    }
                    // The score: the plans' scores in order, from 0 (a plan without the document adds 0).
                    var score = 0.0
                    for p in 0..<n {
                        score += scores[p * width + i]
                        scores[p * width + i] = 0
                    }
                    guard possible, score >= entry, admits.contains(doc) else { continue }
                    collector.collect(DocID(base + doc), score: score)
                    entry = entryLimit(collector.threshold)
                }
            }
            // (Another thread's top k may have risen.)
            entry = max(entry, entryLimit(collector.threshold))
            (split, firstRequired) = MaxScoreRetrieval.partition(bounds, prefix: prefix, extra: 0, entry: entry, essential: split, firstRequired: firstRequired)
            start = end
        }
        return nil
    }
}
