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
    /// that discuss it in other words.
    func plan(_ clause: Clause) -> Plan {
        switch clause.matcher {
        case .phrase(let terms) where clause.implicit:
            var unique: [String] = []
            for t in terms where !unique.contains(t) { unique.append(t) }
            let pieces = unique.map { (matcher: Matcher.term($0), weight: 1.0) }
            let phrase = similarity.phraseBoost > 0 ? [(matcher: clause.matcher, weight: similarity.phraseBoost)] : []
            let minimum = unique.count <= Self.wholeWordPieces ? unique.count : 1
            return Plan(clause: clause, required: unique.map { .term($0) }, minimumMatch: minimum, scored: pieces + phrase)
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
        for g in clause.grams where !unique.contains(g) { unique.append(g) }
        let gramClause = Clause(clause.matcher, occur: clause.occur == .must ? .should : clause.occur, field: .grams)
        let minimum = unique.count <= Self.wholeWordPieces ? unique.count : 1
        return Plan(
            clause: gramClause, required: unique.map { .term($0) }, minimumMatch: minimum,
            scored: unique.map { (Matcher.term($0), similarity.gramBoost) })
    }

    func fields(of clause: Clause) -> [Field] {
        clause.field.map { [$0] } ?? Field.textFields
    }

    /// Ranks every matching article and returns `limit` of them starting at rank `offset`.
    public func search(_ query: Query, limit: Int = 10, offset: Int = 0, explain: Bool = false) throws -> SearchResult {
        var plans = query.clauses.map(plan)
        if hasGrams && similarity.gramBoost > 0 {
            plans += query.clauses.compactMap(gramPlan)
        }
        let n = index.documentCount
        let live = index.liveDocumentCount
        var scores = [Double](repeating: 0, count: n)
        var shouldMatched = [UInt16](repeating: 0, count: n)
        var mustMatched = [UInt16](repeating: 0, count: n)
        var excluded = [Bool](repeating: false, count: n)
        var mustCount = 0
        var cache: [Matcher: [FieldMatches?]] = [:]
        func matches(_ matcher: Matcher, _ clause: Clause) throws -> [(Field, FieldMatches)] {
            var all = cache[matcher] ?? Array(repeating: nil, count: Field.allCases.count)
            var result: [(Field, FieldMatches)] = []
            for field in fields(of: clause) {
                if all[Int(field.rawValue)] == nil { all[Int(field.rawValue)] = try index.matches(matcher, in: field) }
                result.append((field, all[Int(field.rawValue)]!))
            }
            cache[matcher] = all
            return result
        }
        for plan in plans {
            // Documents where every required matcher occurs in some field.
            var occurrences = [UInt16](repeating: 0, count: n)
            for matcher in plan.required {
                var seen = [Bool](repeating: false, count: n)
                for (_, found) in try matches(matcher, plan.clause) {
                    for doc in found.documents { seen[doc.index] = true }
                }
                for d in 0..<n where seen[d] { occurrences[d] += 1 }
            }
            let needed = UInt16(plan.minimumMatch)
            switch plan.clause.occur {
            case .mustNot:
                for d in 0..<n where occurrences[d] >= needed { excluded[d] = true }
                continue
            case .must:
                mustCount += 1
                for d in 0..<n where occurrences[d] >= needed { mustMatched[d] += 1 }
            case .should:
                for d in 0..<n where occurrences[d] >= needed { shouldMatched[d] += 1 }
            }
            for (matcher, weight) in plan.scored {
                for (field, found) in try matches(matcher, plan.clause) where found.count > 0 {
                    let idf = similarity.idf(documentFrequency: found.count, documentCount: live)
                    let factor = weight * similarity.boost(field) * idf
                    let average = averageFieldLengths[Int(field.rawValue)]
                    for (i, doc) in found.documents.enumerated() where occurrences[doc.index] >= needed {
                        scores[doc.index] += factor * similarity.tfNorm(
                            termFrequency: Double(found.frequencies[i]), fieldLength: Double(try index.fieldLength(doc, field)),
                            averageFieldLength: average)
                    }
                }
            }
        }
        var collector = TopKCollector(k: max(0, offset + limit), precedes: index.precedes)
        var total = 0
        for d in 0..<n {
            guard !excluded[d], Int(mustMatched[d]) == mustCount, mustCount > 0 || shouldMatched[d] > 0 else { continue }
            total += 1
            collector.collect(DocID(d), score: scores[d])
        }
        let page = collector.sorted().dropFirst(offset)
        let hits = try page.map { entry in
            Hit(doc: entry.doc, score: entry.score, explanation: explain ? try self.explain(plans, entry.doc) : nil)
        }
        // Bigram plans only repeat their clause's text: snippets mark the words.
        let groups = plans.filter { $0.clause.occur != .mustNot && $0.clause.field != .grams }.map { plan in
            plan.scored.map(\.matcher).sorted { $0.terms.count > $1.terms.count }
        }
        return SearchResult(totalHits: total, hits: Array(hits), matcherGroups: groups)
    }

    /// The score components of one document for resolved clauses.
    func explain(_ plans: [Plan], _ doc: DocID) throws -> Explanation {
        var components: [ScoreComponent] = []
        for plan in plans where plan.clause.occur != .mustNot {
            for (matcher, weight) in plan.scored {
                for field in fields(of: plan.clause) {
                    let matches = try index.matches(matcher, in: field)
                    guard let i = matches.documents.firstIndex(of: doc) else { continue }
                    let tf = Double(matches.frequencies[i])
                    let length = try index.fieldLength(doc, field)
                    let average = averageFieldLengths[Int(field.rawValue)]
                    let idf = similarity.idf(documentFrequency: matches.count, documentCount: index.liveDocumentCount)
                    let boost = weight * similarity.boost(field)
                    let score = boost * idf * similarity.tfNorm(termFrequency: tf, fieldLength: Double(length), averageFieldLength: average)
                    components.append(ScoreComponent(
                        matcher: matcher, field: field, termFrequency: Int(tf), documentFrequency: matches.count, idf: idf,
                        fieldLength: length, averageFieldLength: average, boost: boost, score: score))
                }
            }
        }
        return Explanation(components: components)
    }
}
