import Analysis
import ArgumentParser
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

    @Option(name: .long, help: "Number of articles to show.")
    var top: Int = 10

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "Show how each score was made (per term and field: tf, df, idf).")
    var explain = false

    @Argument(help: "The query.")
    var query: [String] = []

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let text = query.joined(separator: " ")
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CLIError("empty query: give the words to search for, e.g. committee-search search 两个薄弱", code: 2)
            }
            let analyzer = try Analyzer()
            let parsed: Query
            do {
                parsed = try QueryParser(analyzer: analyzer).parse(text)
            } catch let failure as QueryParser.Failure {
                throw CLIError("\(failure): \(text)", code: 2)
            }
            let index = try location.openOrBuild(quiet: json)
            let started = DispatchTime.now()
            let searcher = Searcher(index: index, similarity: ranking.similarity)
            let result = searcher.search(parsed, limit: top, explain: explain)
            let snippets = SnippetBuilder(analyzer: analyzer)
            let rendered = result.hits.map { hit in
                RenderedHit(hit: hit, document: index.document(hit.doc),
                            snippet: snippets.snippets(for: index.document(hit.doc), groups: result.matcherGroups).first)
            }
            let tookMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
            if json {
                print(try JSONOutput.render(query: text, result: result, hits: rendered, tookMilliseconds: tookMilliseconds))
            } else {
                print(TextOutput(colour: isatty(STDOUT_FILENO) != 0).render(query: text, result: result, hits: rendered, tookMilliseconds: tookMilliseconds), terminator: "")
            }
        }
    }
}

/// A hit with what it takes to print it.
struct RenderedHit {
    var hit: Hit
    var document: StoredDocument
    var snippet: Snippet?
}
