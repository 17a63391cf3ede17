internal import CICUShim

/// Unicode NFKC plus default case folding, one code point at a time.
///
/// Folding code point by code point (rather than a whole string at once) keeps a one-to-one
/// map from every output character back to the input, which snippets and line numbers need.
/// It differs from whole-string NFKC only for combining sequences, which Chinese journal text
/// does not use. Results for code points that NFKC changes are cached.
public final class CompatibilityFolder {
    private let nfkc: UnsafeRawPointer
    private var cache: [UInt32: String] = [:]

    public init() throws {
        var status: Int32 = 0
        guard let instance = cs_nfkc_instance(&status), status <= 0 else {
            throw ICUError(code: status, operation: "unorm2_getNFKCInstance")
        }
        nfkc = instance
    }

    /// Appends the folded form of `scalar` to `output` (as Unicode scalars).
    /// Returns the number of scalars appended (0 when the scalar folds to nothing).
    @inline(__always)
    @discardableResult
    public func fold(_ scalar: Unicode.Scalar, into output: inout String) -> Int {
        let value = scalar.value
        if value < 0x80 {
            // ASCII: NFKC leaves it alone; fold A–Z.
            let folded = (value >= 0x41 && value <= 0x5A) ? value + 0x20 : value
            output.unicodeScalars.append(Unicode.Scalar(folded)!)
            return 1
        }
        if let cached = cache[value] {
            output.unicodeScalars.append(contentsOf: cached.unicodeScalars)
            return cached.unicodeScalars.count
        }
        let folded = computeFold(scalar)
        cache[value] = folded
        output.unicodeScalars.append(contentsOf: folded.unicodeScalars)
        return folded.unicodeScalars.count
    }

    /// The folded form of a whole string (each scalar folded on its own).
    public func fold(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { fold(scalar, into: &output) }
        return output
    }

    private func computeFold(_ scalar: Unicode.Scalar) -> String {
        var normalized: [UInt32]
        if cs_nfkc_is_inert(nfkc, Int32(bitPattern: scalar.value)) != 0 {
            normalized = [scalar.value]
        } else {
            let source = Array(String(scalar).utf16)
            var capacity: Int32 = 32
            var destination = [UInt16](repeating: 0, count: Int(capacity))
            var status: Int32 = 0
            var length = cs_nfkc_normalize(nfkc, source, Int32(source.count), &destination, capacity, &status)
            if length > capacity {
                capacity = length
                destination = [UInt16](repeating: 0, count: Int(capacity))
                length = cs_nfkc_normalize(nfkc, source, Int32(source.count), &destination, capacity, &status)
            }
            if status > 0 { return String(scalar) }
            normalized = String(decoding: destination[0..<Int(length)], as: UTF16.self).unicodeScalars.map(\.value)
        }
        var result = ""
        for value in normalized {
            let folded = UInt32(bitPattern: cs_fold_case(Int32(bitPattern: value)))
            result.unicodeScalars.append(Unicode.Scalar(folded) ?? Unicode.Scalar(value)!)
        }
        return result
    }
}
