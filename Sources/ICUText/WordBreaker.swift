internal import CICUShim

/// What ICU's word break rules say about the text between two boundaries.
public enum WordKind: UInt8, Sendable, Equatable {
    /// Spaces, punctuation and symbols (rule status 0–99).
    case none
    /// Digits and numbers such as `4.5` (100–199).
    case number
    /// Letters: Latin, Cyrillic, … (200–299).
    case letter
    /// Kana (300–399).
    case kana
    /// Ideographs, split by ICU's dictionary (400–499).
    case ideographic

    init(ruleStatus: Int32) {
        switch ruleStatus {
        case 100..<200: self = .number
        case 200..<300: self = .letter
        case 300..<400: self = .kana
        case 400..<500: self = .ideographic
        default: self = .none
        }
    }
}

/// One stretch of text between two word boundaries, as UTF-8 byte offsets.
public struct WordSpan: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var kind: WordKind

    public init(start: Int, end: Int, kind: WordKind) {
        self.start = start
        self.end = end
        self.kind = kind
    }
}

/// ICU's dictionary-based word break iterator over UTF-8 text.
///
/// Not thread-safe: use one breaker per thread. Opening one costs a few microseconds
/// after the first (ICU caches the rules and dictionaries), so reuse it across texts.
public final class WordBreaker {
    private var breaker = cs_word_breaker()

    /// Opens the iterator for `locale` (`zh` by default: ICU's CJK dictionary applies to every
    /// locale, `zh` only names the intent). ICU answers `zh` with a harmless warning.
    public init(locale: String = "zh") throws {
        let status = cs_word_breaker_open(&breaker, locale)
        if status > 0 {
            cs_word_breaker_close(&breaker)
            throw ICUError(code: status, operation: "ubrk_open(\(locale))")
        }
    }

    deinit { cs_word_breaker_close(&breaker) }

    /// Calls `body` for every span between consecutive boundaries of `utf8`, in order,
    /// including the spans of spaces and punctuation (their kind is `.none`).
    /// Offsets are byte offsets into `utf8`. O(n) in the length of the text.
    public func forEachSpan(in utf8: UnsafeBufferPointer<UInt8>, _ body: (WordSpan) -> Void) throws {
        guard let base = utf8.baseAddress, utf8.count > 0 else { return }
        // One access to the iterator for the whole text, not one (checked at run time) per call.
        try withUnsafeMutablePointer(to: &breaker) { breaker in
            let status = base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                cs_word_breaker_set_utf8(breaker, $0, Int64(utf8.count))
            }
            try ICUError.check(status, "utext_openUTF8/ubrk_setUText")
            var start = Int(cs_word_breaker_first(breaker))
            while true {
                let end = Int(cs_word_breaker_next(breaker))
                if end < 0 { break }  // UBRK_DONE
                let kind = WordKind(ruleStatus: cs_word_breaker_rule_status(breaker))
                body(WordSpan(start: start, end: end, kind: kind))
                start = end
            }
            // Detach from the caller's buffer so no dangling pointer outlives this call.
            _ = cs_word_breaker_set_utf8(breaker, "", 0)
        }
    }

    /// The spans of a Swift string (convenience for tests and tools).
    public func spans(of text: String) throws -> [WordSpan] {
        var text = text
        var result: [WordSpan] = []
        try text.withUTF8 { buffer in
            try forEachSpan(in: buffer) { result.append($0) }
        }
        return result
    }
}
