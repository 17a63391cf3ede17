import Analysis
import Articles
import Foundation
import Indexing

/// The bundled corpus, indexed once per test process.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpus")

    static let files: [(path: String, bytes: [UInt8])] = {
        let reader = CorpusReader(root: root)
        return try! reader.listFiles().map { (path: $0, bytes: try! reader.read($0).get().1) }
    }()

    /// Words only (what the brute-force oracle models).
    static let index: InvertedIndex = {
        let builder = try! IndexBuilder()
        for file in files { builder.add(path: file.path, bytes: file.bytes) }
        return builder.finish()
    }()

    /// `index` written to disk by the index writer (one segment, words only), opened as a snapshot.
    static let wordsSnapshot: IndexSnapshot = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cs-words-\(UUID().uuidString)")
        _ = try! IndexWriter(directory: IndexDirectory(url: dir), corpus: root, bigrams: false).update(full: true)
        return try! IndexDirectory(url: dir).open(analyzerVersion: Analyzer.version)
    }()

    /// Words and character bigrams: what `committee-search index` builds by default.
    static let defaultIndex: InvertedIndex = {
        let builder = try! IndexBuilder(bigrams: true)
        for file in files { builder.add(path: file.path, bytes: file.bytes) }
        return builder.finish()
    }()

    /// Each article's terms per field, position by position, analysed independently of the index
    /// (for oracles): a slot holds the word or part at that position and any word the dictionary
    /// keeps whole that starts there (it shares its first part's position).
    static let fieldTokens: [[Field: [[String]]]] = {
        let analyzer = try! Analyzer()
        func slots(_ tokens: [Token]) -> [[String]] {
            var slots: [[String]] = []
            for token in tokens {
                while slots.count <= token.position { slots.append([]) }
                slots[token.position].append(token.term)
            }
            return slots
        }
        var result: [[Field: [[String]]]] = []
        for file in files {
            for article in IssueSplitter().split(file: file.path, bytes: file.bytes) {
                let title = analyzer.normalizer.normalize(lines: article.titleLines, in: file.bytes)
                let author = analyzer.normalizer.normalize([article.author, article.affiliation].compactMap { $0 }.joined(separator: " "))
                let body = analyzer.normalizer.normalize(lines: article.body, in: file.bytes)
                result.append([
                    .title: slots(analyzer.tokens(of: title)),
                    .author: slots(analyzer.tokens(of: author)),
                    .body: slots(analyzer.tokens(of: body)),
                ])
            }
        }
        return result
    }()
}
