import Analysis
import Foundation
import Indexing
import Testing
@testable import Search

/// (Review of the query fast path) Pruned top-k against the exhaustive evaluator on a synthetic
/// plain-layout index made to stress what the fast path changed: many tied scores within and
/// across segments, segments whose corpus places ascend and segments that come earlier in corpus
/// order than older ones, a one-document segment, documents deleted inside segments (files
/// changed and removed), merged segments, file filters, terms whose lists end exactly at a block
/// boundary (128, 129, 256, 257 documents), k larger than the matches and pages further down.
@Suite(.serialized) struct FastPathReviewTests {
    /// One document: a title line, then a body whose words depend on `i` only through a few
    /// residues (so that many documents score the same).
    static func text(_ i: Int) -> String {
        var body: [String] = []
        body += Array(repeating: "alpha", count: 1 + i % 3)
        if i < 128 { body.append("beta") }
        if i < 129 { body.append("gamma") }
        if i < 256 { body.append("delta") }
        if i < 257 { body.append("epsilon") }
        if i % 2 == 0 { body.append("zeta") }
        if i % 7 == 0 { body += ["zeta", "theta"] }
        if i % 5 == 0 { body.append("alpha") }
        let title = i % 4 == 0 ? "alpha notes" : "notes \(i % 3)"
        return title + "\n\n" + body.joined(separator: " ") + "\n"
    }

    /// Builds the index in steps; `maxSegments` small forces merges.
    static func build(maxSegments: Int) throws -> IndexSnapshot {
        let steps = try SteppedPlainIndex(name: "fastpath-review", maxSegments: maxSegments)
        func write(_ path: String, _ i: Int) throws { try steps.write(path, text(i)) }
        func update(threads: Int) throws { try steps.update(threads: threads) }
        // One segment of 300 documents in corpus order: lists of exactly 128, 129, 256, 257, 300.
        for i in 0..<300 { try write(String(format: "m/%03d.txt", i), i) }
        try update(threads: 1)
        // Two segments (two workers) of files before and after the first ones in corpus order.
        for i in 0..<60 {
            try write(String(format: "a/%03d.txt", i), i * 5)
            try write(String(format: "z/%03d.txt", i), i * 3)
        }
        try update(threads: 2)
        // A one-document segment between them.
        try write("b/only.txt", 42)
        try update(threads: 1)
        // A segment between them in corpus order, then files changed and removed: deleted
        // documents inside it, and one at the end of the first segment (which still ascends).
        for i in 0..<200 { try write(String(format: "c/%03d.txt", i), i + 7) }
        try update(threads: 1)
        Thread.sleep(forTimeInterval: 0.02)
        for i in [0, 10, 127, 128, 150, 199] { try write(String(format: "c/%03d.txt", i), i + 1) }
        for i in 50..<55 { try steps.remove(String(format: "c/%03d.txt", i)) }
        try steps.remove("a/007.txt")
        try steps.remove("m/299.txt")
        try update(threads: 1)
        // Another one-document segment, at the end of the corpus.
        try write("zz.txt", 3)
        try update(threads: 1)
        return try steps.open()
    }

    static let queries = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "notes", "title:alpha",
        "alpha beta", "beta gamma", "gamma delta epsilon", "zeta theta", "alpha zeta theta", "beta OR theta",
        "\"alpha zeta\"", "title:notes alpha",
    ]

    @Test(arguments: [100, 2])
    func prunedEqualsExhaustive(maxSegments: Int) throws {
        let snapshot = try Self.build(maxSegments: maxSegments)
        #expect(snapshot.liveDocumentCount < snapshot.documentCount || maxSegments < 10)
        if maxSegments >= 10 {
            #expect(snapshot.segmentReaders.count >= 5, "\(snapshot.segmentReaders.map(\.documentCount))")
            #expect(snapshot.segmentReaders.contains { $0.documentCount == 1 })
        }
        // Segments whose places ascend, the first one of 300 documents (ties settled without places).
        #expect(snapshot.segmentsInCorpusOrder.contains(true))
        if maxSegments >= 10 { #expect(snapshot.segmentsInCorpusOrder[0] && snapshot.segmentReaders[0].documentCount == 300) }
        let parser = QueryParser(analyzer: try Analyzer())
        let filters = [
            Searcher.Filter(), Searcher.Filter(file: "m/*"), Searcher.Filter(file: "a/*"), Searcher.Filter(file: "*0.txt"),
            Searcher.Filter(file: "m/1*"), Searcher.Filter(file: "c/*"), Searcher.Filter(file: "b/*"), Searcher.Filter(file: "nothing"),
        ]
        for similarity in [BM25(), BM25(phraseBoost: 0, gramBoost: 0), BM25(k1: 1.2, b: 0)] {
            let pruned = Searcher(index: snapshot, similarity: similarity)
            let exhaustive = Searcher(index: snapshot, similarity: similarity)
            exhaustive.pruning = false
            var nonEmpty = 0
            for text in Self.queries {
                let query = try parser.parse(text)
                guard MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
                for filter in filters {
                    for k in [1, 2, 10, 128, 129, 2000] {
                        for offset in k > 128 ? [0] : [0, 3, 128] {
                            let a = try pruned.search(query, limit: k, offset: offset, filter: filter)
                            let b = try exhaustive.search(query, limit: k, offset: offset, filter: filter)
                            #expect(a.hits == b.hits, "\(text) \(filter) k=\(k) offset=\(offset) segments≤\(maxSegments)")
                            #expect(a.totalHits == b.totalHits, "\(text) \(filter) k=\(k) offset=\(offset)")
                            if !a.hits.isEmpty { nonEmpty += 1 }
                        }
                    }
                }
            }
            #expect(nonEmpty > 500)
        }
    }
}
