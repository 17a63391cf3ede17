import Analysis
import Articles
import Benchmark
import Foundation
import ICUText
import Indexing
import Search

// The engine's benchmarks: analysis and indexing throughput, query latency by query shape, opening an
// index, index size, memory and allocations. `swift package benchmark` runs them over the bundled
// corpus, or over `CS_BENCH_CORPUS=/path/to/dir`; see Benchmarks/README.md.
//
// CI checks the deterministic metrics (allocations, index size) against Benchmarks/Thresholds with
// the tolerances below; times and memory are reported, never gated (they depend on the machine).

/// Text analysed or indexed per second, in kB (1000 bytes of UTF-8 text): MB/s × 1000.
let textThroughput = BenchmarkMetric.custom("text kB/s", polarity: .prefersLarger, useScalingFactor: false)
/// The index (segment files, as `SegmentFile.encode` writes them) per MB of text, in kB: the
/// index/text ratio × 1000. Deterministic (one thread, the writer's 256 MB flush budget).
let indexSize = BenchmarkMetric.custom("indexKBPerTextMB")
/// The same for the index `IndexWriter` leaves on disk (commit point included). It depends on the
/// number of cores (one segment per worker thread), so it is reported, not gated.
let diskIndexSize = BenchmarkMetric.custom("on-disk kB per text MB")

/// Flushed like `IndexWriter.memoryBudget`.
let flushBudget = 256 << 20

let benchmarks: @Sendable () -> Void = {
    // Tolerances for the gated metrics. Allocation counts of the same work repeat exactly or within
    // a few allocations (other threads: Dispatch, the sampler); 5% passes that and fails any real
    // regression (an extra allocation per token, per posting or per query term is tens of percent).
    // The index size repeats exactly.
    let allocationTolerance = BenchmarkThresholds(relative: [.p50: 5.0, .p90: 5.0])
    let sizeTolerance = BenchmarkThresholds(relative: [.p50: 2.0, .p90: 2.0])
    let large = Fixtures.isLarge
    let passSeconds = Duration.seconds(large ? 120 : 10)
    let warmup = large ? 0 : 1
    let textMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, textThroughput]
    // Names have no spaces or `/`: package-benchmark 1.38.1 writes a threshold file with `_` in their
    // place but reads it back by the name as it is, so such a benchmark would never be checked.

    // Normalise and segment all the corpus text (file windows as the indexer reads them, each one
    // normalised as one text, then cut into tokens): the analysis chain alone.
    Benchmark(
        "analysis-normalise-segment",
        configuration: .init(
            metrics: textMetrics, timeUnits: .milliseconds, warmupIterations: warmup, maxDuration: passSeconds,
            maxIterations: large ? 3 : 20, thresholds: [.mallocCountTotal: allocationTolerance])
    ) { benchmark, state in
        let started = ContinuousClock.now
        var tokens = 0
        for window in state.windows {
            let text = state.analyzer.normalizer.normalize(lines: TextNormalizer.lines(of: window.bytes), in: window.bytes)
            tokens += state.analyzer.tokens(of: text).count
        }
        blackHole(tokens)
        benchmark.measurement(textThroughput, kilobytesPerSecond(state.bytes, since: started))
    } setup: {
        try TextState()
    }

    // ICU's word break iterator alone over the raw corpus text, one iterator per core (windows dealt
    // out in turn): the physical limit of the indexing pipeline, which indexwriter-to-disk's
    // throughput is compared with (the 60% target).
    Benchmark(
        "icu-word-breaks-all-cores",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, textThroughput], timeUnits: .milliseconds, warmupIterations: warmup,
            maxDuration: passSeconds, maxIterations: large ? 3 : 20)
    ) { benchmark, state in
        let started = ContinuousClock.now
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let counts = SpanCounts(cores)
        DispatchQueue.concurrentPerform(iterations: cores) { worker in
            guard let breaker = try? WordBreaker() else { return }
            var spans = 0
            for w in stride(from: worker, to: state.windows.count, by: cores) {
                state.windows[w].bytes.withUnsafeBufferPointer { bytes in
                    try? breaker.forEachSpan(in: bytes) { _ in spans += 1 }
                }
            }
            counts.values[worker] = spans
        }
        blackHole(counts.values.reduce(0, +))
        benchmark.measurement(textThroughput, kilobytesPerSecond(state.bytes, since: started))
    } setup: {
        try TextState()
    }

    // Split into articles, analyse every field, build postings (with character bigrams, as the
    // CLI indexes) and encode the segments (bodies' lines, not their text, as the writer stores
    // them), in memory on one thread: what one indexing worker does.
    Benchmark(
        "indexbuilder-one-thread",
        configuration: .init(
            metrics: textMetrics + [indexSize], timeUnits: .milliseconds, warmupIterations: warmup, maxDuration: passSeconds,
            maxIterations: large ? 3 : 10, thresholds: [.mallocCountTotal: allocationTolerance, indexSize: sizeTolerance])
    ) { benchmark, state in
        let started = ContinuousClock.now
        var builder = try IndexBuilder(layout: .journal, bigrams: true, storesBodies: false)
        var ordinals: [String: Int] = [:]
        var encoded = 0
        for window in state.windows {
            ordinals[window.path, default: 0] += builder.add(window, firstOrdinal: ordinals[window.path, default: 0])
            if builder.memoryFootprint > flushBudget {
                encoded += SegmentFile.encode(builder.finish(), analyzerVersion: Analyzer.version).count
                builder = try IndexBuilder(layout: .journal, bigrams: true, storesBodies: false)
            }
        }
        encoded += SegmentFile.encode(builder.finish(), analyzerVersion: Analyzer.version).count
        benchmark.measurement(textThroughput, kilobytesPerSecond(state.bytes, since: started))
        benchmark.measurement(indexSize, encoded * 1000 / max(1, state.bytes))
    } setup: {
        try TextState()
    }

    // `committee-search index --full` without the CLI: list, hash and read the files, analyse them
    // on every core, write and fsync the segments and the commit point into a fresh directory.
    Benchmark(
        "indexwriter-to-disk",
        configuration: .init(
            metrics: textMetrics + [diskIndexSize], timeUnits: .milliseconds, warmupIterations: warmup,
            maxDuration: passSeconds, maxIterations: large ? 3 : 10, thresholds: [.mallocCountTotal: allocationTolerance])
    ) { benchmark, state in
        let directory = state.root.appendingPathComponent("run-\(state.runs)")
        state.runs += 1
        let writer = IndexWriter(directory: IndexDirectory(url: directory), corpus: Fixtures.corpus)
        benchmark.startMeasurement()
        let started = ContinuousClock.now
        let report = try writer.update(full: true)
        let throughput = kilobytesPerSecond(report.bytes, since: started)
        benchmark.stopMeasurement()
        benchmark.measurement(textThroughput, throughput)
        benchmark.measurement(diskIndexSize, Fixtures.size(of: directory) * 1000 / max(1, report.bytes))
        try FileManager.default.removeItem(at: directory)
    } setup: {
        WriterState(root: try Fixtures.temporaryDirectory("writer"))
    }

    // Query latency, one query per iteration (parse + search, top 10, no snippets) over an index
    // opened once and warmed by one pass over the queries.
    for shape in Fixtures.QueryShape.allCases {
        let count = max(1, Fixtures.count(shape))
        let passes = max(2, (300 + count - 1) / count)
        Benchmark(
            "query-\(shape.rawValue)",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], timeUnits: .microseconds, warmupIterations: 0,
                maxDuration: .seconds(large ? 20 : 30), maxIterations: count * passes,
                thresholds: [.mallocCountTotal: allocationTolerance])
        ) { _, state in
            let text = state.next()
            let result = try state.searcher.search(try state.parser.parse(text), limit: 10)
            blackHole(result)
        } setup: {
            try QueryState(shape)
        }
    }

    // A fresh process's first answer, without the process: open the newest commit point (map the
    // segments, read their roots), make an analyzer, parse, search, and build the snippets of the
    // ten hits (their bodies read back from the corpus files). The index files are in the page
    // cache (a warm open).
    Benchmark(
        "open-index-first-query",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 1,
            maxDuration: .seconds(large ? 20 : 10), maxIterations: large ? 10 : 50,
            thresholds: [.mallocCountTotal: allocationTolerance])
    ) { _, directory in
        let snapshot = try directory.open(analyzerVersion: Analyzer.version)
        let analyzer = try Analyzer()
        let result = try Searcher(index: snapshot).search(try QueryParser(analyzer: analyzer).parse("两个薄弱"), limit: 10)
        let snippets = SnippetBuilder(analyzer: analyzer)
        let sources = SourceFiles(root: Fixtures.corpus)
        for hit in result.hits {
            let document = try sources.withBody(try snapshot.document(hit.doc), indexed: snapshot.sourceFile(hit.doc)).get()
            blackHole(snippets.snippets(for: document, groups: result.matcherGroups, maximum: 3))
        }
    } setup: {
        try Fixtures.sharedIndex()
    }
}

/// Words found per worker (each worker writes only its own slot).
final class SpanCounts: @unchecked Sendable {
    var values: [Int]
    init(_ workers: Int) { values = Array(repeating: 0, count: workers) }
}

func kilobytesPerSecond(_ bytes: Int, since start: ContinuousClock.Instant) -> Int {
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return seconds > 0 ? Int(Double(bytes) / 1000 / seconds) : 0
}

/// The corpus text in memory, and an analyzer that has already run once (ICU's dictionaries loaded).
final class TextState: @unchecked Sendable {
    let windows: [CorpusWindow]
    let bytes: Int
    let analyzer: Analyzer

    init() throws {
        windows = try Fixtures.windows()
        bytes = windows.reduce(0) { $0 + $1.bytes.count }
        analyzer = try Analyzer()
        blackHole(analyzer.analyze("贺兰县政协机关"))
    }
}

final class WriterState: @unchecked Sendable {
    let root: URL
    var runs = 0
    init(root: URL) { self.root = root }
    deinit { try? FileManager.default.removeItem(at: root) }
}

/// An index opened once, a searcher, and the queries of one shape, taken in turn.
final class QueryState: @unchecked Sendable {
    let snapshot: IndexSnapshot
    let analyzer: Analyzer
    let parser: QueryParser
    let searcher: Searcher
    let queries: [String]
    private var position = 0

    init(_ shape: Fixtures.QueryShape) throws {
        snapshot = try Fixtures.sharedIndex().open(analyzerVersion: Analyzer.version)
        analyzer = try Analyzer()
        parser = QueryParser(analyzer: analyzer)
        searcher = Searcher(index: snapshot)
        queries = Fixtures.queries(shape, analyzer: analyzer)
        guard !queries.isEmpty else { throw FixtureError("no \(shape.rawValue) queries in Benchmarks/Relevance/queries.tsv") }
        // Warm up: every query once (term blocks decoded and cached, pages touched).
        for query in queries { blackHole(try searcher.search(try parser.parse(query), limit: 10)) }
    }

    func next() -> String {
        defer { position = (position + 1) % queries.count }
        return queries[position]
    }
}
