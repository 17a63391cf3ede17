extension StoredDocument {
    /// How many documents' records share one compressed block (format 8). A record alone is
    /// about 170 bytes, too short for zlib to find anything to share; sixteen together share the
    /// file name, the key's stem and the words of neighbouring titles: on the 100 MB stand-in
    /// the records take 2.2 MB instead of 5.3. Showing one hit inflates its block (≈ 3 kB).
    static let recordsPerBlock = 16

    /// A block of records (format 8): `v plainLength`, then zlib (`Deflate`) of the records one
    /// after another, each `v length` and what `encode(into:)` writes.
    static func encodeBlock(_ documents: ArraySlice<StoredDocument>, into w: inout BinaryWriter) {
        var plain = BinaryWriter()
        for document in documents {
            var record = BinaryWriter()
            document.encode(into: &record)
            plain.varint(record.bytes.count)
            plain.raw(record.bytes)
        }
        w.varint(plain.bytes.count)
        w.raw(Deflate.compress(plain.bytes))
    }

    /// The records of a block that `encodeBlock` wrote (`r`'s rest), inflated: record `i` is
    /// `records[i]` of the returned bytes.
    static func inflateBlock(from r: inout BinaryReader) throws -> (plain: [UInt8], records: [Range<Int>]) {
        let plain = try inflate(from: &r, what: "a block of stored documents")
        var records: [Range<Int>] = []
        try plain.withUnsafeBytes { bytes in
            var p = BinaryReader(bytes, file: r.file)
            while !p.isAtEnd {
                let length = try p.count(max: p.end - p.offset)
                records.append(p.offset..<(p.offset + length))
                _ = try p.bytes(length)
            }
        }
        return (plain, records)
    }

    /// `r`'s rest as `v plainLength` and a zlib stream of that many bytes, inflated; a stream
    /// that does not inflate to them is damage (`what` names it).
    private static func inflate(from r: inout BinaryReader, what: String) throws -> [UInt8] {
        let count = try r.count(max: Int.max)
        do {
            return try Deflate.decompress(try r.bytes(r.end - r.offset), expectedCount: count)
        } catch let failure as Deflate.Failure {
            throw IndexError.damaged(file: r.file, detail: "\(what) that does not decompress: \(failure)")
        }
    }

    /// One record of an inflated block.
    static func decode(_ plain: [UInt8], _ record: Range<Int>, file: String) throws -> StoredDocument {
        try plain.withUnsafeBytes { bytes in
            var p = BinaryReader(bytes, file: file, offset: record.lowerBound, end: record.upperBound)
            let document = try decode(from: &p)
            guard p.isAtEnd else { throw IndexError.damaged(file: file, detail: "unexpected bytes after a stored document") }
            return document
        }
    }

    /// Format 8: `string key, file, title, opt subtitle, u8 derived, opt author, opt affiliation,
    /// v lineStart, z (lineEnd − lineStart), v rangeCount { z (low − previous high), v (high −
    /// low) }, string body, v lineCount { v (z (number − previous number) << 1 | alone) }, v
    /// sourceOffset + 1 (0: none)`, where `z` is a zigzag varint and "previous" starts at
    /// lineStart. A body's lines mostly follow one another, so each takes a byte (`02`) that
    /// zlib then all but removes.
    func encode(into w: inout BinaryWriter) {
        w.string(key)
        w.string(file)
        w.string(title)
        w.optionalString(subtitle)
        w.u8(titleIsDerived ? 1 : 0)
        w.optionalString(author)
        w.optionalString(affiliation)
        w.varint(lineStart)
        w.varint(ZigZag.encode(lineEnd - lineStart))
        w.varint(lineRanges.count)
        var previous = lineStart
        for r in lineRanges {
            w.varint(ZigZag.encode(r.lowerBound - previous))
            w.varint(r.upperBound - r.lowerBound)
            previous = r.upperBound
        }
        w.string(body)
        w.varint(bodyLines.count)
        previous = lineStart
        for line in bodyLines {
            w.varint(ZigZag.encode(line.number - previous) << 1 | (line.standsAlone ? 1 : 0))
            previous = line.number
        }
        w.varint(sourceOffset.map { $0 + 1 } ?? 0)
    }

    static func decode(from r: inout BinaryReader) throws -> StoredDocument {
        let key = try r.string(), path = try r.string(), title = try r.string()
        let subtitle = try r.optionalString()
        let derived = try r.u8() != 0
        let author = try r.optionalString(), affiliation = try r.optionalString()
        func line(_ value: Int) throws -> Int {
            guard value >= 0 && value <= Int(Int32.max) else { throw r.damaged("line number \(value) out of range") }
            return value
        }
        func delta() throws -> Int { Int(ZigZag.decode(UInt64(try r.count(max: Int(UInt32.max))))) }
        let lineStart = try line(try r.count(max: Int(Int32.max)))
        let lineEnd = try line(lineStart + (try delta()))
        var ranges: [ClosedRange<Int>] = []
        var previous = lineStart
        for _ in 0..<(try r.count()) {
            let low = try line(previous + (try delta()))
            let high = try line(low + (try r.count(max: Int(Int32.max))))
            ranges.append(low...high)
            previous = high
        }
        let body = try r.string()
        var bodyLines: [BodyLine] = []
        previous = lineStart
        for _ in 0..<(try r.count()) {
            let packed = try r.count(max: Int(UInt32.max) << 1 | 1)
            let number = try line(previous + Int(ZigZag.decode(UInt64(packed >> 1))))
            bodyLines.append(.init(number: number, standsAlone: packed & 1 == 1))
            previous = number
        }
        let offset = try r.count(max: Int.max)
        return StoredDocument(
            key: key, file: path, title: title, subtitle: subtitle, titleIsDerived: derived, author: author,
            affiliation: affiliation, lineStart: lineStart, lineEnd: lineEnd, lineRanges: ranges, body: body,
            bodyLines: bodyLines, sourceOffset: offset == 0 ? nil : offset - 1)
    }

    // MARK: Formats 6 and 7, read only

    /// A record of formats 6 and 7: `v length`, then zlib of `string key, file, title, opt
    /// subtitle, u8 derived, opt author, opt affiliation, v lineStart, v lineEnd, v rangeCount
    /// { v low, v high }, string body, v lineCount { v (number << 1 | alone) }, v sourceOffset + 1
    /// (0: none)`; format 6 ends before `sourceOffset`. Each record was a block of its own.
    static func decodeFormat7Record(from r: inout BinaryReader) throws -> StoredDocument {
        let plain = try inflate(from: &r, what: "a stored document")
        return try plain.withUnsafeBytes { bytes in
            var p = BinaryReader(bytes, file: r.file)
            let document = try decodeFormat7(from: &p)
            guard p.isAtEnd else { throw IndexError.damaged(file: r.file, detail: "unexpected bytes after a stored document") }
            return document
        }
    }

    static func decodeFormat7(from r: inout BinaryReader) throws -> StoredDocument {
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
