internal import CICUShim

/// Turns the bytes of a text file in an unknown encoding into UTF-8, with ICU's charset
/// detector and converters. Chinese offices still write GB18030/GBK, and UTF-16 with a BOM.
public enum CharsetDecoder {
    public struct Guess: Sendable, Equatable {
        public var charset: String
        /// ICU's confidence, 0–100.
        public var confidence: Int
    }

    /// ICU's best guess for the encoding of `bytes` (looks at most at the first 64 KB).
    public static func detect(_ bytes: [UInt8]) -> Guess? {
        let sample = Array(bytes.prefix(65536))
        var name = [CChar](repeating: 0, count: 64)
        var confidence: Int32 = 0
        let status = sample.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: sample.count) {
                cs_detect_charset($0, Int32(sample.count), &name, 64, &confidence)
            }
        }
        guard status <= 0 else { return nil }
        let charset = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return charset.isEmpty ? nil : Guess(charset: charset, confidence: Int(confidence))
    }

    /// `bytes` in `charset` converted to UTF-8, or nil when ICU cannot convert them.
    public static func convert(_ bytes: [UInt8], from charset: String) -> [UInt8]? {
        guard !bytes.isEmpty else { return [] }
        var capacity = bytes.count * 2 + 16
        for _ in 0..<2 {
            var output = [UInt8](repeating: 0, count: capacity)
            var status: Int32 = 0
            let written = bytes.withUnsafeBufferPointer { source in
                output.withUnsafeMutableBufferPointer { dest in
                    source.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) { s in
                        dest.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) { d in
                            cs_convert_to_utf8(charset, s, Int32(bytes.count), d, Int32(capacity), &status)
                        }
                    }
                }
            }
            if status == 15 /* U_BUFFER_OVERFLOW_ERROR */ {
                capacity = Int(written) + 16
                continue
            }
            guard status <= 0 else { return nil }
            return Array(output[0..<Int(written)])
        }
        return nil
    }
}
