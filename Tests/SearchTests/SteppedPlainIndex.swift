import Analysis
import Foundation
import Indexing

/// A plain-layout index built in steps over a corpus in a temporary folder, for the review tests'
/// synthetic indexes: files written and removed between updates, segments capped at `maxSegments`
/// (small to force merges).
struct SteppedPlainIndex {
    let corpus: URL
    let index: URL
    let maxSegments: Int

    init(name: String, maxSegments: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cs-\(name)-\(UUID().uuidString)")
        corpus = dir.appendingPathComponent("corpus")
        index = dir.appendingPathComponent("index")
        self.maxSegments = maxSegments
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    }

    /// Writes `text` as the corpus file at `path` (folders made as needed).
    func write(_ path: String, _ text: String) throws {
        let url = corpus.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: corpus.appendingPathComponent(path))
    }

    /// Brings the index up to date with the corpus, with `threads` workers (each writes its own
    /// segment) and no racy-timestamp margin.
    func update(threads: Int) throws {
        let writer = IndexWriter(directory: IndexDirectory(url: index), corpus: corpus, layout: .plain)
        writer.threads = threads
        writer.maxSegments = maxSegments
        writer.racyMargin = 0
        _ = try writer.update()
    }

    func open() throws -> IndexSnapshot {
        try IndexDirectory(url: index).open(analyzerVersion: Analyzer.version)
    }
}
