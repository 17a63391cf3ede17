import Analysis
import Foundation
import Indexing
import Testing
@testable import Search

/// The single-term path of `PlanCursor` (one required matcher, the only scored one, a term: its
/// fields' cursors moved and scored directly): which plans take it, and that pruned top-k still
/// equals the exhaustive evaluator to the bit with it, in one field and in several, with and
/// without boosts that zero a field.
@Suite(.serialized) struct SingleTermPathTests {
    static let queries: [String] = {
        let body = Corpus.fieldTokens.flatMap { $0[.body] ?? [] }.compactMap(\.first)
        var random = SeededGenerator(seed: 11)
        var queries = ["政协", "委员", "title:政协", "author:主席", "title:委员会 政协", "author:黎辉 政协 履职"]
        for n in 0..<120 {
            let words = (0..<(1 + n % 3)).map { _ in body[Int(random.next() % UInt64(body.count))] }
            let field = ["", "author:", "title:"][n % 3]
            queries.append(words.map { field + $0 }.joined(separator: " "))
        }
        return queries
    }()

    @Test func singleWordsTakeTheSingleTermPath() throws {
        let snapshot = MaxScoreTests.snapshot
        let parser = QueryParser(analyzer: try Analyzer())
        for (text, expected, inline) in [("政协", true, false), ("title:委员", true, true), ("\"政协 委员\"", false, false)] {
            let searcher = Searcher(index: snapshot, similarity: BM25(gramBoost: 0))
            let clauses = try #require(MaxScoreRetrieval.clauses(of: try parser.parse(text).root))
            let retrieval = MaxScoreRetrieval(searcher: searcher, snapshot: snapshot, clauses: clauses)
            let plans = try retrieval.bind()
            var found: [Bool] = []
            var inlined: [Bool] = []
            for (s, reader) in snapshot.segmentReaders.enumerated() {
                let lengths = try Field.allCases.map { try reader.fieldLengths($0) }
                let cursors = try retrieval.cursors(plans, segment: s, reader, lengths: lengths).compactMap { $0 }
                found += cursors.map(\.isSingleTerm)
                inlined += cursors.map { $0.single != nil }
            }
            #expect(!found.isEmpty && found.allSatisfy { $0 == expected }, "\(text): \(found)")
            // One field (a word in titles only): moved and scored inline by MaxScore's loop.
            #expect(inlined.allSatisfy { $0 == inline }, "\(text): \(inlined)")
        }
    }

    /// Ties with the collector's last entry are settled without places in segments whose places
    /// ascend: the test index has such segments (its many tied scores go through that path).
    @Test func someSegmentsAscend() throws {
        let snapshot = MaxScoreTests.snapshot
        let flags = snapshot.segmentsInCorpusOrder
        #expect(flags.count == snapshot.segmentReaders.count && flags.contains(true), "\(flags)")
        let places = snapshot.corpusPlaces
        for (s, ascending) in flags.enumerated() where ascending {
            let base = snapshot.base(ofSegment: s)
            for d in base..<(base + snapshot.segmentReaders[s].documentCount - 1) { #expect(places[d] < places[d + 1]) }
        }
    }

    @Test(arguments: [
        BM25(), BM25(titleBoost: 0, phraseBoost: 0), BM25(titleBoost: 0, phraseBoost: 0, gramBoost: 0), BM25(k1: 2.0, b: 1.0, titleBoost: 2.5),
        // BM25 alone (the peers' model): a score is its plans' sums, so block bounds are judged
        // without a margin and ties with the k-th (thirteen copies of each article) are settled
        // by corpus order; a word alone is one plan, bounded by its decoded blocks' best scores.
        BM25(titleBoost: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
    ])
    func prunedEqualsExhaustive(_ similarity: BM25) throws {
        let snapshot = MaxScoreTests.snapshot
        let parser = QueryParser(analyzer: try Analyzer())
        let pruned = Searcher(index: snapshot, similarity: similarity)
        let exhaustive = Searcher(index: snapshot, similarity: similarity)
        exhaustive.pruning = false
        var checked = 0
        for text in Self.queries {
            guard let query = try? parser.parse(text), MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
            checked += try MaxScoreTests.expectSameTopK(query, text, pruned: pruned, exhaustive: exhaustive)
        }
        #expect(checked >= 400)
    }
}
