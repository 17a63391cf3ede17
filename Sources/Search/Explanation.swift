import Indexing

/// How one clause scored in one field of one document.
public struct ScoreComponent: Sendable, Equatable {
    public var matcher: Matcher
    public var field: Field
    public var termFrequency: Int
    public var documentFrequency: Int
    public var idf: Double
    public var fieldLength: Int
    public var averageFieldLength: Double
    public var boost: Double
    public var score: Double
}

/// Why a document scored what it did: the sum of its components and the proximity bonus.
public struct Explanation: Sendable, Equatable {
    public var components: [ScoreComponent]
    /// What query words standing close together added.
    public var proximity: Double = 0
    public var total: Double { components.reduce(0) { $0 + $1.score } + proximity }
}
