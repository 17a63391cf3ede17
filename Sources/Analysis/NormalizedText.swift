/// Text after normalisation, as UTF-8, with the source byte each output byte came from.
///
/// The map is what lets a match in the normalised text be shown in the original file, on its
/// original line, even though line breaks, letter-spacing and Markdown markers are gone.
public struct NormalizedText: Sendable, Equatable {
    /// The normalised text (valid UTF-8).
    public var utf8: [UInt8]
    /// `sourceOffsets[i]` is the byte offset, in the source, of the character that produced
    /// `utf8[i]`. Non-decreasing except where folding expands one character into several.
    public var sourceOffsets: [Int32]

    public init(utf8: [UInt8] = [], sourceOffsets: [Int32] = []) {
        precondition(utf8.count == sourceOffsets.count)
        self.utf8 = utf8
        self.sourceOffsets = sourceOffsets
    }

    public var string: String { String(decoding: utf8, as: UTF8.self) }
    public var isEmpty: Bool { utf8.isEmpty }

    /// The source byte range covered by the normalised byte range `range`.
    public func sourceRange(of range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else {
            let at = range.lowerBound < sourceOffsets.count ? Int(sourceOffsets[range.lowerBound]) : Int(sourceOffsets.last ?? 0)
            return at..<at
        }
        var low = Int.max, high = Int.min
        for i in range {
            low = min(low, Int(sourceOffsets[i]))
            high = max(high, Int(sourceOffsets[i]))
        }
        return low..<(high + 1)
    }

    /// Appends `scalars[i]`, from source byte `sources[i]`, for every i (as `append(scalar:source:)`).
    mutating func append(scalars: [UInt32], sources: [Int32]) {
        for i in scalars.indices {
            let v = scalars[i], source = sources[i]
            if v < 0x80 {
                utf8.append(UInt8(v))
                sourceOffsets.append(source)
            } else if v < 0x800 {
                utf8.append(UInt8(0xC0 | v >> 6))
                utf8.append(UInt8(0x80 | v & 0x3F))
                sourceOffsets.append(source)
                sourceOffsets.append(source)
            } else if v < 0x10000 && !(v >= 0xD800 && v <= 0xDFFF) {
                utf8.append(UInt8(0xE0 | v >> 12))
                utf8.append(UInt8(0x80 | v >> 6 & 0x3F))
                utf8.append(UInt8(0x80 | v & 0x3F))
                sourceOffsets.append(source)
                sourceOffsets.append(source)
                sourceOffsets.append(source)
            } else {
                append(scalar: v, source: source)
            }
        }
    }

    /// Appends the UTF-8 of `scalars` to `utf8` (as `append(scalars:sources:)` does to `self.utf8`).
    static func appendUTF8(of scalars: [UInt32], to utf8: inout [UInt8]) {
        for v in scalars {
            if v < 0x80 {
                utf8.append(UInt8(v))
            } else if v < 0x800 {
                utf8.append(UInt8(0xC0 | v >> 6))
                utf8.append(UInt8(0x80 | v & 0x3F))
            } else if v < 0x10000 && !(v >= 0xD800 && v <= 0xDFFF) {
                utf8.append(UInt8(0xE0 | v >> 12))
                utf8.append(UInt8(0x80 | v >> 6 & 0x3F))
                utf8.append(UInt8(0x80 | v & 0x3F))
            } else {
                UTF8.encode(Unicode.Scalar(v) ?? "\u{FFFD}") { utf8.append($0) }
            }
        }
    }

    mutating func append(scalar: UInt32, source: Int32) {
        let start = utf8.count
        let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        UTF8.encode(s) { utf8.append($0) }
        for _ in start..<utf8.count { sourceOffsets.append(source) }
    }
}
