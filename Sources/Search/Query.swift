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

    public init(_ matcher: Matcher, occur: Occur = .should, implicit: Bool = false, field: Field? = nil, grams: [String] = []) {
        self.matcher = matcher
        self.occur = occur
        self.implicit = implicit
        self.field = field
        self.grams = grams
    }
}

/// A query after analysis: clauses combined the way Lucene's BooleanQuery does (a document
/// must match every `must`, no `mustNot`, and at least one `should` when there is no `must`).
public struct Query: Sendable, Equatable {
    public var clauses: [Clause]
    /// The text the user typed.
    public var text: String

    public init(text: String, clauses: [Clause]) {
        self.text = text
        self.clauses = clauses
    }

    public var isEmpty: Bool { clauses.isEmpty }
}
