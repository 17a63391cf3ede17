/// Little-endian fixed-width and LEB128 variable-length integers, and length-prefixed strings.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { for i in 0..<2 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    mutating func varint(_ value: Int) { varint(UInt64(value)) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        varint(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    mutating func optionalString(_ s: String?) {
        if let s { u8(1); string(s) } else { u8(0) }
    }
    mutating func raw<C: Collection>(_ b: C) where C.Element == UInt8 { bytes.append(contentsOf: b) }
    /// `values` bit-packed at `width` bits each (`BitPacking`).
    mutating func packed<C: Collection>(_ values: C, width: Int) where C.Element == UInt32 {
        BitPacking.pack(values, width: width, into: &bytes)
    }
}

/// Reads what `BinaryWriter` wrote from borrowed bytes (a memory map or an array the caller
/// keeps alive); every read is bounds-checked and throws on damage.
struct BinaryReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    let end: Int
    let file: String

    init(_ bytes: UnsafeRawBufferPointer, file: String, offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
        self.file = file
    }

    var isAtEnd: Bool { offset >= end }

    /// Damage at the current offset, naming the file.
    func damaged(_ what: String) -> IndexError {
        IndexError.damaged(file: file, detail: "\(what) at byte \(offset)")
    }

    mutating func u8() throws -> UInt8 {
        guard offset < end else { throw damaged("unexpected end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u32() throws -> UInt32 {
        guard offset + 4 <= end else { throw damaged("unexpected end of data") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * i) }
        offset += 4
        return v
    }

    mutating func u64() throws -> UInt64 {
        guard offset + 8 <= end else { throw damaged("unexpected end of data") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * i) }
        offset += 8
        return v
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw damaged("unexpected end of data in a number") }
            let b = bytes[offset]
            offset += 1
            guard shift < 64 else { throw damaged("malformed number") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A count or length, checked against a sane maximum (the bytes left, unless told otherwise).
    mutating func count(max limit: Int? = nil) throws -> Int {
        let v = try varint()
        let bound = limit ?? (end - offset)
        guard v <= UInt64(bound) else { throw damaged("implausible count \(v)") }
        return Int(v)
    }

    mutating func string() throws -> String {
        let n = try count()
        guard offset + n <= end else { throw damaged("string runs past the end") }
        guard let s = String(validating: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self) else {
            throw damaged("invalid UTF-8 in a string")
        }
        offset += n
        return s
    }

    /// The next `n` raw bytes.
    mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, offset + n <= end else { throw damaged("bytes run past the end") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }

    /// Raw bytes of a length-prefixed string, without decoding.
    mutating func stringBytes() throws -> UnsafeRawBufferPointer {
        let n = try count()
        guard offset + n <= end else { throw damaged("string runs past the end") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }

    mutating func optionalString() throws -> String? {
        switch try u8() {
        case 0: return nil
        case 1: return try string()
        default: throw damaged("malformed optional")
        }
    }
}

/// Signed differences as unsigned varints: 0, −1, 1, −2, … → 0, 1, 2, 3, … (commit points'
/// times and document ids, stored documents' line numbers).
enum ZigZag {
    static func encode(_ value: Int) -> UInt64 { UInt64(bitPattern: Int64((value << 1) ^ (value >> 63))) }
    /// `encode`'s inverse, unclamped: any Int64 is valid.
    static func decode(_ value: UInt64) -> Int64 { Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))) }
}
