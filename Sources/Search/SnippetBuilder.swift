import Analysis
import Indexing

/// A passage of an article's body with the matched words marked.
public struct Snippet: Sendable, Equatable {
    /// The passage (normalised text: hard wraps joined, letter-spacing removed).
    public var text: String
    /// Character (Unicode scalar) offsets of matched words in `text`.
    public var highlights: [Range<Int>]
    /// Source lines the passage spans (1-based, inclusive).
    public var lineStart: Int
    public var lineEnd: Int

    /// The passage with every match wrapped in `open`/`close`.
    public func marked(open: String, close: String) -> String {
        var result = ""
        var scalars = Array(text.unicodeScalars)[...]
        var position = 0
        for range in highlights.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= position {
            result.unicodeScalars.append(contentsOf: scalars.prefix(range.lowerBound - position))
            scalars = scalars.dropFirst(range.lowerBound - position)
            result += open
            result.unicodeScalars.append(contentsOf: scalars.prefix(range.count))
            scalars = scalars.dropFirst(range.count)
            result += close
            position = range.upperBound
        }
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }
}

/// Picks the passages of a body that best show why it matched.
///
/// The stored source lines are normalised and tokenised again (cheap for the few hits shown),
/// every occurrence of a query term or phrase is found, and candidate windows around matches
/// are scored by how many different query matchers they hold (then how many matches); the best
/// non-overlapping ones win. The passage is shown as the source has it (original punctuation,
/// hard wraps joined), with matches located through the normaliser's offset map.
public struct SnippetBuilder {
    public var contextBefore = 24
    public var contextAfter = 56

    private let analyzer: Analyzer

    public init(analyzer: Analyzer) {
        self.analyzer = analyzer
    }

    /// Snippets for groups of matchers (a clause's phrase, then its pieces): a group's pieces are
    /// marked only in an article that does not hold its phrase whole.
    public func snippets(for document: StoredDocument, groups: [[Matcher]], maximum: Int = 1) -> [Snippet] {
        snippets(for: document, matchers: groups.flatMap { $0 }, maximum: maximum, groups: groups)
    }

    public func snippets(for document: StoredDocument, matchers: [Matcher], maximum: Int = 1) -> [Snippet] {
        snippets(for: document, matchers: matchers, maximum: maximum, groups: matchers.map { [$0] })
    }

    private func snippets(for document: StoredDocument, matchers: [Matcher], maximum: Int, groups: [[Matcher]]) -> [Snippet] {
        let raw = Array(document.body.utf8)
        guard !raw.isEmpty else { return [] }
        let normalized = analyzer.normalizer.normalize(lines: document.sourceLines(), in: raw)
        let bytes = normalized.utf8
        guard !bytes.isEmpty else { return [] }
        let allTokens = analyzer.tokens(of: normalized)
        // Phrases run over consecutive positions (words and parts); a single term may also be a
        // word the dictionary keeps whole.
        let positional = allTokens.filter(\.isPositional)
        // Matches: byte ranges in the normalised text, and which group each belongs to. In each
        // group the first matcher that occurs wins (the whole phrase before its pieces).
        var matches: [(range: Range<Int>, matcher: Int)] = []
        for (g, group) in groups.enumerated() {
            var found: [Range<Int>] = []
            for (position, matcher) in group.enumerated() {
                let terms = matcher.terms
                guard let first = terms.first else { continue }
                // A lone character of a split word (发 of 周均发) marks nothing on its own.
                if position > 0, terms.count == 1, first.unicodeScalars.count == 1 { continue }
                let tokens = terms.count == 1 ? allTokens : positional
                var i = 0
                while i + terms.count <= tokens.count {
                    if tokens[i].term == first && (1..<terms.count).allSatisfy({ tokens[i + $0].term == terms[$0] }) {
                        found.append(tokens[i].start..<tokens[i + terms.count - 1].end)
                        i += terms.count
                    } else {
                        i += 1
                    }
                }
                if !found.isEmpty && terms.count > 1 { break }
            }
            matches.append(contentsOf: found.map { ($0, g) })
        }
        matches.sort { $0.range.lowerBound < $1.range.lowerBound || ($0.range.lowerBound == $1.range.lowerBound && $0.range.count > $1.range.count) }
        // Overlapping matches (a word inside a phrase of another clause): keep the first, longest.
        var disjoint: [(range: Range<Int>, matcher: Int)] = []
        for match in matches where disjoint.last.map({ $0.range.upperBound <= match.range.lowerBound }) ?? true {
            disjoint.append(match)
        }
        matches = disjoint
        if matches.isEmpty {
            // Matched on title or author only: show the opening of the body.
            let end = Self.advance(bytes, from: 0, characters: contextBefore + contextAfter, stopAtLineBreak: true)
            return [makeSnippet(document, raw, normalized, 0..<end, [])]
        }
        var chosen: [Snippet] = []
        var used: [Range<Int>] = []
        var remaining = matches
        while chosen.count < maximum, !remaining.isEmpty {
            var best: (window: Range<Int>, score: Int)? = nil
            for anchor in remaining {
                let start = Self.retreat(bytes, from: anchor.range.lowerBound, characters: contextBefore)
                let end = Self.advance(bytes, from: anchor.range.lowerBound, characters: contextAfter, stopAtLineBreak: false)
                let window = start..<max(end, anchor.range.upperBound)
                guard !used.contains(where: { $0.overlaps(window) }) else { continue }
                let inside = matches.filter { window.contains($0.range.lowerBound) && $0.range.upperBound <= window.upperBound }
                let score = Set(inside.map(\.matcher)).count * 1000 + inside.count
                if best == nil || score > best!.score { best = (window, score) }
            }
            guard let found = best else { break }
            used.append(found.window)
            let inside = matches.filter { found.window.contains($0.range.lowerBound) && $0.range.upperBound <= found.window.upperBound }
            chosen.append(makeSnippet(document, raw, normalized, found.window, inside.map(\.range)))
            remaining.removeAll { found.window.contains($0.range.lowerBound) }
        }
        return chosen
    }

    /// The source text of a normalised window, with hard wraps joined and highlights mapped.
    private func makeSnippet(
        _ document: StoredDocument, _ raw: [UInt8], _ normalized: NormalizedText, _ window: Range<Int>, _ ranges: [Range<Int>]
    ) -> Snippet {
        let source = normalized.sourceRange(of: window)
        let sourceEnd = Self.endOfCharacter(raw, at: source.upperBound - 1)
        let highlightRanges = ranges.map { range -> Range<Int> in
            let r = normalized.sourceRange(of: range)
            return r.lowerBound..<Self.endOfCharacter(raw, at: r.upperBound - 1)
        }
        // Walk the source, turning line breaks into nothing (a hard wrap between ideographs)
        // or a space, and note where each highlight starts and ends in scalars.
        var text = ""
        var starts: [Int: Int] = [:], ends: [Int: Int] = [:]
        var count = 0
        var i = source.lowerBound
        var previous: UInt32 = 0
        while i < sourceEnd {
            for (h, r) in highlightRanges.enumerated() {
                if r.lowerBound == i { starts[h] = count }
                if r.upperBound == i { ends[h] = count }
            }
            let (scalar, length) = Self.decode(raw, at: i)
            let atLineStart = i == 0 || raw[i - 1] == 0x0A
            if atLineStart, scalar == 0x23, let skip = Self.markdownHeadingLength(raw, at: i) {
                i += skip  // `### ` is layout, not text
                continue
            }
            if scalar == 0x2A, i + 1 < raw.count, raw[i + 1] == 0x2A {
                i += 2  // `**` emphasis
                continue
            }
            if scalar == 0x0A {
                let next = i + 1 < raw.count ? Self.decode(raw, at: i + 1).0 : 0
                if !(CharacterClass.isIdeograph(previous) || CharacterClass.isIdeograph(next)) && previous != 0x20 {
                    text.unicodeScalars.append(" ")
                    count += 1
                }
            } else {
                text.unicodeScalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
                count += 1
                previous = scalar
            }
            i += length
        }
        for (h, r) in highlightRanges.enumerated() where r.upperBound >= sourceEnd { ends[h] = ends[h] ?? count }
        let highlights = highlightRanges.indices.compactMap { h -> Range<Int>? in
            guard let s = starts[h], let e = ends[h], s < e else { return nil }
            return s..<e
        }
        let firstLine = document.line(atBodyOffset: highlightRanges.first?.lowerBound ?? source.lowerBound)
        let lastLine = document.line(atBodyOffset: max(source.lowerBound, (highlightRanges.last?.upperBound ?? sourceEnd) - 1))
        return Snippet(text: text, highlights: highlights, lineStart: firstLine, lineEnd: lastLine)
    }

    /// Length of a `#…# ` heading marker at `i`, if there is one.
    static func markdownHeadingLength(_ bytes: [UInt8], at i: Int) -> Int? {
        var j = i
        while j < bytes.count && bytes[j] == 0x23 { j += 1 }
        guard j - i <= 6, j < bytes.count, bytes[j] == 0x20 else { return nil }
        while j < bytes.count && bytes[j] == 0x20 { j += 1 }
        return j - i
    }

    static func endOfCharacter(_ bytes: [UInt8], at offset: Int) -> Int {
        guard offset >= 0 else { return 0 }
        var i = offset + 1
        while i < bytes.count && bytes[i] & 0xC0 == 0x80 { i += 1 }
        return i
    }

    /// One UTF-8 scalar of `bytes` at `i` (the normaliser's decoder, without allocating).
    static func decode(_ bytes: [UInt8], at i: Int) -> (UInt32, Int) {
        bytes.withUnsafeBufferPointer { TextNormalizer.decode($0, at: i, end: $0.count) }
    }

    /// Steps back up to `characters` scalars, stopping after a line break or sentence end.
    static func retreat(_ bytes: [UInt8], from offset: Int, characters: Int) -> Int {
        var i = offset
        var count = 0
        while i > 0 && count < characters {
            var j = i - 1
            while j > 0 && bytes[j] & 0xC0 == 0x80 { j -= 1 }
            if bytes[j] == 0x0A { break }
            if j + 3 <= bytes.count && bytes[j] == 0xE3 && bytes[j + 1] == 0x80 && bytes[j + 2] == 0x82 { break }  // 。
            i = j
            count += 1
        }
        return i
    }

    /// Steps forward up to `characters` scalars (stopping at a line break if asked).
    static func advance(_ bytes: [UInt8], from offset: Int, characters: Int, stopAtLineBreak: Bool) -> Int {
        var i = offset
        var count = 0
        while i < bytes.count && count < characters {
            if stopAtLineBreak && bytes[i] == 0x0A { break }
            i += 1
            while i < bytes.count && bytes[i] & 0xC0 == 0x80 { i += 1 }
            count += 1
        }
        return i
    }
}
