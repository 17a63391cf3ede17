import Foundation
import Testing
@testable import Evaluation

/// Our measures against trec_eval's own numbers on committed fixtures (see Fixtures/README.md).
@Suite struct TrecEvalTests {
    struct Expected: Decodable {
        var per_query: [String: [String: AnyNumber]]
        var all: [String: Double]
        var all_complete: [String: Double]
        var evaluated_queries: [String]
    }

    /// Per-query objects mix numbers and a list of ids; keep the numbers.
    struct AnyNumber: Decodable {
        var value: Double?
        init(from decoder: Decoder) throws {
            value = try? decoder.singleValueContainer().decode(Double.self)
        }
    }

    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test(arguments: ["a", "b"])
    func matchesTrecEval(run name: String) throws {
        let qrels = try Qrels(parsing: try Self.fixture("qrels.txt"))
        let run = try Run(parsing: try Self.fixture("run_\(name).txt"))
        let expected = try JSONDecoder().decode(Expected.self, from: Data(try Self.fixture("expected_run_\(name).json").utf8))
        let evaluation = Evaluation(run: run, qrels: qrels)
        #expect(evaluation.perQuery.keys.sorted() == expected.evaluated_queries.sorted())
        for (query, values) in expected.per_query {
            for measure in Measure.allCases {
                let want = try #require(values[measure.rawValue]?.value, "\(query) \(measure.rawValue)")
                let got = try #require(evaluation.perQuery[query]?[measure])
                #expect(abs(got - want) < 1e-12, "\(query) \(measure.rawValue): \(got) vs trec_eval \(want)")
            }
        }
        for measure in Measure.allCases {
            #expect(abs(evaluation.mean[measure]! - expected.all[measure.rawValue]!) < 1e-12, "all \(measure.rawValue)")
            #expect(abs(evaluation.meanComplete[measure]! - expected.all_complete[measure.rawValue]!) < 1e-12, "-c \(measure.rawValue)")
        }
    }

    @Test func tiesBreakByDocumentIdDescendingInByteOrder() throws {
        let run = try Run(parsing: "1 Q0 d9 1 0.5 t\n1 Q0 d10 2 0.50 t\n1 Q0 a 3 0.5 t\n1 Q0 A 4 0.5 t\n1 Q0 z 5 0.1 t\n")
        #expect(run.ranking("1") == ["d9", "d10", "a", "A", "z"])
    }

    @Test func rejectsMalformedLines() {
        #expect(throws: TRECFormatError(file: "qrels", line: 2, expected: "QID ITER DOCID GRADE")) {
            try Qrels(parsing: "1 0 d1 1\n1 0 d2\n")
        }
        #expect(throws: TRECFormatError(file: "run", line: 1, expected: "QID Q0 DOCID RANK SCORE TAG")) {
            try Run(parsing: "1 Q0 d1 1 high t\n")
        }
        #expect(throws: TRECFormatError(file: "queries", line: 1, expected: "QID<TAB>query text")) {
            try QueryFile(parsing: "q1 两个薄弱\n")
        }
    }

    @Test func formatsRunsTheWayItParsesThem() throws {
        let run = Run(results: ["q2": [.init(document: "x#1", score: 2.5), .init(document: "y#2", score: 1)]])
        let text = run.formatted(tag: "cs", queryOrder: ["q2"])
        #expect(text == "q2 Q0 x#1 1 2.5 cs\nq2 Q0 y#2 2 1.0 cs\n")
        #expect(try Run(parsing: text) == run)
    }
}
