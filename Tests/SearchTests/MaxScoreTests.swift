import Analysis
import Foundation
import Indexing
import Testing
@testable import Search

/// Pruned top-k (MaxScore, document at a time over compressed blocks) against the exhaustive
/// evaluator (term at a time over every posting) on an on-disk index with several segments and
/// deleted documents: the same documents, the same scores, the same totals, for every k.
@Suite(.serialized) struct MaxScoreTests {
    /// An index built in steps (several segments), with one issue changed and one removed
    /// (deleted documents inside segments).
    static let snapshot: IndexSnapshot = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cs-maxscore-\(UUID().uuidString)")
        let corpus = dir.appendingPathComponent("corpus")
        try! FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let names = try! FileManager.default.contentsOfDirectory(atPath: Corpus.root.path).filter { $0.hasSuffix(".txt") }.sorted()
        let index = dir.appendingPathComponent("index")
        // The issues, then twelve more copies of each (in folders) in a later batch: common
        // words get lists of several blocks of 128, with many tied scores.
        for name in names {
            try! FileManager.default.copyItem(at: Corpus.root.appendingPathComponent(name), to: corpus.appendingPathComponent(name))
        }
        _ = try! IndexWriter(directory: IndexDirectory(url: index), corpus: corpus).update()
        for copy in 0..<12 {
            let folder = corpus.appendingPathComponent("again\(copy)")
            try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in names {
                try! FileManager.default.copyItem(at: Corpus.root.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
        }
        _ = try! IndexWriter(directory: IndexDirectory(url: index), corpus: corpus).update()
        // One issue corrected, one withdrawn: their articles are deleted inside their segments.
        let changed = corpus.appendingPathComponent(names[1])
        let text = try! String(contentsOf: changed, encoding: .utf8)
        try! (text + "\n\n补充 政协委员 协商议政 两个薄弱\n").write(to: changed, atomically: true, encoding: .utf8)
        try! FileManager.default.removeItem(at: corpus.appendingPathComponent("again2/" + names[3]))
        _ = try! IndexWriter(directory: IndexDirectory(url: index), corpus: corpus).update()
        return try! IndexDirectory(url: index).open(analyzerVersion: Analyzer.version)
    }()

    /// The judged queries, and queries drawn from the index's own words: one to six clauses of
    /// common and rare words, quoted phrases and long sentences.
    static let queries: [String] = {
        var queries = IncrementalIndexTests.queries
        let body = Corpus.fieldTokens.flatMap { $0[.body] ?? [] }.compactMap(\.first)
        var random = SeededGenerator(seed: 7)
        for n in 0..<150 {
            let clauses = 1 + n % 6
            var words: [String] = []
            for _ in 0..<clauses {
                let start = Int(random.next() % UInt64(body.count - 8))
                switch random.next() % 5 {
                case 0: words.append("\"" + body[start..<(start + 2)].joined() + "\"")
                case 1: words.append(body[start..<(start + 6)].joined())
                default: words.append(body[start])
                }
            }
            queries.append(words.joined(separator: " "))
        }
        // Quoted phrases of words apart (a required clause: its bigrams only score), sloppy ones.
        for n in 0..<60 {
            let start = Int(random.next() % UInt64(body.count - 8))
            queries.append(n % 2 == 0 ? "\"\(body[start]) \(body[start + 2])\"" : "\"\(body[start]) \(body[start + 1 + n % 3])\"~\(1 + n % 6)")
        }
        queries += ["\"政协 委员\"", "\"委员 政协\"", "\"委员\""]
        // Field restrictions and OR stay flat disjunctions.
        queries += ["title:政协 委员", "author:黎辉 党建", "title:(协商 民主) 履职", "两个薄弱 OR 书香政协", "author:主席 OR 委员会"]
        return queries
    }()

    /// Expects the pruned searcher's top k to be the exhaustive one's (documents, scores to the
    /// bit, total) for k = 1, 3, 10 and 40; returns the number of comparisons.
    static func expectSameTopK(
        _ query: Query, _ text: String, pruned: Searcher, exhaustive: Searcher, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
        for k in [1, 3, 10, 40] {
            let a = try pruned.search(query, limit: k)
            let b = try exhaustive.search(query, limit: k)
            #expect(a.hits.map(\.doc) == b.hits.map(\.doc), "\(text) k=\(k)", sourceLocation: sourceLocation)
            #expect(a.hits.map(\.score) == b.hits.map(\.score), "\(text) k=\(k)", sourceLocation: sourceLocation)
            #expect(a.totalHits == b.totalHits, "\(text) k=\(k)", sourceLocation: sourceLocation)
        }
        return 4
    }

    @Test func prunedEqualsExhaustive() throws {
        let snapshot = Self.snapshot
        #expect(snapshot.segmentReaders.count >= 3)
        #expect(snapshot.liveDocumentCount < snapshot.documentCount)
        // Lists of several blocks (skips, block bounds) in some segment.
        #expect(try snapshot.segmentReaders.contains { try ($0.lookup("政协", in: .body)?.documentFrequency ?? 0) > PostingsEncoder.blockSize })
        let parser = QueryParser(analyzer: try Analyzer())
        let pruned = Searcher(index: snapshot)
        let exhaustive = Searcher(index: snapshot)
        exhaustive.pruning = false
        var checked = 0
        for text in Self.queries {
            guard let query = try? parser.parse(text), MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
            checked += try Self.expectSameTopK(query, text, pruned: pruned, exhaustive: exhaustive)
            // A page further down equals the same ranks of a longer list.
            let page = try pruned.search(query, limit: 5, offset: 5)
            #expect(page.hits == Array(try exhaustive.search(query, limit: 10).hits.dropFirst(5)), "\(text) page 2")
        }
        #expect(checked >= 800)
    }

    /// (Review) Other BM25 parameters: every evaluator computes tfNorm through the same
    /// `LengthNorm`, so pruned and exhaustive scores stay equal to the bit whatever k1, b and the
    /// boosts are (b = 0 and b = 1 are the edges of the length normalisation).
    @Test(arguments: [
        BM25(k1: 0.9, b: 0.4), BM25(k1: 2.0, b: 1.0, titleBoost: 2.5), BM25(k1: 1.2, b: 0, phraseBoost: 0.5, gramBoost: 0.3),
    ])
    func prunedEqualsExhaustiveForOtherParameters(_ similarity: BM25) throws {
        let pruned = Searcher(index: Self.snapshot, similarity: similarity)
        let exhaustive = Searcher(index: Self.snapshot, similarity: similarity)
        exhaustive.pruning = false
        let parser = QueryParser(analyzer: try Analyzer())
        for text in Self.queries.prefix(80) {
            guard let query = try? parser.parse(text), MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
            for k in [1, 10] {
                let a = try pruned.search(query, limit: k)
                let b = try exhaustive.search(query, limit: k)
                #expect(a.hits == b.hits, "\(text) k=\(k) \(similarity)")
            }
        }
    }

    /// BM25 alone over an OR of common words (the peers' model): `WindowedUnion` takes the
    /// segments where their postings are dense, and its top k is the exhaustive one to the bit.
    /// Per body word of the test corpus, how many documents hold it.
    static let bodyDocumentCounts: [String: Int] = {
        var counts: [String: Int] = [:]
        for tokens in Corpus.fieldTokens { for token in Set((tokens[.body] ?? []).compactMap(\.first)) { counts[token, default: 0] += 1 } }
        return counts
    }()

    @Test func windowedUnionEqualsExhaustive() throws {
        let similarity = BM25(titleBoost: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0)
        let snapshot = Self.snapshot
        let pruned = Searcher(index: snapshot, similarity: similarity)
        let exhaustive = Searcher(index: snapshot, similarity: similarity)
        exhaustive.pruning = false
        let parser = QueryParser(analyzer: try Analyzer())
        // Common words first (dense lists), then rare ones mixed in (sparse: the general loop).
        let counts = Self.bodyDocumentCounts
        let common = counts.filter { $0.value * 3 >= Corpus.fieldTokens.count }.keys.sorted()
        let rare = counts.filter { $0.value == 1 }.keys.sorted()
        #expect(common.count >= 8 && rare.count >= 8)
        var random = SeededGenerator(seed: 17)
        var windowed = 0, checked = 0
        for n in 0..<80 {
            var words = (0..<(2 + n % 3)).map { _ in common[Int(random.next() % UInt64(common.count))] }
            if n % 4 == 3 { words.append(rare[Int(random.next() % UInt64(rare.count))]) }
            let text = words.joined(separator: " ")
            let query = try parser.parse(text)
            let clauses = try #require(MaxScoreRetrieval.clauses(of: query.root))
            let retrieval = MaxScoreRetrieval(searcher: pruned, snapshot: snapshot, clauses: clauses)
            let plans = try retrieval.bind()
            for (s, reader) in snapshot.segmentReaders.enumerated() {
                let lengths = try Field.allCases.map { try reader.fieldLengths($0) }
                let live = try retrieval.cursors(plans, segment: s, reader, lengths: lengths).compactMap { $0 }
                if live.count >= 2 && live.reduce(0, { $0 + $1.requiredPostings }) >= reader.documentCount / WindowedUnion.leastDensity { windowed += 1 }
            }
            checked += try Self.expectSameTopK(query, text, pruned: pruned, exhaustive: exhaustive)
        }
        #expect(windowed >= 40 && checked >= 300, "\(windowed) segments windowed, \(checked) comparisons")
    }

    /// Required plans: a query whose k-th score ends up above the bounds of all plans but one
    /// together (a rare word beside common ones: documents without the rare word cannot enter).
    /// The loop then leapfrogs the required plans, and `WindowedUnion` hands over to it. The
    /// queries are counted where that happens in some segment, so the path is known to be taken.
    @Test func requiredPlansEqualExhaustive() throws {
        let snapshot = Self.snapshot
        let parser = QueryParser(analyzer: try Analyzer())
        let counts = Self.bodyDocumentCounts
        let common = counts.filter { $0.value * 4 >= Corpus.fieldTokens.count }.keys.sorted()
        let rare = counts.filter { (2...4).contains($0.value) }.keys.sorted()
        #expect(common.count >= 8 && rare.count >= 8)
        var random = SeededGenerator(seed: 29)
        var required = 0, checked = 0
        for similarity in [BM25(titleBoost: 0, phraseBoost: 0, gramBoost: 0, proximityBoost: 0), BM25()] {
            let pruned = Searcher(index: snapshot, similarity: similarity)
            let exhaustive = Searcher(index: snapshot, similarity: similarity)
            exhaustive.pruning = false
            for n in 0..<60 {
                var words = (0..<(1 + n % 3)).map { _ in common[Int(random.next() % UInt64(common.count))] }
                words.insert(rare[Int(random.next() % UInt64(rare.count))], at: n % words.count)
                let text = words.joined(separator: " ")
                let query = try parser.parse(text)
                let clauses = try #require(MaxScoreRetrieval.clauses(of: query.root))
                // The 3rd score, as the exhaustive evaluator finds it: where the bounds of every
                // plan but one fall below it, that plan is required from then on; with two such,
                // the loop leapfrogs them.
                let top = try exhaustive.search(query, limit: 3).hits
                if top.count == 3 {
                    let retrieval = MaxScoreRetrieval(searcher: pruned, snapshot: snapshot, clauses: clauses)
                    let plans = try retrieval.bind()
                    for (s, reader) in snapshot.segmentReaders.enumerated() {
                        let lengths = try Field.allCases.map { try reader.fieldLengths($0) }
                        let bounds = try retrieval.cursors(plans, segment: s, reader, lengths: lengths).compactMap { $0?.upperBound }
                        let total = bounds.reduce(0, +)
                        // Two required plans: the loop leapfrogs (one, the largest, it only walks).
                        if bounds.filter({ total - $0 < top[2].score }).count >= 2 {
                            required += 1
                            break
                        }
                    }
                }
                checked += try Self.expectSameTopK(query, text, pruned: pruned, exhaustive: exhaustive)
            }
        }
        #expect(required >= 20 && checked >= 400, "\(required) queries with two required plans, \(checked) comparisons")
    }

    /// Sloppy phrases alone (no bigrams): a sloppy phrase can occur more often than its later terms.
    @Test func sloppyPhrasesWithoutBigrams() throws {
        let similarity = BM25(gramBoost: 0)
        let pruned = Searcher(index: Self.snapshot, similarity: similarity)
        let exhaustive = Searcher(index: Self.snapshot, similarity: similarity)
        exhaustive.pruning = false
        let parser = QueryParser(analyzer: try Analyzer())
        let body = Corpus.fieldTokens.flatMap { $0[.body] ?? [] }.compactMap(\.first)
        var random = SeededGenerator(seed: 5)
        var queries = ["\"职 考\"~5"]
        for _ in 0..<100 {
            let start = Int(random.next() % UInt64(body.count - 8))
            queries.append("\"\(body[start]) \(body[start + 1 + Int(random.next() % 3)])\"~\(1 + Int(random.next() % 6))")
        }
        for text in queries {
            let query = try parser.parse(text)
            for k in [1, 3, 10] {
                let a = try pruned.search(query, limit: k)
                let b = try exhaustive.search(query, limit: k)
                #expect(a.hits == b.hits && a.totalHits == b.totalHits, "\(text) k=\(k)")
            }
        }
    }

    @Test func prunedEqualsExhaustiveWithFilters() throws {
        let snapshot = Self.snapshot
        let parser = QueryParser(analyzer: try Analyzer())
        let pruned = Searcher(index: snapshot)
        let exhaustive = Searcher(index: snapshot)
        exhaustive.pruning = false
        let filters = [
            Searcher.Filter(file: "again1/*"), Searcher.Filter(file: "00[13]*"), Searcher.Filter(author: ["黎", "辉"]),
            Searcher.Filter(file: "again*", author: ["周", "均", "发"]), Searcher.Filter(file: "nothing*"),
        ]
        var found = [Int](repeating: 0, count: filters.count)
        for text in Self.queries.prefix(120) {
            guard let query = try? parser.parse(text), MaxScoreRetrieval.clauses(of: query.root) != nil else { continue }
            for (f, filter) in filters.enumerated() {
                let a = try pruned.search(query, limit: 10, filter: filter)
                let b = try exhaustive.search(query, limit: 10, filter: filter)
                #expect(a.hits == b.hits, "\(text) \(filter)")
                #expect(a.totalHits == b.totalHits, "\(text) \(filter)")
                found[f] += a.hits.count
            }
        }
        // Every filter but the one that matches no file lets some articles through.
        #expect(found.dropLast().allSatisfy { $0 > 0 } && found.last == 0, "\(found)")
    }
}
