/// Graded judgments in TREC qrels form: `QID ITER DOCID GRADE` per line.
public struct Qrels: Sendable, Equatable {
    /// `judgments[query][document] = grade`.
    public var judgments: [String: [String: Int]]

    public init(judgments: [String: [String: Int]] = [:]) {
        self.judgments = judgments
    }

    public init(parsing text: String, file: String = "qrels") throws {
        judgments = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 4, let grade = Int(fields[3]) else {
                throw TRECFormatError(file: file, line: number + 1, expected: "QID ITER DOCID GRADE")
            }
            judgments[String(fields[0]), default: [:]][String(fields[2])] = grade
        }
    }

    /// Number of documents with grade ≥ `level` for a query.
    public func relevantCount(_ query: String, level: Int = 1) -> Int {
        judgments[query]?.values.filter { $0 >= level }.count ?? 0
    }
}

/// A ranked list per query in TREC run form: `QID Q0 DOCID RANK SCORE TAG` per line.
public struct Run: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var document: String
        public var score: Double
        public init(document: String, score: Double) {
            self.document = document
            self.score = score
        }
    }

    public var results: [String: [Entry]]

    public init(results: [String: [Entry]] = [:]) {
        self.results = results
    }

    public init(parsing text: String, file: String = "run") throws {
        results = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count >= 5, let score = Double(fields[4]) else {
                throw TRECFormatError(file: file, line: number + 1, expected: "QID Q0 DOCID RANK SCORE TAG")
            }
            results[String(fields[0]), default: []].append(Entry(document: String(fields[2]), score: score))
        }
    }

    /// A query's documents in trec_eval's order: score descending, ties by document id
    /// descending in byte order (`strcmp`); the file's rank column and line order are ignored.
    public func ranking(_ query: String) -> [String] {
        (results[query] ?? []).sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            return Array(b.document.utf8).lexicographicallyPrecedes(Array(a.document.utf8))
        }.map(\.document)
    }

    /// The run as TREC text, ranks numbered from 1 in the order given.
    public func formatted(tag: String, queryOrder: [String]) -> String {
        var out = ""
        for query in queryOrder {
            for (rank, entry) in (results[query] ?? []).enumerated() {
                out += "\(query) Q0 \(entry.document) \(rank + 1) \(entry.score) \(tag)\n"
            }
        }
        return out
    }
}

/// Queries in `QID<TAB>text` form.
public struct QueryFile: Sendable, Equatable {
    public var queries: [(id: String, text: String)]

    public static func == (a: QueryFile, b: QueryFile) -> Bool {
        a.queries.map(\.id) == b.queries.map(\.id) && a.queries.map(\.text) == b.queries.map(\.text)
    }

    public init(parsing text: String, file: String = "queries") throws {
        queries = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let tab = trimmed.firstIndex(of: "\t") else {
                throw TRECFormatError(file: file, line: number + 1, expected: "QID<TAB>query text")
            }
            queries.append((String(trimmed[..<tab]), String(trimmed[trimmed.index(after: tab)...])))
        }
    }
}

public struct TRECFormatError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var expected: String
    public var description: String { "\(file):\(line): expected `\(expected)`" }
}
