import ArgumentParser
import Articles
import Foundation
import Indexing

struct ArticlesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "articles",
        abstract: "Show how the corpus files split into articles.",
        discussion: "One line per article: id, body lines, every line range it owns, title, author, office. Check a new issue's layout with it before indexing."
    )

    @Option(name: .long, help: "Directory of journal issue files (*.txt).")
    var corpus: String = "corpus"

    @Option(name: .long, help: "How files hold documents: journal or plain.")
    var layout: CorpusLayout = .journal

    @Flag(help: "Print JSON.")
    var json = false

    @Argument(help: "Files to split (paths relative to --corpus); default: every file.")
    var files: [String] = []

    struct Row: Encodable {
        var doc_id: String
        var file: String
        var title: String
        var title_is_derived: Bool
        var author: String?
        var affiliation: String?
        var line_start: Int
        var line_end: Int
        var line_ranges: [[Int]]
    }

    func run() throws {
        try reportingErrors {
            let reader = CorpusReader(root: URL(fileURLWithPath: corpus))
            let paths: [String]
            do { paths = files.isEmpty ? try reader.listFiles() : files } catch let failure as CorpusReader.Failure {
                throw CLIError(failure.description)
            }
            var rows: [Row] = []
            for path in paths {
                switch reader.read(path) {
                case .failure(let warning):
                    FileHandle.standardError.write(Data("warning: skipped \(warning)\n".utf8))
                case .success(let (_, bytes)):
                    for a in layout.split(file: path, bytes: bytes) {
                        rows.append(Row(
                            doc_id: a.documentKey, file: a.file, title: a.title, title_is_derived: a.titleIsDerived, author: a.author,
                            affiliation: a.affiliation, line_start: a.bodyLines.lowerBound, line_end: a.bodyLines.upperBound,
                            line_ranges: a.lineRanges.map { [$0.lowerBound, $0.upperBound] }))
                    }
                }
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
                return
            }
            for r in rows {
                let ranges = r.line_ranges.map { $0[0] == $0[1] ? "\($0[0])" : "\($0[0])-\($0[1])" }.joined(separator: ",")
                let title = r.title_is_derived ? "(\(r.title)…)" : r.title
                print("\(r.doc_id)\t\(r.line_start)-\(r.line_end)\t[\(ranges)]\t\(title)\t\(r.author ?? "-")\t\(r.affiliation ?? "-")")
            }
        }
    }
}
