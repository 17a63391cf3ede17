import Testing
@testable import Indexing

/// The zlib wrapper on its own: round trips, and damage reported as a failure, never a crash.
@Suite struct DeflateTests {
    static func inflate(_ compressed: [UInt8], expectedCount: Int) throws -> [UInt8] {
        try compressed.withUnsafeBytes { try Deflate.decompress($0, expectedCount: expectedCount) }
    }

    @Test(arguments: [
        [UInt8](),
        Array("两".utf8),
        Array(String(repeating: "政协委员履职尽责，", count: 2000).utf8),
        // Incompressible: the output may be longer than the input.
        { var g = SplitMix(seed: 7); return (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &g) } }(),
    ])
    func roundTrips(_ bytes: [UInt8]) throws {
        let compressed = Deflate.compress(bytes)
        #expect(try Self.inflate(compressed, expectedCount: bytes.count) == bytes)
    }

    @Test func reportsWhatDoesNotInflate() throws {
        let bytes = Array(String(repeating: "两个薄弱", count: 500).utf8)
        let compressed = Deflate.compress(bytes)
        #expect(compressed.count < bytes.count / 10)
        // Not zlib at all; cut short; a byte past the end of the stream.
        #expect(throws: Deflate.Failure.self) { try Self.inflate(bytes, expectedCount: bytes.count) }
        #expect(throws: Deflate.Failure.self) { try Self.inflate(Array(compressed.dropLast(3)), expectedCount: bytes.count) }
        #expect(throws: Deflate.Failure.self) { try Self.inflate(compressed + [0], expectedCount: bytes.count) }
        // Declared lengths that do not match what the stream holds.
        #expect(throws: Deflate.Failure.self) { try Self.inflate(compressed, expectedCount: bytes.count - 1) }
        #expect(throws: Deflate.Failure.self) { try Self.inflate(compressed, expectedCount: bytes.count + 1) }
        #expect(throws: Deflate.Failure.self) { try Self.inflate(compressed, expectedCount: -1) }
        // More than deflate can expand to: refused before anything is allocated for it.
        #expect(throws: Deflate.Failure.self) { try Self.inflate(compressed, expectedCount: Int.max) }
        #expect(throws: Deflate.Failure.self) { try Self.inflate([], expectedCount: 0) }
    }
}
