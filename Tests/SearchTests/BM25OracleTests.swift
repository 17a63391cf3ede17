import Foundation
import Indexing
import Testing
@testable import Search

/// The optimised scorer against a brute-force one that scans every article's tokens.
@Suite struct BM25OracleTests {
    /// Occurrences of `terms` at consecutive positions in `slots` (the terms at each position).
    static func count(_ terms: [String], in slots: [[String]]) -> Int {
        guard !terms.isEmpty, slots.count >= terms.count else { return 0 }
        var n = 0
        for i in 0...(slots.count - terms.count) where terms.indices.allSatisfy({ slots[i + $0].contains(terms[$0]) }) { n += 1 }
        return n
    }

    /// Scores by definition: for each clause and field, BM25 from counts over all articles.
    static func bruteForce(_ clauses: [Clause], similarity: BM25) -> [(doc: Int, score: Double)] {
        let docs = Corpus.fieldTokens
        let n = Double(docs.count)
        var scores = [Double](repeating: 0, count: docs.count)
        var matched = [Bool](repeating: false, count: docs.count)
        for clause in clauses {
            for field in Field.textFields {
                let tfs = docs.map { count(clause.matcher.terms, in: $0[field]!) }
                guard tfs.contains(where: { $0 > 0 }) else { continue }
                let average = max(1, Double(docs.reduce(0) { $0 + $1[field]!.count }) / n)
                // A phrase weighs the sum of its terms' idfs (as Lucene's PhraseQuery).
                var idf = 0.0
                for term in clause.matcher.terms {
                    let df = Double(docs.filter { count([term], in: $0[field]!) > 0 }.count)
                    idf += log(1 + (n - df + 0.5) / (df + 0.5))
                }
                for (d, tf) in tfs.enumerated() where tf > 0 {
                    matched[d] = true
                    let length = Double(docs[d][field]!.count)
                    let k1 = similarity.k1, b = similarity.b
                    scores[d] += similarity.boost(field) * idf * Double(tf) * (k1 + 1) / (Double(tf) + k1 * (1 - b + b * length / average))
                }
            }
        }
        return scores.indices.filter { matched[$0] }.map { ($0, scores[$0]) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.doc < $1.doc) }
    }

    // The oracle models BM25 over fields and phrases; the proximity bonus has its own tests.
    @Test(arguments: [BM25(proximityBoost: 0), BM25(k1: 0.9, b: 0.4, titleBoost: 1, proximityBoost: 0), BM25(k1: 2.0, b: 1.0, titleBoost: 3, proximityBoost: 0)])
    func randomQueriesMatchTheBruteForceScorer(similarity: BM25) throws {
        var generator = SeededGenerator(seed: 20261121)
        let docs = Corpus.fieldTokens
        let searcher = Searcher(index: Corpus.index, similarity: similarity)
        #expect(Corpus.index.documentCount == docs.count)
        // The same corpus on disk (words only, one segment): searched with MaxScore pruning.
        let pruned = Searcher(index: Corpus.wordsSnapshot, similarity: similarity)
        #expect(Corpus.wordsSnapshot.documentCount == docs.count)
        for _ in 0..<200 {
            var clauses: [Clause] = []
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let body = docs.randomElement(using: &generator)![.body]!
                let length = Int.random(in: 1...3, using: &generator)
                let start = Int.random(in: 0..<(body.count - length), using: &generator)
                // One term per position: a word, a part, or a word kept whole that starts there.
                let terms = body[start..<(start + length)].map { $0.randomElement(using: &generator)! }
                clauses.append(Clause(terms.count == 1 ? .term(terms[0]) : .phrase(terms)))
            }
            let expected = Self.bruteForce(clauses, similarity: similarity)
            let result = try searcher.search(Query(text: "", clauses: clauses), limit: 10)
            #expect(result.totalHits == expected.count)
            #expect(result.hits.count == min(10, expected.count))
            for (hit, want) in zip(result.hits, expected) {
                #expect(abs(hit.score - want.score) < 1e-9)
                #expect(hit.doc.index == want.doc || abs(hit.score - want.score) < 1e-9)
            }
            #expect(result.hits.map(\.doc.index) == expected.prefix(10).map(\.doc))
            let fast = try pruned.search(Query(text: "", clauses: clauses), limit: 10)
            #expect(fast.totalHits == expected.count)
            for (hit, want) in zip(fast.hits, expected) { #expect(abs(hit.score - want.score) < 1e-9) }
            // Document ids differ between the two indexes; article keys do not.
            #expect(try fast.hits.map { try Corpus.wordsSnapshot.documentKey($0.doc) } == expected.prefix(10).map { Corpus.index.documents[$0.doc].key })
        }
    }

    @Test func explanationSumsToTheScore() throws {
        let searcher = Searcher(index: Corpus.index)
        let query = Query(text: "", clauses: [Clause(.phrase(["两", "个", "薄弱"])), Clause(.term("政协"))])
        for hit in try searcher.search(query, limit: 5, explain: true).hits {
            let explanation = try #require(hit.explanation)
            #expect(abs(explanation.total - hit.score) < 1e-9)
            #expect(explanation.components.allSatisfy { $0.termFrequency > 0 && $0.documentFrequency > 0 && $0.idf > 0 })
        }
    }

    @Test func topKCollectorKeepsTheBestInOrder() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<100 {
            let k = Int.random(in: 0...12, using: &generator)
            let scores = (0..<Int.random(in: 0...60, using: &generator)).map { _ in Double(Int.random(in: 0...20, using: &generator)) }
            var collector = TopKCollector(k: k)
            for (d, s) in scores.enumerated() { collector.collect(DocID(d), score: s) }
            let expected = scores.enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
                .prefix(k).map(\.offset)
            #expect(collector.sorted().map(\.doc.index) == expected)
        }
    }
}

/// SplitMix64: reproducible random numbers for tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
