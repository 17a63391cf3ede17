import Analysis

/// What an index keeps of an article to show it: everything a hit prints, and the body's source
/// lines as they are in the file (snippets show the original text; normalising it again gives
/// the map from tokens back to it, as Lucene's char filters correct offsets).
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
    /// `lineRanges`, or the body's lines for a document that records none.
    public var occupiedLines: [ClosedRange<Int>] { lineRanges.isEmpty ? [lineStart...lineEnd] : lineRanges }
    /// The body's source lines, as in the file, joined by `\n`; empty in an on-disk index, which
    /// keeps only where the lines are (`bodyLines`): `SourceFiles` reads them back from the file.
    public var body: String
    /// Whether `body` holds the text of `bodyLines` (not an on-disk index's empty stand-in; a body
    /// of one empty line reads back as empty, too).
    public var hasBody: Bool { !body.isEmpty || bodyLines.isEmpty }
    /// For each line of `body`: its 1-based line number in the file, and whether it stands
    /// alone (a heading, never joined to its neighbours by the normaliser).
    public var bodyLines: [BodyLine]
    /// Where the body's first line starts in the file, in bytes, when the file is stored as UTF-8
    /// (nil for one converted from another encoding): its lines can be read without the rest of
    /// the file.
    public var sourceOffset: Int?

    public struct BodyLine: Sendable, Equatable {
        public var number: Int
        public var standsAlone: Bool
        public init(number: Int, standsAlone: Bool) {
            self.number = number
            self.standsAlone = standsAlone
        }
    }

    public init(
        key: String, file: String, title: String, subtitle: String?, titleIsDerived: Bool, author: String?,
        affiliation: String?, lineStart: Int, lineEnd: Int, lineRanges: [ClosedRange<Int>], body: String,
        bodyLines: [BodyLine], sourceOffset: Int? = nil
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
        self.bodyLines = bodyLines
        self.sourceOffset = sourceOffset
    }

    /// The body's lines as byte ranges of `body`, ready for the normaliser.
    public func sourceLines() -> [SourceLine] {
        var result: [SourceLine] = []
        result.reserveCapacity(bodyLines.count)
        var start = 0
        var index = 0
        let utf8 = Array(body.utf8)
        for (i, byte) in utf8.enumerated() where byte == 0x0A {
            result.append(SourceLine(range: start..<i, standsAlone: index < bodyLines.count && bodyLines[index].standsAlone))
            start = i + 1
            index += 1
        }
        result.append(SourceLine(range: start..<utf8.count, standsAlone: index < bodyLines.count && bodyLines[index].standsAlone))
        return result
    }

    /// The file line holding byte `offset` of `body`.
    public func line(atBodyOffset offset: Int) -> Int {
        var line = 0
        for byte in body.utf8.prefix(offset) where byte == 0x0A { line += 1 }
        return line < bodyLines.count ? bodyLines[line].number : (bodyLines.last?.number ?? lineStart)
    }
}
