import Analysis
import Articles

/// Builds an `InvertedIndex` from corpus files: split into articles, analyse each field,
/// append postings in document order.
public final class IndexBuilder {
    private let analyzer: Analyzer
    private let layout: CorpusLayout
    private let bigrams: Bool
    private var index = InvertedIndex()
    /// Postings under construction: `[field][term] → (doc, positions)` appended in doc order.
    private var building: [[String: PostingList]] = Array(repeating: [:], count: Field.allCases.count)
    public private(set) var tokenCount = 0

    /// `bigrams`: also index the `grams` field (character bigrams of every text field).
    public init(layout: CorpusLayout = .journal, bigrams: Bool = false) throws {
        analyzer = try Analyzer()
        self.layout = layout
        self.bigrams = bigrams
    }

    /// Adds every article of a window of a file; their ordinals in the file start at
    /// `firstOrdinal`. Returns the number of articles added.
    @discardableResult
    public func add(_ window: CorpusWindow, firstOrdinal: Int = 0) -> Int {
        var articles = layout.split(file: window.path, bytes: window.bytes)
        let lineStarts = Self.lineStartOffsets(window.bytes)
        for i in articles.indices {
            articles[i].ordinal += firstOrdinal
            articles[i].shiftLines(by: window.firstLine - 1)
        }
        for article in articles { add(article, bytes: window.bytes, lineStarts: lineStarts, lineOffset: window.firstLine - 1) }
        return articles.count
    }

    /// Adds a whole file held in memory.
    @discardableResult
    public func add(path: String, bytes: [UInt8]) -> Int {
        add(CorpusWindow(path: path, bytes: bytes, firstLine: 1))
    }

    /// Documents added so far.
    public var documentCount: Int { index.documents.count }

    /// A rough count of the bytes the builder holds (postings, positions, stored text): the
    /// writer flushes a segment when it passes its budget.
    public private(set) var estimatedMemory = 0

    /// The finished index (the builder can be discarded afterwards).
    public func finish() -> InvertedIndex {
        index.postings = building
        return index
    }

    private func add(_ article: Article, bytes: [UInt8], lineStarts: [Int], lineOffset: Int) {
        let doc = DocID(index.documents.count)
        let normalizer = analyzer.normalizer
        let title = normalizer.normalize(lines: article.titleLines, in: bytes)
        let author = normalizer.normalize([article.author, article.affiliation].compactMap { $0 }.joined(separator: " "))
        let body = normalizer.normalize(lines: article.body, in: bytes)
        let fields = [(Field.title, analyzer.tokens(of: title)), (.author, analyzer.tokens(of: author)), (.body, analyzer.tokens(of: body))]
        var grams: [Token] = []
        for (field, tokens) in fields {
            addField(field, tokens, doc)
            if bigrams { grams += Analyzer.characterBigrams(of: tokens, startingAt: (grams.last?.position ?? -2) + 2) }
        }
        addField(.grams, grams, doc)

        // The body's source lines as they are, for display.
        var text: [UInt8] = []
        var bodyLines: [StoredDocument.BodyLine] = []
        for (i, line) in article.body.enumerated() {
            if i > 0 { text.append(0x0A) }
            text.append(contentsOf: bytes[line.range])
            bodyLines.append(.init(number: lineOffset + Self.lineNumber(of: line.range.lowerBound, lineStarts), standsAlone: line.standsAlone))
        }
        index.documents.append(StoredDocument(
            key: article.documentKey, file: article.file, title: article.title, subtitle: article.subtitle,
            titleIsDerived: article.titleIsDerived, author: article.author, affiliation: article.affiliation,
            lineStart: article.bodyLines.lowerBound, lineEnd: article.bodyLines.upperBound, lineRanges: article.lineRanges,
            body: String(decoding: text, as: UTF8.self), bodyLines: bodyLines))
        estimatedMemory += text.count + 64 * bodyLines.count + 256
    }

    private func addField(_ field: Field, _ tokens: [Token], _ doc: DocID) {
        var positions: [String: [UInt32]] = [:]
        for token in tokens { positions[token.term, default: []].append(UInt32(token.position)) }
        let f = Int(field.rawValue)
        for (term, list) in positions {
            if building[f][term] == nil { estimatedMemory += term.utf8.count + 96 }
            if field.hasPositions {
                building[f][term, default: PostingList()].append(doc, positions: list)
                estimatedMemory += 12 + 4 * list.count
            } else {
                building[f][term, default: PostingList()].append(doc, frequency: UInt32(list.count))
                estimatedMemory += 12
            }
        }
        index.fieldLengths[f].append(UInt32(tokens.count))
        if field != .grams { tokenCount += tokens.count }
    }

    /// Byte offset where each line starts (line breaks as the splitter counts them).
    static func lineStartOffsets(_ bytes: [UInt8]) -> [Int] {
        TextNormalizer.lines(of: bytes).map(\.range.lowerBound)
    }

    static func lineNumber(of offset: Int, _ starts: [Int]) -> Int {
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
