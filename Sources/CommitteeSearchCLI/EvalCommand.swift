import ArgumentParser
import Evaluation
import Foundation
import Indexing
import Search

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure ranking quality on judged queries, as trec_eval does.",
        discussion: """
            Runs every query of --queries (QID<TAB>text), ranks 100 articles for each, and scores the
            run against --qrels (TREC qrels). Measures follow trec_eval exactly (ties by document id
            descending, linear gains for nDCG, recip_rank without cut-off). The means count every judged
            query, a query with no results as 0 (trec_eval -c). With --baseline, exits 3 when nDCG@10 or
            MRR falls below the baseline by more than its tolerance.
            """
    )

    @OptionGroup var location: LocationOptions
    @OptionGroup var ranking: RankingOptions

    @Option(help: "Queries, one `QID<TAB>text` per line.")
    var queries: String

    @Option(help: "Judgments in TREC qrels form (`QID 0 DOCID GRADE`).")
    var qrels: String

    @Option(help: "Also write the run in TREC form to this file.")
    var runOut: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print a table of every query's measures.")
    var perQuery = false

    @Option(help: "A baseline JSON file ({\"ndcg_cut_10\": …, \"recip_rank\": …, \"tolerance\": …}) to gate on.")
    var baseline: String?

    func run() throws {
        try reportingErrors {
            let queryFile = try parse { try QueryFile(parsing: try readTextFile(queries, what: "queries"), file: queries) }
            let judgments = try parse { try Qrels(parsing: try readTextFile(qrels, what: "qrels"), file: qrels) }
            let dictionary = try location.loadDictionary()
            let index = try location.openOrBuild(quiet: true, dictionary: dictionary)
            let outcome = try BatchSearch(index: index, similarity: ranking.similarity, depth: 100, dictionary: dictionary).run(queryFile)
            if let runOut { try outcome.run.write(to: runOut, tag: "committee-search", queries: queryFile) }
            // Judged queries that are not in the query file cannot be run: leave them out.
            var judged = judgments
            judged.judgments = judged.judgments.filter { id, _ in queryFile.queries.contains { $0.id == id } }
            let evaluation = Evaluation(run: outcome.run, qrels: judged)
            let means = evaluation.meanComplete
            if json {
                try printJSON(evaluation, queryCount: queryFile.queries.count)
            } else {
                print("\(queryFile.queries.count) queries, \(judged.judgments.count) judged (k1=\(ranking.k1) b=\(ranking.b) title boost=\(ranking.titleBoost))")
                print(Measure.allCases.map { String(format: "%@ %.4f", $0.label, means[$0]!) }.joined(separator: "  "))
                if perQuery {
                    print("\nquery\t" + Measure.allCases.map(\.label).joined(separator: "\t") + "\ttext")
                    for (id, text) in queryFile.queries {
                        guard let values = evaluation.perQuery[id] else { continue }
                        print(id + "\t" + Measure.allCases.map { String(format: "%.3f", values[$0]!) }.joined(separator: "\t") + "\t" + text)
                    }
                }
            }
            for failure in outcome.failures {
                FileHandle.standardError.write(Data("warning: query \(failure.id) not run: \(failure.reason)\n".utf8))
            }
            if let baseline { try gate(means, baselinePath: baseline) }
        }
    }

    private func parse<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as TRECFormatError { throw CLIError(error.description) }
    }

    struct Baseline: Decodable {
        var ndcg_cut_10: Double
        var recip_rank: Double
        var tolerance: Double
    }

    private func gate(_ means: [Measure: Double], baselinePath: String) throws {
        let text = try readTextFile(baselinePath, what: "baseline")
        guard let base = try? JSONDecoder().decode(Baseline.self, from: Data(text.utf8)) else {
            throw CLIError("the baseline file \(baselinePath) is not {\"ndcg_cut_10\": …, \"recip_rank\": …, \"tolerance\": …}")
        }
        var drops: [String] = []
        for (measure, floor) in [(Measure.ndcg10, base.ndcg_cut_10), (Measure.reciprocalRank, base.recip_rank)] {
            let value = means[measure]!
            let line = String(format: "%@ %.4f (baseline %.4f, tolerance %.4f)", measure.label, value, floor, base.tolerance)
            if value < floor - base.tolerance {
                drops.append(line)
            } else {
                FileHandle.standardError.write(Data("gate ok: \(line)\n".utf8))
            }
        }
        if !drops.isEmpty {
            throw CLIError("relevance gate failed: " + drops.joined(separator: "; "), code: 3)
        }
    }

    private func printJSON(_ evaluation: Evaluation, queryCount: Int) throws {
        struct Output: Encodable {
            var queries: Int
            var judged: Int
            var measures: [String: Double]
            var per_query: [String: [String: Double]]
        }
        let output = Output(
            queries: queryCount, judged: evaluation.perQuery.count + evaluation.missingFromRun.count,
            measures: Dictionary(uniqueKeysWithValues: Measure.allCases.map { ($0.rawValue, evaluation.meanComplete[$0]!) }),
            per_query: evaluation.perQuery.mapValues { values in
                Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }
}
