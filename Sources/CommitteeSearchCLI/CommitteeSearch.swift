import ArgumentParser

@main
struct CommitteeSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "committee-search",
        abstract: "Full-text search over the journals of the political consultative committees.",
        discussion: """
            Examples:
              committee-search search 两个薄弱
              committee-search search --json --top 3 "临距离协商"
              committee-search index --corpus corpus
              echo 政协委员履职 | committee-search analyze
              committee-search words --corpus corpus --top 50
            """,
        subcommands: [SearchCommand.self, ShellCommand.self, IndexCommand.self, AnalyzeCommand.self, EvalCommand.self, ArticlesCommand.self, WordsCommand.self],
        defaultSubcommand: nil
    )
}
