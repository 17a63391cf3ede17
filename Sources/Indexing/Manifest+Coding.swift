import Foundation

/// The binary form of a commit point (`segments_N`). Integers little-endian, `v` = LEB128 varint,
/// strings `v` byte length + UTF-8 (`BinaryCoding`):
/// ```
/// header   "CSMF" u32 fileVersion(3)
///          v generation  u32 formatVersion  u32 analyzerVersion  string layout  u8 bigrams
///          v scanStarted                                         (version 2)
///          string corpus                                         (version 3)
/// segments v count, each:
///          string name  v documentCount
///          v rangeCount { v (start − previous range's end)  v length }     deleted local ids
///          v fieldCount { v liveFieldLength }
/// files    v count, in corpus order (ascending UTF-8 path; a file's parts in order), each:
///          v sharedPrefix  v suffixLength  suffix     the path: the previous path's first
///                                                     `sharedPrefix` bytes, then `suffix`
///          v size  u64 contentHash
///          v zigzag(changed − the previous file's changed)    (version 2; ns since 1970)
///          v segment + 1 (0: none, for a file without documents)  v documentCount
///          v zigzag(firstDocument − where the same segment's previous file ended)
/// trailer  u32 crc32(every byte before it)  "FMSC"
/// ```
/// Sibling files share most of their path (`p0074/d0074549.txt`, `p0074/d0074550.txt`), and a
/// segment's files follow each other in it, so a file costs about 20 bytes, most of them its
/// hash. The shared prefix also checks the order in O(1) a file: the first byte of the suffix
/// must exceed the previous path's byte at that place (or the previous path must be all shared).
extension Manifest {
    static let magic: [UInt8] = Array("CSMF".utf8)
    static let endMagic: [UInt8] = Array("FMSC".utf8)
    /// The commit point's own encoding (the segments' is `formatVersion`). 1: binary, front-coded
    /// paths. 2: file status-change times (files are not read again when unchanged). 3: the corpus
    /// directory. The JSON that came before them had no number; it and versions 1 and 2 are still
    /// read (times, corpus unknown).
    public static let fileVersion: UInt32 = 3
    /// Document counts and ids are bounded as a segment's are (its header holds a u32 count), so
    /// sums of them cannot overflow.
    static let documentLimit = Int(UInt32.max)

    /// The commit point's bytes. `files` are written in corpus order (a sorted copy when they are
    /// not); a file without documents is written with no segment.
    public func encoded() -> [UInt8] {
        var w = BinaryWriter()
        w.raw(Self.magic)
        w.u32(Self.fileVersion)
        w.varint(generation)
        w.u32(formatVersion)
        w.u32(analyzerVersion)
        w.string(layout)
        w.u8(bigrams ? 1 : 0)
        w.varint(Int(max(0, scanStarted)))
        w.string(corpus)

        w.varint(segments.count)
        var numbers: [String: Int] = [:]  // segment name → its number in the file (index + 1)
        for (s, segment) in segments.enumerated() {
            precondition(numbers.updateValue(s + 1, forKey: segment.name) == nil, "segment \(segment.name) is listed twice")
            w.string(segment.name)
            w.varint(segment.documentCount)
            w.varint(segment.deleted.count)
            var end = 0
            for range in segment.deleted {
                precondition(range.count == 2 && end <= range[0] && range[0] <= range[1], "deleted ranges must be ascending and disjoint")
                w.varint(range[0] - end)
                w.varint(range[1] - range[0])
                end = range[1]
            }
            w.varint(segment.liveFieldLengths.count)
            for length in segment.liveFieldLengths { w.varint(length) }
        }

        var sorted = self
        sorted.sortFiles()
        w.varint(sorted.files.count)
        var previous: [UInt8] = []
        var ends = Array(repeating: 0, count: segments.count + 1)
        var last = (name: "", number: 0)  // consecutive files mostly share a segment
        var lastChanged: Int64 = 0  // files written together have close times
        for file in sorted.files {
            let path = Array(file.path.utf8)
            var shared = 0
            let limit = min(path.count, previous.count)
            while shared < limit && path[shared] == previous[shared] { shared += 1 }
            w.varint(shared)
            w.varint(path.count - shared)
            w.raw(path[shared...])
            w.varint(file.size)
            w.u64(file.contentHash)
            w.varint(ZigZag.encode(Int(file.changed &- lastChanged)))
            lastChanged = file.changed
            var number = 0
            if file.documentCount > 0 {
                if file.segment != last.name {
                    guard let found = numbers[file.segment] else {
                        preconditionFailure("file \(file.path) names segment \(file.segment), which the commit point does not list")
                    }
                    last = (file.segment, found)
                }
                number = last.number
            }
            w.varint(number)
            w.varint(file.documentCount)
            w.varint(ZigZag.encode(file.firstDocument - ends[number]))
            ends[number] = file.firstDocument + file.documentCount
            previous = path
        }
        w.u32(CRC32.checksum(w.bytes))
        w.raw(Self.endMagic)
        return w.bytes
    }

    /// One entry of a commit point's file list as it is read, handed to a visitor: nothing of it
    /// is kept unless the visitor keeps it.
    struct FileRecord {
        /// The path's UTF-8 bytes, valid UTF-8, borrowed: valid only during the call.
        var path: UnsafeBufferPointer<UInt8>
        /// Whether the path is the previous entry's (a later part of the same file).
        var repeatsPath: Bool
        var size: Int
        var contentHash: UInt64
        /// Nanoseconds since 1970; 0 when the commit point does not say.
        var changed: Int64
        /// Index in `segments`; nil for a file without documents.
        var segment: Int?
        var firstDocument: Int
        var documentCount: Int
    }

    /// Reads a commit point written by `encoded()`, or the JSON of earlier versions. Damage
    /// (a wrong checksum, a truncation, anything out of place) is `IndexError.damaged` naming
    /// `file`; a newer encoding is `IndexError.unsupportedVersion`.
    public static func decode(_ data: Data, file: String) throws -> Manifest {
        try data.withUnsafeBytes { try decode($0, file: file) }
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Manifest {
        if isLegacyJSON(bytes) { return try decodeLegacyJSON(bytes, file: file) }
        var files: [SourceFile] = []
        var path = ""
        var manifest = try decodeBinary(bytes, file: file, reserve: { files.reserveCapacity($0) }) { record, segments in
            if !record.repeatsPath { path = String(decoding: record.path, as: UTF8.self) }
            files.append(SourceFile(
                path: path, size: record.size, contentHash: record.contentHash, segment: record.segment.map { segments[$0].name } ?? "",
                firstDocument: record.firstDocument, documentCount: record.documentCount, changed: record.changed))
        }
        manifest.files = files
        return manifest
    }

    /// Reads a commit point as `decode(_:file:)` does, but hands its files to `visit`, one entry at
    /// a time in corpus order, instead of keeping them: the result's `files` is empty. A reader
    /// that needs only where documents are and their paths' bytes makes no `String` per file.
    /// `reserve` hears how many entries there are before the first.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, file: String, reserve: (Int) -> Void = { _ in }, files visit: (FileRecord) throws -> Void
    ) throws -> Manifest {
        if isLegacyJSON(bytes) {
            var manifest = try decodeLegacyJSON(bytes, file: file)
            reserve(manifest.files.count)
            let numbers = Dictionary(manifest.segments.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            var previous: String?
            for entry in manifest.files {
                var path = entry.path
                let segment = entry.documentCount > 0 ? numbers[entry.segment] : nil
                guard segment != nil || entry.documentCount == 0 else {
                    throw IndexError.damaged(file: file, detail: "file \(entry.path) names no segment of the commit point")
                }
                guard entry.firstDocument <= documentLimit, entry.documentCount <= documentLimit else {
                    throw IndexError.damaged(file: file, detail: "file \(entry.path) points outside its segment")
                }
                try path.withUTF8 { bytes in
                    try visit(FileRecord(
                        path: bytes, repeatsPath: entry.path == previous, size: entry.size, contentHash: entry.contentHash,
                        changed: 0, segment: segment, firstDocument: entry.firstDocument, documentCount: entry.documentCount))
                }
                previous = entry.path
            }
            manifest.files = []
            return manifest
        }
        return try decodeBinary(bytes, file: file, reserve: reserve) { record, _ in try visit(record) }
    }

    private static func isLegacyJSON(_ bytes: UnsafeRawBufferPointer) -> Bool { bytes.first == UInt8(ascii: "{") }

    /// Checks the header, the trailer and the checksum, then decodes the body, the files through
    /// `visit` (given the segments, to name them); `reserve` hears how many files there are.
    private static func decodeBinary(
        _ bytes: UnsafeRawBufferPointer, file: String, reserve: (Int) -> Void = { _ in },
        visit: (FileRecord, [Segment]) throws -> Void
    ) throws -> Manifest {
        let headerSize = magic.count + 4, trailerSize = 4 + endMagic.count
        guard bytes.count >= headerSize + trailerSize, bytes.prefix(magic.count).elementsEqual(magic) else {
            throw IndexError.damaged(file: file, detail: "not a commit point (\(bytes.count) bytes, no \"CSMF\" header)")
        }
        var header = BinaryReader(bytes, file: file, offset: magic.count)
        let version = try header.u32()
        guard version <= fileVersion else {
            throw IndexError.unsupportedVersion(file: file, found: version, supported: fileVersion)
        }
        guard version >= 1 else { throw IndexError.damaged(file: file, detail: "unknown commit point version \(version)") }
        guard bytes.suffix(endMagic.count).elementsEqual(endMagic) else {
            throw IndexError.damaged(file: file, detail: "the commit point is truncated (no end marker)")
        }
        let crcOffset = bytes.count - trailerSize
        var trailer = BinaryReader(bytes, file: file, offset: crcOffset)
        guard CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<crcOffset])) == (try trailer.u32()) else {
            throw IndexError.damaged(file: file, detail: "checksum mismatch in the commit point")
        }
        var r = BinaryReader(bytes, file: file, offset: headerSize, end: crcOffset)

        let generation = try r.count(max: Int.max)
        let formatVersion = try r.u32()
        let analyzerVersion = try r.u32()
        let layout = try r.string()
        let bigrams: Bool
        switch try r.u8() {
        case 0: bigrams = false
        case 1: bigrams = true
        default: throw r.damaged("malformed bigrams flag")
        }
        let scanStarted = version >= 2 ? Int64(try r.count(max: Int.max)) : 0
        let corpus = version >= 3 ? try r.string() : ""

        let segmentCount = try r.count()
        var segments: [Segment] = []
        segments.reserveCapacity(segmentCount)
        var names = Set<String>()
        for _ in 0..<segmentCount {
            let name = try r.string()
            guard names.insert(name).inserted else { throw r.damaged("segment \(name) listed twice") }
            let documentCount = try r.count(max: documentLimit)
            var deleted: [[Int]] = []
            var end = 0
            for _ in 0..<(try r.count()) {
                let start = end + (try r.count(max: documentCount - end))
                end = start + (try r.count(max: documentCount - start))
                deleted.append([start, end])
            }
            var lengths: [Int] = []
            for _ in 0..<(try r.count()) { lengths.append(try r.count(max: Int.max)) }
            segments.append(Segment(name: name, documentCount: documentCount, deleted: deleted, liveFieldLengths: lengths))
        }

        let fileCount = try r.count(max: min(r.end - r.offset, documentLimit))
        reserve(fileCount)
        var path: [UInt8] = []  // the previous path's bytes, then this one's
        path.reserveCapacity(256)
        var ends = Array(repeating: 0, count: segments.count + 1)
        var lastChanged: Int64 = 0
        for i in 0..<fileCount {
            let shared = try r.count(max: path.count)
            let suffix = try r.stringBytes()
            // Ascending order (a later part of the same file repeats its path): the suffix starts
            // past the previous path's byte at `shared`, or the previous path is all shared.
            if shared < path.count {
                guard let first = suffix.first, first > path[shared] else { throw r.damaged("file paths out of order") }
            }
            let repeatsPath = i > 0 && shared == path.count && suffix.isEmpty
            if !repeatsPath {
                path.removeLast(path.count - shared)
                path.append(contentsOf: suffix)
                do {
                    _ = try UTF8Span(validating: path.span)
                } catch {
                    throw r.damaged("invalid UTF-8 in a file path")
                }
            }
            let size = try r.count(max: Int.max)
            let contentHash = try r.u64()
            let changed = version >= 2 ? lastChanged &+ ZigZag.decode(try r.varint()) : 0
            lastChanged = changed
            let number = try r.count(max: segments.count)
            let documentCount = try r.count(max: documentLimit)
            let firstDocument = ends[number] + Self.unzigzag(try r.varint())
            guard (0...documentLimit).contains(firstDocument) else { throw r.damaged("file \(String(decoding: path, as: UTF8.self)) starts at document \(firstDocument)") }
            if number == 0 && documentCount > 0 { throw r.damaged("file \(String(decoding: path, as: UTF8.self)) has documents but no segment") }
            if number > 0 && firstDocument + documentCount > segments[number - 1].documentCount {
                throw r.damaged("file \(String(decoding: path, as: UTF8.self)) points outside its segment")
            }
            ends[number] = firstDocument + documentCount
            try path.withUnsafeBufferPointer { path in
                try visit(
                    FileRecord(
                        path: path, repeatsPath: repeatsPath, size: size, contentHash: contentHash, changed: changed,
                        segment: number == 0 ? nil : number - 1, firstDocument: firstDocument, documentCount: documentCount),
                    segments)
            }
        }
        guard r.isAtEnd else { throw r.damaged("unexpected bytes after the commit point's files") }
        return Manifest(
            generation: generation, formatVersion: formatVersion, analyzerVersion: analyzerVersion, layout: layout,
            bigrams: bigrams, segments: segments, files: [], scanStarted: scanStarted, corpus: corpus)
    }

    /// `ZigZag.decode`, clamped to ±2⁴⁰ (more than any document id) so that sums cannot overflow.
    static func unzigzag(_ value: UInt64) -> Int { Int(max(-(1 << 40), min(1 << 40, ZigZag.decode(value)))) }
}
