import Indexing

/// What to match: one analysed term, or a sequence of terms at consecutive positions.
public enum Matcher: Sendable, Equatable, Hashable, CustomStringConvertible {
    case term(String)
    case phrase([String])

    public var terms: [String] {
        switch self {
        case .term(let t): [t]
        case .phrase(let ts): ts
        }
    }

    public var description: String {
        switch self {
        case .term(let t): t
        case .phrase(let ts): "\"" + ts.joined(separator: " ") + "\""
        }
    }
}

/// One clause of a query. `implicit` phrases come from a word the segmenter split (周均发 →
/// 周 均 发); when no article holds them whole, they relax to their terms.
public struct Clause: Sendable, Equatable {
    public enum Occur: Sendable, Equatable { case should, must, mustNot }
    public var matcher: Matcher
    public var occur: Occur
    public var implicit: Bool
    /// Restrict to one field (nil: every text field, each with its boost).
    public var field: Field?
    /// The character bigrams of the clause's text (matched in the `grams` field when the index
    /// has one).
    public var grams: [String]
    /// For a phrase: how many extra positions its words may spread over (`"…"~N`).
    public var slop: Int
    /// For an implicit phrase holding words the dictionary keeps whole: its words, each scored
    /// once — 委员 履职 考核 for the phrase of parts 委员 履 职 考核. Empty: the phrase's terms.
    public var words: [String]

    public init(
        _ matcher: Matcher, occur: Occur = .should, implicit: Bool = false, field: Field? = nil, grams: [String] = [], slop: Int = 0,
        words: [String] = []
    ) {
        self.matcher = matcher
        self.occur = occur
        self.implicit = implicit
        self.field = field
        self.grams = grams
        self.slop = slop
        self.words = words
    }
}

/// A node of a query tree.
public indirect enum QueryNode: Sendable, Equatable {
    /// A term, phrase or split word (its `occur` is not used inside a tree).
    case clause(Clause)
    /// Articles whose file path matches a glob (`file:004*`); scores nothing.
    case file(String)
    /// Lucene's BooleanQuery: a document must match every `must`, no `mustNot`, and at least one
    /// `should` when there is no `must` (with only `mustNot`, every other document).
    case boolean(must: [QueryNode], should: [QueryNode], mustNot: [QueryNode])

    /// The clauses that add to a score (not under a NOT).
    public var positiveClauses: [Clause] {
        switch self {
        case .clause(let c): [c]
        case .file: []
        case .boolean(let must, let should, _): (must + should).flatMap(\.positiveClauses)
        }
    }
}

/// A query after analysis.
public struct Query: Sendable, Equatable {
    public var root: QueryNode
    /// The text the user typed.
    public var text: String

    public init(text: String, root: QueryNode) {
        self.text = text
        self.root = root
    }

    /// A flat query: clauses combined by their `occur`.
    public init(text: String, clauses: [Clause]) {
        self.text = text
        root = .boolean(
            must: clauses.filter { $0.occur == .must }.map { .clause($0) },
            should: clauses.filter { $0.occur == .should }.map { .clause($0) },
            mustNot: clauses.filter { $0.occur == .mustNot }.map { .clause($0) })
    }

    /// The top-level clauses of a flat query, each with its `occur`.
    public var clauses: [Clause] {
        guard case .boolean(let must, let should, let mustNot) = root else {
            if case .clause(let c) = root { return [c] }
            return []
        }
        func leaves(_ nodes: [QueryNode], _ occur: Clause.Occur) -> [Clause] {
            nodes.compactMap { if case .clause(var c) = $0 { c.occur = occur; return c } else { return nil } }
        }
        return leaves(must, .must) + leaves(should, .should) + leaves(mustNot, .mustNot)
    }
}
