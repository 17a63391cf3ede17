import ArgumentParser
import Foundation
import Indexing

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the index of a corpus directory.",
        discussion: "Files that cannot be read are reported and skipped; the exit code is then 1."
    )

    @OptionGroup var location: LocationOptions

    func run() throws {
        try reportingErrors {
            let report: CorpusIndexer.Report
            do {
                (_, report) = try CorpusIndexer(corpus: location.corpusURL, indexDirectory: location.indexURL, layout: location.layout, bigrams: location.bigrams).rebuild()
            } catch let failure as CorpusReader.Failure {
                throw CLIError(failure.description)
            } catch let error as IndexError {
                throw CLIError(error.description)
            }
            for warning in report.warnings {
                FileHandle.standardError.write(Data("warning: skipped \(warning)\n".utf8))
            }
            let megabytes = Double(report.corpusBytes) / 1_000_000
            print(String(
                format: "indexed %d files (%.2f MB): %d articles, %d tokens in %.2f s → %@",
                report.files, megabytes, report.articles, report.tokens, report.seconds, location.index))
            if !report.warnings.isEmpty {
                print("skipped \(report.warnings.count) file(s); see the warnings above")
                throw ExitCode(1)
            }
        }
    }
}
