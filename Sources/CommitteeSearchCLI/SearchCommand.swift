import Analysis
import ArgumentParser
import Evaluation
import Foundation
import Indexing
import Search

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank the articles that match a query.",
        discussion: """
            Words separated by spaces are optional and ranked by BM25; "a quoted string" must occur
            as a phrase. A word the segmenter splits (a name such as 周均发) is matched as a phrase.
            The first search builds the index from --corpus when --index holds none.
            """
    )

    @OptionGroup var location: LocationOptions
    @OptionGroup var ranking: RankingOptions

    @Option(name: [.long, .customLong("limit")], help: "Number of articles to show (--limit is the same).")
    var top: Int = 10

    @Option(help: "Skip this many articles first (paging).")
    var offset: Int = 0

    @Option(name: .customLong("file"), help: "Only articles of files matching this glob (e.g. '004*', '2026/*.txt').")
    var fileGlob: String?

    @Option(help: "Only articles by this speaker.")
    var author: String?

    @Option(help: "Order: score (best first) or file (corpus order).")
    var sort: Searcher.Order = .score

    @Option(help: "Passages to show per article (0–3).")
    var snippets: Int = 3

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "Show how each score was made (per term and field: tf, df, idf).")
    var explain = false

    @Option(help: "Run every query of this file (`QID<TAB>text` per line) instead of QUERY.")
    var queries: String?

    @Option(help: "With --queries: write a TREC run file (`QID Q0 DOCID RANK SCORE TAG`).")
    var runOut: String?

    @Option(help: "With --queries: the run's tag.")
    var tag = "committee-search"

    @Flag(help: "With --queries: print timing figures (index open, in-process per-query latency mean/p50/p99, peak memory) to standard error.")
    var stats = false

    @Option(help: "With --queries: also write the figures as JSON to this file, with each query's latency by its id (latency_us_by_query; a repeated id keeps its first query's).")
    var statsJson: String?

    @Option(help: "With --queries and --stats: timed passes over the queries; a query's latency is the median of passes 2…N.")
    var passes: Int = 5

    @Option(help: "Threads one query may use (default: one per core). A query with many postings is shared among them; the results are the same with any number.")
    var threads: Int = Searcher.cores

    @Argument(help: "The query.")
    var query: [String] = []

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        guard offset >= 0 else { throw ValidationError("--offset must be ≥ 0") }
        guard (0...3).contains(snippets) else { throw ValidationError("--snippets must be between 0 and 3") }
        if queries != nil && !query.isEmpty { throw ValidationError("give either QUERY or --queries, not both") }
        if runOut != nil && queries == nil { throw ValidationError("--run-out needs --queries") }
        if (stats || statsJson != nil) && queries == nil { throw ValidationError("--stats needs --queries") }
        guard passes >= 1 else { throw ValidationError("--passes must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            if let queries { return try runBatch(queries) }
            let text = query.joined(separator: " ")
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CLIError("empty query: give the words to search for, e.g. committee-search search 两个薄弱", code: 2)
            }
            // A query that cannot be parsed fails before anything is opened or built.
            let dictionary = try location.loadDictionary()
            do {
                _ = try QueryParser(analyzer: try Analyzer(dictionary: dictionary)).parse(text)
            } catch let failure as QueryParser.Failure {
                throw CLIError("\(failure): \(QueryParser.mark(text, at: failure.column))", code: 2)
            }
            let index = try location.openOrBuild(quiet: json, dictionary: dictionary)
            let session = try SearchSession(index: index, corpus: location.corpusURL(recorded: index.recordedCorpus), similarity: ranking.similarity, options: displayOptions, dictionary: dictionary)
            print(try session.run(text, offset: offset), terminator: "")
        }
    }

    var displayOptions: SearchSession.Options {
        SearchSession.Options(
            limit: top, explain: explain, fileGlob: fileGlob, author: author, order: sort, snippets: snippets, threads: threads, json: json)
    }
}

extension SearchCommand {
    /// Every query of a file, ranked to `--top`; a TREC run to `--run-out` (or standard output).
    func runBatch(_ path: String) throws {
        let queryFile: QueryFile
        do {
            queryFile = try QueryFile(parsing: try readTextFile(path, what: "queries"), file: path)
        } catch let error as TRECFormatError {
            throw CLIError(error.description)
        }
        let dictionary = try location.loadDictionary()
        let opening = DispatchTime.now()
        let index = try location.openOrBuild(quiet: true, dictionary: dictionary)
        let openSeconds = Double(DispatchTime.now().uptimeNanoseconds - opening.uptimeNanoseconds) / 1e9
        let batch = BatchSearch(index: index, similarity: ranking.similarity, depth: top, dictionary: dictionary, threads: threads)
        let outcome = try batch.run(queryFile)
        if stats || statsJson != nil {
            var runs = [outcome.seconds]
            for _ in 1..<max(1, passes) { runs.append(try batch.run(queryFile).seconds) }
            let figures = SearchStatistics(
                openSeconds: openSeconds, passes: runs, indexBytes: Self.directorySize(location.index), queryIDs: queryFile.queries.map(\.id))
            if stats { FileHandle.standardError.write(Data(figures.summary.utf8)) }
            if let statsJson { try figures.write(to: statsJson) }
        }
        for failure in outcome.failures {
            FileHandle.standardError.write(Data("warning: query \(failure.id) not run: \(failure.reason)\n".utf8))
        }
        if let runOut {
            try outcome.run.write(to: runOut, tag: tag, queries: queryFile)
            let hits = outcome.run.results.values.reduce(0) { $0 + $1.count }
            FileHandle.standardError.write(Data("\(queryFile.queries.count) queries, \(hits) results → \(runOut)\n".utf8))
        } else {
            print(outcome.run.formatted(tag: tag, queryOrder: queryFile.queries.map(\.id)), terminator: "")
        }
    }
}

extension SearchCommand {
    static func directorySize(_ path: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }
}

/// Timing figures of a batch of queries, in the peers' terms (`../shared/peers/run_peer.py`): a
/// query's latency is the median of its times in passes 2…N (all of them when N = 1); mean, p50 and
/// p99 are over queries. Latency covers parsing, searching and fetching ids, in process.
struct SearchStatistics: Encodable {
    var index_open_s: Double
    var index_size_bytes: Int
    var queries: Int
    var passes: Int
    var latency_mean_us: Double
    var latency_p50_us: Double
    var latency_p99_us: Double
    var peak_rss_bytes: Int
    /// Each query's latency (µs) by its id: to compare query by query with another engine.
    var latency_us_by_query: [String: Double]

    init(openSeconds: Double, passes runs: [[Double]], indexBytes: Int, queryIDs: [String]) {
        let queries = queryIDs.count
        let warm = runs.count > 1 ? Array(runs.dropFirst()) : runs
        var perQuery: [Double] = []
        for q in 0..<queries {
            let times = warm.map { $0[q] }.sorted()
            perQuery.append(times[times.count / 2] * 1e6)
        }
        latency_us_by_query = Dictionary(zip(queryIDs, perQuery), uniquingKeysWith: { first, _ in first })
        let sorted = perQuery.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
        }
        index_open_s = openSeconds
        index_size_bytes = indexBytes
        self.queries = queries
        passes = runs.count
        latency_mean_us = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        latency_p50_us = percentile(0.5)
        latency_p99_us = percentile(0.99)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        peak_rss_bytes = Int(usage.ru_maxrss) * 1024
    }

    var summary: String {
        String(
            format: "index_open_s=%.4f index_size_bytes=%d queries=%d passes=%d latency_us mean=%.1f p50=%.1f p99=%.1f peak_rss_bytes=%d\n",
            index_open_s, index_size_bytes, queries, passes, latency_mean_us, latency_p50_us, latency_p99_us, peak_rss_bytes)
    }

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// A hit with what it takes to print it.
struct RenderedHit {
    var hit: Hit
    var document: StoredDocument
    /// The best passages, best first.
    var snippets: [Snippet]
    /// Why no passage could be shown (the file changed or went away since it was indexed).
    var unavailable: SourceFiles.Unavailable? = nil
}

extension Searcher.Order: ExpressibleByArgument {}
