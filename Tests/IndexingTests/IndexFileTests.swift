import Analysis
import Foundation
import Testing
@testable import Indexing

@Suite struct IndexFileTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpus")

    static func corpusIndex() throws -> InvertedIndex {
        let reader = CorpusReader(root: corpus)
        let builder = try IndexBuilder()
        for path in try reader.listFiles() { builder.add(try reader.read(path).get()) }
        return builder.finish()
    }

    @Test func roundTripsTheCorpusIndex() throws {
        let index = try Self.corpusIndex()
        #expect(index.documentCount > 20)
        let bytes = IndexFile.encode(index, analyzerVersion: Analyzer.version)
        let decoded = try IndexFile.decode(bytes, file: "mem", analyzerVersion: Analyzer.version)
        #expect(decoded == index)
    }

    @Test func roundTripsEdgeCases() throws {
        var index = InvertedIndex()
        #expect(try IndexFile.decode(IndexFile.encode(index, analyzerVersion: 7), file: "mem", analyzerVersion: 7) == index)
        index.sources = [.init(path: "a/b.txt", size: 0, contentHash: .max)]
        index.documents = [StoredDocument(
            key: "b#1", file: "a/b.txt", title: "", subtitle: nil, titleIsDerived: true, author: nil, affiliation: "",
            lineStart: 1, lineEnd: 1, lineRanges: [], body: "", bodyLines: [])]
        for f in Field.allCases { index.fieldLengths[Int(f.rawValue)] = [UInt32.max] }
        var list = PostingList()
        list.append(DocID(0), positions: [0, 1, UInt32.max])
        index.postings[2]["词"] = list
        #expect(try IndexFile.decode(IndexFile.encode(index, analyzerVersion: 7), file: "mem", analyzerVersion: 7) == index)
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = try Self.corpusIndex()
        try IndexFile.write(index, analyzerVersion: Analyzer.version, to: directory)
        #expect(try IndexFile.read(from: directory, analyzerVersion: Analyzer.version) == index)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != IndexFile.fileName }
        #expect(leftovers.isEmpty)
    }

    @Test func rejectsDamage() throws {
        let bytes = IndexFile.encode(try Self.corpusIndex(), analyzerVersion: Analyzer.version)
        var generator = SplitMix(seed: 42)
        // Truncation anywhere.
        for _ in 0..<50 {
            let cut = Int.random(in: 0..<bytes.count, using: &generator)
            #expect(throws: IndexError.self) { try IndexFile.decode(Array(bytes[..<cut]), file: "x", analyzerVersion: Analyzer.version) }
        }
        // A flipped byte anywhere.
        for _ in 0..<200 {
            var damaged = bytes
            let at = Int.random(in: 0..<bytes.count, using: &generator)
            damaged[at] ^= UInt8.random(in: 1...255, using: &generator)
            #expect(throws: IndexError.self) { try IndexFile.decode(damaged, file: "x", analyzerVersion: Analyzer.version) }
        }
    }

    @Test func namesTheProblem() throws {
        var bytes = IndexFile.encode(InvertedIndex(), analyzerVersion: 3)
        #expect(throws: IndexError.staleAnalyzer(file: "f", found: 3, current: 4)) {
            try IndexFile.decode(bytes, file: "f", analyzerVersion: 4)
        }
        bytes[4] = 99  // format version from the future
        #expect(throws: IndexError.unsupportedVersion(file: "f", found: 99, supported: IndexFile.formatVersion)) {
            try IndexFile.decode(bytes, file: "f", analyzerVersion: 3)
        }
        let message = IndexError.damaged(file: "f", detail: "checksum mismatch").description
        #expect(message.contains("f") && message.contains("index --full"))
    }

    @Test func postingListLookups() {
        var list = PostingList()
        list.append(DocID(2), positions: [1, 5])
        list.append(DocID(9), positions: [0])
        #expect(list.index(of: DocID(9)) == 1)
        #expect(list.index(of: DocID(3)) == nil)
        #expect(Array(list.positions(at: 0)) == [1, 5])
        #expect(list.documentFrequency == 2)
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
