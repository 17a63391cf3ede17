/// The kind of a token, as the segmenter classified it.
public enum TokenKind: String, Sendable, Equatable, Codable {
    case ideographic, letter, number, kana
}

/// How a token stands to the words around it (search mode: a word the dictionary keeps whole is
/// indexed as the word and as its parts).
public enum TokenRole: String, Sendable, Equatable, Codable {
    /// A word by itself: it takes the next position.
    case word
    /// A word the dictionary keeps whole and ICU cut into several parts. It shares the position of
    /// its first part and takes none of its own; its parts follow it.
    case whole
    /// One of the parts of the `whole` token before it: it takes the next position, as ICU cut it.
    case part
}

/// A term at a position, with its byte range in the normalised text.
public struct Token: Sendable, Equatable, CustomStringConvertible {
    public var term: String
    /// Byte range in the normalised text.
    public var start: Int
    public var end: Int
    /// Ordinal of the token in its text (0-based). Words and parts take consecutive positions; a
    /// `whole` token shares the position of its first part.
    public var position: Int
    public var kind: TokenKind
    public var role: TokenRole

    public init(term: String, start: Int, end: Int, position: Int, kind: TokenKind, role: TokenRole = .word) {
        self.term = term
        self.start = start
        self.end = end
        self.position = position
        self.kind = kind
        self.role = role
    }

    /// Takes a position of its own (a word or a part): what phrases, bigrams and field lengths count.
    public var isPositional: Bool { role != .whole }
    /// Belongs to the segmentation into words (a word or a kept-whole word, not a part).
    public var isWord: Bool { role != .part }

    public var description: String {
        let mark = role == .word ? "" : role == .whole ? "+" : "-"
        return "\(mark)\(term)@\(position)[\(start)..<\(end)]"
    }
}

/// A token as a byte range of the normalised text, without its term as a `String` (the term is
/// the text's bytes `start..<end`): what indexing reads, sparing a string per token.
public struct TokenSpan: Sendable, Equatable {
    /// Byte range in the normalised text.
    public var start: Int
    public var end: Int
    /// As `Token.position`.
    public var position: Int
    public var kind: TokenKind
    public var role: TokenRole

    public init(start: Int, end: Int, position: Int, kind: TokenKind, role: TokenRole = .word) {
        self.start = start
        self.end = end
        self.position = position
        self.kind = kind
        self.role = role
    }

    /// Takes a position of its own (a word or a part).
    public var isPositional: Bool { role != .whole }
}
