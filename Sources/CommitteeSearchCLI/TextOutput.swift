import Foundation
import Indexing
import Search

/// Search results for people: colour on a terminal, `[` `]` around matches when piped.
struct TextOutput {
    var colour: Bool
    /// How to ask for the next page (`--offset N` on the command line, `:more` in the shell).
    var more: (Int) -> String = { "--offset \($0)" }

    private var open: String { colour ? "\u{1B}[1;31m" : "[" }
    private var close: String { colour ? "\u{1B}[0m" : "]" }
    private func dim(_ s: String) -> String { colour ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    private func bold(_ s: String) -> String { colour ? "\u{1B}[1m\(s)\u{1B}[0m" : s }

    /// Every range of lines the article occupies (a title or byline printed after the text is a
    /// range of its own): `793-889,894-897`.
    static func lines(of d: StoredDocument) -> String {
        d.occupiedLines.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    func render(query: String, result: SearchResult, hits: [RenderedHit], tookMilliseconds: Double, offset: Int = 0) -> String {
        var out = "\(result.totalHits) \(result.totalHits == 1 ? "article matches" : "articles match") “\(query)” (\(String(format: "%.1f", tookMilliseconds)) ms)\n"
        for (rank, item) in hits.enumerated() {
            let d = item.document
            out += "\n\(offset + rank + 1). \(bold(d.title))  \(dim(String(format: "score %.3f", item.hit.score)))\n"
            let people = [d.author, d.affiliation].compactMap { $0 }.joined(separator: " · ")
            if !people.isEmpty { out += "   \(people)\n" }
            out += "   \(d.file):\(Self.lines(of: d))  \(dim(d.key))\n"
            if let unavailable = item.unavailable { out += "   \(dim("(no passage: \(unavailable))"))\n" }
            for snippet in item.snippets {
                let lines = snippet.lineStart == snippet.lineEnd ? "\(snippet.lineStart)" : "\(snippet.lineStart)-\(snippet.lineEnd)"
                out += "   \(dim("line \(lines):")) …\(snippet.marked(open: open, close: close))…\n"
            }
            if let explanation = item.hit.explanation {
                for c in explanation.components {
                    out += "     " + String(
                        format: "%@ in %@: tf=%d df=%d idf=%.3f len=%d avg=%.1f boost=%.2f → %.3f",
                        c.matcher.description, c.field.description, c.termFrequency, c.documentFrequency, c.idf,
                        c.fieldLength, c.averageFieldLength, c.boost, c.score) + "\n"
                }
                if explanation.proximity > 0 {
                    out += "     " + String(format: "proximity bonus → %.3f", explanation.proximity) + "\n"
                }
                out += "     " + String(format: "sum = %.3f", explanation.total) + "\n"
            }
        }
        if result.totalHits > offset + hits.count {
            out += "\n(\(result.totalHits - offset - hits.count) more: \(more(offset + hits.count)))\n"
        }
        return out
    }
}
