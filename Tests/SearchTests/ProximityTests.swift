import Analysis
import Indexing
import Testing
@testable import Search

@Suite struct ProximityTests {
    @Test func gapBetweenNearestOccurrences() {
        typealias O = ProximityBonus.Occurrences
        #expect(ProximityBonus.gap(O(starts: [3], length: 1, idf: 1), O(starts: [4], length: 1, idf: 1)) == 0)
        #expect(ProximityBonus.gap(O(starts: [3, 40], length: 1, idf: 1), O(starts: [10, 42], length: 1, idf: 1)) == 1)
        #expect(ProximityBonus.gap(O(starts: [10], length: 2, idf: 1), O(starts: [5], length: 3, idf: 1)) == 2)
        #expect(ProximityBonus.gap(O(starts: [3], length: 2, idf: 1), O(starts: [4], length: 1, idf: 1)) == nil)
        let scorer = ProximityBonus(weight: 1, window: 5, k1: 1.2)
        let near = scorer.bonus([O(starts: [3], length: 1, idf: 2), O(starts: [4], length: 1, idf: 2)])
        let far = scorer.bonus([O(starts: [3], length: 1, idf: 2), O(starts: [8], length: 1, idf: 2)])
        let beyond = scorer.bonus([O(starts: [3], length: 1, idf: 2), O(starts: [30], length: 1, idf: 2)])
        #expect(near > far && far > 0 && beyond == 0)
        // Without saturation (k1 = 0) a document with no close pair still gets 0, not 0/0.
        let flat = ProximityBonus(weight: 1, window: 5, k1: 0)
        #expect(flat.bonus([O(starts: [3], length: 1, idf: 2), O(starts: [30], length: 1, idf: 2)]) == 0)
        #expect(flat.bonus([O(starts: [3], length: 1, idf: 2), O(starts: [4], length: 1, idf: 2)]) == 1)
        // The bound with every pair adjacent: (2 + 2) / 2 = 2, saturated at k1 1.2: 2 · 2.2 / 3.2.
        #expect(abs(near - 2 * 2.2 / 3.2) < 1e-12)
    }

    /// Two articles with the same words as often, one with them together: it ranks first, and
    /// only because of the bonus.
    @Test func closeWordsRankAboveScatteredOnes() throws {
        let builder = try IndexBuilder()
        builder.add(path: "a.txt", bytes: Array("□ 甲\n\n委员在会上发言。今天天气很好。我们讨论了很多问题。协商很重要。\n".utf8))
        builder.add(path: "b.txt", bytes: Array("□ 乙\n\n今天天气很好。委员协商很重要。我们讨论了很多问题。在会上发言。\n".utf8))
        let index = builder.finish()
        let query = try QueryParser(analyzer: try Analyzer()).parse("委员 协商")
        let with = try Searcher(index: index).search(query, explain: true)
        #expect(with.hits.map { index.document($0.doc).file } == ["b.txt", "a.txt"])
        #expect(with.hits[0].explanation!.proximity > 0 && with.hits[1].explanation!.proximity == 0)
        #expect(abs(with.hits[0].explanation!.total - with.hits[0].score) < 1e-9)
        let without = try Searcher(index: index, similarity: BM25(proximityBoost: 0)).search(query)
        #expect(abs(without.hits[0].score - without.hits[1].score) < 1e-9)
    }
}

/// The proximity bonus computed only where it can matter gives the top k of computing it everywhere.
@Suite struct ProximityPruningTests {
    @Test func boundedBonusLeavesTheTopKUnchanged() throws {
        let index = Corpus.defaultIndex
        let searcher = Searcher(index: index)
        let parser = QueryParser(analyzer: try Analyzer())
        let queries = ["政协 委员", "两个薄弱 协商", "机关 干部 学习", "乡村振兴 政协委员 调研", "书香政协 读书", "民主 监督 协商 提案"]
        for text in queries {
            let query = try parser.parse(text)
            for k in [1, 3, 10] {
                let pruned = try searcher.search(query, limit: k)
                // Exhaustive: every matched document's BM25 plus its bonus, best first.
                var cache = Searcher.MatchCache()
                let all = [Bool](repeating: true, count: index.documentCount)
                let evaluated = try searcher.evaluate(query.root, mask: all, cache: &cache, excluding: false)
                let context = try #require(try ListProximity(searcher, query.root.positiveClauses))
                var scored: [(score: Double, doc: DocID)] = []
                for d in 0..<index.documentCount where evaluated.matched[d] {
                    scored.append((evaluated.scores[d] + (try context.bonus(d)), DocID(d)))
                }
                scored.sort { $0.score > $1.score || ($0.score == $1.score && index.precedes($0.doc, $1.doc)) }
                #expect(pruned.hits.map(\.doc) == scored.prefix(k).map(\.doc), "\(text) k=\(k)")
                for (hit, want) in zip(pruned.hits, scored) { #expect(abs(hit.score - want.score) < 1e-9) }
                #expect(pruned.totalHits == scored.count)
            }
        }
    }
}
