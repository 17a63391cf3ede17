import Analysis
import Foundation
import Indexing
import Search

/// An open index and what a person's searches need: parse, search, snippets, render. Used once
/// by `search` and line after line by `shell`.
final class SearchSession {
    struct Options {
        var limit = 10
        var explain = false
        var fileGlob: String?
        var author: String?
        var order: Searcher.Order = .score
        var snippets = 3
        /// Threads one query may use.
        var threads = Searcher.cores
        var json = false
        /// Shown after a page that has more: how to ask for it.
        var more: (Int) -> String = { "--offset \($0)" }
    }

    let index: any SearchableIndex
    /// The corpus the index was built from: where hits' passages are read.
    let corpus: URL
    let analyzer: Analyzer
    let searcher: Searcher
    var options: Options

    init(index: any SearchableIndex, corpus: URL, similarity: BM25, options: Options, dictionary: UserDictionary = .shipped) throws {
        self.index = index
        self.corpus = corpus
        analyzer = try Analyzer(dictionary: dictionary)
        searcher = Searcher(index: index, similarity: similarity)
        searcher.threads = options.threads
        self.options = options
    }

    /// The rendered results of one query (text or JSON, ending with a newline).
    func run(_ text: String, offset: Int = 0) throws -> String {
        let parsed: Query
        do {
            parsed = try QueryParser(analyzer: analyzer).parse(text)
        } catch let failure as QueryParser.Failure {
            throw CLIError("\(failure): \(QueryParser.mark(text, at: failure.column))", code: 2)
        }
        let started = DispatchTime.now()
        let result: SearchResult
        let rendered: [RenderedHit]
        do {
            var filter = Searcher.Filter(file: options.fileGlob)
            if let author = options.author {
                filter.author = analyzer.analyze(author).map(\.term)
                if filter.author!.isEmpty { throw CLIError("--author \(author) has no searchable words", code: 2) }
            }
            result = try searcher.search(parsed, limit: options.limit, offset: offset, explain: options.explain, filter: filter, order: options.order)
            let builder = SnippetBuilder(analyzer: analyzer)
            let sources = SourceFiles(root: corpus)
            rendered = try result.hits.map { hit in
                let stored = try index.document(hit.doc)
                guard options.snippets > 0 else { return RenderedHit(hit: hit, document: stored, snippets: []) }
                switch sources.withBody(stored, indexed: index.sourceFile(hit.doc)) {
                case .success(let document):
                    let passages = builder.snippets(for: document, groups: result.matcherGroups, maximum: options.snippets)
                    return RenderedHit(hit: hit, document: document, snippets: passages)
                case .failure(let unavailable):
                    return RenderedHit(hit: hit, document: stored, snippets: [], unavailable: unavailable)
                }
            }
        } catch let error as IndexError {
            throw CLIError(error.description)
        }
        let tookMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        if options.json {
            return try JSONOutput.render(query: text, result: result, hits: rendered, tookMilliseconds: tookMilliseconds, offset: offset) + "\n"
        }
        return TextOutput(colour: isatty(STDOUT_FILENO) != 0, more: options.more)
            .render(query: text, result: result, hits: rendered, tookMilliseconds: tookMilliseconds, offset: offset)
    }
}
