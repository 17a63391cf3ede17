import Analysis
import Foundation
import Indexing
import Testing
@testable import Search

/// (Review of required plans: MaxScore's leapfrog over the plans the others' bounds cannot do
/// without, `WindowedUnion`'s handover to it, and `PlanCursor`'s conjunction path) Pruned top-k
/// against the exhaustive evaluator on synthetic plain-layout indexes made so that plans become
/// required early, late (the rare high-frequency word only in the second half of a large first
/// segment: several windows before the handover) and in groups (three words of like bounds that
/// the best documents all hold: required plans that are not essential, moved by the leapfrog
/// and then asked `matches`/`matchesAt`). Latin words in title and body (plans of several
/// fields); CJK words in bodies only, placed independently, so a split word's pieces are one term
/// in one field each (`PlanCursor.conjunction`) and often apart. Bodies of one fixed length or of
/// random lengths; segments whose places ascend and ones that come earlier in corpus order;
/// deleted documents; filters; k1 = 0, b = 0, tiny k1. Fails with one plan too many treated as
/// required, with the handover one document late, and with the conjunction leapfrog not going
/// back to its first cursor (which the other suites' corpora, whose pieces co-occur, miss).
@Suite(.serialized) struct RequiredPlansReviewTests {
    /// Words, their density (per mille) in bodies, and their largest frequency.
    static let words: [(word: String, density: UInt64, maximum: UInt64)] = [
        ("alpha", 900, 2), ("beta", 600, 3), ("gamma", 350, 2), ("delta", 120, 4),
        ("zeta", 30, 6), ("eta", 12, 3), ("委员", 400, 2), ("履职", 80, 3), ("考核", 40, 2),
        ("履职考核", 60, 2), ("委员履职考核", 25, 3), ("政协", 150, 2), ("协商", 50, 3), ("民主", 20, 4),
    ]

    /// Document `i`'s text. `fixed`: every body 16 words long (ties); else 4 to 40.
    /// `late`: zeta (and its high frequencies) only in documents from 2,000 on.
    static func text(_ i: Int, seed: UInt64, fixed: Bool, late: Bool) -> String {
        var random = SeededGenerator(seed: seed &* 0x9E37_79B9 &+ UInt64(i))
        var body: [String] = []
        for (word, density, maximum) in words {
            if word == "zeta" && late && i < 2000 { continue }
            guard random.next() % 1000 < density else { continue }
            let frequency = 1 + Int(random.next() % maximum)
            body += Array(repeating: word, count: frequency)
        }
        let length = fixed ? 16 : 4 + Int(random.next() % 37)
        while body.count < length { body.append(random.next() % 2 == 0 ? "filler" : "padding") }
        body.shuffle(using: &random)
        let titles = ["notes", "alpha notes", "zeta", "beta gamma", "gamma notes", "delta delta", "notes eta"]
        let title = titles[Int(random.next() % UInt64(titles.count))]
        return title + "\n\n" + body.prefix(fixed ? 16 : body.count).joined(separator: " ") + "\n"
    }

    static func build(seed: UInt64, fixed: Bool, late: Bool, maxSegments: Int) throws -> IndexSnapshot {
        let steps = try SteppedPlainIndex(name: "required-review", maxSegments: maxSegments)
        func write(_ path: String, _ i: Int, _ s: UInt64 = 0) throws { try steps.write(path, text(i, seed: seed &+ s, fixed: fixed, late: late)) }
        // A first segment of 3,000 documents in corpus order (windows of 1,024; lists of many blocks).
        for i in 0..<3000 { try write(String(format: "m/%04d.txt", i), i) }
        try steps.update(threads: 1)
        // Files before and after them in corpus order, by two workers.
        for i in 0..<400 {
            try write(String(format: "a/%03d.txt", i), i + 5000, 1)
            try write(String(format: "z/%03d.txt", i), i + 6000, 2)
        }
        try steps.update(threads: 2)
        // A segment before everything, then one between, then changes and removals.
        for i in 0..<300 { try write(String(format: "0/%03d.txt", i), i + 7000, 3) }
        try steps.update(threads: 1)
        for i in 0..<500 { try write(String(format: "c/%03d.txt", i), i + 8000, 4) }
        try steps.update(threads: 1)
        Thread.sleep(forTimeInterval: 0.02)
        for i in [0, 1, 127, 128, 1023, 1024, 2047, 2500, 2999] { try write(String(format: "m/%04d.txt", i), i + 9000, 5) }
        for i in 60..<90 { try steps.remove(String(format: "c/%03d.txt", i)) }
        for i in stride(from: 2000, to: 2400, by: 7) { try steps.remove(String(format: "m/%04d.txt", i)) }
        for i in [3, 127, 128] { try steps.remove(String(format: "0/%03d.txt", i)) }
        try steps.update(threads: 1)
        return try steps.open()
    }

    static let queries: [String] = {
        var queries = [
            "zeta alpha", "alpha zeta", "zeta alpha beta", "alpha beta zeta gamma", "eta alpha beta", "delta alpha",
            "beta gamma delta", "delta zeta", "zeta eta", "delta zeta eta alpha", "title:zeta alpha", "title:delta beta",
            "zeta OR alpha", "\"alpha beta\" zeta", "委员履职考核", "履职考核 alpha", "履职考核", "委员履职", "委员履职 zeta", "考核委员 beta", "政协委员履职考核协商民主", "\"委员 考核\"", "\"委员 考核\" zeta alpha", "委员 履职 考核", "考核 委员 alpha beta",
            "alpha beta gamma delta zeta eta filler padding notes 委员 履职 考核",
        ]
        var random = SeededGenerator(seed: 41)
        let vocabulary = words.map(\.word) + ["filler", "notes"]
        for n in 0..<14 {
            queries.append((0..<(2 + n % 4)).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }.joined(separator: " "))
        }
        return queries
    }()

    static let similarities: [BM25] = [
        BM25(),
        // BM25 alone (WindowedUnion, then its handover), title at 0 or boosted (plans of several fields).
        BM25(titleBoost: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
        BM25(titleBoost: 2, phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
        // k1 = 0: bounds equal scores, ties everywhere; tiny k1: tfNorm not monotone to the ulp.
        BM25(k1: 0, b: 0.75),
        BM25(k1: 1e-12, b: 0, titleBoost: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0),
    ]

    static let ks = [1, 2, 3, 10, 40, 129]

    /// Compares every query, filter, k; returns failures and how many queries had, in some
    /// segment, a plan required at the exhaustive k-th score (the leapfrog's path).
    func compare(_ snapshot: IndexSnapshot, _ similarity: BM25, filters: [Searcher.Filter]) throws -> (compared: Int, required: Int, failed: [String]) {
        let parser = QueryParser(analyzer: try Analyzer())
        let pruned = Searcher(index: snapshot, similarity: similarity)
        let exhaustive = Searcher(index: snapshot, similarity: similarity)
        exhaustive.pruning = false
        var compared = 0, required = 0
        var failed: [String] = []
        for text in Self.queries {
            let query = try parser.parse(text)
            guard let clauses = MaxScoreRetrieval.clauses(of: query.root) else { continue }
            let retrieval = MaxScoreRetrieval(searcher: pruned, snapshot: snapshot, clauses: clauses)
            let plans = try retrieval.bind()
            var bounds: [[Double]] = []
            for (s, reader) in snapshot.segmentReaders.enumerated() {
                let lengths = try Field.allCases.map { try reader.fieldLengths($0) }
                bounds.append(try retrieval.cursors(plans, segment: s, reader, lengths: lengths).compactMap { $0?.upperBound })
            }
            for filter in filters {
                let all = try exhaustive.search(query, limit: 5000, filter: filter)
                var counted = false
                for k in Self.ks {
                    let a = try pruned.search(query, limit: k, filter: filter, countTotal: false)
                    let b = Array(all.hits.prefix(k))
                    compared += 1
                    if a.hits != b {
                        let first = Array(zip(a.hits, b)).firstIndex { $0 != $1 } ?? min(a.hits.count, b.count)
                        failed.append("\(text) \(filter) k=\(k): first difference at rank \(first) of \(a.hits.count)/\(b.count)")
                    }
                    if !counted && b.count == k, let kth = b.last?.score,
                        bounds.contains(where: { b in b.count >= 2 && b.contains { b.reduce(0, +) - $0 < kth } }) {
                        counted = true
                        required += 1
                    }
                }
            }
        }
        return (compared, required, failed)
    }

    @Test(arguments: [
        (seed: UInt64(3), fixed: true, late: true, maxSegments: 100),
        (seed: UInt64(4), fixed: false, late: false, maxSegments: 2),
    ])
    func prunedEqualsExhaustive(seed: UInt64, fixed: Bool, late: Bool, maxSegments: Int) throws {
        let snapshot = try Self.build(seed: seed, fixed: fixed, late: late, maxSegments: maxSegments)
        #expect(snapshot.liveDocumentCount < snapshot.documentCount)
        #expect(snapshot.segmentsInCorpusOrder.contains(true))
        let filters = [Searcher.Filter(), Searcher.Filter(file: "[0am]/*[37].txt")]
        var required = 0
        for similarity in Self.similarities {
            let (compared, found, failed) = try compare(snapshot, similarity, filters: filters)
            required += found
            #expect(failed.isEmpty, "\(similarity) seed \(seed): \(failed.count) of \(compared) differ: \(failed.prefix(6))")
        }
        #expect(required >= 80, "\(required) (query, filter) pairs with a required plan")
    }
}
