import Analysis
import ArgumentParser
import Articles
import Foundation
import Indexing

struct WordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "words",
        abstract: "Propose new words for the dictionary, learned from a corpus.",
        discussion: """
            Looks for sequences of the analyzer's words (ICU's tokens, with the dictionary's words kept \
            whole) that occur often (--min-count), stick together (cohesion: the pointwise mutual \
            information of their weakest split) and have varied neighbours on both sides (boundary entropy), \
            hold at least one single character and no function character (的 和 在 …).

            Prints them ranked, best first, as dictionary lines with the evidence in a comment: review them \
            and copy the lines you accept into the dictionary (dictionary.txt in the index directory, or the \
            file given to --dictionary). Words the dictionary has are left out.
            """
    )

    @Option(name: .long, help: "Directory of journal issue files (*.txt).")
    var corpus: String = "corpus"

    @Option(name: .long, help: "How files hold documents: journal or plain.")
    var layout: CorpusLayout = .journal

    @Option(name: .long, help: "Words to keep whole, added to the shipped domain dictionary (default: dictionary.txt in --index, if present).")
    var dictionary: String?

    @Option(name: .long, help: "Index directory whose dictionary.txt is used when --dictionary is not given.")
    var index: String = ".committee-search"

    @Option(name: .long, help: "Number of words to propose.")
    var top: Int = 50

    @Option(name: .long, help: "Least number of occurrences.")
    var minCount: Int = WordDiscovery.Options().minimumCount

    @Option(name: .long, help: "Longest word, in characters.")
    var maxLength: Int = WordDiscovery.Options().maximumLength

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        guard minCount >= 2 else { throw ValidationError("--min-count must be at least 2") }
        guard maxLength >= 2 else { throw ValidationError("--max-length must be at least 2") }
    }

    struct CandidateObject: Encodable {
        var rank: Int
        var word: String
        var count: Int
        var cohesion: Double
        var left_entropy: Double
        var right_entropy: Double
        var score: Double
        var units: [String]
    }

    func run() throws {
        try reportingErrors {
            let words = try DictionaryLoading.load(explicit: dictionary, indexDirectory: URL(fileURLWithPath: index))
            let analyzer = try Analyzer(dictionary: words)
            var options = WordDiscovery.Options()
            options.minimumCount = minCount
            options.maximumLength = maxLength
            var discovery = WordDiscovery(options: options)
            let reader = CorpusReader(root: URL(fileURLWithPath: corpus))
            let paths: [String]
            do {
                paths = try reader.listFiles()
            } catch let failure as CorpusReader.Failure {
                throw CLIError(failure.description)
            }
            var files = 0
            for path in paths {
                switch reader.read(path) {
                case .failure(let warning):
                    FileHandle.standardError.write(Data("warning: skipped \(warning)\n".utf8))
                case .success(let (_, bytes)):
                    files += 1
                    for article in layout.split(file: path, bytes: bytes) {
                        for lines in [article.titleLines, article.body] {
                            discovery.add(analyzer.tokens(of: analyzer.normalizer.normalize(lines: lines, in: bytes)))
                        }
                    }
                }
            }
            let known = Set(words.words.map { analyzer.normalizer.normalize($0.word).string })
            let proposed = discovery.candidates(excluding: known).prefix(top)
            if json {
                let objects = proposed.enumerated().map { i, c in
                    CandidateObject(rank: i + 1, word: c.word, count: c.count, cohesion: c.cohesion, left_entropy: c.leftEntropy,
                                    right_entropy: c.rightEntropy, score: c.score, units: c.units)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(objects), as: UTF8.self))
                return
            }
            print("# \(proposed.count) words proposed from \(corpus) (\(files) files, \(discovery.characterCount) characters in words); "
                + "the dictionary in use keeps \(known.count) words whole.")
            print("# Review them and copy the lines you accept into the dictionary. Evidence: occurrences, cohesion")
            print("# (PMI of the weakest split), entropy of the left/right neighbours, score, and how the analyzer cuts it.")
            for (i, c) in proposed.enumerated() {
                print(String(
                    format: "%@\t# %2d. %3d×  cohesion %.2f  entropy %.2f/%.2f  score %.1f  %@",
                    c.word, i + 1, c.count, c.cohesion, c.leftEntropy, c.rightEntropy, c.score, c.units.joined(separator: "|")))
            }
        }
    }
}
