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
    /// checked that `byteCount(count:width:)` bytes are readable (nothing past them is read).
    /// Each value is one unaligned 8-byte load, shift and mask (a value of up to 32 bits starts
    /// at most 7 bits into its first byte: 39 bits); the last values, whose 8 bytes would reach
    /// past the packed ones, are gathered a byte at a time.
    @inline(__always)
    static func unpack(_ source: UnsafeRawPointer, count: Int, width: Int, into destination: UnsafeMutablePointer<UInt32>) {
        guard width > 0 else {
            destination.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
        let bytes = byteCount(count: count, width: width)
        var i = 0
        if bytes >= 8 {
            // Value i's load starts at byte (i·width)/8, which must be ≤ bytes − 8.
            let fast = min(count, ((bytes - 8) * 8 + 7) / width + 1)
            var bit = 0
            while i < fast {
                let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
                destination[i] = UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
                bit &+= width
                i &+= 1
            }
        }
        while i < count {
            let bit = i * width
            var at = bit >> 3
            let last = (bit + width - 1) >> 3
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while at <= last {
                word |= UInt64(source.load(fromByteOffset: at, as: UInt8.self)) << shift
                shift += 8
                at += 1
            }
            destination[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            i += 1
        }
    }
}
