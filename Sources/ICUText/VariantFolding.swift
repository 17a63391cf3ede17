internal import CICUShim

/// Traditional → simplified Chinese, character by character, from ICU's `Traditional-Simplified`
/// transform, so that 兩個薄弱 and 两个薄弱 index and search alike.
///
/// The table covers the CJK Unified Ideographs block (U+4E00–U+9FFF). `build()` makes it by
/// running the transform over every character on its own line (so no context crosses characters);
/// a character the transform maps to anything but one ideograph maps to itself. Characters that
/// simplified Chinese also writes as they are (they are in GB 2312: 乾坤, 著作) are left alone,
/// so folding never breaks a simplified word. The program uses the result shipped as data
/// (`shippedPairs`, tested equal to `build()`), read in microseconds instead of running ICU's
/// transform at startup.
public enum VariantFolding {
    public static let firstIdeograph: UInt32 = 0x4E00
    public static let lastIdeograph: UInt32 = 0x9FFF

    /// `table[c - 0x4E00]` is the simplified form of `c`.
    public static let traditionalToSimplified: [UInt32] = {
        var table = (firstIdeograph...lastIdeograph).map { $0 }
        var traditional: UInt32? = nil
        for scalar in shippedPairs.unicodeScalars where scalar.value > 0x20 {
            if let from = traditional {
                table[Int(from - firstIdeograph)] = scalar.value
                traditional = nil
            } else {
                traditional = scalar.value
            }
        }
        return table
    }()

    @inline(__always)
    public static func simplify(_ scalar: UInt32) -> UInt32 {
        guard scalar >= firstIdeograph && scalar <= lastIdeograph else { return scalar }
        return traditionalToSimplified[Int(scalar - firstIdeograph)]
    }

    static func build() -> [UInt32] {
        let identity = (firstIdeograph...lastIdeograph).map { $0 }
        // All ideographs of the block are in the BMP: one UTF-16 unit each, then a newline.
        var text: [UInt16] = []
        text.reserveCapacity(identity.count * 2)
        for c in identity {
            text.append(UInt16(c))
            text.append(0x0A)
        }
        let length = Int32(text.count)
        var capacity = Int32(text.count * 2)
        text += [UInt16](repeating: 0, count: text.count)
        var status: Int32 = 0
        let written = cs_transliterate("Traditional-Simplified", &text, length, capacity, &status)
        if status > 0 || written > capacity {
            capacity = 0
            return identity
        }
        var table = identity
        var index = 0
        var current: [UInt16] = []
        for unit in text[0..<Int(written)] {
            if unit == 0x0A {
                if index < table.count, current.count == 1, current[0] >= 0x3400 { table[index] = UInt32(current[0]) }
                index += 1
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(unit)
            }
        }
        guard index == table.count else { return identity }
        // Keep characters that GB 2312 (the simplified standard) has: they are simplified too.
        let changed = table.indices.filter { table[$0] != identity[$0] }
        var utf8: [UInt8] = []
        for i in changed {
            utf8 += Array(String(Unicode.Scalar(identity[i])!).utf8)
            utf8.append(0x0A)
        }
        var gb = [UInt8](repeating: 0, count: utf8.count * 2 + 16)
        var convertStatus: Int32 = 0
        let n = utf8.withUnsafeBufferPointer { src in
            gb.withUnsafeMutableBufferPointer { dst in
                src.baseAddress!.withMemoryRebound(to: CChar.self, capacity: utf8.count) { s in
                    dst.baseAddress!.withMemoryRebound(to: CChar.self, capacity: dst.count) { d in
                        cs_convert("GB2312", "UTF-8", s, Int32(utf8.count), d, Int32(dst.count), &convertStatus)
                    }
                }
            }
        }
        guard convertStatus <= 0 else { return table }
        var line = 0
        var bytes: [UInt8] = []
        for byte in gb[0..<Int(n)] {
            if byte == 0x0A {
                // A GB 2312 hanzi (rows 0xB0–0xF7), not the substitution character (0xA1A1).
                if line < changed.count, bytes.count == 2, bytes[0] >= 0xB0, bytes[1] >= 0xA1 {
                    table[changed[line]] = identity[changed[line]]
                }
                line += 1
                bytes.removeAll(keepingCapacity: true)
            } else {
                bytes.append(byte)
            }
        }
        return table
    }
}
