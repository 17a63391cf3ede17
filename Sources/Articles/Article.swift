import Analysis

/// One article, speech or note of a journal issue: the unit of retrieval.
public struct Article: Sendable, Equatable {
    /// Path of the issue file relative to the corpus root.
    public var file: String
    /// 0-based order of the article in its file (by where its body starts).
    public var ordinal: Int
    public var title: String
    /// A `——` subtitle printed under the title, without its dashes.
    public var subtitle: String?
    /// True when the layout gave no title and it was taken from the first sentence.
    public var titleIsDerived: Bool
    public var author: String?
    public var affiliation: String?
    /// 1-based line numbers of the body (the first and last body line).
    public var bodyLines: ClosedRange<Int>
    /// Every 1-based line the article owns (header, body, labels, notes), as sorted ranges.
    public var lineRanges: [ClosedRange<Int>]
    /// The source lines of the body, in order, ready for the normaliser.
    public var body: [SourceLine]
    /// The source lines of the title (and subtitle).
    public var titleLines: [SourceLine]

    /// Whether the id names the article's place in its file (journal issues) or only the file.
    public var keyIncludesOrdinal = true

    /// A document id that stays the same across rebuilds: the file's path without `.txt`, and
    /// for a journal issue `#` and the article's 1-based number in the file.
    public var documentKey: String {
        let stem = file.hasSuffix(".txt") ? String(file.dropLast(4)) : file
        return keyIncludesOrdinal ? "\(stem)#\(ordinal + 1)" : stem
    }

    /// Moves every line number by `offset` (an article read from a window of a larger file).
    public mutating func shiftLines(by offset: Int) {
        guard offset != 0 else { return }
        bodyLines = (bodyLines.lowerBound + offset)...(bodyLines.upperBound + offset)
        lineRanges = lineRanges.map { ($0.lowerBound + offset)...($0.upperBound + offset) }
    }

    public init(
        file: String, ordinal: Int, title: String, subtitle: String? = nil, titleIsDerived: Bool, author: String?, affiliation: String?,
        bodyLines: ClosedRange<Int>, lineRanges: [ClosedRange<Int>], body: [SourceLine], titleLines: [SourceLine]
    ) {
        self.file = file
        self.ordinal = ordinal
        self.title = title
        self.subtitle = subtitle
        self.titleIsDerived = titleIsDerived
        self.author = author
        self.affiliation = affiliation
        self.bodyLines = bodyLines
        self.lineRanges = lineRanges
        self.body = body
        self.titleLines = titleLines
    }
}
