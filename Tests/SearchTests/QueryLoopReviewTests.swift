import Analysis
import Foundation
import Indexing
import Testing
@testable import Search

/// (Review of block-max ties, inline single plans and `WindowedUnion`) Pruned top-k against the
/// exhaustive evaluator, for k from 1 to 40, around a block's 128 and past the matches, on a synthetic
/// plain-layout index made of many exactly tied scores: bodies of one fixed length, so a word's
/// score depends only on its frequency (and with b = 0 not even on the length); segments whose
/// places ascend and segments that come earlier in corpus order than older ones; merged
/// segments; deleted documents; filters.
@Suite(.serialized) struct QueryLoopReviewTests {
    static let vocabulary = ["alpha", "beta", "gamma", "delta", "omega", "kappa", "sigma", "rho"]

    /// Document `i`'s text: a title, then a body of exactly 12 words (fillers pad it).
    static func text(_ i: Int, seed: UInt64) -> String {
        var random = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(i))
        var body: [String] = []
        // alpha in every document, once (ties everywhere); twice in every 97th.
        body.append("alpha")
        if i % 97 == 5 { body.append("alpha") }
        // beta and gamma dense, with frequencies 1 or 2; delta half; the rest sparse.
        if random.next() % 4 != 0 { body += Array(repeating: "beta", count: 1 + Int(random.next() % 2)) }
        if random.next() % 3 != 0 { body.append("gamma") }
        if i % 2 == 0 { body.append("delta") }
        if random.next() % 9 == 0 { body.append("omega") }
        if i % 128 == 127 || i % 128 == 0 { body += ["kappa", "kappa"] }
        if random.next() % 5 == 0 { body.append("sigma") }
        while body.count < 12 { body.append("filler") }
        let title = ["rho notes", "notes", "alpha notes", "beta"][Int(random.next() % 4)]
        return title + "\n\n" + body.prefix(12).joined(separator: " ") + "\n"
    }

    static func build(maxSegments: Int) throws -> IndexSnapshot {
        let steps = try SteppedPlainIndex(name: "queryloop-review", maxSegments: maxSegments)
        func write(_ path: String, _ i: Int, seed: UInt64 = 1) throws { try steps.write(path, text(i, seed: seed)) }
        func update(threads: Int) throws { try steps.update(threads: threads) }
        // 520 documents in corpus order (lists of several blocks of 128).
        for i in 0..<520 { try write(String(format: "m/%03d.txt", i), i) }
        try update(threads: 1)
        // Files before ("a") and after ("z") them in corpus order, by two workers.
        for i in 0..<150 {
            try write(String(format: "a/%03d.txt", i), i * 7)
            try write(String(format: "z/%03d.txt", i), i * 3 + 1)
        }
        try update(threads: 2)
        // A segment before everything, then one between.
        for i in 0..<140 { try write(String(format: "0/%03d.txt", i), i, seed: 2) }
        try update(threads: 1)
        for i in 0..<260 { try write(String(format: "c/%03d.txt", i), i + 11, seed: 3) }
        try update(threads: 1)
        // Changes and removals: deleted documents inside segments, at block ends too.
        Thread.sleep(forTimeInterval: 0.02)
        for i in [0, 1, 126, 127, 128, 255, 256, 400] { try write(String(format: "m/%03d.txt", i), i + 3, seed: 4) }
        for i in 60..<70 { try steps.remove(String(format: "c/%03d.txt", i)) }
        for i in [3, 127, 128] { try steps.remove(String(format: "0/%03d.txt", i)) }
        try update(threads: 1)
        return try steps.open()
    }

    static let queries: [String] = {
        var queries: [String] = vocabulary + ["title:alpha", "title:notes", "title:rho alpha", "title:beta beta", "kappa filler"]
        for a in vocabulary.indices { for b in vocabulary.indices where b > a && (a + b) % 2 == 0 { queries.append("\(vocabulary[a]) \(vocabulary[b])") } }
        var random = SeededGenerator(seed: 99)
        for n in 0..<12 {
            let words = (0..<(3 + n % 4)).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }
            queries.append(words.joined(separator: " "))
        }
        queries += ["alpha OR beta", "alpha beta gamma delta omega kappa sigma rho filler notes"]
        return queries
    }()

    static let similarities: [BM25] = [
        BM25(phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
        BM25(titleBoost: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
        BM25(k1: 1.2, b: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
        // k1 = 0: every posting's tfNorm is 1, so block bounds equal scores and ties are everywhere.
        BM25(k1: 0, b: 0.75, phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
        BM25(phraseBoost: 0, gramBoost: 0),
        BM25(),
    ]

    static let ks = [1, 2, 3, 10, 40, 128, 129, 5000]

    func compare(_ snapshot: IndexSnapshot, _ similarity: BM25, filters: [Searcher.Filter]) throws -> (compared: Int, failed: [String]) {
        let parser = QueryParser(analyzer: try Analyzer())
        let pruned = Searcher(index: snapshot, similarity: similarity)
        let exhaustive = Searcher(index: snapshot, similarity: similarity)
        exhaustive.pruning = false
        var compared = 0
        var failed: [String] = []
        for text in Self.queries {
            let query = try parser.parse(text)
            guard MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
            for filter in filters {
                // One exhaustive ranking, deep enough for every k.
                let all = try exhaustive.search(query, limit: 5000, filter: filter)
                for k in Self.ks {
                    let a = try pruned.search(query, limit: k, filter: filter)
                    let b = Array(all.hits.prefix(k))
                    compared += 1
                    if a.hits != b || a.totalHits != all.totalHits {
                        let firstDiff = Array(zip(a.hits, b)).firstIndex { $0 != $1 } ?? min(a.hits.count, b.count)
                        failed.append("\(text) \(filter) k=\(k) first difference at rank \(firstDiff) of \(a.hits.count)/\(b.count)")
                    }
                }
            }
        }
        return (compared, failed)
    }

    @Test(arguments: [100, 2])
    func prunedEqualsExhaustiveOnTies(maxSegments: Int) throws {
        let snapshot = try Self.build(maxSegments: maxSegments)
        #expect(snapshot.liveDocumentCount < snapshot.documentCount)
        #expect(snapshot.segmentsInCorpusOrder.contains(true))
        let filters = [Searcher.Filter(), Searcher.Filter(file: "*3.txt"), Searcher.Filter(file: "[0a]/*")]
        for similarity in Self.similarities {
            let (compared, failed) = try compare(snapshot, similarity, filters: filters)
            #expect(failed.isEmpty, "\(similarity) segments≤\(maxSegments): \(failed.count) of \(compared) differ: \(failed.prefix(8))")
        }
    }
}


