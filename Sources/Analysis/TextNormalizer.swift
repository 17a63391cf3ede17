import ICUText

/// One line of source text to normalise: its byte range in the source, and whether it may be
/// joined to its neighbours (a heading or a byline stands alone).
public struct SourceLine: Sendable, Equatable {
    public var range: Range<Int>
    public var standsAlone: Bool

    public init(range: Range<Int>, standsAlone: Bool = false) {
        self.range = range
        self.standsAlone = standsAlone
    }
}

/// Turns raw journal text into the text the segmenter sees.
///
/// In order, per line: NFKC and case folding (full-width forms become ASCII), traditional
/// characters folded to simplified ones (兩個 → 两个, ICU's `Traditional-Simplified`); Markdown markers
/// (`#` headings, `**`, `>` quotes) dropped; letter-spacing between single ideographs
/// (`奋 力 跑 好`) removed; quotation marks between ideographs (`“临”距离协商`) dropped. Then lines
/// are joined: a break (with any blank lines) between two characters where at least one is an
/// ideograph and the text before has not ended a sentence is a hard wrap, not a boundary, so it
/// vanishes (`政\n\n协` → `政协`); any other break becomes one `\n`.
///
/// Not thread-safe (it caches foldings); use one per thread.
public final class TextNormalizer {
    private let folder: CompatibilityFolder
    private let simplified = VariantFolding.traditionalToSimplified
    // Scratch, reused from line to line: a normaliser is used by one thread at a time, so the
    // runtime's exclusivity checks are left out.
    @exclusivity(unchecked) private var scalars: [UInt32] = []
    @exclusivity(unchecked) private var offsets: [Int32] = []
    /// Whether `offsets` are kept (not when only the text is asked for).
    @exclusivity(unchecked) private var tracksSources = true
    /// The fold of each BMP code point the folder has been asked about (`unknown` until then):
    /// one scalar (spaces already made U+0020), or `notOne` when it folds to none or several.
    @exclusivity(unchecked) private var foldedBMP: [UInt32] = []
    private static let unknown: UInt32 = 0xFFFF_FFFF
    private static let notOne: UInt32 = 0xFFFF_FFFE

    public init() throws {
        folder = try CompatibilityFolder()
    }

    /// Normalises a whole string (every line may join its neighbours).
    public func normalize(_ text: String) -> NormalizedText {
        let bytes = Array(text.utf8)
        return normalize(lines: Self.lines(of: bytes), in: bytes)
    }

    /// Normalises `lines` of `source` (a UTF-8 buffer) into one text.
    public func normalize(lines: [SourceLine], in source: [UInt8]) -> NormalizedText {
        var output = NormalizedText()
        output.utf8.reserveCapacity(lines.reduce(0) { $0 + $1.range.count })
        output.sourceOffsets.reserveCapacity(output.utf8.capacity)
        source.withUnsafeBufferPointer { buffer in
            joinLines(lines, buffer) { first in
                if let first { output.append(scalar: 0x0A, source: Int32(first)) }
                output.append(scalars: scalars, sources: offsets)
            }
        }
        return output
    }

    /// The UTF-8 of `normalize(lines:in:)`, without the map to the source (what indexing
    /// reads), into `utf8` (emptied first, its capacity kept).
    public func normalize(lines: [SourceLine], in source: [UInt8], into utf8: inout [UInt8]) {
        utf8.removeAll(keepingCapacity: true)
        tracksSources = false
        defer { tracksSources = true }
        source.withUnsafeBufferPointer { buffer in
            joinLines(lines, buffer) { breakAt in
                if breakAt != nil { utf8.append(0x0A) }
                NormalizedText.appendUTF8(of: scalars, to: &utf8)
            }
        }
    }

    /// The UTF-8 of `normalize(_:)`, without the map to the source.
    public func normalize(_ text: String, into utf8: inout [UInt8]) {
        let bytes = Array(text.utf8)
        normalize(lines: Self.lines(of: bytes), in: bytes, into: &utf8)
    }

    /// Normalises each line (into `scalars`, `offsets`) and calls `append` with it, after a line
    /// break where one is kept (with the break's line's first byte; nil: the lines join).
    private func joinLines(_ lines: [SourceLine], _ buffer: UnsafeBufferPointer<UInt8>, _ append: (Int?) -> Void) {
        var previousLast: UInt32? = nil
        var previousStandsAlone = true
        for line in lines {
            normalizeLine(buffer, line.range)
            guard let first = scalars.first, let last = scalars.last else { continue }
            var breakAt: Int? = nil
            if let before = previousLast {
                let join = !previousStandsAlone && !line.standsAlone
                    && (CharacterClass.isIdeograph(before) || CharacterClass.isIdeograph(first))
                    && !CharacterClass.endsSentence(before)
                if !join { breakAt = line.range.lowerBound }
            }
            append(breakAt)
            previousLast = last
            previousStandsAlone = line.standsAlone
        }
    }

    /// Splits a buffer into lines (without their `\n`, `\r\n` or `\r`).
    public static func lines(of bytes: [UInt8]) -> [SourceLine] {
        var result: [SourceLine] = []
        bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b <= 0x0D && (b == 0x0A || b == 0x0D) {
                    result.append(SourceLine(range: start..<i))
                    if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                    start = i + 1
                }
                i += 1
            }
            if start < bytes.count { result.append(SourceLine(range: start..<bytes.count)) }
        }
        return result
    }

    // MARK: - One line

    /// Fills `scalars`/`offsets` with the normalised content of one line.
    private func normalizeLine(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        scalars.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        var folded = ""
        // What the line holds that the passes after folding act on: any that finds none of
        // its characters would change nothing, and is skipped.
        var seen = Seen()
        while i < range.upperBound {
            let (scalar, length) = Self.decode(source, at: i, end: range.upperBound)
            if scalar < 0x80 {
                let v = (scalar >= 0x41 && scalar <= 0x5A) ? scalar + 0x20 : scalar
                let w = v == 0x09 || v == 0x0D ? 0x20 : v
                scalars.append(w)
                if w < 0x61 { seen.note(w) }  // (lowercase letters are none of them)
                if tracksSources { offsets.append(Int32(i)) }
            } else if scalar >= 0x4E00 && scalar <= 0x9FFF {
                // Unified ideographs: NFKC leaves them alone and they have no case (the common
                // path); traditional characters become simplified ones.
                let simple = simplified[Int(scalar - 0x4E00)]
                scalars.append(simple)
                if simple < 0x4E00 || simple > 0x9FFF { seen.note(simple) }  // (never: the table maps ideographs to ideographs)
                if tracksSources { offsets.append(Int32(i)) }
            } else if scalar >= 0x3400 && scalar <= 0x4DBF {
                scalars.append(scalar)
                if tracksSources { offsets.append(Int32(i)) }
            } else {
                if scalar < 0x10000 && foldedBMP.isEmpty { foldedBMP = Array(repeating: Self.unknown, count: 0x10000) }
                var one = scalar < 0x10000 ? foldedBMP[Int(scalar)] : Self.notOne
                if one == Self.unknown {
                    folded.removeAll(keepingCapacity: true)
                    folder.fold(Unicode.Scalar(scalar) ?? "\u{FFFD}", into: &folded)
                    let values = folded.unicodeScalars.map { CharacterClass.isSpace($0.value) ? 0x20 : $0.value }
                    one = values.count == 1 ? values[0] : Self.notOne
                    foldedBMP[Int(scalar)] = one
                }
                if one != Self.notOne {
                    scalars.append(one)
                    seen.note(one)
                    if tracksSources { offsets.append(Int32(i)) }
                } else {
                    folded.removeAll(keepingCapacity: true)
                    folder.fold(Unicode.Scalar(scalar) ?? "\u{FFFD}", into: &folded)
                    for s in folded.unicodeScalars {
                        let v = CharacterClass.isSpace(s.value) ? 0x20 : s.value
                        scalars.append(v)
                        seen.note(v)
                        if tracksSources { offsets.append(Int32(i)) }
                    }
                }
            }
            i += length
        }
        // (Each pass only removes scalars, so what the later ones act on is still among those seen.)
        if seen.markdown { dropMarkdown() }
        if seen.space { dropLetterSpacing() }
        if seen.quote { dropQuotesInsideWords() }
        if seen.space { trimSpaces() }
    }

    /// Which of the scalars the passes after folding act on a line holds.
    private struct Seen {
        /// `#`, `>`, `*` or `_` (`dropMarkdown`).
        var markdown = false
        /// U+0020 (`dropLetterSpacing`, `trimSpaces`).
        var space = false
        /// A quotation mark (`dropQuotesInsideWords`).
        var quote = false

        @inline(__always)
        mutating func note(_ v: UInt32) {
            switch v {
            case 0x20: space = true
            case 0x23, 0x3E, 0x2A, 0x5F: markdown = true
            default: if CharacterClass.isQuotationMark(v) { quote = true }
            }
        }
    }

    private func remove(at indices: [Int]) {
        guard !indices.isEmpty else { return }
        var keep = 0, next = 0
        for i in 0..<scalars.count {
            if next < indices.count && indices[next] == i { next += 1; continue }
            scalars[keep] = scalars[i]
            if tracksSources { offsets[keep] = offsets[i] }
            keep += 1
        }
        scalars.removeSubrange(keep...)
        if tracksSources { offsets.removeSubrange(keep...) }
    }

    /// `# ` heading markers at the start, `> ` quote markers at the start, and `**`/`__` anywhere.
    private func dropMarkdown() {
        var drop: [Int] = []
        var i = 0
        while i < scalars.count && scalars[i] == 0x20 { i += 1 }
        if i < scalars.count && scalars[i] == 0x23 {  // #
            var j = i
            while j < scalars.count && scalars[j] == 0x23 { j += 1 }
            if j - i <= 6 && (j == scalars.count || scalars[j] == 0x20) {
                drop.append(contentsOf: i..<j)
            }
        } else if i < scalars.count && scalars[i] == 0x3E {  // >
            drop.append(i)
        }
        var k = 0
        while k + 1 < scalars.count {
            let c = scalars[k]
            if (c == 0x2A || c == 0x5F) && scalars[k + 1] == c {
                drop.append(k)
                drop.append(k + 1)
                k += 2
            } else {
                k += 1
            }
        }
        drop.sort()
        remove(at: drop)
    }

    /// Spaces with exactly one ideograph on each side (ignoring punctuation next to the space)
    /// are letter-spacing: `奋 力 跑 好`, `罗 鸣`, `工 作“ 第 一`, `训 ，不 断`.
    private func dropLetterSpacing() {
        var drop: [Int] = []
        var i = 0
        while i < scalars.count {
            guard scalars[i] == 0x20 else { i += 1; continue }
            var j = i
            while j < scalars.count && scalars[j] == 0x20 { j += 1 }
            if isSingleIdeographRun(endingBefore: i) && isSingleIdeographRun(startingAt: j) {
                drop.append(contentsOf: i..<j)
            }
            i = j
        }
        remove(at: drop)
    }

    private func isSingleIdeographRun(endingBefore end: Int) -> Bool {
        var k = end - 1
        while k >= 0 && CharacterClass.isPunctuation(scalars[k]) { k -= 1 }
        guard k >= 0, CharacterClass.isIdeograph(scalars[k]) else { return false }
        return k == 0 || !CharacterClass.isIdeograph(scalars[k - 1]) && !isWordCharacter(scalars[k - 1])
    }

    private func isSingleIdeographRun(startingAt start: Int) -> Bool {
        var k = start
        while k < scalars.count && CharacterClass.isPunctuation(scalars[k]) { k += 1 }
        guard k < scalars.count, CharacterClass.isIdeograph(scalars[k]) else { return false }
        return k + 1 == scalars.count || !CharacterClass.isIdeograph(scalars[k + 1]) && !isWordCharacter(scalars[k + 1])
    }

    @inline(__always)
    private func isWordCharacter(_ v: UInt32) -> Bool {
        (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A)
    }

    /// Quotation marks with an ideograph on both sides (past any further quotes) are dropped,
    /// so a quoted part of a name does not split it from the rest.
    private func dropQuotesInsideWords() {
        var drop: [Int] = []
        var i = 0
        while i < scalars.count {
            guard CharacterClass.isQuotationMark(scalars[i]) else { i += 1; continue }
            var j = i
            while j < scalars.count && CharacterClass.isQuotationMark(scalars[j]) { j += 1 }
            if i > 0 && j < scalars.count && CharacterClass.isIdeograph(scalars[i - 1]) && CharacterClass.isIdeograph(scalars[j]) {
                drop.append(contentsOf: i..<j)
            }
            i = j
        }
        remove(at: drop)
    }

    private func trimSpaces() {
        var end = scalars.count
        while end > 0 && scalars[end - 1] == 0x20 { end -= 1 }
        var start = 0
        while start < end && scalars[start] == 0x20 { start += 1 }
        if end < scalars.count {
            scalars.removeSubrange(end...)
            if tracksSources { offsets.removeSubrange(end...) }
        }
        if start > 0 {
            scalars.removeSubrange(..<start)
            if tracksSources { offsets.removeSubrange(..<start) }
        }
    }

    /// Decodes one UTF-8 scalar; invalid bytes decode as U+FFFD of length 1.
    @inline(__always)
    public static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 >= 0xC2 && b0 < 0xE0 && i + 1 < end {
            let b1 = UInt32(b[i + 1])
            if b1 & 0xC0 == 0x80 { return ((b0 & 0x1F) << 6 | (b1 & 0x3F), 2) }
        } else if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < end {
            let b1 = UInt32(b[i + 1]), b2 = UInt32(b[i + 2])
            if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 {
                let v = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F)
                if v >= 0x800 && !(v >= 0xD800 && v <= 0xDFFF) { return (v, 3) }
            }
        } else if b0 >= 0xF0 && b0 < 0xF5 && i + 3 < end {
            let b1 = UInt32(b[i + 1]), b2 = UInt32(b[i + 2]), b3 = UInt32(b[i + 3])
            if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 {
                let v = (b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F)
                if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
            }
        }
        return (0xFFFD, 1)
    }
}
