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
/// The body is tokenised again (cheap for the few hits shown) and every occurrence of a query
/// term or phrase is found; candidate windows around matches are scored by how many different
/// query matchers they hold (then how many matches), and the best non-overlapping ones win.
public struct SnippetBuilder {
    public var contextBefore = 24
    public var contextAfter = 56

    private let analyzer: Analyzer

    public init(analyzer: Analyzer) {
        self.analyzer = analyzer
    }

    public func snippets(for document: StoredDocument, matchers: [Matcher], maximum: Int = 1) -> [Snippet] {
        let bytes = Array(document.body.utf8)
        guard !bytes.isEmpty else { return [] }
        let tokens = analyzer.tokens(of: NormalizedText(utf8: bytes, sourceOffsets: [Int32](repeating: 0, count: bytes.count)))
        // Matches: byte ranges and which matcher each belongs to.
        var matches: [(range: Range<Int>, matcher: Int)] = []
        for (m, matcher) in matchers.enumerated() {
            let terms = matcher.terms
            guard let first = terms.first else { continue }
            var i = 0
            while i + terms.count <= tokens.count {
                if tokens[i].term == first && (1..<terms.count).allSatisfy({ tokens[i + $0].term == terms[$0] }) {
                    matches.append((tokens[i].start..<tokens[i + terms.count - 1].end, m))
                    i += terms.count
                } else {
                    i += 1
                }
            }
        }
        matches.sort { $0.range.lowerBound < $1.range.lowerBound }
        if matches.isEmpty {
            // Matched on title or author only: show the opening of the body.
            let end = Self.advance(bytes, from: 0, characters: contextBefore + contextAfter, stopAtLineBreak: true)
            return [makeSnippet(document, bytes, 0..<end, [])]
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
            chosen.append(makeSnippet(document, bytes, found.window, inside.map(\.range)))
            remaining.removeAll { found.window.contains($0.range.lowerBound) }
        }
        return chosen
    }

    private func makeSnippet(_ document: StoredDocument, _ bytes: [UInt8], _ window: Range<Int>, _ ranges: [Range<Int>]) -> Snippet {
        // Trim line breaks at the edges; show inner ones as spaces.
        let text = String(decoding: bytes[window], as: UTF8.self)
        var highlights: [Range<Int>] = []
        for range in ranges {
            let start = String(decoding: bytes[window.lowerBound..<range.lowerBound], as: UTF8.self).unicodeScalars.count
            let length = String(decoding: bytes[range], as: UTF8.self).unicodeScalars.count
            highlights.append(start..<(start + length))
        }
        let firstLine = document.line(atBodyOffset: ranges.first?.lowerBound ?? window.lowerBound)
        let lastLine = document.line(atBodyOffset: max(window.lowerBound, (ranges.last?.upperBound ?? window.upperBound) - 1))
        return Snippet(
            text: String(text.map { $0 == "\n" ? " " : $0 }), highlights: highlights, lineStart: firstLine, lineEnd: lastLine)
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
