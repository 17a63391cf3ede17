import Analysis
import ArgumentParser
import Foundation
import Indexing

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Bring the index up to date with the corpus directory.",
        discussion: """
            Only new and changed files (by content hash) are analysed, into a new segment; articles of
            changed and removed files disappear. The new version is published atomically: searches
            running meanwhile see the old or the new index, never a mix. Files that cannot be read are
            reported and skipped (exit code 1); one that was indexed before keeps its old articles.
            """
    )

    @OptionGroup var location: LocationOptions

    @Flag(help: "Rebuild the whole index from scratch.")
    var full = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let dictionary = try location.loadDictionary()
            let writer = IndexWriter(
                directory: location.directory, corpus: try location.corpusToUpdate(), layout: location.layout, bigrams: location.bigrams,
                analyzerVersion: Analyzer.fingerprint(of: dictionary))
            writer.dictionary = dictionary
            let terminal = isatty(STDERR_FILENO) != 0 && !json
            if terminal { writer.progress = ProgressBar.draw }
            let report: IndexWriter.Report
            do {
                report = try writer.update(full: full)
            } catch let failure as CorpusReader.Failure {
                throw CLIError(failure.description)
            } catch let error as IndexError {
                throw CLIError(error.description)
            }
            if terminal { ProgressBar.clear() }
            for warning in report.skipped {
                FileHandle.standardError.write(Data("warning: skipped \(warning)\n".utf8))
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.summary(report, index: location.index))
            }
            if !report.skipped.isEmpty { throw ExitCode(1) }
        }
    }

    static func summary(_ r: IndexWriter.Report, index: String) -> String {
        var lines: [String] = []
        if let reason = r.fullRebuildReason { lines.append("re-indexing everything: \(reason)") }
        lines.append("files: \(r.added) added, \(r.changed) changed, \(r.removed) removed, \(r.unchanged) unchanged"
            + (r.skipped.isEmpty ? "" : ", \(r.skipped.count) skipped"))
        lines.append(String(
            format: "indexed %d articles, %d tokens from %.2f MB in %.2f s; the index (%@) holds %d articles in %d segment%@, version %d",
            r.articles, r.tokens, Double(r.bytes) / 1_000_000, r.seconds, index, r.liveArticles, r.segments,
            r.segments == 1 ? "" : "s", r.generation))
        // One segment "merged" alone is one rewritten without its deleted articles (over half of them).
        if r.mergedSegments == 1 { lines.append("rewrote 1 segment without its deleted articles") }
        if r.mergedSegments > 1 { lines.append("merged \(r.mergedSegments) segments into one") }
        if !r.skipped.isEmpty { lines.append("skipped \(r.skipped.count) file(s); see the warnings above") }
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress bar on standard error (only when it is a terminal).
enum ProgressBar {
    static func draw(_ p: IndexWriter.Progress) {
        let width = 30
        let done = p.filesTotal == 0 ? width : width * p.filesDone / p.filesTotal
        let rate = p.seconds > 0 ? Double(p.bytes) / 1_000_000 / p.seconds : 0
        let bar = String(repeating: "█", count: done) + String(repeating: "░", count: width - done)
        let line = String(format: "\r%@ %d/%d files, %d articles, %.1f MB/s", bar, p.filesDone, p.filesTotal, p.articles, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
