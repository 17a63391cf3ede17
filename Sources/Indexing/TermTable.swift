#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns terms as dense ids, keyed by their UTF-8 bytes: no `String` hashing (which normalises)
/// and no allocation per lookup. Open addressing with linear probing; grows at 50% load. Each slot
/// is two words: the id with part of the term's hash and its length, then, for a term of at most
/// 8 bytes (most terms: a word of one or two ideographs, a bigram), its bytes. So a probe compares
/// bytes only on a likely match, and a lookup of a short term reads its slot and nothing else (no
/// cache miss on the term's bytes, with many distinct terms).
///
/// Not thread-safe (one builder, one thread), so the runtime's exclusivity checks are left out.
final class TermTable {
    /// Every term's bytes, one after another.
    @exclusivity(unchecked) private(set) var arena: [UInt8] = []
    /// Term i is `arena[starts[i]..<starts[i + 1]]`.
    @exclusivity(unchecked) private(set) var starts: [Int32] = [0]
    /// Per slot, two words: `hash's top 24 bits | min(length, 255) << 32 | (id + 1)` (0: an empty
    /// slot), then `shortKey` of a term of at most 8 bytes (0 for a longer one).
    @exclusivity(unchecked) private var slots: [UInt64] = Array(repeating: 0, count: 2 * 1024)

    /// Bits of the hash kept (all but in tests, which keep few, so that different terms share
    /// tags and probe runs, and the byte and length comparisons decide).
    private let hashMask: UInt64

    init(hashMask: UInt64 = .max) { self.hashMask = hashMask }

    var count: Int { starts.count - 1 }

    /// Bytes held (by capacity).
    var footprint: Int { arena.capacity + 4 * starts.capacity + 8 * slots.capacity }

    /// A 64-bit hash of a key: one or two loads for a key of at most 8 bytes (most terms: a
    /// word of one or two ideographs, a bigram), eight bytes at a time beyond. (Where a term's
    /// slot is, not which id it gets: the hash never shows in the index.)
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        if n <= 8 { return mix(shortKey(key) ^ UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15) }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ key.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        // The last 8 bytes again (overlapping the loop's), so no byte-at-a-time tail.
        if i < n { h = (h ^ key.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD }
        return mix(h)
    }

    /// The bytes of a key of at most 8 bytes in one word (with its length, distinct for
    /// distinct keys): two overlapping 4-byte loads from 4 bytes on, three bytes below.
    @inline(__always)
    static func shortKey(_ key: UnsafeRawBufferPointer) -> UInt64 {
        let n = key.count
        if n >= 4 {
            let low = UInt64(key.loadUnaligned(as: UInt32.self))
            let high = UInt64(key.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return low | high << 32
        }
        guard n > 0 else { return 0 }
        return UInt64(key[0]) | UInt64(key[n >> 1]) << 8 | UInt64(key[n - 1]) << 16
    }

    /// MurmurHash3's finaliser: every bit of the input moves every bit of the output.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }

    /// What a slot holds of `key` and where its probe starts: its hash (as kept), the part of the
    /// slot's first word that the hash and length decide, and the second word.
    @inline(__always)
    private func slotKey(_ key: UnsafeRawBufferPointer) -> (hash: UInt64, tag: UInt64, short: UInt64) {
        let h = Self.hash(key) & hashMask
        return (h, h & 0xFFFF_FF00_0000_0000 | UInt64(min(key.count, 255)) << 32, key.count <= 8 ? Self.shortKey(key) : 0)
    }

    /// The id of `key`, adding it when new.
    func intern(_ key: UnsafeRawBufferPointer) -> Int {
        let n = key.count
        let (h, tag, short) = slotKey(key)
        let found: Int? = slots.withUnsafeBufferPointer { slots in
            let mask = slots.count / 2 - 1
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let slot = slots[2 * i]
                if slot == 0 { return nil }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(slot & 0xFFFF_FFFF) - 1
                    if n <= 8 {
                        // Same length (below 255, the tag holds it exactly) and same bytes.
                        if slots[2 * i + 1] == short { return id }
                    } else if matches(id, key) {
                        return id
                    }
                }
                i = (i + 1) & mask
            }
        }
        if let found { return found }
        let id = count
        precondition(arena.count + n < Int(Int32.max), "term table over 2 GB")
        arena.append(contentsOf: key)
        starts.append(Int32(arena.count))
        if (id + 1) * 2 > slots.count / 2 { grow() }
        place(tag | UInt64(id + 1), short, hash: h)
        return id
    }

    /// Whether term `id` is `key` (a key of more than 8 bytes).
    private func matches(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        starts.withUnsafeBufferPointer { starts in
            arena.withUnsafeBytes { arena in
                let start = Int(starts[id]), end = Int(starts[id + 1])
                return end - start == key.count && memcmp(arena.baseAddress! + start, key.baseAddress!, key.count) == 0
            }
        }
    }

    func intern(_ term: String) -> Int {
        var term = term
        return term.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    private func place(_ slot: UInt64, _ short: UInt64, hash: UInt64) {
        let mask = slots.count / 2 - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[2 * i] != 0 { i = (i + 1) & mask }
        slots[2 * i] = slot
        slots[2 * i + 1] = short
    }

    /// Doubles the slots; hashes are recomputed from the terms' bytes.
    private func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        arena.withUnsafeBytes { arena in
            for id in 0..<count {
                let term = UnsafeRawBufferPointer(rebasing: arena[Int(starts[id])..<Int(starts[id + 1])])
                let (h, tag, short) = slotKey(term)
                place(tag | UInt64(id + 1), short, hash: h)
            }
        }
    }

    func bytes(_ id: Int) -> ArraySlice<UInt8> { arena[Int(starts[id])..<Int(starts[id + 1])] }

    func string(_ id: Int) -> String { String(decoding: bytes(id), as: UTF8.self) }
}
