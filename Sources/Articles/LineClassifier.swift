import Analysis

/// Judges each line of an issue file on its own: blank, body, heading, subtitle, byline or
/// author note. The layout-level decisions (which heading is a title) belong to `IssueSplitter`.
struct LineClassifier {
    /// Words of office that precede a speaker's name in a `职务 姓名` byline.
    static let officeWords = [
        "主席", "秘书长", "主任", "书记", "委员", "主委", "成员", "干部", "部长", "局长", "院长", "会长", "厅长",
        "县长", "市长", "区长", "镇长", "乡长", "理事", "记者", "代表", "专员", "组长", "处长", "科长", "校长",
        "教授", "研究员", "社长", "总编", "编辑", "馆长", "站长", "所长", "经理", "董事长", "主编", "调研员", "巡视员",
    ]

    /// `officeWords` as UTF-8, for the byte search (made once, not per line).
    static let officeWordBytes = officeWords.map { Array($0.utf8) }

    /// The typical line width of a hard-wrapped file (in characters, the centre of the ±2 band
    /// holding most lines), or nil when paragraphs are lines.
    let wrapWidth: Int?

    init(lengths: [Int]) {
        wrapWidth = Self.detectWrapWidth(lengths)
    }

    /// A file is hard-wrapped when most of its non-blank lines share one short length (±2).
    static func detectWrapWidth(_ lengths: [Int]) -> Int? {
        let lines = lengths.filter { $0 >= 6 }
        guard lines.count >= 20 else { return nil }
        var histogram: [Int: Int] = [:]
        for length in lines where length <= 40 { histogram[length, default: 0] += 1 }
        var best: (width: Int, count: Int)? = nil
        for width in histogram.keys.sorted() {
            let count = (width - 2...width + 2).reduce(0) { $0 + histogram[$1, default: 0] }
            if best == nil || count > best!.count { best = (width, count) }
        }
        guard let found = best, Double(found.count) >= 0.5 * Double(lines.count) else { return nil }
        return found.width
    }

    /// Whether a line of this length fills the wrap width (so its break is a hard wrap). A
    /// paragraph's first line is shorter by its lost indent; digits and Latin letters are
    /// narrower than ideographs, so a full line may hold a few more characters.
    func fillsWidth(_ length: Int) -> Bool {
        guard let width = wrapWidth else { return false }
        return length >= width - 3 && length <= width + 4
    }

    func classify(_ plain: String, length: Int, markdownHeading: Bool) -> (LineRole, inlineNote: String?) {
        if plain.isEmpty { return (.blank, nil) }
        // The scalars are read in place (most lines are body text: no array of them per line).
        let scalars = plain.unicodeScalars
        if let note = Self.authorNote(plain) { return (.authorNote(affiliation: note), nil) }
        let first = scalars.first!
        if first == "□" || first == "■" || first == "◇", let byline = Self.boxByline(Array(scalars)) { return (byline, nil) }
        // (Compared as scalars: `String.hasPrefix` compares characters, with normalisation.)
        if first == "—" && length > 1 || first == "-" && scalars.dropFirst().first == "-" {
            return (.subtitle, nil)
        }
        let hasSentencePunctuation = scalars.contains { v in
            let c = v.value
            return CharacterClass.endsSentence(c) && c != 0x2E || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == 0xFF0C || c == 0x2C && length > 30
        }
        if !hasSentencePunctuation, let byline = Self.officeByline(plain) { return (byline, nil) }
        let inline = Self.inlineAuthorNote(plain)
        if markdownHeading { return (.heading, inline) }
        let endsWithComma: Bool
        switch scalars.last?.value {
        case 0xFF0C, 0x2C, 0x3001, 0xFF1A, 0x3A: endsWithComma = true
        default: endsWithComma = false
        }
        if length <= 40 && !scalars.contains(where: { CharacterClass.endsSentence($0.value) && $0.value != 0x2E || $0.value == 0xFF01 || $0.value == 0xFF1F })
            && !endsWithComma && !fillsWidth(length)
        {
            return (.heading, nil)
        }
        return (.body, inline)
    }

    /// `(作者系张掖市政协党组书记、主席)` on a line of its own.
    static func authorNote(_ plain: String) -> String? {
        // Most lines open with neither bracket: answer before copying the scalars.
        guard let first = plain.unicodeScalars.first, first == "(" || first == "（" else { return nil }
        let s = Array(plain.unicodeScalars)
        guard s.count > 5, s.first == "(" || s.first == "（", s.last == ")" || s.last == "）" else { return nil }
        let inner = String(String.UnicodeScalarView(s[1..<(s.count - 1)])).trimmingSpaces
        for prefix in ["作者系", "作者为", "作者是", "作者："] where inner.hasPrefix(prefix) {
            return String(inner.dropFirst(prefix.count)).trimmingSpaces
        }
        return nil
    }

    /// Running text that ends with `(作者系…)`.
    static func inlineAuthorNote(_ plain: String) -> String? {
        guard let last = plain.unicodeScalars.last, last == ")" || last == "）" else { return nil }
        let s = Array(plain.unicodeScalars)
        guard s.count > 6, s.last == ")" || s.last == "）" else { return nil }
        var i = s.count - 3
        while i > 0 {
            if (s[i] == "(" || s[i] == "（") && s[i + 1] == "作" && s[i + 2] == "者" {
                return authorNote(String(String.UnicodeScalarView(s[i...])))
            }
            i -= 1
        }
        return nil
    }

    /// `□ 周均发`, `■ 张 三`.
    static func boxByline(_ s: [Unicode.Scalar]) -> LineRole? {
        guard let first = s.first, first == "□" || first == "■" || first == "◇" else { return nil }
        let name = collapseNameSpacing(String(String.UnicodeScalarView(s.dropFirst())))
        guard !name.isEmpty, name.unicodeScalars.count <= 30 else { return nil }
        return .byline(author: name, affiliation: nil)
    }

    /// `滦州市政协主席、党组书记 崔敬民`, `自治区政协副秘书长、民革宁夏区委会副主委 徐 勇`:
    /// an office word, a space, then a name of two to four ideographs (possibly letter-spaced).
    static func officeByline(_ plain: String) -> LineRole? {
        // At most 50 scalars, so at most 200 bytes: a longer line is answered without a copy.
        guard plain.utf8.count <= 200 else { return nil }
        let scalars = Array(plain.unicodeScalars)
        guard scalars.count <= 50 else { return nil }
        // Take the name from the end: ideographs, allowing single spaces between single ones.
        var end = scalars.count
        var nameScalars: [Unicode.Scalar] = []
        var i = end - 1
        while i >= 0 {
            let v = scalars[i].value
            if CharacterClass.isIdeograph(v) || v == 0xB7 {
                nameScalars.insert(scalars[i], at: 0)
                i -= 1
            } else if v == 0x20 || v == 0x3000 {
                // A space inside the name only between single letter-spaced ideographs.
                let nextIsSingle = i + 2 >= end || !CharacterClass.isIdeograph(scalars[i + 2].value)
                let previousIsSingle = i - 2 < 0 || !CharacterClass.isIdeograph(scalars[i - 2].value)
                if nextIsSingle && previousIsSingle && i - 1 >= 0 && CharacterClass.isIdeograph(scalars[i - 1].value) {
                    i -= 1
                    continue
                }
                break
            } else {
                return nil
            }
        }
        end = i
        guard (2...4).contains(nameScalars.count), end > 0 else { return nil }
        let office = String(String.UnicodeScalarView(scalars[0..<end])).trimmingSpaces
        let officeBytes = Array(office.utf8)
        guard !office.isEmpty, officeWordBytes.contains(where: { officeBytes.contains(bytes: $0) }) else {
            return nil
        }
        // The office part must itself look like an office, not running text.
        guard !office.unicodeScalars.contains(where: { $0 == "，" || $0 == "," || $0 == "。" || $0 == "“" }) else { return nil }
        return .byline(author: String(String.UnicodeScalarView(nameScalars)), affiliation: office)
    }

    /// `徐 勇` → `徐勇`; `张三 李四` stays.
    static func collapseNameSpacing(_ text: String) -> String {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
        guard !parts.isEmpty else { return "" }
        if parts.allSatisfy({ $0.unicodeScalars.count == 1 }) { return parts.joined() }
        return parts.joined(separator: " ")
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, CharacterClass.isSpace(scalars[start].value) { start = scalars.index(after: start) }
        while end > start, CharacterClass.isSpace(scalars[scalars.index(before: end)].value) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return self }  // (most lines: no copy)
        return String(scalars[start..<end])
    }
}

extension Array where Element == UInt8 {
    /// Whether `pattern` occurs in these bytes (in UTF-8, which is self-synchronising, a byte match
    /// is a character match). Foundation's `String.contains` goes through `NSString` on Linux.
    func contains(bytes pattern: [UInt8]) -> Bool {
        guard !pattern.isEmpty else { return true }
        guard pattern.count <= count else { return false }
        for start in 0...(count - pattern.count) where self[start] == pattern[0] {
            if self[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}
