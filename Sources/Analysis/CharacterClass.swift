/// Character classes the normaliser and the layout heuristics need, on Unicode scalar values.
public enum CharacterClass {
    /// CJK unified ideographs (base, extensions A–G) and compatibility ideographs.
    @inline(__always)
    public static func isIdeograph(_ v: UInt32) -> Bool {
        (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF)
            || (v >= 0x20000 && v <= 0x3134F) || v == 0x3007  // 〇
    }

    /// Quotation marks that may sit inside a name (`“临”距离协商`) without ending a word.
    @inline(__always)
    public static func isQuotationMark(_ v: UInt32) -> Bool {
        switch v {
        case 0x22, 0x27, 0x2018, 0x2019, 0x201C, 0x201D, 0x300C, 0x300D, 0x300E, 0x300F, 0xFE41, 0xFE42, 0xFE43, 0xFE44:
            return true
        default:
            return false
        }
    }

    /// Spaces, including the ideographic space before folding and tabs.
    @inline(__always)
    public static func isSpace(_ v: UInt32) -> Bool {
        v == 0x20 || v == 0x09 || v == 0x3000 || v == 0xA0 || v == 0x0D
    }

    /// Marks that end a sentence (after NFKC folding: `！` is `!`, `；` is `;`).
    @inline(__always)
    public static func endsSentence(_ v: UInt32) -> Bool {
        switch v {
        case 0x3002, 0x21, 0x3F, 0x3B, 0x2026, 0xFF0E, 0x2E:  // 。 ! ? ; … ． .
            return true
        default:
            return false
        }
    }

    /// Punctuation and symbols that are neither letters, digits nor ideographs: anything a
    /// letter-spaced word may carry at its edges (`作“ 第 一`, `训 ，不`).
    @inline(__always)
    public static func isPunctuation(_ v: UInt32) -> Bool {
        if v < 0x80 {
            let c = UInt8(v)
            return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
        }
        return (v >= 0x2010 && v <= 0x206F) || (v >= 0x3001 && v <= 0x303F && v != 0x3007) || (v >= 0xFF01 && v <= 0xFF0F)
            || (v >= 0xFF1A && v <= 0xFF20) || (v >= 0xFE30 && v <= 0xFE4F) || v == 0xB7 || v == 0x25A1 || v == 0x25A0
    }
}
