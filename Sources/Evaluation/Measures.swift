/// The measures `eval` reports, named as trec_eval names them.
public enum Measure: String, CaseIterable, Sendable, Codable {
    case ndcg10 = "ndcg_cut_10"
    case ndcg20 = "ndcg_cut_20"
    case map = "map"
    case reciprocalRank = "recip_rank"
    case precision5 = "P_5"
    case precision10 = "P_10"
    case recall10 = "recall_10"
    case recall100 = "recall_100"

    /// A short label for tables.
    public var label: String {
        switch self {
        case .ndcg10: "nDCG@10"
        case .ndcg20: "nDCG@20"
        case .map: "MAP"
        case .reciprocalRank: "MRR"
        case .precision5: "P@5"
        case .precision10: "P@10"
        case .recall10: "R@10"
        case .recall100: "R@100"
        }
    }
}

/// One query's measures, computed exactly as trec_eval computes them (relevance level 1).
public enum QueryMeasures {
    /// `ranking` in trec_eval's order; `grades` the query's judgments.
    public static func compute(ranking: [String], grades: [String: Int]) -> [Measure: Double] {
        let relevant = grades.values.filter { $0 >= 1 }.count
        var result: [Measure: Double] = [:]
        result[.precision5] = precision(ranking, grades, 5)
        result[.precision10] = precision(ranking, grades, 10)
        result[.recall10] = recall(ranking, grades, 10, relevant)
        result[.recall100] = recall(ranking, grades, 100, relevant)
        result[.ndcg10] = ndcg(ranking, grades, 10)
        result[.ndcg20] = ndcg(ranking, grades, 20)
        // Average precision over all relevant documents in the judgments; first relevant rank.
        var found = 0
        var sum = 0.0
        var reciprocal = 0.0
        for (i, doc) in ranking.enumerated() where (grades[doc] ?? 0) >= 1 {
            found += 1
            sum += Double(found) / Double(i + 1)
            if found == 1 { reciprocal = 1 / Double(i + 1) }
        }
        result[.map] = relevant == 0 ? 0 : sum / Double(relevant)
        result[.reciprocalRank] = reciprocal
        return result
    }

    /// Relevant documents in the top k over k (always k, even when fewer were retrieved).
    static func precision(_ ranking: [String], _ grades: [String: Int], _ k: Int) -> Double {
        Double(ranking.prefix(k).filter { (grades[$0] ?? 0) >= 1 }.count) / Double(k)
    }

    static func recall(_ ranking: [String], _ grades: [String: Int], _ k: Int, _ relevant: Int) -> Double {
        relevant == 0 ? 0 : Double(ranking.prefix(k).filter { (grades[$0] ?? 0) >= 1 }.count) / Double(relevant)
    }

    /// Linear gain (the grade), log2(rank + 1) discount, ideal order from the judgments.
    static func ndcg(_ ranking: [String], _ grades: [String: Int], _ k: Int) -> Double {
        var dcg = 0.0
        for (i, doc) in ranking.prefix(k).enumerated() {
            let gain = Double(grades[doc] ?? 0)
            if gain > 0 { dcg += gain / log2(Double(i + 2)) }
        }
        let ideal = grades.values.filter { $0 > 0 }.sorted(by: >)
        var idcg = 0.0
        for (i, gain) in ideal.prefix(k).enumerated() { idcg += Double(gain) / log2(Double(i + 2)) }
        return idcg == 0 ? 0 : dcg / idcg
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
