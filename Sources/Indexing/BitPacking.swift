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

    /// Value `index` of those packed at `width` bits in the `byteCount` bytes at `source` (the
    /// caller has checked it lies within them; nothing past them is read).
    @inline(__always)
    static func value(at index: Int, width: Int, in source: UnsafeRawPointer, byteCount: Int) -> UInt32 {
        let bit = index * width
        let from = bit >> 3
        var word: UInt64
        if from + 8 <= byteCount {
            word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: from, as: UInt64.self))
        } else {
            word = 0
            for k in 0..<(byteCount - from) { word |= UInt64(source.load(fromByteOffset: from + k, as: UInt8.self)) << UInt64(8 * k) }
        }
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
        return UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
    }

    /// Reads `count` values of `width` bits from `source` into `destination`; the caller has
    /// checked that `byteCount(count:width:)` bytes are readable (nothing past them is read).
    static func unpack(_ source: UnsafeRawPointer, count: Int, width: Int, into destination: UnsafeMutablePointer<UInt32>) {
        // One copy of the loop per width (a specialisation per type), so that its shifts and
        // offsets are constants.
        switch width {
        case 0: destination.update(repeating: 0, count: count)
        case 1: unpack(source, count: count, fixed: Width1.self, into: destination)
        case 2: unpack(source, count: count, fixed: Width2.self, into: destination)
        case 3: unpack(source, count: count, fixed: Width3.self, into: destination)
        case 4: unpack(source, count: count, fixed: Width4.self, into: destination)
        case 5: unpack(source, count: count, fixed: Width5.self, into: destination)
        case 6: unpack(source, count: count, fixed: Width6.self, into: destination)
        case 7: unpack(source, count: count, fixed: Width7.self, into: destination)
        case 8: unpack(source, count: count, fixed: Width8.self, into: destination)
        case 9: unpack(source, count: count, fixed: Width9.self, into: destination)
        case 10: unpack(source, count: count, fixed: Width10.self, into: destination)
        case 11: unpack(source, count: count, fixed: Width11.self, into: destination)
        case 12: unpack(source, count: count, fixed: Width12.self, into: destination)
        case 13: unpack(source, count: count, fixed: Width13.self, into: destination)
        case 14: unpack(source, count: count, fixed: Width14.self, into: destination)
        case 15: unpack(source, count: count, fixed: Width15.self, into: destination)
        case 16: unpack(source, count: count, fixed: Width16.self, into: destination)
        case 17: unpack(source, count: count, fixed: Width17.self, into: destination)
        case 18: unpack(source, count: count, fixed: Width18.self, into: destination)
        case 19: unpack(source, count: count, fixed: Width19.self, into: destination)
        case 20: unpack(source, count: count, fixed: Width20.self, into: destination)
        case 21: unpack(source, count: count, fixed: Width21.self, into: destination)
        case 22: unpack(source, count: count, fixed: Width22.self, into: destination)
        case 23: unpack(source, count: count, fixed: Width23.self, into: destination)
        case 24: unpack(source, count: count, fixed: Width24.self, into: destination)
        case 25: unpack(source, count: count, fixed: Width25.self, into: destination)
        case 26: unpack(source, count: count, fixed: Width26.self, into: destination)
        case 27: unpack(source, count: count, fixed: Width27.self, into: destination)
        case 28: unpack(source, count: count, fixed: Width28.self, into: destination)
        case 29: unpack(source, count: count, fixed: Width29.self, into: destination)
        case 30: unpack(source, count: count, fixed: Width30.self, into: destination)
        case 31: unpack(source, count: count, fixed: Width31.self, into: destination)
        case 32: unpack(source, count: count, fixed: Width32.self, into: destination)
        default: preconditionFailure("a bit width of \(width)")
        }
    }

    /// Each value is one unaligned 8-byte load, shift and mask (a value of up to 32 bits starts at
    /// most 7 bits into its first byte: 39 bits), eight values (`width` bytes) at a time. The last
    /// values, whose loads would reach past the packed bytes, are read from a zero-padded copy.
    private static func unpack<W: PackedWidth>(_ source: UnsafeRawPointer, count: Int, fixed: W.Type, into destination: UnsafeMutablePointer<UInt32>) {
        let width = W.width
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
        let bytes = byteCount(count: count, width: width)
        // Values before `direct` have their 8 bytes inside the packed ones: value i's load starts
        // at byte (i·width)/8, which must be ≤ bytes − 8.
        let direct = bytes >= 8 ? min(count, ((bytes - 8) * 8 + 7) / width + 1) : 0
        var i = 0
        var group = source
        while i + 8 <= direct {
            for j in 0..<8 {
                let bit = j * width
                let word = UInt64(littleEndian: group.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                destination[i + j] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            }
            group += width
            i += 8
        }
        guard i < count else { return }
        // Fewer than 8 + 57/width values are left (i > direct − 8, and count − direct ≤ 57/width + 1):
        // under 46 bytes from byte i·width/8 (i is a multiple of 8), read 8 at a time from 128.
        let from = i * width / 8
        let rest = bytes - from
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { padded in
            let base = padded.baseAddress!
            base.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
            base.copyMemory(from: source + from, byteCount: min(rest, 120))
            var bit = 0
            while i < count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                destination[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                bit += width
                i += 1
            }
        }
    }
}

/// A bit width as a type, for one specialisation of `BitPacking.unpack` per width.
protocol PackedWidth { static var width: Int { get } }
enum Width1: PackedWidth { static var width: Int { 1 } }
enum Width2: PackedWidth { static var width: Int { 2 } }
enum Width3: PackedWidth { static var width: Int { 3 } }
enum Width4: PackedWidth { static var width: Int { 4 } }
enum Width5: PackedWidth { static var width: Int { 5 } }
enum Width6: PackedWidth { static var width: Int { 6 } }
enum Width7: PackedWidth { static var width: Int { 7 } }
enum Width8: PackedWidth { static var width: Int { 8 } }
enum Width9: PackedWidth { static var width: Int { 9 } }
enum Width10: PackedWidth { static var width: Int { 10 } }
enum Width11: PackedWidth { static var width: Int { 11 } }
enum Width12: PackedWidth { static var width: Int { 12 } }
enum Width13: PackedWidth { static var width: Int { 13 } }
enum Width14: PackedWidth { static var width: Int { 14 } }
enum Width15: PackedWidth { static var width: Int { 15 } }
enum Width16: PackedWidth { static var width: Int { 16 } }
enum Width17: PackedWidth { static var width: Int { 17 } }
enum Width18: PackedWidth { static var width: Int { 18 } }
enum Width19: PackedWidth { static var width: Int { 19 } }
enum Width20: PackedWidth { static var width: Int { 20 } }
enum Width21: PackedWidth { static var width: Int { 21 } }
enum Width22: PackedWidth { static var width: Int { 22 } }
enum Width23: PackedWidth { static var width: Int { 23 } }
enum Width24: PackedWidth { static var width: Int { 24 } }
enum Width25: PackedWidth { static var width: Int { 25 } }
enum Width26: PackedWidth { static var width: Int { 26 } }
enum Width27: PackedWidth { static var width: Int { 27 } }
enum Width28: PackedWidth { static var width: Int { 28 } }
enum Width29: PackedWidth { static var width: Int { 29 } }
enum Width30: PackedWidth { static var width: Int { 30 } }
enum Width31: PackedWidth { static var width: Int { 31 } }
enum Width32: PackedWidth { static var width: Int { 32 } }
