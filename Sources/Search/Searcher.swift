import Indexing

/// One ranked article.
public struct Hit: Sendable, Equatable {
    public var doc: DocID
    public var score: Double
    public var explanation: Explanation?
}

/// The outcome of a search: how many articles matched, and the requested page of them.
public struct SearchResult: Sendable, Equatable {
    public var totalHits: Int
    public var hits: [Hit]
    /// The matchers scored for each clause, longest first (a split word's phrase, then its
    /// pieces): what snippets mark.
    public var matcherGroups: [[Matcher]]

    public var matchers: [Matcher] { matcherGroups.flatMap { $0 } }
}

/// Scores a query against an index with BM25 over fields, term at a time, and keeps the top k.
public final class Searcher {
    public let index: any SearchableIndex
    public var similarity: BM25
    /// Whether flat disjunctions over an on-disk index run document at a time with MaxScore
    /// (the same results; off only to compare with the exhaustive evaluator).
    public var pruning = true
    /// How many threads a pruned search may share a query among (one per core by default), and
    /// the fewest postings (over the query's terms and fields) for which it does: below that the
    /// hand-over costs more than it saves. The results are the same however many.
    public var threads = Searcher.cores
    public var parallelPostings = 5_000
    /// The fewest documents a thread's share of a segment may have (`SearchShares`).
    var smallestShare = 1024

    /// The cores this process may run on.
    public static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    private let averageFieldLengths: [Double]
    private let hasGrams: Bool

    public init(index: any SearchableIndex, similarity: BM25 = BM25()) {
        self.index = index
        self.similarity = similarity
        averageFieldLengths = Field.allCases.map { index.averageFieldLength($0) }
        hasGrams = index.hasBigrams
    }

    public func averageFieldLength(_ field: Field) -> Double { averageFieldLengths[Int(field.rawValue)] }

    /// How a clause is matched and scored: every `required` matcher must occur (in any field);
    /// each `scored` matcher adds its BM25 score times its weight.
    struct Plan {
        var clause: Clause
        var required: [Matcher]
        /// How many of `required` must occur (all of them, except for long chunks).
        var minimumMatch: Int
        var scored: [(matcher: Matcher, weight: Double)]
    }

    /// A chunk split into at most this many distinct pieces is a word (a name, a slogan, a
    /// compound) and needs all of them; a longer one is a sentence or a question, and any piece
    /// will do (BM25 ranks by how many, and how rare).
    public static let wholeWordPieces = 4

    /// A word the segmenter split (an implicit phrase) matches where all its pieces occur, scored
    /// as its pieces plus, where they stand together, the phrase with `phraseBoost`: so an exact
    /// occurrence ranks first, and a topic written as one word (委员履职考核) still finds articles
    /// that discuss it in other words. A word the dictionary keeps whole (履职) must occur as its
    /// pieces (履 职) like any split word, and is scored as itself, in their place.
    func plan(_ clause: Clause) -> Plan {
        switch clause.matcher {
        case .phrase(let terms) where clause.implicit:
            var unique: [String] = []
            var seen = Set<String>()
            for t in terms where seen.insert(t).inserted { unique.append(t) }
            // Each word scores once: a word the dictionary keeps whole in place of its parts.
            var scoredWords: [String] = []
            var seenWords = Set<String>()
            for w in clause.words.isEmpty ? unique : clause.words where seenWords.insert(w).inserted { scoredWords.append(w) }
            let pieces = scoredWords.map { (matcher: Matcher.term($0), weight: 1.0) }
            let phrase = similarity.phraseBoost > 0 ? [(matcher: clause.matcher, weight: similarity.phraseBoost)] : []
            // What must occur is what scores: a word the dictionary keeps whole must occur whole
            // (its parts scattered over an article are not the word), else the pieces.
            let required = scoredWords.map { Matcher.term($0) }
            let minimum = required.count <= Self.wholeWordPieces ? required.count : 1
            return Plan(clause: clause, required: required, minimumMatch: minimum, scored: pieces + phrase)
        default:
            return Plan(clause: clause, required: [clause.matcher], minimumMatch: 1, scored: [(clause.matcher, 1.0)])
        }
    }

    /// The clause's character bigrams, matched in the `grams` field: all of them for a word-like
    /// chunk, any for a longer one. Scored with `gramBoost`; an excluded clause excludes by words
    /// only.
    func gramPlan(_ clause: Clause) -> Plan? {
        guard !clause.grams.isEmpty, clause.occur != .mustNot, clause.field == nil else { return nil }
        var unique: [String] = []
        var seen = Set<String>()
        for g in clause.grams where seen.insert(g).inserted { unique.append(g) }
        let gramClause = Clause(clause.matcher, occur: clause.occur == .must ? .should : clause.occur, field: .grams)
        let minimum = unique.count <= Self.wholeWordPieces ? unique.count : 1
        return Plan(
            clause: gramClause, required: unique.map { .term($0) }, minimumMatch: minimum,
            scored: unique.map { (Matcher.term($0), similarity.gramBoost) })
    }

    func fields(of clause: Clause) -> [Field] {
        clause.field.map { [$0] } ?? Field.textFields
    }

    /// What narrows the candidates before scoring.
    public struct Filter: Sendable, Equatable {
        /// A glob over the file path relative to the corpus (`004*`, `2026/*.txt`).
        public var file: String?
        /// The speaker's name (analysed terms), matched as a phrase in the author field.
        public var author: [String]?
        public init(file: String? = nil, author: [String]? = nil) {
            self.file = file
            self.author = author
        }
    }

    public enum Order: String, Sendable, CaseIterable {
        /// Best score first (ties in corpus order).
        case score
        /// Corpus order: file path, then place in the file.
        case file
    }

    /// A node's outcome over all documents: which match, and their scores.
    struct Evaluation {
        var matched: [Bool]
        var scores: [Double]
    }

    /// Ranks every matching article and returns `limit` of them starting at rank `offset`.
    /// Without `countTotal` a pruned search reports only the documents it scored as `totalHits`
    /// (a lower bound; batch runs that need only the ranking skip the counting pass).
    public func search(
        _ query: Query, limit: Int = 10, offset: Int = 0, explain: Bool = false, filter: Filter = Filter(), order: Order = .score,
        countTotal: Bool = true
    ) throws -> SearchResult {
        let leaves = query.root.positiveClauses
        // Snippets mark each clause's words (a split word whole, else its pieces); bigrams only
        // repeat the same text.
        let groups = leaves.map { plan($0).scored.map(\.matcher).sorted { $0.terms.count > $1.terms.count } }
        if pruning, order == .score, let snapshot = index as? IndexSnapshot, let clauses = MaxScoreRetrieval.clauses(of: query.root) {
            let retrieval = MaxScoreRetrieval(
                searcher: self, snapshot: snapshot, clauses: clauses, allowed: filter == Filter() ? nil : try allowed(filter, snapshot))
            let top = try retrieval.topK(offset + limit)
            var cache = MatchCache()
            let hits = try top.hits.dropFirst(offset).map { entry in
                var explanation = explain ? try self.explain(leaves, entry.doc, cache: &cache) : nil
                explanation?.proximity = top.bonuses[entry.doc.index] ?? 0
                return Hit(doc: entry.doc, score: entry.score, explanation: explanation)
            }
            let total = countTotal ? try retrieval.count() : top.hits.count
            return SearchResult(totalHits: total, hits: hits, matcherGroups: groups)
        }
        let n = index.documentCount
        var mask = [Bool](repeating: true, count: n)
        if let glob = filter.file {
            for d in 0..<n where mask[d] { mask[d] = fnmatch(glob, try index.filePath(DocID(d)), 0) == 0 }
        }
        if let author = filter.author, !author.isEmpty {
            let found = try index.matches(author.count == 1 ? .term(author[0]) : .phrase(author), in: .author)
            var allowed = [Bool](repeating: false, count: n)
            for doc in found.documents { allowed[doc.index] = true }
            for d in 0..<n { mask[d] = mask[d] && allowed[d] }
        }
        var cache = MatchCache()
        let result = try evaluate(query.root, mask: mask, cache: &cache, excluding: false)
        let proximity = try ListProximity(self, query.root.positiveClauses)
        var bonuses: [Int: Double] = [:]
        var total = 0
        var page: [(score: Double, doc: DocID)]
        switch order {
        case .score:
            var collector = TopKCollector(k: max(0, offset + limit), precedes: index.precedes)
            var candidates: [Int] = []
            for d in 0..<n where result.matched[d] && mask[d] { candidates.append(d) }
            total = candidates.count
            if let proximity {
                // The bonus is bounded, so it is computed only for documents whose BM25 score could
                // still reach the top k with it: best BM25 first, until the rest cannot (the same
                // top k as scoring every document, at a fraction of the cost).
                candidates.sort { result.scores[$0] > result.scores[$1] }
                for d in candidates {
                    if collector.isFull && result.scores[d] + proximity.maximum < collector.threshold { break }
                    let bonus = try proximity.bonus(d)
                    if bonus > 0 { bonuses[d] = bonus }
                    collector.collect(DocID(d), score: result.scores[d] + bonus)
                }
            } else {
                for d in candidates { collector.collect(DocID(d), score: result.scores[d]) }
            }
            page = Array(collector.sorted().dropFirst(offset))
        case .file:
            var all: [DocID] = []
            for d in 0..<n where result.matched[d] && mask[d] { all.append(DocID(d)) }
            total = all.count
            all.sort(by: index.precedes)
            page = try all.dropFirst(offset).prefix(limit).map { doc in
                let bonus = try proximity?.bonus(doc.index) ?? 0
                if bonus > 0 { bonuses[doc.index] = bonus }
                return (result.scores[doc.index] + bonus, doc)
            }
        }
        let hits = try page.map { entry in
            var explanation = explain ? try self.explain(leaves, entry.doc, cache: &cache) : nil
            explanation?.proximity = bonuses[entry.doc.index] ?? 0
            return Hit(doc: entry.doc, score: entry.score, explanation: explanation)
        }
        return SearchResult(totalHits: total, hits: hits, matcherGroups: groups)
    }

    /// Per segment, the local documents `filter` lets through: a file glob judged once per file,
    /// an author matched in the author field.
    func allowed(_ filter: Filter, _ snapshot: IndexSnapshot) throws -> [[Bool]] {
        var mask = try snapshot.documentMask { path in filter.file.map { fnmatch($0, path, 0) == 0 } ?? true }
        if let author = filter.author, !author.isEmpty {
            var byAuthor = mask.map { [Bool](repeating: false, count: $0.count) }
            for doc in try snapshot.matches(author.count == 1 ? .term(author[0]) : .phrase(author), in: .author).documents {
                let (s, local) = snapshot.locate(doc)
                byAuthor[s][local] = true
            }
            for s in mask.indices { for d in mask[s].indices where !byAuthor[s][d] { mask[s][d] = false } }
        }
        return mask
    }

    /// Postings looked up once per matcher, field and slop.
    struct MatchCache {
        var entries: [String: FieldMatches] = [:]
    }

    func matches(_ matcher: Matcher, _ field: Field, slop: Int, _ cache: inout MatchCache) throws -> FieldMatches {
        let key = "\(field.rawValue)|\(slop)|\(matcher.terms.joined(separator: "\u{1}"))|\(matcher.terms.count)"
        if let found = cache.entries[key] { return found }
        let found = try index.matches(matcher, in: field, slop: slop)
        cache.entries[key] = found
        return found
    }

    /// A matcher's idf in a field: a term's from its document frequency; a phrase's the sum of its
    /// terms' (as Lucene's PhraseQuery), which needs no pass over the phrase's matches, so a
    /// pruned search can bound it before it has seen them.
    func idf(_ matcher: Matcher, _ field: Field, _ found: FieldMatches, _ cache: inout MatchCache) throws -> Double {
        switch matcher {
        case .term:
            return similarity.idf(documentFrequencies: [found.count], documentCount: index.liveDocumentCount)
        case .phrase(let terms):
            var frequencies: [Int] = []
            for term in terms { frequencies.append(try matches(.term(term), field, slop: 0, &cache).count) }
            return similarity.idf(documentFrequencies: frequencies, documentCount: index.liveDocumentCount)
        }
    }

    /// Which documents a node matches and how they score.
    func evaluate(_ node: QueryNode, mask: [Bool], cache: inout MatchCache, excluding: Bool) throws -> Evaluation {
        let n = index.documentCount
        switch node {
        case .file(let glob):
            var matched = [Bool](repeating: false, count: n)
            for d in 0..<n where mask[d] { matched[d] = fnmatch(glob, try index.filePath(DocID(d)), 0) == 0 }
            return Evaluation(matched: matched, scores: [Double](repeating: 0, count: n))
        case .clause(let clause):
            var plans = [plan(clause)]
            // Bigrams widen what a clause matches (not a quoted one's, and never what NOT excludes).
            if !excluding, hasGrams, similarity.gramBoost > 0, let grams = gramPlan(clause) { plans.append(grams) }
            var matched = [Bool](repeating: false, count: n)
            var scores = [Double](repeating: 0, count: n)
            for (p, plan) in plans.enumerated() {
                let decides = p == 0 || clause.occur != .must
                var occurrences = [UInt16](repeating: 0, count: n)
                for matcher in plan.required {
                    var seen = [Bool](repeating: false, count: n)
                    for field in fields(of: plan.clause) {
                        for doc in try matches(matcher, field, slop: clause.slop, &cache).documents { seen[doc.index] = true }
                    }
                    for d in 0..<n where seen[d] { occurrences[d] += 1 }
                }
                let needed = UInt16(plan.minimumMatch)
                if decides { for d in 0..<n where occurrences[d] >= needed && mask[d] { matched[d] = true } }
                guard !excluding else { continue }
                for (matcher, weight) in plan.scored {
                    for field in fields(of: plan.clause) {
                        let found = try matches(matcher, field, slop: clause.slop, &cache)
                        guard found.count > 0 else { continue }
                        let idf = try self.idf(matcher, field, found, &cache)
                        let factor = weight * similarity.boost(field) * idf
                        let average = averageFieldLengths[Int(field.rawValue)]
                        for (i, doc) in found.documents.enumerated() where occurrences[doc.index] >= needed && mask[doc.index] {
                            scores[doc.index] += factor * similarity.tfNorm(
                                termFrequency: Double(found.frequencies[i]), fieldLength: Double(try index.fieldLength(doc, field)),
                                averageFieldLength: average)
                        }
                    }
                }
            }
            for d in 0..<n where !matched[d] { scores[d] = 0 }
            return Evaluation(matched: matched, scores: scores)
        case .boolean(let must, let should, let mustNot):
            var matched = [Bool](repeating: must.isEmpty && should.isEmpty, count: n)
            var scores = [Double](repeating: 0, count: n)
            if !must.isEmpty {
                matched = mask
                for child in must {
                    let e = try evaluate(child, mask: mask, cache: &cache, excluding: excluding)
                    for d in 0..<n {
                        matched[d] = matched[d] && e.matched[d]
                        scores[d] += e.scores[d]
                    }
                }
            }
            for child in should {
                let e = try evaluate(child, mask: mask, cache: &cache, excluding: excluding)
                for d in 0..<n where e.matched[d] {
                    if must.isEmpty { matched[d] = true }
                    scores[d] += e.scores[d]
                }
            }
            for child in mustNot {
                let e = try evaluate(child, mask: mask, cache: &cache, excluding: true)
                for d in 0..<n where e.matched[d] { matched[d] = false }
            }
            for d in 0..<n where !matched[d] || !mask[d] {
                matched[d] = false
                scores[d] = 0
            }
            return Evaluation(matched: matched, scores: scores)
        }
    }

    /// The score components of one document: every clause it matches, with its words' (and
    /// bigrams') BM25 terms per field.
    func explain(_ leaves: [Clause], _ doc: DocID, cache: inout MatchCache) throws -> Explanation {
        var components: [ScoreComponent] = []
        let only = [Bool]((0..<index.documentCount).map { $0 == doc.index })
        for clause in leaves {
            var plans = [plan(clause)]
            if hasGrams, similarity.gramBoost > 0, let grams = gramPlan(clause) { plans.append(grams) }
            // Only clauses that matched this document scored it.
            guard try evaluate(.clause(clause), mask: only, cache: &cache, excluding: false).matched[doc.index] else { continue }
            for plan in plans {
                var present = 0
                for matcher in plan.required where try fields(of: plan.clause).contains(where: {
                    try matches(matcher, $0, slop: clause.slop, &cache).documents.contains(doc)
                }) { present += 1 }
                guard present >= plan.minimumMatch else { continue }
                for (matcher, weight) in plan.scored {
                    for field in fields(of: plan.clause) {
                        let found = try matches(matcher, field, slop: clause.slop, &cache)
                        guard let i = found.documents.firstIndex(of: doc) else { continue }
                        let tf = Double(found.frequencies[i])
                        let length = try index.fieldLength(doc, field)
                        let average = averageFieldLengths[Int(field.rawValue)]
                        let idf = try self.idf(matcher, field, found, &cache)
                        let boost = weight * similarity.boost(field)
                        let score = boost * idf * similarity.tfNorm(termFrequency: tf, fieldLength: Double(length), averageFieldLength: average)
                        components.append(ScoreComponent(
                            matcher: matcher, field: field, termFrequency: Int(tf), documentFrequency: found.count, idf: idf,
                            fieldLength: length, averageFieldLength: average, boost: boost, score: score))
                    }
                }
            }
        }
        return Explanation(components: components)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
