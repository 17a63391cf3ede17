import Analysis
import Foundation
import Testing
@testable import Indexing

/// The commit point: binary round trips, front-coded paths, damage of every kind reported as
/// `IndexError` (never a crash), and the JSON that earlier versions wrote still read.
@Suite struct ManifestTests {
    static let first = "g000007_w0_000.seg", second = "g000007_w1_000.seg"

    /// Two segments with deletions; paths that share prefixes, one of them Chinese; a file in two
    /// parts over both segments; a file without documents. In corpus order.
    static let sample = Manifest(
        generation: 7, formatVersion: SegmentFile.formatVersion, analyzerVersion: 2, layout: "journal", bigrams: true,
        segments: [
            .init(name: first, documentCount: 10, deleted: [[2, 4], [8, 9]], liveFieldLengths: [1, 2, 3, 4]),
            .init(name: second, documentCount: 5, deleted: [[0, 5]], liveFieldLengths: [0, 0, 0, 0]),
        ],
        files: [
            .init(path: "2024/a.txt", size: 5, contentHash: 0x00ff, segment: first, firstDocument: 0, documentCount: 4, changed: 1_763_800_000_123_456_789),
            .init(path: "2024/ab.txt", size: 9, contentHash: .max, segment: second, firstDocument: 0, documentCount: 2, changed: 1_700_000_000_000_000_000),
            .init(path: "2024/b.txt", size: 1 << 40, contentHash: 1, segment: first, firstDocument: 4, documentCount: 3),
            .init(path: "2024/b.txt", size: 1 << 40, contentHash: 1, segment: second, firstDocument: 2, documentCount: 3),
            .init(path: "2024/empty.txt", size: 0, contentHash: 0, segment: "", firstDocument: 7, documentCount: 0),
            .init(path: "委员/发言.txt", size: 77, contentHash: 42, segment: first, firstDocument: 7, documentCount: 3, changed: 1_763_800_000_123_456_790),
        ],
        scanStarted: 1_763_800_001_000_000_000, corpus: "../语料/corpus")

    /// What a commit point that keeps no times nor corpus (JSON, version 1) holds of `manifest`.
    static func withoutTimes(_ manifest: Manifest) -> Manifest {
        var copy = manifest
        copy.scanStarted = 0
        copy.corpus = ""
        for i in copy.files.indices { copy.files[i].changed = 0 }
        return copy
    }

    static func decode(_ bytes: [UInt8]) throws -> Manifest {
        try bytes.withUnsafeBytes { try Manifest.decode($0, file: "m") }
    }

    /// What `Manifest.decode(_:file:files:)` hands over, as (path, repeats, segment, first, count).
    static func records(_ bytes: [UInt8]) throws -> (Manifest, [String]) {
        var records: [String] = []
        let manifest = try bytes.withUnsafeBytes { buffer in
            try Manifest.decode(buffer, file: "m") { record in
                let path = String(decoding: record.path, as: UTF8.self)
                records.append("\(path) \(record.repeatsPath) \(record.segment.map(String.init) ?? "-") \(record.firstDocument) \(record.documentCount)")
            }
        }
        return (manifest, records)
    }

    @Test func roundTrips() throws {
        let bytes = Self.sample.encoded()
        #expect(try Self.decode(bytes) == Self.sample)
        #expect(Self.sample.segments[0].deletedCount == 3 && Self.sample.segments[0].liveCount == 7)
        #expect((0..<10).filter { Self.sample.segments[0].isDeleted($0) } == [2, 3, 8])
        // An empty index.
        let empty = Manifest(generation: 1, formatVersion: 6, analyzerVersion: 0, layout: "plain", bigrams: false, segments: [], files: [])
        #expect(try Self.decode(empty.encoded()) == empty)
    }

    /// Version 1 (before modification times) still reads, its times unknown (0), which makes the
    /// writer read every file once more.
    @Test func readsVersionOneWithoutTimes() throws {
        let manifest = try Self.decode(Self.sealed(files: [(0, "a.txt", 1, 2, 0), (0, "b.txt", 1, 2, 0)]))
        #expect(manifest.scanStarted == 0)
        #expect(manifest.files.map(\.path) == ["a.txt", "b.txt"] && manifest.files.allSatisfy { $0.changed == 0 })
    }

    @Test func filesAreStoredInCorpusOrderWithAFilesPartsInOrder() throws {
        let f = Self.sample.files
        var shuffled = Self.sample
        shuffled.files = [f[5], f[2], f[4], f[0], f[3], f[1]]
        #expect(!shuffled.filesAreSorted)
        #expect(shuffled.encoded() == Self.sample.encoded())
        #expect(try Self.decode(shuffled.encoded()) == Self.sample)
        shuffled.sortFiles()
        #expect(shuffled == Self.sample)
        // UTF-8 byte order, not String's: a decomposed é (65 CC 81, as macOS names files) equals
        // the composed one (C3 A9) as a String, but comes first as bytes.
        #expect(Manifest.pathPrecedes("e\u{301}", "\u{E9}") && !("e\u{301}" < "\u{E9}"))
    }

    @Test func readersGetTheFilesWithoutStrings() throws {
        let (manifest, records) = try Self.records(Self.sample.encoded())
        #expect(manifest.files.isEmpty)
        #expect(manifest.segments == Self.sample.segments && manifest.generation == 7)
        #expect(records == [
            "2024/a.txt false 0 0 4",
            "2024/ab.txt false 1 0 2",
            "2024/b.txt false 0 4 3",
            "2024/b.txt true 1 2 3",
            "2024/empty.txt false - 7 0",
            "委员/发言.txt false 0 7 3",
        ])
        var table = FileTable()
        _ = try Self.sample.encoded().withUnsafeBytes { try Manifest.decode($0, file: "m") { table.append($0) } }
        #expect((0..<table.pathCount).map(table.path) == ["2024/a.txt", "2024/ab.txt", "2024/b.txt", "2024/empty.txt", "委员/发言.txt"])
        #expect(table.entries.map { [$0.path, $0.segment, $0.firstDocument, $0.documentCount] } == [
            [0, 0, 0, 4], [1, 1, 0, 2], [2, 0, 4, 3], [2, 1, 2, 3], [4, 0, 7, 3],
        ])
    }

    /// Sibling files cost their differing bytes, their numbers, their hash and their time: about
    /// 21 bytes each, where the JSON took 145.
    @Test func pathsAreFrontCoded() throws {
        let files = (0..<1000).map { (i: Int) -> Manifest.SourceFile in
            let path = String(format: "p%04d/d%07d.txt", i / 100, i)
            let hash = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
            let segment = i % 2 == 0 ? Self.first : Self.second
            return Manifest.SourceFile(path: path, size: 300 + i, contentHash: hash, segment: segment, firstDocument: i / 2, documentCount: 1)
        }
        let manifest = Manifest(
            generation: 1, formatVersion: 6, analyzerVersion: 0, layout: "plain", bigrams: false,
            segments: [
                .init(name: Self.first, documentCount: 500, deleted: [], liveFieldLengths: [0, 0, 0, 0]),
                .init(name: Self.second, documentCount: 500, deleted: [], liveFieldLengths: [0, 0, 0, 0]),
            ],
            files: files)
        let bytes = manifest.encoded()
        #expect(bytes.count < 1000 * 22)
        #expect(try Self.decode(bytes) == manifest)
    }

    /// Every truncation and every byte changed, in the full and in the readers' decoding: an
    /// `IndexError`, never a crash and never a different manifest.
    @Test func everyTruncationAndFlippedByteIsReported() throws {
        let bytes = Self.sample.encoded()
        var cases: [[UInt8]] = (0..<bytes.count).map { Array(bytes[..<$0]) }
        for at in bytes.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = bytes
                damaged[at] ^= flip
                cases.append(damaged)
            }
        }
        for damaged in cases {
            #expect(throws: IndexError.self) { try Self.decode(damaged) }
            #expect(throws: IndexError.self) { try Self.records(damaged) }
        }
    }

    @Test func namesTheProblem() throws {
        let bytes = Self.sample.encoded()
        #expect(throws: IndexError.damaged(file: "m", detail: "the commit point is truncated (no end marker)")) {
            try Self.decode(Array(bytes.dropLast()))
        }
        var flipped = bytes
        flipped[20] ^= 1
        #expect(throws: IndexError.damaged(file: "m", detail: "checksum mismatch in the commit point")) { try Self.decode(flipped) }
        #expect(throws: IndexError.damaged(file: "m", detail: "not a commit point (5 bytes, no \"CSMF\" header)")) {
            try Self.decode(Array("hello".utf8))
        }
        var future = bytes
        future[4] = 4
        #expect(throws: IndexError.unsupportedVersion(file: "m", found: 4, supported: Manifest.fileVersion)) { try Self.decode(future) }
        #expect(IndexError.unsupportedVersion(file: "m", found: 2, supported: 1).description.hasSuffix("run `committee-search index --full` to rebuild it"))
    }

    /// Version 2 is version 3 without the corpus: it reads with the corpus unknown (empty).
    @Test func version2ReadsWithoutACorpus() throws {
        var sample = Self.sample
        sample.corpus = ""
        var bytes = sample.encoded()
        // The header, then generation … scanStarted, then the empty corpus string (one 0 byte).
        var prefix = BinaryWriter()
        prefix.raw(Manifest.magic)
        prefix.u32(3)
        prefix.varint(sample.generation)
        prefix.u32(sample.formatVersion)
        prefix.u32(sample.analyzerVersion)
        prefix.string(sample.layout)
        prefix.u8(1)
        prefix.varint(Int(sample.scanStarted))
        #expect(Array(bytes[0..<prefix.bytes.count]) == prefix.bytes && bytes[prefix.bytes.count] == 0)
        bytes.remove(at: prefix.bytes.count)
        bytes[4] = 2
        let crcOffset = bytes.count - 8
        let crc = CRC32.checksum(Array(bytes[0..<crcOffset]))
        for k in 0..<4 { bytes[crcOffset + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        #expect(try Self.decode(bytes) == sample)
    }

    /// A version 1 commit point (no times) with a valid checksum around `body` (everything between
    /// the header and the trailer): what a bug in a writer, not a flipped bit, would leave.
    static func sealed(_ body: (inout BinaryWriter) -> Void) -> [UInt8] {
        var w = BinaryWriter()
        w.raw(Manifest.magic)
        w.u32(1)
        w.varint(1)
        w.u32(6)
        w.u32(0)
        w.string("plain")
        w.u8(0)
        body(&w)
        w.u32(CRC32.checksum(w.bytes))
        w.raw(Manifest.endMagic)
        return w.bytes
    }

    /// One segment of `documents` documents, then `files` as (shared, suffix, segment number, count, first delta).
    static func sealed(documents: Int = 4, files: [(Int, String, Int, Int, Int)], trailing: [UInt8] = []) -> [UInt8] {
        sealed { w in
            w.varint(1)
            w.string("s.seg")
            w.varint(documents)
            w.varint(0)
            w.varint(0)
            w.varint(files.count)
            for (shared, suffix, segment, count, delta) in files {
                w.varint(shared)
                w.string(suffix)
                w.varint(1)
                w.u64(0)
                w.varint(segment)
                w.varint(count)
                w.varint(ZigZag.encode(delta))
            }
            w.raw(trailing)
        }
    }

    @Test(arguments: [
        ("file paths out of order", sealed(files: [(0, "b.txt", 1, 1, 0), (0, "a.txt", 1, 1, 0)])),
        ("file paths out of order", sealed(files: [(0, "ab.txt", 1, 1, 0), (0, "a.txt", 1, 1, 0)])),
        ("file paths out of order", sealed(files: [(0, "ab.txt", 1, 1, 0), (1, "", 1, 1, 0)])),
        ("points outside its segment", sealed(files: [(0, "a.txt", 1, 2, 0), (0, "b.txt", 1, 3, 0)])),
        ("starts at document -1", sealed(files: [(0, "a.txt", 1, 1, -1)])),
        ("has documents but no segment", sealed(files: [(0, "a.txt", 0, 1, 0)])),
        ("implausible count 2", sealed(files: [(0, "a.txt", 2, 1, 0)])),
        ("invalid UTF-8 in a file path", sealed { w in
            w.varint(1)
            w.string("s.seg")
            w.varint(4)
            w.varint(0)
            w.varint(0)
            w.varint(1)
            w.varint(0)
            w.varint(3)
            w.raw([0x61, 0xC3, 0x2E])  // a, then a lead byte without its continuation
        }),
        ("unexpected bytes after the commit point's files", sealed(files: [], trailing: [0])),
        ("segment s.seg listed twice", sealed { w in
            w.varint(2)
            for _ in 0..<2 { w.string("s.seg"); w.varint(1); w.varint(0); w.varint(0) }
            w.varint(0)
        }),
        ("implausible count 2", sealed { w in
            w.varint(1)
            w.string("s.seg")
            w.varint(1)
            w.varint(1)  // one deleted range, past the segment's one document
            w.varint(0)
            w.varint(2)
        }),
    ])
    func inconsistentContentIsReported(expected: String, bytes: [UInt8]) throws {
        for decode in [{ try Self.decode($0) as Any }, { try Self.records($0) as Any }] as [([UInt8]) throws -> Any] {
            let error = #expect(throws: IndexError.self) { try decode(bytes) }
            #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        }
    }

    // MARK: Indexes on disk

    /// An index of the bundled corpus in a new temporary directory, and the corpus copy it was
    /// built from.
    static func temporaryIndex() throws -> (root: URL, corpus: URL, directory: IndexDirectory) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cs-manifest-\(UUID().uuidString)")
        let corpus = root.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: SegmentFileTests.corpus, to: corpus)
        let directory = IndexDirectory(url: root.appendingPathComponent("idx"))
        _ = try IndexWriter(directory: directory, corpus: corpus).update()
        return (root, corpus, directory)
    }

    /// Every document's key and path, in corpus order.
    static func corpusOrder(_ snapshot: IndexSnapshot) throws -> [String] {
        try (0..<snapshot.documentCount).map { DocID($0) }.sorted { snapshot.precedes($0, $1) }.map {
            "\(try snapshot.documentKey($0)) \(try snapshot.filePath($0))"
        }
    }

    @Test func anIndexWithAJSONCommitPointStillOpensAndTheNextCommitIsBinary() throws {
        let (root, corpus, directory) = try Self.temporaryIndex()
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = try #require(try directory.latestManifest())
        let binary = try Self.corpusOrder(try directory.open(analyzerVersion: Analyzer.version))
        #expect(binary.count == 29 && binary.first?.hasPrefix("000_07fd9a4553e8b7fc#1 ") == true)
        // The commit point as the JSON writer left it.
        try Data(try Self.legacyJSON(manifest)).write(to: URL(fileURLWithPath: directory.file(manifest.fileName)))
        #expect(try directory.latestManifest() == Self.withoutTimes(manifest))
        #expect(try Self.corpusOrder(try directory.open(analyzerVersion: Analyzer.version)) == binary)
        // Nothing changed, but JSON kept no times: the next update reads every file, finds it
        // unchanged, and commits the times in binary.
        let first = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(first.unchanged == 5 && first.added == 0 && first.changed == 0 && first.generation == manifest.generation + 1)
        let recorded = try Data(contentsOf: URL(fileURLWithPath: directory.file(Manifest.prefix + String(first.generation))))
        #expect(Array(recorded.prefix(4)) == Manifest.magic)
        #expect(try directory.latestManifest()?.files.allSatisfy { $0.changed != 0 } == true)
        // A new file: added, the others unchanged.
        try "□ 新作者\n\n新的一篇。\n".write(to: corpus.appendingPathComponent("new.txt"), atomically: true, encoding: .utf8)
        let report = try IndexWriter(directory: directory, corpus: corpus).update()
        #expect(report.added == 1 && report.unchanged == 5 && report.fullRebuildReason == nil)
        #expect(try Self.corpusOrder(try directory.open(analyzerVersion: Analyzer.version)).count == 30)
    }

    @Test func aCommitPointFromANewerVersionAsksForARebuild() throws {
        let (root, corpus, directory) = try Self.temporaryIndex()
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = try #require(try directory.latestManifest())
        let path = directory.file(manifest.fileName)
        var bytes = manifest.encoded()
        bytes[4] = 9
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let newer = IndexError.unsupportedVersion(file: path, found: 9, supported: Manifest.fileVersion)
        #expect(throws: newer) { try directory.open(analyzerVersion: Analyzer.version) }
        #expect(throws: newer) { try IndexWriter(directory: directory, corpus: corpus).update() }
        // `index --full` rebuilds it.
        let report = try IndexWriter(directory: directory, corpus: corpus).update(full: true)
        #expect(report.fullRebuildReason == "--full" && report.generation == manifest.generation + 1)
        #expect(try directory.open(analyzerVersion: Analyzer.version).liveDocumentCount == 29)
    }

    // MARK: The JSON of earlier versions

    /// A commit point as versions before the binary one wrote it: the JSON of the manifest with
    /// sorted keys and the content hash in hexadecimal, a newline, `crc32 <hex>` of the JSON.
    static func legacyJSON(_ manifest: Manifest) throws -> [UInt8] {
        typealias Legacy = Manifest.LegacyJSON
        let legacy = Legacy(
            generation: manifest.generation, formatVersion: manifest.formatVersion, analyzerVersion: manifest.analyzerVersion,
            layout: manifest.layout, bigrams: manifest.bigrams,
            segments: manifest.segments.map { Legacy.Segment(name: $0.name, documentCount: $0.documentCount, deleted: $0.deleted, liveFieldLengths: $0.liveFieldLengths) },
            files: manifest.files.map {
                Legacy.SourceFile(
                    path: $0.path, size: $0.size, contentHash: String(format: "%016llx", $0.contentHash), segment: $0.segment,
                    firstDocument: $0.firstDocument, documentCount: $0.documentCount)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = [UInt8](try encoder.encode(legacy))
        return json + Array("\ncrc32 \(String(format: "%08x", CRC32.checksum(json)))\n".utf8)
    }

    @Test func readsTheJSONOfEarlierVersions() throws {
        // As the JSON writer left it: files in the order they were indexed, not in corpus order.
        let json = #"{"analyzerVersion":2,"bigrams":false,"files":[{"contentHash":"00000000000000ff","documentCount":1,"firstDocument":0,"path":"b.txt","segment":"g1.seg","size":5},{"contentHash":"fedcba9876543210","documentCount":1,"firstDocument":1,"path":"a.txt","segment":"g1.seg","size":3},{"contentHash":"0000000000000000","documentCount":0,"firstDocument":2,"path":"c.txt","segment":"g1.seg","size":1}],"formatVersion":6,"generation":3,"layout":"plain","segments":[{"deleted":[[0,1]],"documentCount":2,"liveFieldLengths":[1,2,3,0],"name":"g1.seg"}]}"#
        let bytes = Array(json.utf8) + Array("\ncrc32 \(String(format: "%08x", CRC32.checksum(Array(json.utf8))))\n".utf8)
        let expected = Manifest(
            generation: 3, formatVersion: 6, analyzerVersion: 2, layout: "plain", bigrams: false,
            segments: [.init(name: "g1.seg", documentCount: 2, deleted: [[0, 1]], liveFieldLengths: [1, 2, 3, 0])],
            files: [
                .init(path: "a.txt", size: 3, contentHash: 0xfedc_ba98_7654_3210, segment: "g1.seg", firstDocument: 1, documentCount: 1),
                .init(path: "b.txt", size: 5, contentHash: 0xff, segment: "g1.seg", firstDocument: 0, documentCount: 1),
                .init(path: "c.txt", size: 1, contentHash: 0, segment: "", firstDocument: 2, documentCount: 0),
            ])
        #expect(try Self.decode(bytes) == expected)
        #expect(try Self.decode(try Self.legacyJSON(Self.sample)) == Self.withoutTimes(Self.sample))
        let (_, records) = try Self.records(bytes)
        #expect(records == ["a.txt false 0 1 1", "b.txt false 0 0 1", "c.txt false - 2 0"])
        // Damage is still caught.
        var damaged = bytes
        damaged[10] ^= 1
        #expect(throws: IndexError.damaged(file: "m", detail: "checksum mismatch in the commit point")) { try Self.decode(damaged) }
        #expect(throws: IndexError.self) { try Self.decode(Array(bytes.prefix(20))) }
        let negative = Array(json.replacingOccurrences(of: "\"size\":5", with: "\"size\":-5").utf8)
        let sealedNegative = negative + Array("\ncrc32 \(String(format: "%08x", CRC32.checksum(negative)))\n".utf8)
        #expect(throws: IndexError.damaged(file: "m", detail: "file b.txt has a negative count")) { try Self.decode(sealedNegative) }
    }
}
