internal import CZlib

/// zlib streams (RFC 1950: deflate between a 2-byte header and an Adler-32 of the data), which
/// hold the stored documents. The only code that calls zlib.
///
/// zlib rather than raw deflate, for 6 bytes a block of records: a block's CRC-32 covers its
/// stored bytes, but bytes altered together with their CRC (or a decoder fault) would otherwise
/// inflate into other text without complaint; the Adler-32 checks what comes out.
enum Deflate {
    /// zlib's default. On the 14,805 stored documents of a 100 MB corpus (102 MB of records,
    /// mostly Chinese UTF-8), level 1 leaves 59.4% of the bytes, level 6 57.6% and level 9 the
    /// same to within 200 bytes; compressing takes 2.7, 2.8 and 3.0 s of one core, and records of
    /// every level inflate at about 150 MB/s (45 µs for a typical 7 kB record).
    static let level: Int32 = 6

    /// Deflate expands at most 1032:1 (a 258-byte match in 2 bits), so a longer declared
    /// length is damage, not a size to allocate.
    static let maximumRatio = 1032

    /// Why bytes do not inflate to what their record declares. The segment reader reports it as
    /// `IndexError.damaged`, naming the file.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// `bytes` as one zlib stream.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var count = compressBound(uLong(bytes.count))
        var compressed = [UInt8](repeating: 0, count: Int(count))
        let status = compressed.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { compress2(out.baseAddress, &count, $0.baseAddress, uLong($0.count), level) }
        }
        // compressBound leaves room for any input and the level is valid: only memory can run out.
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        compressed.removeSubrange(Int(count)...)
        return compressed
    }

    /// The bytes of the zlib stream that is exactly `compressed`, which must be `expectedCount`
    /// bytes long.
    static func decompress(_ compressed: UnsafeRawBufferPointer, expectedCount: Int) throws -> [UInt8] {
        guard expectedCount >= 0, expectedCount / maximumRatio <= compressed.count else {
            throw Failure(description: "declared length \(expectedCount) is impossible for \(compressed.count) compressed bytes")
        }
        var outCount = uLong(expectedCount)
        var inCount = uLong(compressed.count)
        var status = Z_OK
        let bytes = [UInt8](unsafeUninitializedCapacity: expectedCount) { out, initialized in
            // With no room (expectedCount 0) zlib inflates into a byte of its own, to see the stream end.
            status = uncompress2(out.baseAddress, &outCount, compressed.baseAddress?.assumingMemoryBound(to: UInt8.self), &inCount)
            initialized = status == Z_OK ? Int(outCount) : 0
        }
        switch status {
        case Z_OK:
            guard bytes.count == expectedCount else {
                throw Failure(description: "inflates to \(bytes.count) bytes, not the declared \(expectedCount)")
            }
            guard Int(inCount) == compressed.count else {
                throw Failure(description: "\(compressed.count - Int(inCount)) bytes after the end of the compressed data")
            }
            return bytes
        case Z_BUF_ERROR:
            throw Failure(description: "inflates to more than the declared \(expectedCount) bytes")
        case Z_DATA_ERROR:
            throw Failure(description: "compressed data corrupt or cut short")
        default:
            throw Failure(description: "zlib uncompress2 failed with status \(status)")
        }
    }
}
