/// Measures of a run against judgments, per query and averaged the way trec_eval averages.
public struct Evaluation: Sendable {
    /// Per-query values for the queries evaluated (in both the run and the judgments).
    public var perQuery: [String: [Measure: Double]]
    /// trec_eval's default average: over the queries in both the run and the judgments.
    public var mean: [Measure: Double]
    /// trec_eval `-c`: over every judged query; one missing from the run counts 0.
    public var meanComplete: [Measure: Double]
    /// Judged queries the run has no results for.
    public var missingFromRun: [String]

    public init(run: Run, qrels: Qrels) {
        let judged = qrels.judgments.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let evaluated = judged.filter { run.results[$0] != nil }
        perQuery = [:]
        for query in evaluated {
            perQuery[query] = QueryMeasures.compute(ranking: run.ranking(query), grades: qrels.judgments[query] ?? [:])
        }
        missingFromRun = judged.filter { run.results[$0] == nil }
        var sums: [Measure: Double] = [:]
        for query in evaluated {  // summed in query-id byte order, divided once, as trec_eval does
            for measure in Measure.allCases { sums[measure, default: 0] += perQuery[query]![measure]! }
        }
        mean = [:]
        meanComplete = [:]
        for measure in Measure.allCases {
            let sum = sums[measure] ?? 0
            mean[measure] = evaluated.isEmpty ? 0 : sum / Double(evaluated.count)
            meanComplete[measure] = judged.isEmpty ? 0 : sum / Double(judged.count)
        }
    }
}
