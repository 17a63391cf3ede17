import ICUText

/// A compiled `UserDictionary`: a trie over Unicode scalars that finds every dictionary word
/// starting at a position of a text.
///
/// Built for the analyzer's hot loop: a bitmap of the scalars that can start a word rejects most
/// positions with one load, and the trie's edges live in one open-addressing hash table
/// (`(node, scalar)` → child), so a lookup is a multiply, a shift and usually one probe.
struct DictionaryMatcher: Sendable {
    /// Weight of the word ending at each node (0: no word ends there). Node 0 is the root.
    private var weights: [Float] = [0]
    private var keys: [UInt64] = []
    private var children: [Int32] = []
    private var shift: UInt64 = 64
    /// One bit per BMP scalar that starts a word; scalars beyond the BMP go to the table.
    private var starts = [UInt64](repeating: 0, count: 1024)
    /// A 65,536-bit filter of the pairs of adjacent characters inside words (see `mayJoin`).
    private var pairs = [UInt64](repeating: 0, count: 1024)
    /// Longest word, in scalars.
    private(set) var maximumLength = 0
    /// Number of words.
    private(set) var count = 0
    /// Highest weight of a word.
    private(set) var maximumWeight: Float = 0

    private static let empty = UInt64.max

    /// `words`: normalised words (as the analyzer's text has them) with weights > 0.
    init(words: [(word: String, weight: Double)]) {
        var edges: [(key: UInt64, child: Int32)] = []
        var lookup: [UInt64: Int32] = [:]
        for (word, weight) in words where weight > 0 {
            let scalars = word.unicodeScalars.map(\.value)
            guard scalars.count >= 2 else { continue }
            var node: Int32 = 0
            for scalar in scalars {
                let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(scalar)
                if let child = lookup[key] {
                    node = child
                } else {
                    let child = Int32(weights.count)
                    weights.append(0)
                    lookup[key] = child
                    edges.append((key, child))
                    node = child
                }
            }
            if weights[Int(node)] == 0 { count += 1 }
            weights[Int(node)] = Float(weight)
            maximumWeight = max(maximumWeight, Float(weight))
            maximumLength = max(maximumLength, scalars.count)
            if scalars[0] < 0x10000 { starts[Int(scalars[0] >> 6)] |= 1 << UInt64(scalars[0] & 63) }
            for k in 1..<scalars.count {
                let slot = Self.pairSlot(scalars[k - 1], scalars[k])
                pairs[slot >> 6] |= 1 << UInt64(slot & 63)
            }
        }
        var capacity = 16
        while capacity < edges.count * 2 { capacity <<= 1 }
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        keys = [UInt64](repeating: Self.empty, count: capacity)
        children = [Int32](repeating: 0, count: capacity)
        for (key, child) in edges {
            var slot = slot(of: key)
            while keys[slot] != Self.empty { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            children[slot] = child
        }
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Whether some word may start with `scalar` (exact for the BMP).
    @inline(__always)
    func mayStart(_ scalar: UInt32) -> Bool {
        scalar >= 0x10000 || starts[Int(scalar >> 6)] & (1 << UInt64(scalar & 63)) != 0
    }

    @inline(__always)
    func child(of node: Int32, _ scalar: UInt32) -> Int32? {
        guard !keys.isEmpty else { return nil }
        let key = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(scalar)
        var slot = slot(of: key)
        while true {
            let found = keys[slot]
            if found == key { return children[slot] }
            if found == Self.empty { return nil }
            slot = (slot + 1) & (keys.count - 1)
        }
    }

    /// Whether some word holds `a` followed by `b` (never wrong when false; rarely true when no
    /// word does). A word can cross a boundary between two of ICU's tokens only where the
    /// characters on either side form such a pair, so most runs are let through untouched after
    /// one load per boundary.
    @inline(__always)
    func mayJoin(_ a: UInt32, _ b: UInt32) -> Bool {
        let slot = Self.pairSlot(a, b)
        return pairs[slot >> 6] & (1 << UInt64(slot & 63)) != 0
    }

    @inline(__always)
    private static func pairSlot(_ a: UInt32, _ b: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(a) << 21 | UInt64(b)) &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }

    /// Appends every dictionary word in the UTF-8 `bytes[range]` (byte ranges, by start, shortest
    /// first). O(length × longest match) at worst; most positions stop at the bitmap.
    func collectWords(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into words: inout [(from: Int, to: Int, weight: Float)]) {
        var i = range.lowerBound
        while i < range.upperBound {
            let (scalar, length) = TextNormalizer.decode(bytes, at: i, end: range.upperBound)
            if mayStart(scalar) {
                var node: Int32 = 0
                var j = i
                var depth = 0
                while j < range.upperBound && depth < maximumLength {
                    let (c, l) = TextNormalizer.decode(bytes, at: j, end: range.upperBound)
                    guard let next = child(of: node, c) else { break }
                    node = next
                    j += l
                    depth += 1
                    let weight = weights[Int(node)]
                    if weight > 0 { words.append((i, j, weight)) }
                }
            }
            i += length
        }
    }
}
