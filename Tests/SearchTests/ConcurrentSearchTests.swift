import Analysis
import Foundation
import Indexing
import Testing
@testable import Search

/// One opened snapshot serves searches on several threads at once (a shell, a server): its
/// segment readers' caches (term blocks, field lengths) are filled while other threads read them.
@Suite struct ConcurrentSearchTests {
    @Test func searchesOnManyThreadsAnswerAsOneThreadDoes() throws {
        let queries = SingleTermPathTests.queries.prefix(60) + ["两个薄弱", "\"政协 委员\"", "周均发 三轮驱动"]
        let parser = QueryParser(analyzer: try Analyzer())
        let parsed = try queries.map { try parser.parse($0) }
        let directory = MaxScoreTests.snapshot.directory
        let expected = try parsed.map { try answers(try IndexDirectory(url: URL(fileURLWithPath: directory)).open(analyzerVersion: Analyzer.version), $0) }
        for _ in 0..<3 {
            // A fresh snapshot each round: every cache starts empty and fills under contention.
            let snapshot = try IndexDirectory(url: URL(fileURLWithPath: directory)).open(analyzerVersion: Analyzer.version)
            let results = Results(parsed.count * 4)
            DispatchQueue.concurrentPerform(iterations: parsed.count * 4) { i in
                results.set(i, Result { try answers(snapshot, parsed[i % parsed.count]) })
            }
            for i in 0..<(parsed.count * 4) { #expect(try results.get(i) == expected[i % parsed.count]) }
        }
    }
}

/// Per-iteration results, each slot written by one thread.
private func answers(_ snapshot: IndexSnapshot, _ query: Query) throws -> [String] {
    try Searcher(index: snapshot).search(query, limit: 10).hits.map { "\($0.doc.index):\($0.score)" }
}

private final class Results: @unchecked Sendable {
    private var slots: [Result<[String], any Error>?]
    private let lock = NSLock()
    init(_ count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<[String], any Error>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }
    func get(_ i: Int) throws -> [String] { try slots[i]!.get() }
}
