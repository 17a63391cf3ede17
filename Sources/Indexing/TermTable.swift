/// Interns terms as dense ids, keyed by their UTF-8 bytes: no `String` hashing (which normalises)
/// and no allocation per lookup. Open addressing with linear probing; grows at 50% load.
struct TermTable {
    /// Every term's bytes, one after another.
    private(set) var arena: [UInt8] = []
    /// Term i is `arena[starts[i]..<starts[i + 1]]`.
    private(set) var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32] = Array(repeating: -1, count: 1024)

    var count: Int { hashes.count }

    /// Bytes held (by capacity).
    var footprint: Int { arena.capacity + 8 * starts.capacity + 8 * hashes.capacity + 4 * slots.capacity }

    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    /// The id of `key`, adding it when new.
    mutating func intern(_ key: UnsafeRawBufferPointer) -> Int {
        let h = Self.hash(key)
        var mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = Int(slots[i])
            if id < 0 { break }
            if hashes[id] == h && equals(id, key) { return id }
            i = (i + 1) & mask
        }
        let id = hashes.count
        hashes.append(h)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        if hashes.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
            i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
        }
        slots[i] = Int32(id)
        return id
    }

    mutating func intern(_ term: String) -> Int {
        var term = term
        return term.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        guard end - start == key.count else { return false }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0 }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for id in 0..<hashes.count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while bigger[i] >= 0 { i = (i + 1) & mask }
            bigger[i] = Int32(id)
        }
        slots = bigger
    }

    func bytes(_ id: Int) -> ArraySlice<UInt8> { arena[starts[id]..<starts[id + 1]] }

    func string(_ id: Int) -> String { String(decoding: bytes(id), as: UTF8.self) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
