import Analysis
import Articles
import Foundation

/// Builds a whole index from a corpus directory and writes it, reporting what it did.
public struct CorpusIndexer {
    public struct Report: Sendable {
        public var files: Int
        public var articles: Int
        public var tokens: Int
        public var corpusBytes: Int
        public var seconds: Double
        public var warnings: [CorpusWarning]
    }

    public let corpus: URL
    public let indexDirectory: URL
    public let layout: CorpusLayout
    public let bigrams: Bool

    public init(corpus: URL, indexDirectory: URL, layout: CorpusLayout = .journal, bigrams: Bool = false) {
        self.corpus = corpus
        self.indexDirectory = indexDirectory
        self.layout = layout
        self.bigrams = bigrams
    }

    /// Reads every file, builds the index in memory and publishes it atomically.
    public func rebuild() throws -> (InvertedIndex, Report) {
        let started = DispatchTime.now()
        let reader = CorpusReader(root: corpus)
        let builder = try IndexBuilder(layout: layout, bigrams: bigrams)
        var warnings: [CorpusWarning] = []
        var files = 0, articles = 0, bytes = 0
        for path in try reader.listFiles() {
            switch reader.read(path) {
            case .success(let file):
                articles += builder.add(file)
                files += 1
                bytes += file.size
            case .failure(let warning):
                warnings.append(warning)
            }
        }
        let index = builder.finish()
        try IndexFile.write(index, analyzerVersion: Analyzer.version, to: indexDirectory)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return (index, Report(files: files, articles: articles, tokens: builder.tokenCount, corpusBytes: bytes, seconds: seconds, warnings: warnings))
    }
}
