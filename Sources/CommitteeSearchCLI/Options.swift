import Analysis
import ArgumentParser
import Articles
import Foundation
import Indexing
import Search

/// Where the corpus and the index live.
struct LocationOptions: ParsableArguments {
    @Option(name: .long, help: "Directory of journal issue files (*.txt). (default: the one the index was built from, else corpus)")
    var corpus: String?

    @Option(name: .long, help: "Directory of the index.")
    var index: String = ".committee-search"

    @Option(name: .long, help: "How files hold documents when building: journal (issues of several articles) or plain (one document per file, first line its title).")
    var layout: CorpusLayout = .journal

    @Flag(inversion: .prefixedNo, help: "When building, also index character bigrams: matches that do not depend on word boundaries (a larger index).")
    var bigrams = true

    @Option(name: .long, help: "Words to keep whole, added to the shipped domain dictionary (default: dictionary.txt in the index directory, if present).")
    var dictionary: String?

    /// The corpus directory: `--corpus`, else the one the index records (while it is still a
    /// directory), else `corpus`.
    func corpusURL(recorded: URL?) -> URL {
        if let corpus { return URL(fileURLWithPath: corpus) }
        if let recorded, Self.isDirectory(recorded) { return recorded }
        return URL(fileURLWithPath: "corpus")
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The corpus directory an update reads: as `corpusURL(recorded:)`, except that a recorded
    /// corpus that is no longer a directory is an error: falling back to `corpus` would replace
    /// every article of the index with another directory's (whatever `corpus` is where it runs).
    func corpusToUpdate() throws -> URL {
        let recorded = recordedCorpus
        if corpus == nil, let recorded, !Self.isDirectory(recorded) {
            throw CLIError("the index was built from \(recorded.path), which is no longer a directory: pass --corpus DIR")
        }
        return corpusURL(recorded: recorded)
    }

    /// The corpus directory the newest commit point records (nil: none, or none readable).
    var recordedCorpus: URL? {
        guard let manifest = try? directory.latestManifest() else { return nil }
        return CorpusReference.resolve(manifest.corpus, index: indexURL)
    }
    var indexURL: URL { URL(fileURLWithPath: index) }

    var directory: IndexDirectory { IndexDirectory(url: indexURL) }

    /// Opens the newest version of the index; when there is none yet, builds it from the corpus.
    /// The index must have been built with the same analyzer and dictionary (`dictionary`: the
    /// one `loadDictionary()` gave, loaded here when nil).
    func openOrBuild(quiet: Bool, dictionary: UserDictionary? = nil) throws -> any SearchableIndex {
        let dictionary = try dictionary ?? loadDictionary()
        let version = Analyzer.fingerprint(of: dictionary)
        do {
            if directory.exists { return try directory.open(analyzerVersion: version) }
            let corpusURL = corpusURL(recorded: nil)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: corpusURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError("no index at \(index) and no corpus directory at \(corpus ?? "corpus"): pass --corpus DIR (or --index DIR)")
            }
            if !quiet { FileHandle.standardError.write(Data("building the index of \(corpus ?? "corpus") in \(index) …\n".utf8)) }
            let writer = IndexWriter(directory: directory, corpus: corpusURL, layout: layout, bigrams: bigrams, analyzerVersion: version)
            writer.dictionary = dictionary
            let report = try writer.update()
            for warning in report.skipped {
                FileHandle.standardError.write(Data("warning: skipped \(warning)\n".utf8))
            }
            return try directory.open(analyzerVersion: version)
        } catch let error as IndexError {
            throw CLIError(error.description)
        } catch let failure as CorpusReader.Failure {
            throw CLIError(failure.description)
        }
    }
}

/// BM25 parameters.
struct RankingOptions: ParsableArguments {
    @Option(help: "BM25 term-frequency saturation.")
    var k1: Double = BM25.defaultK1

    @Option(help: "BM25 length normalisation (0…1).")
    var b: Double = BM25.defaultB

    @Option(help: "Weight of a match in the title relative to the body.")
    var titleBoost: Double = BM25.defaultTitleBoost

    @Option(help: "Weight of an exact occurrence of a split word (周均发 as 周 均 发) on top of its pieces.")
    var phraseBoost: Double = BM25.defaultPhraseBoost

    @Option(help: "Weight of character-bigram matches (indexes built with --bigrams).")
    var gramBoost: Double = BM25.defaultGramBoost

    @Option(help: "Weight of the proximity bonus (query words close together); 0 turns it off.")
    var proximityBoost: Double = BM25.defaultProximityBoost

    func validate() throws {
        guard proximityBoost >= 0 else { throw ValidationError("--proximity-boost must be ≥ 0") }
        guard gramBoost >= 0 else { throw ValidationError("--gram-boost must be ≥ 0") }
        guard phraseBoost >= 0 else { throw ValidationError("--phrase-boost must be ≥ 0") }
        guard k1 >= 0 else { throw ValidationError("--k1 must be ≥ 0") }
        guard (0...1).contains(b) else { throw ValidationError("--b must be between 0 and 1") }
        guard titleBoost >= 0 else { throw ValidationError("--title-boost must be ≥ 0") }
    }

    var similarity: BM25 { BM25(k1: k1, b: b, titleBoost: titleBoost, phraseBoost: phraseBoost, gramBoost: gramBoost, proximityBoost: proximityBoost) }
}

extension CorpusLayout: ExpressibleByArgument {}
