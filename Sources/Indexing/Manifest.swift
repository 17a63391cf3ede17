#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A commit point: the complete list of what an index holds, in one file that is written aside
/// and renamed into place (`segments_<generation>`), as Lucene publishes `segments_N`. A reader
/// that opens it sees one complete version of the index; files it does not name are not part of
/// the index.
///
/// Stored in binary, paths front-coded, under a CRC-32 (`Manifest+Coding.swift`); commit points
/// that earlier versions wrote as JSON are still read (`Manifest+LegacyJSON.swift`).
public struct Manifest: Equatable, Sendable {
    public struct Segment: Equatable, Sendable {
        /// File name in the index directory.
        public var name: String
        public var documentCount: Int
        /// Deleted local document ids, as sorted half-open ranges.
        public var deleted: [[Int]]
        /// Sum of each field's lengths over the live documents.
        public var liveFieldLengths: [Int]

        public var deletedCount: Int { deleted.reduce(0) { $0 + $1[1] - $1[0] } }
        public var liveCount: Int { documentCount - deletedCount }

        public func isDeleted(_ local: Int) -> Bool {
            var low = 0, high = deleted.count
            while low < high {
                let mid = (low + high) / 2
                if deleted[mid][1] <= local { low = mid + 1 } else { high = mid }
            }
            return low < deleted.count && deleted[low][0] <= local
        }
    }

    /// A corpus file and where its articles are.
    public struct SourceFile: Equatable, Sendable {
        public var path: String
        public var size: Int
        /// FNV-1a 64 of the file's bytes (`ScannedFile.contentHash`).
        public var contentHash: UInt64
        /// The segment that holds its articles; empty for a file without any (a commit point
        /// names no segment for such a file).
        public var segment: String
        /// Local ids `firstDocument..<firstDocument + documentCount` in `segment`.
        public var firstDocument: Int
        public var documentCount: Int
        /// The file's status-change time (ctime) when it was read, in nanoseconds since 1970 (0:
        /// unknown). With the size it lets an update take the file as unchanged without reading it
        /// (`FileStamp.changed`).
        public var changed: Int64 = 0
    }

    public var generation: Int
    /// The segment files' format (`SegmentFile.formatVersion`).
    public var formatVersion: UInt32
    public var analyzerVersion: UInt32
    public var layout: String
    public var bigrams: Bool
    public var segments: [Segment]
    /// In corpus order (ascending UTF-8 bytes of the path) once read from disk; a file larger than
    /// a window may have several entries, its parts in order. A commit point stores them so
    /// (`encoded()` sorts a copy when they are not), and readers rely on it.
    public var files: [SourceFile]
    /// When the update that wrote this commit point began reading the corpus, in nanoseconds since
    /// 1970 (0: unknown). A file changed within `IndexWriter.racyMargin` of it may have changed
    /// again in the same clock tick after it was read, so its recorded time is not trusted.
    public var scanStarted: Int64 = 0
    /// The corpus directory the index was built from (`CorpusReference`): relative to the index
    /// directory when they share a parent below the root, else absolute; empty when unknown (a
    /// commit point before version 3). A search without `--corpus` reads passages from it.
    public var corpus: String = ""

    public static let prefix = "segments_"

    public var fileName: String { Self.prefix + String(generation) }

    /// Whether path `a` comes before path `b` in corpus order: their UTF-8 bytes compared, not
    /// `String`'s Unicode ordering.
    public static func pathPrecedes(_ a: String, _ b: String) -> Bool {
        // memcmp over contiguous UTF-8 (native strings are; others are made so on a copy), not
        // the generic element-by-element comparison, which dominated sorting 251,066 paths.
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }

    /// Whether `files` is in corpus order. O(n) path comparisons.
    public var filesAreSorted: Bool {
        files.indices.dropFirst().allSatisfy { !Self.pathPrecedes(files[$0].path, files[$0 - 1].path) }
    }

    /// Puts `files` in corpus order, keeping the parts of a file in their order (the sort is
    /// stable). O(n) when they already are; O(n log n) path comparisons otherwise.
    public mutating func sortFiles() {
        guard !filesAreSorted else { return }
        files.sort { Self.pathPrecedes($0.path, $1.path) }
    }
}
