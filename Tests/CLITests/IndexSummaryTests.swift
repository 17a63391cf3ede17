import Indexing
import Testing
@testable import CommitteeSearchCLI

/// What `index` prints about merges: segments merged into one, or a single segment rewritten
/// without its deleted articles (more than half of them), not "merged 1 segments".
@Suite struct IndexSummaryTests {
    @Test(arguments: [(0, nil), (1, "rewrote 1 segment without its deleted articles"), (3, "merged 3 segments into one")] as [(Int, String?)])
    func mergesAreNamedForWhatTheyDid(merged: Int, line: String?) {
        var report = IndexWriter.Report()
        report.mergedSegments = merged
        let text = IndexCommand.summary(report, index: "idx")
        #expect(!text.contains("merged 1 segments"))
        #expect(!text.contains("merged 0"))
        if let line { #expect(text.split(separator: "\n").last.map(String.init) == line, "\(text)") }
    }
}
