import ICUText

/// The analysis chain shared by indexing and querying: normalise, then segment with ICU's
/// dictionary word breaker, keeping words, numbers and Latin runs (spaces and punctuation are
/// dropped and take no position).
///
/// Not thread-safe: one analyzer per thread (each owns an ICU break iterator).
public final class Analyzer {
    /// Bumped whenever analysis output changes, so stored indexes know they are stale.
    /// 2: traditional characters folded to simplified.
    public static let version: UInt32 = 2

    public let normalizer: TextNormalizer
    private let breaker: WordBreaker

    public init() throws {
        normalizer = try TextNormalizer()
        breaker = try WordBreaker(locale: "zh")
    }

    /// Normalises and tokenises a string (a query, or a line given to `analyze`).
    public func analyze(_ text: String) -> [Token] {
        tokens(of: normalizer.normalize(text))
    }

    /// Tokenises already normalised text.
    public func tokens(of text: NormalizedText) -> [Token] {
        var tokens: [Token] = []
        forEachToken(in: text.utf8) { tokens.append($0) }
        return tokens
    }

    /// Overlapping bigrams of the ideographs in runs of adjacent ideographic tokens (a word of one
    /// ideograph standing alone gives none). Runs are separated by one position, so a phrase of
    /// bigrams never spans punctuation or a non-Chinese token.
    public static func characterBigrams(of tokens: [Token], startingAt position: Int = 0) -> [Token] {
        var grams: [Token] = []
        var position = position
        var run: [(scalar: Unicode.Scalar, start: Int, end: Int)] = []
        func flush() {
            if run.count >= 2 {
                for i in 0..<(run.count - 1) {
                    var term = String(run[i].scalar)
                    term.unicodeScalars.append(run[i + 1].scalar)
                    grams.append(Token(term: term, start: run[i].start, end: run[i + 1].end, position: position, kind: .ideographic))
                    position += 1
                }
                position += 1
            }
            run.removeAll()
        }
        var previousEnd = -1
        for token in tokens {
            if token.kind != .ideographic || token.start != previousEnd { flush() }
            if token.kind == .ideographic {
                var offset = token.start
                for scalar in token.term.unicodeScalars {
                    let length = String(scalar).utf8.count
                    run.append((scalar, offset, offset + length))
                    offset += length
                }
            }
            previousEnd = token.end
        }
        flush()
        return grams
    }

    /// Calls `body` for every token of normalised UTF-8 text, in order.
    public func forEachToken(in utf8: [UInt8], _ body: (Token) -> Void) {
        var position = 0
        utf8.withUnsafeBufferPointer { buffer in
            // ICU reports failures only for invalid arguments; an empty text has no tokens.
            try? breaker.forEachSpan(in: buffer) { span in
                let kind: TokenKind
                switch span.kind {
                case .none: return
                case .ideographic: kind = .ideographic
                case .letter: kind = .letter
                case .number: kind = .number
                case .kana: kind = .kana
                }
                let term = String(decoding: UnsafeBufferPointer(rebasing: buffer[span.start..<span.end]), as: UTF8.self)
                body(Token(term: term, start: span.start, end: span.end, position: position, kind: kind))
                position += 1
            }
        }
    }
}
