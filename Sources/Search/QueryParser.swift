import Analysis

/// Turns what a user typed into a `Query`, through the same analyzer as the index.
///
/// Words separated by spaces are optional clauses ranked by BM25. A quoted string (`"…"` or
/// `“…”`) is a required phrase. A word the segmenter splits into several tokens becomes an
/// implicit phrase of them, so a name such as 周均发 does not dissolve into single characters.
public struct QueryParser {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case empty
        case unbalancedQuote(column: Int)
        public var description: String {
            switch self {
            case .empty: "the query has no searchable words"
            case .unbalancedQuote(let column): "unbalanced quote at column \(column)"
            }
        }
    }

    private let analyzer: Analyzer

    public init(analyzer: Analyzer) {
        self.analyzer = analyzer
    }

    public func parse(_ text: String) throws -> Query {
        var clauses: [Clause] = []
        for chunk in try Self.chunks(text) {
            let tokens = analyzer.analyze(chunk.text)
            let terms = tokens.map(\.term)
            guard !terms.isEmpty else { continue }
            let grams = Analyzer.characterBigrams(of: tokens).map(\.term)
            if chunk.quoted {
                clauses.append(Clause(terms.count == 1 ? .term(terms[0]) : .phrase(terms), occur: .must, grams: grams))
            } else if terms.count == 1 {
                clauses.append(Clause(.term(terms[0]), grams: grams))
            } else {
                clauses.append(Clause(.phrase(terms), implicit: true, grams: grams))
            }
        }
        guard !clauses.isEmpty else { throw Failure.empty }
        return Query(text: text, clauses: clauses)
    }

    struct Chunk: Equatable {
        var text: String
        var quoted: Bool
    }

    /// Splits on spaces outside quotes; a quoted run is one chunk.
    static func chunks(_ text: String) throws -> [Chunk] {
        var result: [Chunk] = []
        var current = ""
        var quoteColumn: Int? = nil
        var closing: Character = "\""
        for (column, character) in text.enumerated() {
            if let _ = quoteColumn {
                if character == closing || (closing == "”" && character == "\"") {
                    result.append(Chunk(text: current, quoted: true))
                    current = ""
                    quoteColumn = nil
                } else {
                    current.append(character)
                }
            } else if character == "\"" || character == "“" {
                if !current.isEmpty { result.append(Chunk(text: current, quoted: false)) }
                current = ""
                quoteColumn = column + 1
                closing = character == "“" ? "”" : "\""
            } else if character.isWhitespace {
                if !current.isEmpty { result.append(Chunk(text: current, quoted: false)) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if let column = quoteColumn { throw Failure.unbalancedQuote(column: column) }
        if !current.isEmpty { result.append(Chunk(text: current, quoted: false)) }
        return result
    }
}
