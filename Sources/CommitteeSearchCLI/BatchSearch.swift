import Analysis
import Evaluation
import Foundation
import Indexing
import Search

/// Runs every query of a query file and collects a TREC run, timing each search in-process.
struct BatchSearch {
    var index: any SearchableIndex
    var similarity: BM25
    var depth: Int
    /// The dictionary the index was built with (queries are analysed alike).
    var dictionary: UserDictionary = .shipped
    /// Threads one query may use.
    var threads = Searcher.cores

    struct Outcome {
        var run: Run
        /// Per-query search time in seconds (parse + search, no output), in file order.
        var seconds: [Double]
        /// Queries that could not be parsed, with why.
        var failures: [(id: String, reason: String)]
    }

    func run(_ queries: QueryFile) throws -> Outcome {
        let analyzer = try Analyzer(dictionary: dictionary)
        let parser = QueryParser(analyzer: analyzer)
        let searcher = Searcher(index: index, similarity: similarity)
        searcher.threads = threads
        var run = Run()
        var seconds: [Double] = []
        var failures: [(String, String)] = []
        for (id, text) in queries.queries {
            let started = DispatchTime.now()
            do {
                let query = try parser.parse(text)
                let result = try searcher.search(query, limit: depth, countTotal: false)
                run.results[id] = try result.hits.map { Run.Entry(document: try index.documentKey($0.doc), score: $0.score) }
            } catch let error as IndexError {
                throw CLIError(error.description)
            } catch {
                failures.append((id, "\(error)"))
                run.results[id] = []
            }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        }
        return Outcome(run: run, seconds: seconds, failures: failures)
    }
}

extension Run {
    /// Writes the run in TREC form, queries in the order of the query file.
    func write(to path: String, tag: String, queries: QueryFile) throws {
        let text = formatted(tag: tag, queryOrder: queries.queries.map(\.id))
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write the run file \(path): \(error.localizedDescription)")
        }
    }
}

/// Reads a text file for the CLI, turning failures into one-line errors.
func readTextFile(_ path: String, what: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("cannot read the \(what) file \(path)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw CLIError("the \(what) file \(path) is not UTF-8")
    }
    return text
}
