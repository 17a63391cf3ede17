import Testing
@testable import Indexing

/// `TermTable` against a dictionary: the same ids (first insertion order) for every key, however
/// its bytes and length relate to others'.
@Suite struct TermTableTests {
    /// Keys of every length from 0 to 300 bytes (short keys held in the slot, long ones compared
    /// in the arena, lengths past the tag's 255), many sharing prefixes, suffixes and the middle
    /// byte that `shortKey` samples for keys under 4 bytes; enough to grow the table several times.
    /// With the full hash, and with a hash of 4 tag bits and 4 slot bits, where nearly every probe
    /// meets other terms with the same tag (so a lookup must compare bytes and lengths).
    @Test(arguments: [UInt64.max, 0xF000_0000_0000_000F])
    func internMatchesADictionary(hashMask: UInt64) {
        var random = SplitMix(seed: 7)
        var keys: [[UInt8]] = [[]]
        for length in 1...300 {
            for _ in 0..<(length <= 12 ? 200 : 5) {
                // A small alphabet, so keys of one length collide in most bytes.
                keys.append((0..<length).map { _ in UInt8(0x61 + random.next() % 3) })
            }
        }
        // Keys that differ only in length, or only in a byte that overlapping loads read twice.
        keys += [[0x61], [0x61, 0x61], [0x61, 0x61, 0x61], Array(repeating: 0x61, count: 255), Array(repeating: 0x61, count: 256)]
        keys += [[1, 2, 3, 4, 5], [1, 2, 3, 4, 6], [1, 2, 9, 4, 5], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]]
        let table = TermTable(hashMask: hashMask)
        var oracle: [[UInt8]: Int] = [:]
        for round in 0..<2 {
            for key in keys.shuffled(using: &random) {
                let expected = oracle[key] ?? oracle.count
                oracle[key] = expected
                let id = key.withUnsafeBytes { table.intern($0) }
                #expect(id == expected, "round \(round): \(key)")
            }
        }
        #expect(table.count == oracle.count)
        #expect(oracle.count > 1_500)
        for (key, id) in oracle { #expect(Array(table.bytes(id)) == key) }
    }
}
