import Foundation

/// Commit points as versions before the binary one wrote them, so that their indexes still open
/// (and the writer's next commit replaces them with the binary form): the JSON encoding of the
/// manifest (sorted keys, the content hash as 16 hex digits), a newline, and
/// `crc32 <8 hex digits>` of the JSON. Read only; slow for many files (2.3 s for 251,066 files,
/// half of it in `JSONDecoder`).
extension Manifest {
    /// The JSON's schema (`Encodable` too, so that tests can write commit points of that form).
    struct LegacyJSON: Codable {
        struct Segment: Codable {
            var name: String
            var documentCount: Int
            var deleted: [[Int]]
            var liveFieldLengths: [Int]
        }

        struct SourceFile: Codable {
            var path: String
            var size: Int
            var contentHash: String
            var segment: String
            var firstDocument: Int
            var documentCount: Int
        }

        var generation: Int
        var formatVersion: UInt32
        var analyzerVersion: UInt32
        var layout: String
        var bigrams: Bool
        var segments: [Segment]
        var files: [SourceFile]
    }

    /// Reads a JSON commit point; its files come back in corpus order, like a binary one's.
    static func decodeLegacyJSON(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Manifest {
        var newline = bytes.count - 2  // the trailer's line ends with a newline of its own
        while newline >= 0 && bytes[newline] != 0x0A { newline -= 1 }
        guard newline >= 0 else { throw IndexError.damaged(file: file, detail: "the commit point has no checksum line") }
        let json = UnsafeRawBufferPointer(rebasing: bytes[..<newline])
        let trailer = String(decoding: bytes[(newline + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard trailer.hasPrefix("crc32 "), let stored = UInt32(trailer.dropFirst(6), radix: 16) else {
            throw IndexError.damaged(file: file, detail: "the commit point's checksum line is malformed")
        }
        guard CRC32.checksum(json) == stored else { throw IndexError.damaged(file: file, detail: "checksum mismatch in the commit point") }
        let legacy: LegacyJSON
        do {
            legacy = try JSONDecoder().decode(LegacyJSON.self, from: Data(json))
        } catch {
            throw IndexError.damaged(file: file, detail: "the commit point cannot be parsed")
        }
        // What the binary form guarantees by construction: no negative numbers, segments named
        // once, deleted ranges ascending inside their segment.
        guard legacy.generation >= 0 else { throw IndexError.damaged(file: file, detail: "a negative generation") }
        guard Set(legacy.segments.map(\.name)).count == legacy.segments.count else {
            throw IndexError.damaged(file: file, detail: "a segment is listed twice")
        }
        for segment in legacy.segments {
            var end = 0
            for range in segment.deleted {
                guard range.count == 2, end <= range[0], range[0] <= range[1], range[1] <= segment.documentCount else {
                    throw IndexError.damaged(file: file, detail: "segment \(segment.name) has malformed deleted ranges")
                }
                end = range[1]
            }
            guard segment.documentCount >= 0, segment.liveFieldLengths.allSatisfy({ $0 >= 0 }) else {
                throw IndexError.damaged(file: file, detail: "segment \(segment.name) has a negative count")
            }
        }
        var files: [Manifest.SourceFile] = []
        files.reserveCapacity(legacy.files.count)
        for entry in legacy.files {
            guard let hash = UInt64(entry.contentHash, radix: 16) else {
                throw IndexError.damaged(file: file, detail: "file \(entry.path) has a malformed content hash")
            }
            guard entry.size >= 0, entry.firstDocument >= 0, entry.documentCount >= 0 else {
                throw IndexError.damaged(file: file, detail: "file \(entry.path) has a negative count")
            }
            files.append(Manifest.SourceFile(
                path: entry.path, size: entry.size, contentHash: hash, segment: entry.documentCount > 0 ? entry.segment : "",
                firstDocument: entry.firstDocument, documentCount: entry.documentCount))
        }
        var manifest = Manifest(
            generation: legacy.generation, formatVersion: legacy.formatVersion, analyzerVersion: legacy.analyzerVersion,
            layout: legacy.layout, bigrams: legacy.bigrams,
            segments: legacy.segments.map {
                Segment(name: $0.name, documentCount: $0.documentCount, deleted: $0.deleted, liveFieldLengths: $0.liveFieldLengths)
            },
            files: files)
        manifest.sortFiles()
        return manifest
    }
}
