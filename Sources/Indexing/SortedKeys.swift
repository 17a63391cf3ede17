import Foundation

/// Byte strings in ascending order (a term dictionary's terms, the first terms of its blocks),
/// stored one after another: searched with `memcmp` on the caller's bytes, with no copy of the
/// key and no array per string to retain.
struct SortedKeys {
    private var bytes: [UInt8] = []
    /// Where each key ends in `bytes` (it begins where the one before ends).
    private var ends: [Int] = []

    init() {}

    init(_ keys: some Sequence<[UInt8]>) {
        for key in keys { append(key) }
    }

    var count: Int { ends.count }

    /// Adds a key after the others (the caller keeps them ascending).
    mutating func append(_ key: some Collection<UInt8>) {
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
    }

    /// How many keys are at most `key`: the last of them is the one `key` falls under.
    func countNotAbove(_ key: UnsafeRawBufferPointer) -> Int {
        search { Self.compare($0, key) <= 0 }
    }

    /// The index of `key`, or nil.
    func index(of key: UnsafeRawBufferPointer) -> Int? {
        let i = search { Self.compare($0, key) < 0 }
        guard i < count else { return nil }
        return bytes.withUnsafeBytes { all in
            ends.withUnsafeBufferPointer { ends in
                let from = i == 0 ? 0 : ends[i - 1]
                return Self.compare(UnsafeRawBufferPointer(rebasing: all[from..<ends[i]]), key) == 0 ? i : nil
            }
        }
    }

    /// The first index whose key fails `before` (keys for which it holds come first).
    private func search(_ before: (UnsafeRawBufferPointer) -> Bool) -> Int {
        bytes.withUnsafeBytes { all in
            ends.withUnsafeBufferPointer { ends in
                var low = 0, high = ends.count
                while low < high {
                    let mid = (low + high) / 2
                    let from = mid == 0 ? 0 : ends[mid - 1]
                    if before(UnsafeRawBufferPointer(rebasing: all[from..<ends[mid]])) { low = mid + 1 } else { high = mid }
                }
                return low
            }
        }
    }

    /// The order of UTF-8 bytes (as `lexicographicallyPrecedes`): negative when `a` comes first.
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let shared = min(a.count, b.count)
        if shared > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, shared)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }
}
