import Foundation
import Testing
@testable import Indexing

/// (Review) A snapshot whose commit point lists a segment of no documents (none is written
/// today, but a commit point is read as found): opening it must not trap while working out
/// which segments' places ascend.
@Suite struct EmptySegmentReviewTests {
    @Test func aSegmentOfNoDocumentsOpens() throws {
        let empty = try SegmentFileTests.temporaryFile(SegmentFile.encode(InvertedIndex(), analyzerVersion: 1))
        defer { unlink(empty) }
        let reader = try SegmentReader(path: empty, analyzerVersion: 1)
        #expect(reader.documentCount == 0)
        let manifest = Manifest(
            generation: 1, formatVersion: SegmentFile.formatVersion, analyzerVersion: 1, layout: "plain", bigrams: false,
            segments: [Manifest.Segment(name: "empty.seg", documentCount: 0, deleted: [], liveFieldLengths: [])], files: [])
        let snapshot = try IndexSnapshot(manifest: manifest, files: FileTable(), directory: "/tmp", segments: [reader])
        #expect(snapshot.segmentsInCorpusOrder == [true])
        #expect(snapshot.documentCount == 0)
    }
}
