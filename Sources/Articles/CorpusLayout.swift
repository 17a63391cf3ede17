import Analysis

/// How the files of a corpus hold their documents.
public enum CorpusLayout: String, Sendable, CaseIterable, Codable {
    /// Journal issues: each file holds several articles (`IssueSplitter`).
    case journal
    /// One document per file: the first non-blank line is its title, the rest its body
    /// (government reports, statute articles). Its id is the file's stem.
    case plain

    public func split(file: String, bytes: [UInt8]) -> [Article] {
        switch self {
        case .journal:
            return IssueSplitter().split(file: file, bytes: bytes)
        case .plain:
            return Self.plainDocument(file: file, bytes: bytes).map { [$0] } ?? []
        }
    }

    static func plainDocument(file: String, bytes: [UInt8]) -> Article? {
        let lines = TextNormalizer.lines(of: bytes).enumerated().filter { _, line in
            !String(decoding: bytes[line.range], as: UTF8.self).trimmingSpaces.isEmpty
        }
        guard let (titleIndex, titleLine) = lines.first else { return nil }
        let body = lines.dropFirst()
        let title = String(decoding: bytes[titleLine.range], as: UTF8.self).trimmingSpaces
        let first = body.first?.offset ?? titleIndex
        let last = body.last?.offset ?? titleIndex
        var article = Article(
            file: file, ordinal: 0, title: title, titleIsDerived: false, author: nil, affiliation: nil,
            bodyLines: (first + 1)...(last + 1), lineRanges: [(titleIndex + 1)...(last + 1)],
            body: body.map { $0.element }, titleLines: [SourceLine(range: titleLine.range, standsAlone: true)])
        article.keyIncludesOrdinal = false
        return article
    }
}
