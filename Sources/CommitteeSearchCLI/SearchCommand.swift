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

    @Argument(help: "The query.")
    var query: [String] = []

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        guard offset >= 0 else { throw ValidationError("--offset must be ≥ 0") }
        guard (0...3).contains(snippets) else { throw ValidationError("--snippets must be between 0 and 3") }
        if queries != nil && !query.isEmpty { throw ValidationError("give either QUERY or --queries, not both") }
        if runOut != nil && queries == nil { throw ValidationError("--run-out needs --queries") }
    }

    func run() throws {
        try reportingErrors {
            if let queries { return try runBatch(queries) }
            let text = query.joined(separator: " ")
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CLIError("empty query: give the words to search for, e.g. committee-search search 两个薄弱", code: 2)
            }
            // A query that cannot be parsed fails before anything is opened or built.
            do {
                _ = try QueryParser(analyzer: try Analyzer()).parse(text)
            } catch let failure as QueryParser.Failure {
                throw CLIError("\(failure): \(QueryParser.mark(text, at: failure.column))", code: 2)
            }
            let index = try location.openOrBuild(quiet: json)
            let session = try SearchSession(index: index, similarity: ranking.similarity, options: displayOptions)
            print(try session.run(text, offset: offset), terminator: "")
        }
    }

    var displayOptions: SearchSession.Options {
        SearchSession.Options(
            limit: top, explain: explain, fileGlob: fileGlob, author: author, order: sort, snippets: snippets, json: json)
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
        let index = try location.openOrBuild(quiet: true)
        let outcome = try BatchSearch(index: index, similarity: ranking.similarity, depth: top).run(queryFile)
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

/// A hit with what it takes to print it.
struct RenderedHit {
    var hit: Hit
    var document: StoredDocument
    /// The best passages, best first.
    var snippets: [Snippet]
}

extension Searcher.Order: ExpressibleByArgument {}
