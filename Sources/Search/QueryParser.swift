import Analysis
import Indexing

/// Turns what a user typed into a `Query`, through the same analyzer as the index.
///
/// Syntax (Lucene's, with Chinese in mind):
/// - `两个薄弱 协商` — words separated by spaces are optional and ranked by BM25;
/// - `+word` or `a AND b` — required; `-word`, `NOT word` — excluded; `a OR b`; `( … )`;
/// - `"exact phrase"` (or `“…”`) — required, its words adjacent; `"phrase"~N` — within N extra
///   positions;
/// - `title:…`, `author:…` — only in that field; `file:GLOB` — only articles of matching files.
/// A word the segmenter splits into pieces (周均发 → 周 均 发) is matched as a split word: all its
/// pieces (a longer chunk: any of them), with a bonus where they stand together. A word the
/// dictionary keeps whole (专委会) is indexed as the word and as its parts: the chunk's phrase runs
/// over the parts (专 委 会, at consecutive positions in the index too), while the word itself is
/// scored in place of its parts (`Clause.words`).
public struct QueryParser {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case empty
        case unbalancedQuote(column: Int)
        case unclosedParenthesis(column: Int)
        case unmatchedParenthesis(column: Int)
        case missingOperand(operator: String, column: Int)
        case unknownField(name: String, column: Int)
        case badSlop(column: Int)
        case onlyExclusions

        public var description: String {
            switch self {
            case .empty: "the query has no searchable words"
            case .onlyExclusions: "the query only excludes (NOT/-): add a word to search for"
            case .unbalancedQuote(let column): "unbalanced quote at column \(column)"
            case .unclosedParenthesis(let column): "the parenthesis at column \(column) is never closed"
            case .unmatchedParenthesis(let column): "the closing parenthesis at column \(column) has no opening one"
            case .missingOperand(let op, let column): "\(op) at column \(column) needs a word after it"
            case .unknownField(let name, let column): "unknown field \(name): at column \(column) (fields: title, author, file)"
            case .badSlop(let column): "~ at column \(column) must be followed by a number"
            }
        }

        /// Where the problem is (1-based character column), when it has a place.
        public var column: Int? {
            switch self {
            case .empty, .onlyExclusions: nil
            case .unbalancedQuote(let c), .unclosedParenthesis(let c), .unmatchedParenthesis(let c), .missingOperand(_, let c),
                .unknownField(_, let c), .badSlop(let c):
                c
            }
        }
    }

    private let analyzer: Analyzer

    public init(analyzer: Analyzer) {
        self.analyzer = analyzer
    }

    public func parse(_ text: String) throws -> Query {
        var parser = Parser(tokens: try Lexer.tokens(text), analyzer: analyzer)
        let root = try parser.parseQuery()
        guard let root else { throw Failure.empty }
        guard !root.positiveClauses.isEmpty || Self.hasFilter(root) else {
            if case .boolean(_, _, let mustNot) = root, !mustNot.isEmpty { throw Failure.onlyExclusions }
            throw Failure.empty
        }
        return Query(text: text, root: root)
    }

    /// The query with a ▶ before the character a failure points at, for one-line messages.
    public static func mark(_ text: String, at column: Int?) -> String {
        guard let column, column >= 1, column <= text.count + 1 else { return text }
        var marked = text
        marked.insert("▶", at: marked.index(marked.startIndex, offsetBy: column - 1))
        return marked
    }

    static func hasFilter(_ node: QueryNode) -> Bool {
        switch node {
        case .file: true
        case .clause: false
        case .boolean(let must, let should, _): (must + should).contains(where: hasFilter)
        }
    }

    // MARK: - Lexer

    enum Token: Equatable {
        case word(String, column: Int)
        case phrase(String, column: Int, slop: Int)
        case field(String, column: Int)
        case and(column: Int), or(column: Int), not(column: Int)
        case plus(column: Int), minus(column: Int)
        case open(column: Int), close(column: Int)

        var column: Int {
            switch self {
            case .word(_, let c), .phrase(_, let c, _), .field(_, let c), .and(let c), .or(let c), .not(let c), .plus(let c),
                .minus(let c), .open(let c), .close(let c):
                c
            }
        }
    }

    enum Lexer {
        static let fields: Set<String> = ["title", "author", "file"]

        static func tokens(_ text: String) throws -> [Token] {
            let characters = Array(text)
            var tokens: [Token] = []
            var i = 0
            func isBreak(_ c: Character) -> Bool {
                c.isWhitespace || c == "\"" || c == "“" || c == "”" || c == "(" || c == ")" || c == "（" || c == "）"
            }
            while i < characters.count {
                let c = characters[i]
                let column = i + 1
                if c.isWhitespace { i += 1; continue }
                if c == "(" || c == "（" { tokens.append(.open(column: column)); i += 1; continue }
                if c == ")" || c == "）" { tokens.append(.close(column: column)); i += 1; continue }
                if c == "\"" || c == "“" || c == "”" {
                    let closing: Set<Character> = c == "“" ? ["”", "\""] : ["\"", "”"]
                    var j = i + 1
                    while j < characters.count && !closing.contains(characters[j]) { j += 1 }
                    guard j < characters.count else { throw Failure.unbalancedQuote(column: column) }
                    let inner = String(characters[(i + 1)..<j])
                    var slop = 0
                    j += 1
                    if j < characters.count && (characters[j] == "~" || characters[j] == "～") {
                        var k = j + 1
                        while k < characters.count && characters[k].isASCII && characters[k].isNumber { k += 1 }
                        guard k > j + 1, let n = Int(String(characters[(j + 1)..<k])) else { throw Failure.badSlop(column: j + 1) }
                        slop = n
                        j = k
                    }
                    tokens.append(.phrase(inner, column: column, slop: slop))
                    i = j
                    continue
                }
                if (c == "+" || c == "-" || c == "＋" || c == "－") && i + 1 < characters.count && !isBreak(characters[i + 1]) || (c == "+" || c == "-") && i + 1 < characters.count && (characters[i + 1] == "\"" || characters[i + 1] == "“" || characters[i + 1] == "(") {
                    tokens.append(c == "+" || c == "＋" ? .plus(column: column) : .minus(column: column))
                    i += 1
                    continue
                }
                var j = i
                while j < characters.count && !isBreak(characters[j]) { j += 1 }
                let word = String(characters[i..<j])
                switch word {
                case "AND", "&&": tokens.append(.and(column: column))
                case "OR", "||": tokens.append(.or(column: column))
                case "NOT": tokens.append(.not(column: column))
                default:
                    if let colon = word.firstIndex(of: ":"), colon != word.startIndex,
                        word[..<colon].allSatisfy({ $0.isASCII && $0.isLetter })
                    {
                        let name = word[..<colon].lowercased()
                        guard fields.contains(name) else { throw Failure.unknownField(name: String(word[..<colon]), column: column) }
                        tokens.append(.field(name, column: column))
                        let rest = String(word[word.index(after: colon)...])
                        if !rest.isEmpty { tokens.append(.word(rest, column: column + name.count + 1)) }
                    } else {
                        tokens.append(.word(word, column: column))
                    }
                }
                i = j
            }
            return tokens
        }
    }

    // MARK: - Parser

    struct Parser {
        var tokens: [Token]
        var position = 0
        let analyzer: Analyzer

        init(tokens: [Token], analyzer: Analyzer) {
            self.tokens = tokens
            self.analyzer = analyzer
        }

        var current: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func parseQuery() throws -> QueryNode? {
            let node = try parseOr()
            if let token = current {
                if case .close(let column) = token { throw Failure.unmatchedParenthesis(column: column) }
                throw Failure.missingOperand(operator: "query", column: token.column)
            }
            return node
        }

        /// `a OR b OR c`: any of them.
        mutating func parseOr() throws -> QueryNode? {
            var alternatives: [QueryNode] = []
            if case .or(let column) = current { throw Failure.missingOperand(operator: "OR", column: column) }
            if let first = try parseAnd() { alternatives.append(first) }
            while case .or(let column) = current {
                position += 1
                guard let next = try parseAnd() else { throw Failure.missingOperand(operator: "OR", column: column) }
                alternatives.append(next)
            }
            if alternatives.count <= 1 { return alternatives.first }
            return .boolean(must: [], should: alternatives, mustNot: [])
        }

        /// A run of clauses: `+x`/`-x`/`NOT x`/`x`, with `a AND b` making both required.
        mutating func parseAnd() throws -> QueryNode? {
            var items: [(node: QueryNode, occur: Clause.Occur)] = []
            var pendingAnd: Int? = nil
            loop: while let token = current {
                switch token {
                case .or, .close: break loop
                case .and(let column):
                    guard !items.isEmpty else { throw Failure.missingOperand(operator: "AND", column: column) }
                    if items[items.count - 1].occur == .should { items[items.count - 1].occur = .must }
                    pendingAnd = column
                    position += 1
                    continue loop
                default:
                    guard let (node, parsedOccur) = try parseUnary() else { continue loop }
                    var occur = parsedOccur
                    if pendingAnd != nil && occur == .should { occur = .must }
                    pendingAnd = nil
                    items.append((node, occur))
                }
            }
            if let column = pendingAnd { throw Failure.missingOperand(operator: "AND", column: column) }
            // `file:` narrows, it does not widen: it is required wherever it stands.
            for i in items.indices where items[i].occur == .should {
                if case .file = items[i].node { items[i].occur = .must }
            }
            if items.count == 1 && items[0].occur == .should { return items[0].node }
            if items.isEmpty { return nil }
            return .boolean(
                must: items.filter { $0.occur == .must }.map(\.node),
                should: items.filter { $0.occur == .should }.map(\.node),
                mustNot: items.filter { $0.occur == .mustNot }.map(\.node))
        }

        mutating func parseUnary() throws -> (QueryNode, Clause.Occur)? {
            guard let token = current else { return nil }
            switch token {
            case .plus(let column), .minus(let column), .not(let column):
                position += 1
                let name: String
                switch token {
                case .plus: name = "+"
                case .minus: name = "-"
                default: name = "NOT"
                }
                guard let operand = current, !Self.isOperator(operand) else { throw Failure.missingOperand(operator: name, column: column) }
                guard let (node, _) = try parseUnary() else { return nil }
                if case .plus = token { return (node, .must) }
                return (node, .mustNot)
            default:
                guard let node = try parsePrimary(field: nil) else { return nil }
                return (node, .should)
            }
        }

        static func isOperator(_ token: Token) -> Bool {
            switch token {
            case .and, .or, .close: true
            default: false
            }
        }

        /// `( … )`, `field:…`, `"phrase"~N`, or a word. Nil for a word with nothing to search.
        mutating func parsePrimary(field: String?) throws -> QueryNode? {
            guard let token = current else { return nil }
            switch token {
            case .open(let column):
                position += 1
                let inner = try parseOr()
                guard case .close = current else { throw Failure.unclosedParenthesis(column: column) }
                position += 1
                return field.map { f in inner.map { Self.restrict($0, to: f) } } ?? inner
            case .close(let column):
                throw Failure.unmatchedParenthesis(column: column)
            case .field(let name, let column):
                position += 1
                guard let next = current, !Self.isOperator(next) else { throw Failure.missingOperand(operator: "\(name):", column: column) }
                return try parsePrimary(field: name)
            case .phrase(let text, _, let slop):
                position += 1
                if field == "file" { return .file(text) }
                return clause(text, quoted: true, slop: slop, field: field)
            case .word(let text, _):
                position += 1
                if field == "file" { return .file(text) }
                return clause(text, quoted: false, slop: 0, field: field)
            case .and(let column):
                throw Failure.missingOperand(operator: "AND", column: column)
            case .or(let column):
                throw Failure.missingOperand(operator: "OR", column: column)
            case .not, .plus, .minus:
                return nil
            }
        }

        func clause(_ text: String, quoted: Bool, slop: Int, field name: String?) -> QueryNode? {
            let tokens = analyzer.analyze(text)
            // Terms at consecutive positions: words, and the parts of kept-whole words.
            let terms = tokens.filter(\.isPositional).map(\.term)
            let words = tokens.filter(\.isWord).map(\.term)
            guard !terms.isEmpty else { return nil }
            let field = name.flatMap(Field.init(name:))
            // Bigrams stand in for the words only where the words are all Chinese: in 强国TV they
            // would match any 强国 without the TV.
            let grams = tokens.allSatisfy { $0.kind == .ideographic } ? Analyzer.characterBigrams(of: tokens).map(\.term) : []
            if quoted {
                return .clause(Clause(terms.count == 1 ? .term(terms[0]) : .phrase(terms), occur: .must, field: field, grams: grams, slop: slop))
            }
            if terms.count == 1 { return .clause(Clause(.term(terms[0]), field: field, grams: grams)) }
            return .clause(Clause(.phrase(terms), implicit: true, field: field, grams: grams, words: words == terms ? [] : words))
        }

        /// Applies a field prefix to every clause of a parenthesised group.
        static func restrict(_ node: QueryNode, to name: String) -> QueryNode {
            switch node {
            case .clause(var c):
                c.field = Field(name: name)
                return .clause(c)
            case .file: return node
            case .boolean(let must, let should, let mustNot):
                return .boolean(
                    must: must.map { restrict($0, to: name) }, should: should.map { restrict($0, to: name) },
                    mustNot: mustNot.map { restrict($0, to: name) })
            }
        }
    }
}
