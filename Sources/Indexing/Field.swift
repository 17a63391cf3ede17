/// The searchable fields of an article.
public enum Field: UInt8, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case title = 0
    /// The speaker's name and office.
    case author = 1
    case body = 2
    /// Overlapping character bigrams of the ideographs of all three text fields (optional): a
    /// match that does not depend on where the segmenter drew word boundaries.
    case grams = 3

    /// Whether the field keeps positions (for phrases). Bigrams are matched as a bag of terms.
    public var hasPositions: Bool { self != .grams }

    /// The fields that hold words (a query's words are looked up in these).
    public static let textFields: [Field] = [.title, .author, .body]

    public var description: String {
        switch self {
        case .title: "title"
        case .author: "author"
        case .body: "body"
        case .grams: "grams"
        }
    }

    public init?(name: String) {
        guard let field = Field.allCases.first(where: { $0.description == name }) else { return nil }
        self = field
    }
}

/// An article's number in an index (dense, 0-based, in indexing order).
public struct DocID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: Int) { self.rawValue = UInt32(value) }
    public var index: Int { Int(rawValue) }
    public static func < (a: DocID, b: DocID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "doc\(rawValue)" }
}
