import Foundation

/// A commit point: the complete list of what an index holds, in one small file that is written
/// aside and renamed into place (`segments_<generation>`), as Lucene publishes `segments_N`.
/// A reader that opens it sees one complete version of the index; files it does not name are
/// not part of the index.
///
/// Text form: the JSON encoding of this struct, a newline, and `crc32 <8 hex digits>` of the JSON.
public struct Manifest: Codable, Equatable, Sendable {
    public struct Segment: Codable, Equatable, Sendable {
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
    public struct SourceFile: Codable, Equatable, Sendable {
        public var path: String
        public var size: Int
        /// FNV-1a 64 of the file's bytes, hexadecimal.
        public var contentHash: String
        public var segment: String
        /// Local ids `firstDocument..<firstDocument + documentCount` in `segment`.
        public var firstDocument: Int
        public var documentCount: Int
    }

    public var generation: Int
    public var formatVersion: UInt32
    public var analyzerVersion: UInt32
    public var layout: String
    public var bigrams: Bool
    public var segments: [Segment]
    public var files: [SourceFile]

    public static let prefix = "segments_"

    public var fileName: String { Self.prefix + String(generation) }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(self)
        var data = json
        data.append(contentsOf: Array("\ncrc32 \(String(format: "%08x", CRC32.checksum([UInt8](json))))\n".utf8))
        return data
    }

    public static func decode(_ data: Data, file: String) throws -> Manifest {
        let bytes = [UInt8](data)
        guard let newline = bytes.lastIndex(of: 0x0A, before: bytes.count - 1) else {
            throw IndexError.damaged(file: file, detail: "the commit point has no checksum line")
        }
        let json = Array(bytes[..<newline])
        let trailer = String(decoding: bytes[(newline + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard trailer.hasPrefix("crc32 "), let stored = UInt32(trailer.dropFirst(6), radix: 16) else {
            throw IndexError.damaged(file: file, detail: "the commit point's checksum line is malformed")
        }
        guard CRC32.checksum(json) == stored else { throw IndexError.damaged(file: file, detail: "checksum mismatch in the commit point") }
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(json))
        } catch {
            throw IndexError.damaged(file: file, detail: "the commit point cannot be parsed")
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func lastIndex(of byte: UInt8, before end: Int) -> Int? {
        var i = end - 1
        while i >= 0 {
            if self[i] == byte { return i }
            i -= 1
        }
        return nil
    }
}
