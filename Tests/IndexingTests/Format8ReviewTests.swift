import Foundation
import Synchronization
import Testing
@testable import Indexing

/// (Review of format 8's packed field lengths and compact skip entries) Hostile segments whose
/// checksums match their damaged bytes (what a buggy writer, not a flipped bit, would leave):
/// reading them throws `IndexError.damaged` or reads values, and never traps. And the compact
/// entries' bounds are bounds of every block, saturated or not.
@Suite struct Format8ReviewTests {
    /// `documentCount` documents; "词" in the body (with positions) and in the grams of most of
    /// them, some with frequencies and field lengths past 65,535; "短" in a few.
    static func index(documentCount: Int = 2_100, seed: UInt64 = 8) -> InvertedIndex {
        var random = SplitMix(seed: seed)
        var index = InvertedIndex()
        var body = PostingList(), grams = PostingList(), short = PostingList()
        for d in 0..<documentCount {
            index.documents.append(StoredDocument(
                key: "f#\(d)", file: "f.txt", title: "", subtitle: nil, titleIsDerived: true, author: nil, affiliation: nil,
                lineStart: 1, lineEnd: 1, lineRanges: [], body: "", bodyLines: []))
            let long = random.next() % 50 == 0
            for f in Field.allCases {
                let length = f == .author ? 0 : long ? UInt32(60_000 + random.next() % 20_000) : UInt32(1 + random.next() % 300)
                index.fieldLengths[Int(f.rawValue)].append(length)
            }
            if random.next() % 4 != 0 {
                let tf = random.next() % 97 == 0 ? Int(65_000 + random.next() % 10_000) : Int(1 + random.next() % 5)
                body.append(DocID(d), positions: (0..<tf).map { UInt32($0 * 3) })
                grams.documents.append(DocID(d))
                grams.termFrequencies.append(UInt32(tf))
                grams.positionStarts.append(0)
            }
            if d % 300 == 7 { short.append(DocID(d), positions: [2]) }
        }
        index.postings[Int(Field.body.rawValue)]["词"] = body
        index.postings[Int(Field.grams.rawValue)]["词"] = grams
        index.postings[Int(Field.body.rawValue)]["短"] = short
        return index
    }

    /// Writes the CRC-32 of `bytes[range]` after it.
    static func reseal(_ bytes: inout [UInt8], _ range: Range<Int>) {
        let crc = CRC32.checksum(Array(bytes[range]))
        for k in 0..<4 { bytes[range.upperBound + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
    }

    static func footerOffset(_ bytes: [UInt8], _ n: Int) -> Int {
        let at = bytes.count - SegmentFile.footerSize + 8 * n
        return (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }

    /// The checksum of the header and the footer's four offsets made to match them.
    static func sealFooter(_ bytes: inout [UInt8]) {
        let crc = CRC32.checksum(Array(bytes[0..<SegmentFile.headerSize]) + Array(bytes[(bytes.count - 40)..<(bytes.count - 8)]))
        for k in 0..<4 { bytes[bytes.count - 8 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
    }

    /// The field-length blocks (without their CRCs), field after field, as the writer laid them out.
    static func fieldLengthBlocks(_ bytes: [UInt8], documentCount: Int) -> [Range<Int>] {
        var at = footerOffset(bytes, 3)
        var blocks: [Range<Int>] = []
        for _ in Field.allCases {
            for start in stride(from: 0, to: documentCount, by: SegmentFile.docsPerBlock) {
                let n = min(SegmentFile.docsPerBlock, documentCount - start)
                let end = at + 1 + BitPacking.byteCount(count: n, width: Int(bytes[at]))
                blocks.append(at..<end)
                at = end + 4
            }
        }
        return blocks
    }

    /// Everything a search can ask of a reader: every field's lengths, every term's postings
    /// walked, sought and bounded, with positions. Damage must surface as `IndexError`.
    static func exercise(_ bytes: [UInt8], _ comment: Comment) {
        do {
            let path = try SegmentFileTests.temporaryFile(bytes)
            defer { unlink(path) }
            let reader = try SegmentReader(path: path, analyzerVersion: 7)
            for field in Field.allCases {
                let lengths = try reader.fieldLengths(field)
                var sum = 0
                for doc in 0..<reader.documentCount { sum &+= Int(lengths[doc]) }
                _ = sum
            }
            for field in Field.allCases {
                for (_, info) in try reader.terms(in: field) {
                    _ = try reader.postings(info)
                    for targets in [[1, 130, 700, 1_290], [1_024, 1_025, 4_000]] {
                        let cursor = try reader.cursor(info)
                        var buffer: [UInt32] = []
                        for target in targets {
                            _ = cursor.blockBounds(at: target)
                            if try cursor.advance(to: target) == PostingCursor.end { break }
                            try cursor.positions(into: &buffer)
                        }
                    }
                }
            }
        } catch is IndexError {
            // Reported as damage.
        } catch {
            Issue.record("\(comment): \(error)")
        }
    }

    @Test func theSyntheticSegmentReadsBack() throws {
        let index = Self.index()
        let path = try SegmentFileTests.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        #expect(try SegmentFileTests.readAll(try SegmentReader(path: path, analyzerVersion: 7)) == index)
    }

    /// Every width byte of every field-length block (with its checksum made to match), and flips
    /// of the packed bits: damage or values, never a trap or a read past the region.
    @Test func fieldLengthBlocksWithMatchingChecksumsNeverTrap() throws {
        let index = Self.index(documentCount: 1_300)
        let original = SegmentFile.encode(index, analyzerVersion: 7)
        let blocks = Self.fieldLengthBlocks(original, documentCount: index.documentCount)
        #expect(blocks.count == 8)
        for (b, block) in blocks.enumerated() {
            for width in [0, 1, 7, 8, 9, 16, 17, 24, 31, 32, 33, 64, 255] where width != Int(original[block.lowerBound]) {
                var bytes = original
                bytes[block.lowerBound] = UInt8(width)
                // The checksum over the bytes the new width claims, where they end (if that fits).
                let n = min(SegmentFile.docsPerBlock, index.documentCount - (b % 2) * SegmentFile.docsPerBlock)
                let end = block.lowerBound + 1 + BitPacking.byteCount(count: n, width: min(width, 32))
                if end + 4 <= bytes.count - SegmentFile.footerSize { Self.reseal(&bytes, block.lowerBound..<end) }
                Self.exercise(bytes, "field-length block \(b) at width \(width)")
            }
            var random = SplitMix(seed: UInt64(b))
            for _ in 0..<20 {
                var bytes = original
                let at = block.lowerBound + 1 + Int(random.next() % UInt64(max(1, block.count - 1)))
                bytes[at] ^= UInt8(truncatingIfNeeded: random.next() | 1)
                Self.reseal(&bytes, block)
                Self.exercise(bytes, "field-length block \(b), byte \(at) flipped")
            }
        }
    }

    /// Every byte of the skip tables of a 16-byte (body) and a 12-byte (grams) list, set to
    /// values that point elsewhere, with the postings block's checksum made to match.
    @Test func skipEntriesWithMatchingChecksumsNeverTrap() throws {
        let index = Self.index(documentCount: 1_300)
        let original = SegmentFile.encode(index, analyzerVersion: 7)
        let path = try SegmentFileTests.temporaryFile(original)
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        for (field, entrySize) in [(Field.body, 16), (.grams, 12)] {
            let info = try #require(try reader.lookup("词", in: field))
            guard case .block(let range) = info.docs else {
                Issue.record("\(field): postings inline")
                continue
            }
            let blockCount = (info.documentFrequency + PostingsEncoder.blockSize - 1) / PostingsEncoder.blockSize
            #expect(blockCount > 3)
            var random = SplitMix(seed: 5)
            for at in range.lowerBound..<(range.lowerBound + blockCount * entrySize) {
                for value in [0xFF, Int(original[at] ^ 1), Int(random.next() & 0xFF)] {
                    var bytes = original
                    bytes[at] = UInt8(value)
                    Self.reseal(&bytes, range)
                    Self.exercise(bytes, "\(field) skip byte \(at - range.lowerBound) = \(value)")
                }
            }
        }
    }

    /// The compact entries' bounds hold for every document of their block: the largest frequency
    /// at least every frequency, the smallest length at most every length (saturated or not).
    @Test(arguments: [1, 2, 3]) func blockBoundsBoundEveryDocument(seed: UInt64) throws {
        let index = Self.index(documentCount: 3_000, seed: seed)
        let path = try SegmentFileTests.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        for field in [Field.body, .grams] {
            let info = try #require(try reader.lookup("词", in: field))
            let list = try #require(index.postingList("词", in: field))
            let cursor = try reader.cursor(info, positions: false)
            var checked = 0
            for (i, doc) in list.documents.enumerated() {
                let bounds = try #require(cursor.blockBounds(at: doc.index))
                #expect(bounds.lastDoc >= doc.index)
                #expect(bounds.maxTermFrequency >= list.termFrequencies[i], "\(field) doc \(doc)")
                #expect(bounds.minFieldLength <= index.fieldLengths[Int(field.rawValue)][doc.index], "\(field) doc \(doc)")
                #expect(try cursor.advance(to: doc.index) == doc.index && cursor.termFrequency == Int(list.termFrequencies[i]))
                checked += 1
            }
            #expect(checked == list.documentFrequency)
        }
    }

    /// Many threads asking one reader for the same field's lengths at once all get the same
    /// values, one unpacking kept (the others freed).
    @Test func fieldLengthsUnpackedByManyThreadsAtOnce() throws {
        let index = Self.index()
        let path = try SegmentFileTests.temporaryFile(SegmentFile.encode(index, analyzerVersion: 7))
        defer { unlink(path) }
        for _ in 0..<20 {
            let reader = try SegmentReader(path: path, analyzerVersion: 7)
            let found = Mutex<[Int: UnsafePointer<UInt32>]>([:])
            DispatchQueue.concurrentPerform(iterations: 16) { i in
                let lengths = try? reader.fieldLengths(.body)
                found.withLock { $0[i] = lengths?.values }
            }
            let pointers = found.withLock { Set($0.values) }
            #expect(pointers.count == 1)
            let lengths = try reader.fieldLengths(.body)
            #expect((0..<index.documentCount).allSatisfy { lengths[$0] == index.fieldLengths[Int(Field.body.rawValue)][$0] })
        }
    }

    /// A header whose document count disagrees with the rest (checksum made to match): damage
    /// when read, not a trap, and no memory claimed for documents the file cannot hold.
    @Test(arguments: [1, 2_099, 2_101, 3_072, 3_073, 1 << 20, Int(UInt32.max)])
    func aDocumentCountThatDisagreesIsDamage(count: Int) throws {
        var bytes = SegmentFile.encode(Self.index(), analyzerVersion: 7)
        for k in 0..<4 { bytes[16 + k] = UInt8(truncatingIfNeeded: count >> (8 * k)) }
        Self.sealFooter(&bytes)
        let path = try SegmentFileTests.temporaryFile(bytes)
        defer { unlink(path) }
        // One the doc table cannot hold is refused on opening (it sized the unpacked field
        // lengths before: 16 GiB for 2^32 − 1); one that fits it is found out when read.
        if (count + 15) / 16 != (2_100 + 15) / 16 {
            #expect(throws: IndexError.self) { try SegmentReader(path: path, analyzerVersion: 7) }
        }
        #expect(throws: IndexError.self) {
            let reader = try SegmentReader(path: path, analyzerVersion: 7)
            for field in Field.allCases { _ = try reader.fieldLengths(field) }
            for doc in [0, 2_098, 2_099] where doc < reader.documentCount { _ = try reader.document(doc) }
            Self.exercise(bytes, "document count \(count)")
        }
    }

    /// The dictionary entry of `term` in `field` rewritten by `change` (its term block and the
    /// root sealed again; the block may shrink, the bytes after it are left unread).
    static func rewriteEntry(_ bytes: inout [UInt8], _ term: String, in field: Field,
                             _ change: (inout SegmentReader.Storage) -> Void) throws {
        let rootOffset = footerOffset(bytes, 0), rootLength = footerOffset(bytes, 1)
        var entries: [(first: [UInt8], offset: Int, length: Int)] = []
        var totals: [Int] = [], counts: [Int] = []
        try bytes.withUnsafeBytes { raw in
            var r = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[rootOffset..<(rootOffset + rootLength)]), file: "root")
            for _ in Field.allCases {
                totals.append(try r.count(max: Int.max))
                let n = try r.count()
                counts.append(n)
                for _ in 0..<n { entries.append((Array(try r.stringBytes()), try r.count(max: Int.max), try r.count(max: Int.max))) }
            }
        }
        let f = Int(field.rawValue)
        let e = counts[0..<f].reduce(0, +)  // the field's one term block
        #expect(counts[f] == 1)
        let block = entries[e]
        var w = BinaryWriter()
        try bytes.withUnsafeBytes { raw in
            var r = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[block.offset..<(block.offset + block.length)]), file: "terms")
            while !r.isAtEnd {
                let name = Array(try r.stringBytes())
                let df = try r.count(max: Int.max), maxTf = try r.count(max: Int.max), minLength = try r.count(max: Int.max)
                var storages: [SegmentReader.Storage] = []
                for _ in 0..<2 {
                    let packed = try r.count(max: Int.max)
                    if packed & 1 == 1 {
                        storages.append(.inline(Array(try r.bytes(packed >> 1))))
                    } else {
                        let offset = try r.count(max: Int.max)
                        storages.append(.block(offset..<(offset + packed >> 1)))
                    }
                }
                if name == Array(term.utf8) { change(&storages[1]) }
                w.varint(name.count)
                w.raw(name)
                w.varint(df)
                w.varint(maxTf)
                w.varint(minLength)
                for storage in storages {
                    switch storage {
                    case .inline(let inline):
                        w.varint(inline.count << 1 | 1)
                        w.raw(inline)
                    case .block(let range):
                        w.varint(range.count << 1)
                        w.varint(range.lowerBound)
                    }
                }
            }
        }
        // In place when it fits; a longer block is the last one (the grams'), just before the
        // root, which moves up (the footer says where it is, under the header's checksum).
        var shift = 0
        if w.bytes.count <= block.length {
            bytes.replaceSubrange(block.offset..<(block.offset + w.bytes.count), with: w.bytes)
        } else {
            #expect(block.offset + block.length + 4 == rootOffset)
            shift = w.bytes.count - block.length
            bytes.replaceSubrange(block.offset..<(block.offset + block.length), with: w.bytes)
        }
        reseal(&bytes, block.offset..<(block.offset + w.bytes.count))
        var root = BinaryWriter()
        var i = 0
        for g in Field.allCases.indices {
            root.varint(totals[g])
            root.varint(counts[g])
            for _ in 0..<counts[g] {
                root.varint(entries[i].first.count)
                root.raw(entries[i].first)
                root.varint(entries[i].offset)
                root.varint(i == e ? w.bytes.count : entries[i].length)
                i += 1
            }
        }
        #expect(root.bytes.count == rootLength)
        bytes.replaceSubrange((rootOffset + shift)..<(rootOffset + shift + rootLength), with: root.bytes)
        reseal(&bytes, (rootOffset + shift)..<(rootOffset + shift + rootLength))
        if shift > 0 {
            let footer = bytes.count - SegmentFile.footerSize
            for k in 0..<8 { bytes[footer + k] = UInt8(truncatingIfNeeded: (rootOffset + shift) >> (8 * k)) }
            sealFooter(&bytes)
        }
    }

    /// The skip layout follows the field (16-byte entries where it has positions, 12 in the
    /// grams), not whether the entry's positions happen to be empty: a body term without
    /// positions, or a grams term with some, is damage, not a list read at the other entry size.
    @Test(arguments: [Field.body, .grams])
    func positionsThatDisagreeWithTheFieldAreDamage(field: Field) throws {
        let index = Self.index(documentCount: 1_000)
        var bytes = SegmentFile.encode(index, analyzerVersion: 7)
        var before: SegmentReader.Storage? = nil
        try Self.rewriteEntry(&bytes, "词", in: field) { positions in
            before = positions
            positions = field == .grams ? .inline([0, 0]) : .inline([])
        }
        #expect(field == .grams ? before == .inline([]) : before != .inline([]))
        let path = try SegmentFileTests.temporaryFile(bytes)
        defer { unlink(path) }
        let reader = try SegmentReader(path: path, analyzerVersion: 7)
        var read: [Int] = []
        #expect(throws: IndexError.self) {
            let cursor = try reader.cursor(try #require(try reader.lookup("词", in: field)), positions: false)
            while try cursor.next() != PostingCursor.end { read.append(cursor.doc) }
        }
        // What a reader that trusted the entry's emptiness read instead of the list.
        let list = try #require(index.postingList("词", in: field))
        #expect(read.isEmpty || read != list.documents.map(\.index))
    }
}
