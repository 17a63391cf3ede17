/// What an index keeps of an article to show it: everything a hit prints, and the normalised
/// body with the offsets where each source line starts (for snippets and line numbers).
public struct StoredDocument: Sendable, Equatable {
    /// Stable id: `<file stem>#<ordinal>`.
    public var key: String
    /// Path relative to the corpus root.
    public var file: String
    public var title: String
    public var subtitle: String?
    public var titleIsDerived: Bool
    public var author: String?
    public var affiliation: String?
    /// 1-based first and last line of the body in the source file.
    public var lineStart: Int
    public var lineEnd: Int
    /// Every line range the article owns in the source file.
    public var lineRanges: [ClosedRange<Int>]
    /// The normalised body text.
    public var body: String
    /// Source line numbers and the byte offset in `body` where each one's text begins,
    /// sorted by offset.
    public var lineStarts: [LineStart]

    public struct LineStart: Sendable, Equatable {
        public var offset: Int
        public var line: Int
        public init(offset: Int, line: Int) {
            self.offset = offset
            self.line = line
        }
    }

    public init(
        key: String, file: String, title: String, subtitle: String?, titleIsDerived: Bool, author: String?,
        affiliation: String?, lineStart: Int, lineEnd: Int, lineRanges: [ClosedRange<Int>], body: String,
        lineStarts: [LineStart]
    ) {
        self.key = key
        self.file = file
        self.title = title
        self.subtitle = subtitle
        self.titleIsDerived = titleIsDerived
        self.author = author
        self.affiliation = affiliation
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.lineRanges = lineRanges
        self.body = body
        self.lineStarts = lineStarts
    }

    /// The source line holding the body byte at `offset`.
    public func line(atBodyOffset offset: Int) -> Int {
        var low = 0, high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid].offset <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? lineStart : lineStarts[low - 1].line
    }
}
