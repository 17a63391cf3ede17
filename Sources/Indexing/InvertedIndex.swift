/// An inverted index over articles: per field, each term's postings; per document, its field
/// lengths and stored fields.
public struct InvertedIndex: Sendable, Equatable {
    /// `postings[field.rawValue][term]`.
    public var postings: [[String: PostingList]]
    /// `fieldLengths[field.rawValue][doc]`: number of tokens.
    public var fieldLengths: [[UInt32]]
    public var documents: [StoredDocument]

    public init() {
        postings = Array(repeating: [:], count: Field.allCases.count)
        fieldLengths = Array(repeating: [], count: Field.allCases.count)
        documents = []
    }

    public var documentCount: Int { documents.count }

    public func postingList(_ term: String, in field: Field) -> PostingList? {
        postings[Int(field.rawValue)][term]
    }

    public func fieldLength(_ doc: DocID, _ field: Field) -> Int {
        Int(fieldLengths[Int(field.rawValue)][doc.index])
    }

    /// Mean number of tokens of `field` per document (at least 1, so scores stay finite).
    public func averageFieldLength(_ field: Field) -> Double {
        let lengths = fieldLengths[Int(field.rawValue)]
        guard !lengths.isEmpty else { return 1 }
        let total = lengths.reduce(0) { $0 + Int($1) }
        return max(1, Double(total) / Double(lengths.count))
    }

    public func document(_ doc: DocID) -> StoredDocument { documents[doc.index] }
}
