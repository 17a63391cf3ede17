import Foundation
import Indexing
import Search

/// The `--json` shape of a search. Field names are stable: scripts depend on them.
enum JSONOutput {
    struct Document: Encodable {
        var query: String
        var total_hits: Int
        var took_ms: Double
        var hits: [HitObject]
    }

    struct HitObject: Encodable {
        var rank: Int
        var score: Double
        var doc_id: String
        var file: String
        var title: String
        var author: String?
        var affiliation: String?
        /// The body's first and last line.
        var line_start: Int
        var line_end: Int
        /// Every range of lines the article occupies, `[first, last]` (its title or byline may be
        /// printed after the body).
        var line_ranges: [[Int]]
        /// The best passage (the first of `snippets`), as plain text.
        var snippet: String
        /// Character ranges `[start, end)` of the matched words in `snippet`.
        var highlights: [[Int]]
        var snippet_line_start: Int?
        var snippet_line_end: Int?
        /// Up to three passages, best first.
        var snippets: [Passage]
        /// Why there are no passages: the file changed or went away since it was indexed.
        var snippet_unavailable: String?
        var explanation: [Component]?
        var proximity_bonus: Double?
    }

    struct Passage: Encodable {
        var text: String
        var highlights: [[Int]]
        var line_start: Int
        var line_end: Int
    }

    struct Component: Encodable {
        var match: String
        var field: String
        var tf: Int
        var df: Int
        var idf: Double
        var field_length: Int
        var average_field_length: Double
        var boost: Double
        var score: Double
    }

    static func render(query: String, result: SearchResult, hits: [RenderedHit], tookMilliseconds: Double, offset: Int = 0) throws -> String {
        let objects = hits.enumerated().map { rank, item in
            let first = item.snippets.first
            return HitObject(
                rank: offset + rank + 1, score: item.hit.score, doc_id: item.document.key, file: item.document.file,
                title: item.document.title, author: item.document.author, affiliation: item.document.affiliation,
                line_start: item.document.lineStart, line_end: item.document.lineEnd,
                line_ranges: item.document.occupiedLines.map { [$0.lowerBound, $0.upperBound] },
                snippet: first?.text ?? "",
                highlights: first?.highlights.map { [$0.lowerBound, $0.upperBound] } ?? [],
                snippet_line_start: first?.lineStart, snippet_line_end: first?.lineEnd,
                snippets: item.snippets.map {
                    Passage(text: $0.text, highlights: $0.highlights.map { [$0.lowerBound, $0.upperBound] }, line_start: $0.lineStart, line_end: $0.lineEnd)
                },
                snippet_unavailable: item.unavailable?.description,
                explanation: item.hit.explanation?.components.map {
                    Component(
                        match: $0.matcher.description, field: $0.field.description, tf: $0.termFrequency, df: $0.documentFrequency,
                        idf: $0.idf, field_length: $0.fieldLength, average_field_length: $0.averageFieldLength, boost: $0.boost,
                        score: $0.score)
                },
                proximity_bonus: item.hit.explanation.map(\.proximity))
        }
        let document = Document(
            query: query, total_hits: result.totalHits, took_ms: (tookMilliseconds * 1000).rounded() / 1000, hits: objects)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
