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
    /// The matchers that were scored (implicit phrases no article holds relax to their terms):
    /// what snippets mark.
    public var matchers: [Matcher]
}

/// Scores a query against an index with BM25 over fields, term at a time, and keeps the top k.
public final class Searcher {
    public let index: InvertedIndex
    public var similarity: BM25
    private let averageFieldLengths: [Double]

    public init(index: InvertedIndex, similarity: BM25 = BM25()) {
        self.index = index
        self.similarity = similarity
        averageFieldLengths = Field.allCases.map { index.averageFieldLength($0) }
    }

    public func averageFieldLength(_ field: Field) -> Double { averageFieldLengths[Int(field.rawValue)] }

    /// The clauses to score: an implicit phrase no article holds becomes its terms (optional).
    func resolve(_ query: Query) -> [Clause] {
        var resolved: [Clause] = []
        for clause in query.clauses {
            if clause.implicit, case .phrase(let terms) = clause.matcher,
                fields(of: clause).allSatisfy({ index.matches(clause.matcher, in: $0).count == 0 })
            {
                for term in terms where !resolved.contains(where: { $0.matcher == .term(term) && $0.occur == clause.occur }) {
                    resolved.append(Clause(.term(term), occur: clause.occur, field: clause.field))
                }
            } else {
                resolved.append(clause)
            }
        }
        return resolved
    }

    func fields(of clause: Clause) -> [Field] {
        clause.field.map { [$0] } ?? Field.allCases
    }

    /// Ranks every matching article and returns `limit` of them starting at rank `offset`.
    public func search(_ query: Query, limit: Int = 10, offset: Int = 0, explain: Bool = false) -> SearchResult {
        let clauses = resolve(query)
        let n = index.documentCount
        var scores = [Double](repeating: 0, count: n)
        var shouldMatched = [UInt16](repeating: 0, count: n)
        var mustMatched = [UInt16](repeating: 0, count: n)
        var excluded = [Bool](repeating: false, count: n)
        var mustCount = 0
        var shouldCount = 0
        for clause in clauses {
            var matchedHere = [Bool](repeating: false, count: n)
            for field in fields(of: clause) {
                let matches = index.matches(clause.matcher, in: field)
                guard matches.count > 0 else { continue }
                let idf = similarity.idf(documentFrequency: matches.count, documentCount: n)
                let boost = similarity.boost(field)
                let average = averageFieldLengths[Int(field.rawValue)]
                for (i, doc) in matches.documents.enumerated() {
                    matchedHere[doc.index] = true
                    if clause.occur == .mustNot { continue }
                    let tfNorm = similarity.tfNorm(
                        termFrequency: Double(matches.frequencies[i]), fieldLength: Double(index.fieldLength(doc, field)),
                        averageFieldLength: average)
                    scores[doc.index] += boost * idf * tfNorm
                }
            }
            switch clause.occur {
            case .must:
                mustCount += 1
                for d in 0..<n where matchedHere[d] { mustMatched[d] += 1 }
            case .should:
                shouldCount += 1
                for d in 0..<n where matchedHere[d] { shouldMatched[d] += 1 }
            case .mustNot:
                for d in 0..<n where matchedHere[d] { excluded[d] = true }
            }
        }
        var collector = TopKCollector(k: max(0, offset + limit))
        var total = 0
        for d in 0..<n {
            guard !excluded[d], Int(mustMatched[d]) == mustCount, mustCount > 0 || shouldMatched[d] > 0 else { continue }
            total += 1
            collector.collect(DocID(d), score: scores[d])
        }
        _ = shouldCount
        let page = collector.sorted().dropFirst(offset)
        let hits = page.map { entry in
            Hit(doc: entry.doc, score: entry.score, explanation: explain ? self.explain(clauses, entry.doc) : nil)
        }
        return SearchResult(totalHits: total, hits: Array(hits), matchers: clauses.filter { $0.occur != .mustNot }.map(\.matcher))
    }

    /// The score components of one document for resolved clauses.
    func explain(_ clauses: [Clause], _ doc: DocID) -> Explanation {
        var components: [ScoreComponent] = []
        for clause in clauses where clause.occur != .mustNot {
            for field in fields(of: clause) {
                let matches = index.matches(clause.matcher, in: field)
                guard let i = matches.documents.firstIndex(of: doc) else { continue }
                let tf = Double(matches.frequencies[i])
                let length = index.fieldLength(doc, field)
                let average = averageFieldLengths[Int(field.rawValue)]
                let idf = similarity.idf(documentFrequency: matches.count, documentCount: index.documentCount)
                let score = similarity.boost(field) * idf
                    * similarity.tfNorm(termFrequency: tf, fieldLength: Double(length), averageFieldLength: average)
                components.append(ScoreComponent(
                    matcher: clause.matcher, field: field, termFrequency: Int(tf), documentFrequency: matches.count, idf: idf,
                    fieldLength: length, averageFieldLength: average, boost: similarity.boost(field), score: score))
            }
        }
        return Explanation(components: components)
    }
}
