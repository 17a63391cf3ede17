/// The kind of a token, as the segmenter classified it.
public enum TokenKind: String, Sendable, Equatable, Codable {
    case ideographic, letter, number, kana
}

/// A term at a position, with its byte range in the normalised text.
public struct Token: Sendable, Equatable, CustomStringConvertible {
    public var term: String
    /// Byte range in the normalised text.
    public var start: Int
    public var end: Int
    /// Ordinal of the token in its text (0-based, consecutive).
    public var position: Int
    public var kind: TokenKind

    public init(term: String, start: Int, end: Int, position: Int, kind: TokenKind) {
        self.term = term
        self.start = start
        self.end = end
        self.position = position
        self.kind = kind
    }

    public var description: String { "\(term)@\(position)[\(start)..<\(end)]" }
}
