import Analysis

/// What a line of a journal issue is, judged on the line alone (and the file's wrap width).
enum LineRole: Equatable {
    case blank
    /// Running text.
    case body
    /// A short line that does not end a sentence: a title, a column label or a section heading.
    case heading
    /// A `——` subtitle line.
    case subtitle
    /// `□ 姓名`, or `职务 姓名` (an office followed by a name).
    case byline(author: String, affiliation: String?)
    /// `(作者系…)`: the author's office, printed at the end of an article.
    case authorNote(affiliation: String)
}

/// One line of an issue file with the facts the splitter needs.
struct IssueLine {
    /// 1-based line number.
    var number: Int
    /// Byte range in the file (without the line end).
    var range: Range<Int>
    /// The line's text without Markdown markers and surrounding spaces.
    var plain: String
    /// Number of Unicode scalars in `plain`.
    var length: Int
    var markdownHeading: Bool
    var role: LineRole
    /// The line ends with an inline `(作者系…)` after running text.
    var inlineAuthorNote: String?

    var isBlank: Bool { role == .blank }
    var isBody: Bool { role == .body }
    var isByline: Bool { if case .byline = role { return true } else { return false } }
    var isAuthorNote: Bool { if case .authorNote = role { return true } else { return inlineAuthorNote != nil } }

    /// Whether the line's last character ends a sentence (past closing quotes and brackets).
    var endsSentence: Bool {
        for scalar in plain.unicodeScalars.reversed() {
            switch scalar.value {
            case 0x201D, 0x2019, 0x300D, 0x300F, 0x29, 0xFF09, 0x22, 0x2A, 0x300B, 0x3011: continue
            default: return CharacterClass.endsSentence(scalar.value) || scalar.value == 0xFF01 || scalar.value == 0xFF1F || scalar.value == 0xFF1B
            }
        }
        return false
    }
}
