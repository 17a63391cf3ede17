internal import CZlib

/// CRC-32 (IEEE 802.3, the zlib polynomial): the checksum of every block of an index file,
/// verified the first time the block is read. Computed by zlib's `crc32`, several times faster
/// than a byte-at-a-time table (it matters for a process's first query, which verifies the whole
/// postings list of every term it reads); the standard check value is tested.
public enum CRC32 {
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        var crc = crc32(0, nil, 0)
        var offset = 0
        // zlib takes a 32-bit length.
        while offset < bytes.count {
            let n = min(bytes.count - offset, Int(UInt32.max >> 1))
            crc = crc32(crc, base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), UInt32(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0)) }) { return result }
        return Array(bytes).withUnsafeBytes { checksum($0) }
    }
}
