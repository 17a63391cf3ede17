/// The files of a commit point as a reader needs them, without a `String` or an allocation per
/// file: every distinct path's UTF-8 bytes in one buffer, in corpus order, and each entry's path
/// number, segment and documents as flat integers. An index of 251,066 files opens in
/// milliseconds this way; as `Manifest.SourceFile`s the same list costs 251,066 strings to make
/// (and to free).
///
/// Path numbers follow corpus order (ascending UTF-8), so comparing two is comparing the paths.
struct FileTable: Sendable {
    /// A file's articles (or one part of a large file's): local ids
    /// `firstDocument..<firstDocument + documentCount` of segment `segment`.
    struct Entry: Sendable {
        var path: UInt32
        var segment: UInt32
        var firstDocument: UInt32
        var documentCount: UInt32
    }

    /// The distinct paths' bytes, one after another.
    private var bytes: [UInt8] = []
    /// Where each path ends in `bytes` (it starts where the one before it ends).
    private var ends: [Int] = []
    /// Each path's size, status-change time and content hash as indexed (`ScannedFile`).
    private(set) var sizes: [Int] = []
    private(set) var times: [Int64] = []
    private(set) var hashes: [UInt64] = []
    /// The entries with documents, in corpus order.
    private(set) var entries: [Entry] = []

    init() {}

    /// The number of distinct paths.
    var pathCount: Int { ends.count }

    /// Path number `p`. O(length): a new string each call.
    func path(_ p: Int) -> String {
        let start = p == 0 ? 0 : ends[p - 1]
        return bytes[start..<ends[p]].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Adds the next entry of a commit point (`Manifest.decode(_:file:files:)` hands them over in
    /// corpus order, with counts and ids that fit in 32 bits).
    mutating func append(_ record: Manifest.FileRecord) {
        if !record.repeatsPath || ends.isEmpty {
            bytes.append(contentsOf: record.path)
            ends.append(bytes.count)
            sizes.append(record.size)
            times.append(record.changed)
            hashes.append(record.contentHash)
        }
        guard let segment = record.segment, record.documentCount > 0 else { return }
        entries.append(Entry(
            path: UInt32(ends.count - 1), segment: UInt32(segment),
            firstDocument: UInt32(record.firstDocument), documentCount: UInt32(record.documentCount)))
    }

    /// Room for `files` entries of paths of about `averagePath` bytes (growing the arrays as they
    /// fill would copy them several times).
    mutating func reserveCapacity(files: Int, averagePath: Int = 32) {
        bytes.reserveCapacity(files * averagePath)
        ends.reserveCapacity(files)
        sizes.reserveCapacity(files)
        times.reserveCapacity(files)
        hashes.reserveCapacity(files)
        entries.reserveCapacity(files)
    }
}
