import Foundation

/// What ranking needs from an index, whether built in memory or read from segments on disk.
///
/// Document ids are dense in `0..<documentCount`; deleted documents never appear in postings and
/// do not count in statistics, so a search answers exactly as a fresh build of the same files.
/// Reads of a damaged index throw `IndexError`.
public protocol SearchableIndex {
    /// Size of the document id space (deleted documents included).
    var documentCount: Int { get }
    /// Documents that can be found.
    var liveDocumentCount: Int { get }
    /// The term's postings in `field`, live documents only, ascending ids; nil when absent.
    /// Without `positions` the list holds ids and frequencies only (positions are read apart, for
    /// phrases and proximity).
    func postingList(_ term: String, in field: Field, positions: Bool) throws -> PostingList?
    func fieldLength(_ doc: DocID, _ field: Field) throws -> Int
    /// Mean length of `field` over live documents (at least 1).
    func averageFieldLength(_ field: Field) -> Double
    /// The document's stored fields. An on-disk index stores no body text (`StoredDocument.hasBody`
    /// is false): `SourceFiles` reads it back from the corpus file, checked against `sourceFile`.
    func document(_ doc: DocID) throws -> StoredDocument
    /// What the document's file was when it was indexed; nil where the index does not record it
    /// (an index in memory, which stores the bodies).
    func sourceFile(_ doc: DocID) -> IndexedFile?
    /// Whether `a` comes before `b` in corpus order (file path, then place in the file): the
    /// tie-break between equal scores, the same however the index was built.
    func precedes(_ a: DocID, _ b: DocID) -> Bool
    /// Whether the index has the character-bigram field.
    var hasBigrams: Bool { get }
    /// The path (relative to the corpus) of the file a document came from.
    func filePath(_ doc: DocID) throws -> String
    /// The document's stable id (`StoredDocument.key`), without reading its stored fields.
    func documentKey(_ doc: DocID) throws -> String
    /// The corpus directory the index was built from, as it records it (nil: not recorded).
    var recordedCorpus: URL? { get }
}

extension SearchableIndex {
    /// The term's postings with positions.
    public func postingList(_ term: String, in field: Field) throws -> PostingList? {
        try postingList(term, in: field, positions: true)
    }
}

extension InvertedIndex: SearchableIndex {
    public func postingList(_ term: String, in field: Field, positions: Bool) -> PostingList? {
        postingList(term, in: field)
    }

    public var liveDocumentCount: Int { documents.count }
    public func sourceFile(_ doc: DocID) -> IndexedFile? { nil }
    public func precedes(_ a: DocID, _ b: DocID) -> Bool { a < b }
    public var hasBigrams: Bool { !postings[Int(Field.grams.rawValue)].isEmpty }
    public func filePath(_ doc: DocID) -> String { documents[doc.index].file }
    public func documentKey(_ doc: DocID) -> String { documents[doc.index].key }
    public var recordedCorpus: URL? { nil }
}
