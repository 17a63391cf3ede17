import Analysis
import ArgumentParser
import Foundation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show the terms the analyzer makes of text.",
        discussion: """
            With TEXT: each term with its position and byte range in the normalised text. A word the \
            dictionary keeps whole is shown with its parts after it (the index holds both; the word shares \
            its first part's position).

            Without TEXT: reads standard input and prints, for each input line, that line's words (kept- \
            whole words, not their parts) separated by single spaces (to compare with a gold segmentation \
            line by line).
            """
    )

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Option(name: .long, help: "Words to keep whole, added to the shipped domain dictionary (default: dictionary.txt in --index, if present).")
    var dictionary: String?

    @Option(name: .long, help: "Index directory whose dictionary.txt is used when --dictionary is not given.")
    var index: String = ".committee-search"

    @Argument(help: "Text to analyse (default: standard input, line by line).")
    var text: [String] = []

    struct TokenObject: Encodable {
        var term: String
        var position: Int
        var start: Int
        var end: Int
        var type: String
        /// "whole" or "part" (absent for an ordinary word).
        var role: String?
    }

    func run() throws {
        try reportingErrors {
            let words = try DictionaryLoading.load(explicit: dictionary, indexDirectory: URL(fileURLWithPath: index))
            let analyzer = try Analyzer(dictionary: words)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if !text.isEmpty {
                let normalized = analyzer.normalizer.normalize(text.joined(separator: " "))
                let tokens = analyzer.tokens(of: normalized)
                if json {
                    let object = tokens.map {
                        TokenObject(term: $0.term, position: $0.position, start: $0.start, end: $0.end, type: $0.kind.rawValue,
                                    role: $0.role == .word ? nil : $0.role.rawValue)
                    }
                    print(String(decoding: try encoder.encode(object), as: UTF8.self))
                } else {
                    print("normalised: \(normalized.string)")
                    for (i, t) in tokens.enumerated() {
                        var line = "\(t.position)\t\(t.term)\t[\(t.start), \(t.end))\t\(t.kind.rawValue)"
                        switch t.role {
                        case .word: break
                        case .whole:
                            let parts = tokens[(i + 1)...].prefix { $0.role == .part }.map(\.term)
                            line += "\tkept whole: " + parts.joined(separator: " ")
                        case .part: line += "\tpart"
                        }
                        print(line)
                    }
                }
                return
            }
            while let line = readLine(strippingNewline: true) {
                let terms = analyzer.analyze(line).filter(\.isWord).map(\.term)
                if json {
                    print(String(decoding: try encoder.encode(terms), as: UTF8.self))
                } else {
                    print(terms.joined(separator: " "))
                }
            }
        }
    }
}
