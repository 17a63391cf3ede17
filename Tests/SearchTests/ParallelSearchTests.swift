import Analysis
import Indexing
import Testing
@testable import Search

/// One query shared among threads (each over its share of the segments, with a top k of its own
/// and a threshold they publish to one another, merged at the end) against one thread and the
/// exhaustive evaluator: the same documents, scores (to the bit) and totals. On `MaxScoreTests`'
/// index: several segments, deleted documents, lists of several blocks.
@Suite(.serialized) struct ParallelSearchTests {
    /// Threads, and the smallest share of a segment: whole segments (dealt unevenly), segments
    /// cut in halves and quarters, and cut down to single documents.
    static let layouts: [(threads: Int, smallest: Int)] = [(2, 1024), (3, 32), (4, 1)]

    static func searchers(_ similarity: BM25, _ layout: (threads: Int, smallest: Int)) -> (shared: Searcher, one: Searcher, exhaustive: Searcher) {
        let snapshot = MaxScoreTests.snapshot
        let shared = Searcher(index: snapshot, similarity: similarity)
        shared.threads = layout.threads
        shared.parallelPostings = 0
        shared.smallestShare = layout.smallest
        let one = Searcher(index: snapshot, similarity: similarity)
        one.threads = 1
        let exhaustive = Searcher(index: snapshot, similarity: similarity)
        exhaustive.pruning = false
        return (shared, one, exhaustive)
    }

    /// The units each layout deals: what the searches below run on.
    @Test func layoutsShareTheSegments() {
        let sizes = MaxScoreTests.snapshot.segmentReaders.map(\.documentCount)
        #expect(sizes.count >= 3)
        let whole = SearchShares.deal(segmentSizes: sizes, lanes: 2, smallest: 1024)
        #expect(whole.count == 2 && whole.joined().allSatisfy { $0.documents == 0..<sizes[$0.segment] }, "\(whole)")
        for layout in Self.layouts.dropFirst() {
            let cut = SearchShares.deal(segmentSizes: sizes, lanes: layout.threads, smallest: layout.smallest)
            #expect(cut.count == layout.threads, "\(cut)")
            #expect(cut.joined().contains { $0.documents != 0..<sizes[$0.segment] }, "\(cut)")
        }
    }

    @Test(arguments: [0, 1, 2])
    func sharedEqualsOneThreadAndExhaustive(_ layout: Int) throws {
        let (shared, one, exhaustive) = Self.searchers(BM25(), Self.layouts[layout])
        let parser = QueryParser(analyzer: try Analyzer())
        var checked = 0, sharedPlans = 0
        for text in MaxScoreTests.queries {
            guard let query = try? parser.parse(text), let clauses = MaxScoreRetrieval.clauses(of: query.root) else { continue }
            if try MaxScoreRetrieval(searcher: shared, snapshot: MaxScoreTests.snapshot, clauses: clauses).lanes(
                try MaxScoreRetrieval(searcher: shared, snapshot: MaxScoreTests.snapshot, clauses: clauses).bind()) > 1 { sharedPlans += 1 }
            for k in [1, 3, 10, 40] {
                let a = try shared.search(query, limit: k)
                let b = try one.search(query, limit: k)
                let c = try exhaustive.search(query, limit: k)
                #expect(a.hits == b.hits, "\(text) k=\(k)")
                #expect(a.hits.map(\.doc) == c.hits.map(\.doc), "\(text) k=\(k)")
                #expect(a.hits.map(\.score) == c.hits.map(\.score), "\(text) k=\(k)")
                #expect(a.totalHits == b.totalHits, "\(text) k=\(k)")
                checked += 1
            }
        }
        #expect(checked >= 800 && sharedPlans * 4 >= checked - 40, "\(checked) comparisons, \(sharedPlans) queries shared")
    }

    /// BM25 alone over common words: each thread's segments through `WindowedUnion`, which
    /// publishes and reads the shared threshold too.
    @Test(arguments: [0, 1, 2])
    func sharedWindowedUnionEqualsExhaustive(_ layout: Int) throws {
        let (shared, one, exhaustive) = Self.searchers(BM25(titleBoost: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0), Self.layouts[layout])
        let parser = QueryParser(analyzer: try Analyzer())
        let counts = MaxScoreTests.bodyDocumentCounts
        let common = counts.filter { $0.value * 3 >= Corpus.fieldTokens.count }.keys.sorted()
        var random = SeededGenerator(seed: 23)
        for n in 0..<60 {
            let text = (0..<(2 + n % 4)).map { _ in common[Int(random.next() % UInt64(common.count))] }.joined(separator: " ")
            let query = try parser.parse(text)
            for k in [1, 10, 40] {
                let a = try shared.search(query, limit: k)
                #expect(a.hits == (try one.search(query, limit: k)).hits, "\(text) k=\(k)")
                #expect(a.hits.map(\.score) == (try exhaustive.search(query, limit: k)).hits.map(\.score), "\(text) k=\(k)")
            }
        }
    }

    /// Filters (a file glob, a speaker) and deleted documents in every thread's share.
    @Test func sharedWithFilters() throws {
        let (shared, one, exhaustive) = Self.searchers(BM25(), Self.layouts[2])
        let parser = QueryParser(analyzer: try Analyzer())
        let filters = [Searcher.Filter(file: "again1/*"), Searcher.Filter(author: ["黎", "辉"]), Searcher.Filter(file: "again*", author: ["周", "均", "发"])]
        var found = 0
        for text in MaxScoreTests.queries.prefix(80) {
            guard let query = try? parser.parse(text), MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
            for filter in filters {
                let a = try shared.search(query, limit: 10, filter: filter)
                #expect(a.hits == (try one.search(query, limit: 10, filter: filter)).hits, "\(text) \(filter)")
                #expect(a.hits.map(\.doc) == (try exhaustive.search(query, limit: 10, filter: filter)).hits.map(\.doc), "\(text) \(filter)")
                found += a.hits.count
            }
        }
        #expect(found > 0)
    }

    /// Explanations and proximity bonuses come back from whichever thread scored the document.
    @Test func sharedExplanations() throws {
        let (shared, one, _) = Self.searchers(BM25(), Self.layouts[1])
        let parser = QueryParser(analyzer: try Analyzer())
        var bonuses = 0
        for text in MaxScoreTests.queries.dropFirst(40).prefix(80) {
            guard let query = try? parser.parse(text), MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
            let a = try shared.search(query, limit: 10, explain: true)
            let b = try one.search(query, limit: 10, explain: true)
            #expect(a.hits == b.hits, "\(text)")
            bonuses += a.hits.filter { ($0.explanation?.proximity ?? 0) > 0 }.count
        }
        #expect(bonuses > 0)
    }
}
