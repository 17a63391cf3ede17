/// Fixed-width bit packing of small unsigned integers: `n` values of `width` bits each, least
/// significant bit first, in ⌈n·width/8⌉ bytes. The codec of postings blocks (doc-id deltas and
/// term frequencies); the round trip is tested for every width.
enum BitPacking {
    /// Bits needed for the largest of `values` (0 when all are 0).
    static func width<C: Collection>(of values: C) -> Int where C.Element == UInt32 {
        let maximum = values.max() ?? 0
        return maximum == 0 ? 0 : 32 - maximum.leadingZeroBitCount
    }

    static func byteCount(count: Int, width: Int) -> Int { (count * width + 7) / 8 }

    /// Appends `values` packed at `width` bits each (every value must fit).
    static func pack<C: Collection>(_ values: C, width: Int, into bytes: inout [UInt8]) where C.Element == UInt32 {
        precondition(width >= 0 && width <= 32)
        guard width > 0 else { return }
        var accumulator: UInt64 = 0
        var bits = 0
        for value in values {
            precondition(width == 32 || value >> UInt32(width) == 0, "value does not fit in \(width) bits")
            accumulator |= UInt64(value) << UInt64(bits)
            bits += width
            while bits >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        if bits > 0 { bytes.append(UInt8(truncatingIfNeeded: accumulator)) }
    }

    /// Reads `count` values of `width` bits from `source` into `destination`; the caller has
    /// checked that `byteCount(count:width:)` bytes are readable.
    @inline(__always)
    static func unpack(_ source: UnsafeRawPointer, count: Int, width: Int, into destination: UnsafeMutablePointer<UInt32>) {
        guard width > 0 else {
            destination.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
        var accumulator: UInt64 = 0
        var bits = 0
        var p = 0
        for i in 0..<count {
            while bits < width {
                accumulator |= UInt64(source.load(fromByteOffset: p, as: UInt8.self)) << UInt64(bits)
                p += 1
                bits += 8
            }
            destination[i] = UInt32(truncatingIfNeeded: accumulator & mask)
            accumulator >>= UInt64(width)
            bits -= width
        }
    }
}
