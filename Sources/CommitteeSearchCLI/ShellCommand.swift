import Analysis
import ArgumentParser
import Foundation
import Indexing
import Search

struct ShellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Search many times in a row: the index is opened once, queries are read line by line.",
        discussion: """
            Type a query (same syntax as `search`) and press Enter. `:more` shows the next page of the last
            query, `:help` the syntax, `:quit` (or end of input) leaves. Lines are read plainly (no
            history): no line-editing library is linked.
            """
    )

    @OptionGroup var location: LocationOptions
    @OptionGroup var ranking: RankingOptions

    @Option(name: [.long, .customLong("limit")], help: "Number of articles per page.")
    var top: Int = 10

    @Flag(help: "Print one JSON object per query.")
    var json = false

    @Option(help: "Passages to show per article (0–3).")
    var snippets: Int = 3

    static let help = """
        words … optional, ranked      +word / word AND word   required      -word / NOT word   excluded
        a OR b     (a b) groups       "exact phrase"   "phrase"~3 within 3      title: author: file:GLOB
        :more next page    :quit leave

        """

    func run() throws {
        try reportingErrors {
            let dictionary = try location.loadDictionary()
            var index = try location.openOrBuild(quiet: !isTerminal, dictionary: dictionary)
            var options = SearchSession.Options()
            options.limit = top
            options.json = json
            options.snippets = snippets
            options.more = { _ in ":more" }
            var session = try SearchSession(index: index, corpus: location.corpusURL(recorded: index.recordedCorpus), similarity: ranking.similarity, options: options, dictionary: dictionary)
            var last: String? = nil
            var offset = 0
            if isTerminal { print("committee-search shell — \(index.liveDocumentCount) articles. :help for the syntax, :quit to leave.") }
            while true {
                if isTerminal {
                    print("> ", terminator: "")
                    fflush(nil)
                }
                guard let line = readLine(strippingNewline: true) else { break }
                let text = line.trimmingCharacters(in: .whitespaces)
                switch text {
                case "": continue
                case ":quit", ":q", ":exit": return
                case ":help", ":h", "?":
                    print(Self.help, terminator: "")
                    continue
                case ":more", ":m":
                    guard let previous = last else {
                        print("no query yet")
                        continue
                    }
                    offset += top
                    runOne(session, previous, offset: offset)
                    continue
                default:
                    last = text
                    offset = 0
                    // An `index` run elsewhere since the last query: search its version (its
                    // files' records are what the corpus now holds), not the one opened first.
                    if let opened = index as? IndexSnapshot, let newest = location.directory.generations().first, newest != opened.generation {
                        do {
                            index = try location.directory.open(analyzerVersion: Analyzer.fingerprint(of: dictionary))
                            session = try SearchSession(index: index, corpus: location.corpusURL(recorded: index.recordedCorpus), similarity: ranking.similarity, options: options, dictionary: dictionary)
                            if isTerminal { print("(the index was updated: \(index.liveDocumentCount) articles)") }
                        } catch {
                            print("error: the updated index cannot be opened (\(error)); searching the version opened before")
                        }
                    }
                    runOne(session, text, offset: 0)
                }
            }
        }
    }

    var isTerminal: Bool { isatty(STDIN_FILENO) != 0 }

    /// One query: its results, or its error on one line; the shell goes on either way.
    func runOne(_ session: SearchSession, _ text: String, offset: Int) {
        do {
            print(try session.run(text, offset: offset), terminator: "")
        } catch {
            print("error: \(error)")
        }
        fflush(nil)
    }
}
