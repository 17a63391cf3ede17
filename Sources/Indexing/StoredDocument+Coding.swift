extension StoredDocument {
    /// A segment's record of the document: `v length` of what `encode(into:)` writes, then
    /// those bytes as a zlib stream (`Deflate`). The bodies were half of an index, and zlib
    /// shrinks Chinese text to under 60%.
    func encodeRecord(into w: inout BinaryWriter) {
        var plain = BinaryWriter()
        encode(into: &plain)
        w.varint(plain.bytes.count)
        w.raw(Deflate.compress(plain.bytes))
    }

    /// Reads what `encodeRecord(into:)` wrote: the rest of `r`.
    static func decodeRecord(from r: inout BinaryReader) throws -> StoredDocument {
        let count = try r.count(max: Int.max)
        let plain: [UInt8]
        do {
            plain = try Deflate.decompress(try r.bytes(r.end - r.offset), expectedCount: count)
        } catch let failure as Deflate.Failure {
            throw IndexError.damaged(file: r.file, detail: "a stored document that does not decompress: \(failure)")
        }
        return try plain.withUnsafeBytes { bytes in
            var p = BinaryReader(bytes, file: r.file)
            let document = try decode(from: &p)
            guard p.isAtEnd else { throw IndexError.damaged(file: r.file, detail: "unexpected bytes after a stored document") }
            return document
        }
    }

    /// `string key, file, title, opt subtitle, u8 derived, opt author, opt affiliation, v lineStart,
    /// v lineEnd, v rangeCount { v low, v high }, string body, v lineCount { v (number << 1 | alone) },
    /// v sourceOffset + 1 (0: none)`; format 6 ends before `sourceOffset`.
    func encode(into w: inout BinaryWriter) {
        w.string(key)
        w.string(file)
        w.string(title)
        w.optionalString(subtitle)
        w.u8(titleIsDerived ? 1 : 0)
        w.optionalString(author)
        w.optionalString(affiliation)
        w.varint(lineStart)
        w.varint(lineEnd)
        w.varint(lineRanges.count)
        for r in lineRanges {
            w.varint(r.lowerBound)
            w.varint(r.upperBound)
        }
        w.string(body)
        w.varint(bodyLines.count)
        for line in bodyLines { w.varint(line.number << 1 | (line.standsAlone ? 1 : 0)) }
        w.varint(sourceOffset.map { $0 + 1 } ?? 0)
    }

    static func decode(from r: inout BinaryReader) throws -> StoredDocument {
        let key = try r.string(), path = try r.string(), title = try r.string()
        let subtitle = try r.optionalString()
        let derived = try r.u8() != 0
        let author = try r.optionalString(), affiliation = try r.optionalString()
        let lineStart = try r.count(max: Int(Int32.max)), lineEnd = try r.count(max: Int(Int32.max))
        var ranges: [ClosedRange<Int>] = []
        for _ in 0..<(try r.count()) {
            let low = try r.count(max: Int(Int32.max)), high = try r.count(max: Int(Int32.max))
            guard low <= high else { throw IndexError.damaged(file: r.file, detail: "inverted line range") }
            ranges.append(low...high)
        }
        let body = try r.string()
        var bodyLines: [BodyLine] = []
        for _ in 0..<(try r.count()) {
            let packed = try r.count(max: Int(Int32.max))
            bodyLines.append(.init(number: packed >> 1, standsAlone: packed & 1 == 1))
        }
        let offset = r.isAtEnd ? 0 : try r.count(max: Int.max)  // (format 6 ends here)
        return StoredDocument(
            key: key, file: path, title: title, subtitle: subtitle, titleIsDerived: derived, author: author,
            affiliation: affiliation, lineStart: lineStart, lineEnd: lineEnd, lineRanges: ranges, body: body,
            bodyLines: bodyLines, sourceOffset: offset == 0 ? nil : offset - 1)
    }
}
