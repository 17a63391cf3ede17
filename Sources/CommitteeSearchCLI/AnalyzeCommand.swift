import Analysis
import ArgumentParser
import Foundation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show the terms the analyzer makes of text.",
        discussion: """
            With TEXT: each term with its position and byte range in the normalised text.
            Without TEXT: reads standard input and prints, for each input line, that line's terms
            separated by single spaces (to compare with a gold segmentation line by line).
            """
    )

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Argument(help: "Text to analyse (default: standard input, line by line).")
    var text: [String] = []

    struct TokenObject: Encodable {
        var term: String
        var position: Int
        var start: Int
        var end: Int
        var type: String
    }

    func run() throws {
        try reportingErrors {
            let analyzer = try Analyzer()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if !text.isEmpty {
                let normalized = analyzer.normalizer.normalize(text.joined(separator: " "))
                let tokens = analyzer.tokens(of: normalized)
                if json {
                    let object = tokens.map { TokenObject(term: $0.term, position: $0.position, start: $0.start, end: $0.end, type: $0.kind.rawValue) }
                    print(String(decoding: try encoder.encode(object), as: UTF8.self))
                } else {
                    print("normalised: \(normalized.string)")
                    for t in tokens {
                        print("\(t.position)\t\(t.term)\t[\(t.start), \(t.end))\t\(t.kind.rawValue)")
                    }
                }
                return
            }
            while let line = readLine(strippingNewline: true) {
                let terms = analyzer.analyze(line).map(\.term)
                if json {
                    print(String(decoding: try encoder.encode(terms), as: UTF8.self))
                } else {
                    print(terms.joined(separator: " "))
                }
            }
        }
    }
}
