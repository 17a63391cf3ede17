import Foundation

/// The on-disk form of an `InvertedIndex`: one file, written atomically.
///
/// Layout (integers little-endian; `v` is an unsigned LEB128 varint; strings are `v` length +
/// UTF-8):
/// ```
/// "CSIX" u32 formatVersion u32 analyzerVersion u32 fieldCount
/// v sourceCount  { string path, v size, u64 contentHash }
/// v docCount     { string key, file, title, opt subtitle, u8 derived, opt author, opt affiliation,
///                  v lineStart, v lineEnd, v rangeCount { v low, v high }, string body (source lines
///                  joined by \n), v lineCount { v (lineNumber << 1 | standsAlone) } }
/// per field: v docCount { v length }
/// per field: v termCount { string term (ascending), v df, { v docDelta, v tf, { v positionDelta } } }
/// u64 checksum (FNV-1a 64 of every byte before it) "XISC"
/// ```
public enum IndexFile {
    public static let magic: [UInt8] = Array("CSIX".utf8)
    public static let endMagic: [UInt8] = Array("XISC".utf8)
    /// 2: the optional `grams` field.
    public static let formatVersion: UInt32 = 2
    public static let fileName = "index.csi"

    // MARK: Writing

    public static func encode(_ index: InvertedIndex, analyzerVersion: UInt32) -> [UInt8] {
        var w = BinaryWriter()
        w.raw(magic)
        w.u32(formatVersion)
        w.u32(analyzerVersion)
        w.u32(UInt32(Field.allCases.count))
        w.varint(index.sources.count)
        for s in index.sources {
            w.string(s.path)
            w.varint(s.size)
            w.u64(s.contentHash)
        }
        w.varint(index.documents.count)
        for d in index.documents {
            w.string(d.key)
            w.string(d.file)
            w.string(d.title)
            w.optionalString(d.subtitle)
            w.u8(d.titleIsDerived ? 1 : 0)
            w.optionalString(d.author)
            w.optionalString(d.affiliation)
            w.varint(d.lineStart)
            w.varint(d.lineEnd)
            w.varint(d.lineRanges.count)
            for r in d.lineRanges {
                w.varint(r.lowerBound)
                w.varint(r.upperBound)
            }
            w.string(d.body)
            w.varint(d.bodyLines.count)
            for line in d.bodyLines {
                w.varint(line.number << 1 | (line.standsAlone ? 1 : 0))
            }
        }
        for field in Field.allCases {
            let lengths = index.fieldLengths[Int(field.rawValue)]
            w.varint(lengths.count)
            for l in lengths { w.varint(UInt64(l)) }
        }
        for field in Field.allCases {
            let terms = index.postings[Int(field.rawValue)]
            w.varint(terms.count)
            for term in terms.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                let list = terms[term]!
                w.string(term)
                w.varint(list.documentFrequency)
                var previousDoc: UInt32 = 0
                for i in 0..<list.documentFrequency {
                    let doc = list.documents[i].rawValue
                    w.varint(UInt64(doc - previousDoc))
                    previousDoc = doc
                    w.varint(UInt64(list.termFrequencies[i]))
                    var previousPosition: UInt32 = 0
                    for p in list.positions(at: i) {
                        w.varint(UInt64(p - previousPosition))
                        previousPosition = p
                    }
                }
            }
        }
        var bytes = w.bytes
        let checksum = ContentHash.fnv1a64(bytes)
        var trailer = BinaryWriter()
        trailer.u64(checksum)
        trailer.raw(endMagic)
        bytes.append(contentsOf: trailer.bytes)
        return bytes
    }

    /// Writes the index into `directory` atomically: a temporary file is written and synced,
    /// then renamed over the old one, so readers see the old or the new index, never a mix.
    public static func write(_ index: InvertedIndex, analyzerVersion: UInt32, to directory: URL) throws {
        let bytes = encode(index, analyzerVersion: analyzerVersion)
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw IndexError.io(path: directory.path, detail: "\(error.localizedDescription)")
        }
        let target = directory.appendingPathComponent(fileName)
        let temporary = directory.appendingPathComponent("\(fileName).tmp-\(getpid())")
        try writeSynced(bytes, to: temporary)
        guard rename(temporary.path, target.path) == 0 else {
            let detail = String(cString: strerror(errno))
            unlink(temporary.path)
            throw IndexError.io(path: target.path, detail: detail)
        }
        syncDirectory(directory)
    }

    static func writeSynced(_ bytes: [UInt8], to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw IndexError.io(path: url.path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let detail = String(cString: strerror(errno))
                unlink(url.path)
                throw IndexError.io(path: url.path, detail: detail)
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let detail = String(cString: strerror(errno))
            unlink(url.path)
            throw IndexError.io(path: url.path, detail: detail)
        }
    }

    static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    // MARK: Reading

    public static func exists(in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(fileName).path)
    }

    public static func read(from directory: URL, analyzerVersion: UInt32) throws -> InvertedIndex {
        let url = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IndexError.missing(path: directory.path)
        }
        return try decode([UInt8](data), file: url.path, analyzerVersion: analyzerVersion)
    }

    public static func decode(_ bytes: [UInt8], file: String, analyzerVersion: UInt32) throws -> InvertedIndex {
        let headerSize = magic.count + 12
        let trailerSize = 8 + endMagic.count
        guard bytes.count >= headerSize + trailerSize else {
            throw IndexError.damaged(file: file, detail: "file is too short (\(bytes.count) bytes)")
        }
        guard Array(bytes[0..<4]) == magic else { throw IndexError.damaged(file: file, detail: "not an index file (bad magic)") }
        var header = BinaryReader(bytes, file: file, offset: 4)
        let version = try header.u32()
        guard version <= formatVersion else {
            throw IndexError.unsupportedVersion(file: file, found: version, supported: formatVersion)
        }
        guard version == formatVersion else {
            throw IndexError.unsupportedVersion(file: file, found: version, supported: formatVersion)
        }
        guard Array(bytes[(bytes.count - 4)...]) == endMagic else {
            throw IndexError.damaged(file: file, detail: "truncated (end marker missing)")
        }
        let bodyEnd = bytes.count - trailerSize
        var trailer = BinaryReader(bytes, file: file, offset: bodyEnd)
        let stored = try trailer.u64()
        guard stored == ContentHash.fnv1a64(bytes[0..<bodyEnd]) else {
            throw IndexError.damaged(file: file, detail: "checksum mismatch")
        }
        let analyzer = try header.u32()
        guard analyzer == analyzerVersion else {
            throw IndexError.staleAnalyzer(file: file, found: analyzer, current: analyzerVersion)
        }
        let fieldCount = try header.u32()
        guard fieldCount == UInt32(Field.allCases.count) else {
            throw IndexError.damaged(file: file, detail: "unexpected field count \(fieldCount)")
        }
        var r = BinaryReader(bytes, file: file, offset: header.offset, end: bodyEnd)
        var index = InvertedIndex()
        let sourceCount = try r.count()
        for _ in 0..<sourceCount {
            index.sources.append(.init(path: try r.string(), size: try r.count(max: Int.max), contentHash: try r.u64()))
        }
        let docCount = try r.count()
        index.documents.reserveCapacity(docCount)
        for _ in 0..<docCount {
            let key = try r.string(), path = try r.string(), title = try r.string()
            let subtitle = try r.optionalString()
            let derived = try r.u8() != 0
            let author = try r.optionalString(), affiliation = try r.optionalString()
            let lineStart = try r.count(max: Int(Int32.max)), lineEnd = try r.count(max: Int(Int32.max))
            var ranges: [ClosedRange<Int>] = []
            for _ in 0..<(try r.count()) {
                let low = try r.count(max: Int(Int32.max)), high = try r.count(max: Int(Int32.max))
                guard low <= high else { throw IndexError.damaged(file: file, detail: "inverted line range") }
                ranges.append(low...high)
            }
            let body = try r.string()
            var bodyLines: [StoredDocument.BodyLine] = []
            for _ in 0..<(try r.count()) {
                let packed = try r.count(max: Int(Int32.max))
                bodyLines.append(.init(number: packed >> 1, standsAlone: packed & 1 == 1))
            }
            index.documents.append(StoredDocument(
                key: key, file: path, title: title, subtitle: subtitle, titleIsDerived: derived, author: author,
                affiliation: affiliation, lineStart: lineStart, lineEnd: lineEnd, lineRanges: ranges, body: body,
                bodyLines: bodyLines))
        }
        for field in Field.allCases {
            let n = try r.count()
            guard n == docCount else { throw IndexError.damaged(file: file, detail: "field lengths for \(n) documents, expected \(docCount)") }
            var lengths: [UInt32] = []
            lengths.reserveCapacity(n)
            for _ in 0..<n { lengths.append(UInt32(try r.count(max: Int(UInt32.max)))) }
            index.fieldLengths[Int(field.rawValue)] = lengths
        }
        for field in Field.allCases {
            let termCount = try r.count()
            var terms: [String: PostingList] = [:]
            terms.reserveCapacity(termCount)
            for _ in 0..<termCount {
                let term = try r.string()
                let df = try r.count(max: docCount)
                var list = PostingList()
                var doc: UInt64 = 0
                for i in 0..<df {
                    doc += try r.varint()
                    guard doc < UInt64(docCount), i == 0 || doc > UInt64(list.documents.last!.rawValue) else {
                        throw IndexError.damaged(file: file, detail: "posting out of order for term \(term)")
                    }
                    let tf = try r.count()
                    var positions: [UInt32] = []
                    positions.reserveCapacity(tf)
                    var p: UInt64 = 0
                    for _ in 0..<tf {
                        p += try r.varint()
                        guard p <= UInt64(UInt32.max) else { throw IndexError.damaged(file: file, detail: "position overflow") }
                        positions.append(UInt32(p))
                    }
                    list.append(DocID(UInt32(doc)), positions: positions)
                }
                terms[term] = list
            }
            index.postings[Int(field.rawValue)] = terms
        }
        guard r.isAtEnd else { throw IndexError.damaged(file: file, detail: "unexpected bytes after the postings") }
        return index
    }
}
