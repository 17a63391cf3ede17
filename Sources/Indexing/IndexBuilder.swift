import Analysis
import Articles

/// Builds an `InvertedIndex` from corpus files: split into articles, analyse each field,
/// append postings in document order.
public final class IndexBuilder {
    private let analyzer: Analyzer
    private let layout: CorpusLayout
    private let bigrams: Bool
    private var index = InvertedIndex()
    /// Per field: terms interned by bytes, and for each term id its postings under construction
    /// as one flat array — `doc, tf, positions…` per document (no positions without them).
    private var terms: [TermTable] = Array(repeating: TermTable(), count: Field.allCases.count)
    private var postings: [[[UInt32]]] = Array(repeating: [], count: Field.allCases.count)
    /// Scratch: (term id, position) of one field of one document.
    private var occurrences: [(term: Int32, position: UInt32)] = []
    public private(set) var tokenCount = 0

    /// `bigrams`: also index the `grams` field (character bigrams of every text field).
    /// `dictionary`: the words the analyzer keeps whole (see `Analyzer`).
    public init(layout: CorpusLayout = .journal, bigrams: Bool = false, dictionary: UserDictionary = .shipped) throws {
        analyzer = try Analyzer(dictionary: dictionary)
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
        for field in Field.allCases {
            let f = Int(field.rawValue)
            var dictionary: [String: PostingList] = [:]
            dictionary.reserveCapacity(terms[f].count)
            for id in 0..<terms[f].count {
                var list = PostingList()
                let flat = postings[f][id]
                var i = 0
                while i < flat.count {
                    let doc = DocID(flat[i]), tf = flat[i + 1]
                    if field.hasPositions {
                        list.append(doc, positions: Array(flat[(i + 2)..<(i + 2 + Int(tf))]))
                        i += 2 + Int(tf)
                    } else {
                        list.append(doc, frequency: tf)
                        i += 2
                    }
                }
                dictionary[terms[f].string(id)] = list
            }
            index.postings[f] = dictionary
            postings[f] = []
        }
        return index
    }

    private func add(_ article: Article, bytes: [UInt8], lineStarts: [Int], lineOffset: Int) {
        let doc = DocID(index.documents.count)
        let normalizer = analyzer.normalizer
        let title = normalizer.normalize(lines: article.titleLines, in: bytes)
        let author = normalizer.normalize([article.author, article.affiliation].compactMap { $0 }.joined(separator: " "))
        let body = normalizer.normalize(lines: article.body, in: bytes)
        let fields = [(Field.title, analyzer.tokens(of: title)), (.author, analyzer.tokens(of: author)), (.body, analyzer.tokens(of: body))]
        var grams = 0
        occurrencesOfGrams.removeAll(keepingCapacity: true)
        for (field, tokens) in fields {
            addField(field, tokens, doc)
            if bigrams { grams = collectBigrams(tokens, startingAt: grams) }
        }
        addOccurrences(&occurrencesOfGrams, .grams, doc, length: occurrencesOfGrams.count)

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

    private var occurrencesOfGrams: [(term: Int32, position: UInt32)] = []

    private func addField(_ field: Field, _ tokens: [Token], _ doc: DocID) {
        let f = Int(field.rawValue)
        occurrences.removeAll(keepingCapacity: true)
        for token in tokens {
            var term = token.term
            let id = term.withUTF8 { terms[f].intern(UnsafeRawBufferPointer($0)) }
            occurrences.append((Int32(id), UInt32(token.position)))
        }
        // A field's length counts positions: a kept-whole word shares its first part's (as
        // Lucene's discountOverlaps).
        let length = tokens.reduce(0) { $0 + ($1.isPositional ? 1 : 0) }
        tokenCount += length
        addOccurrences(&occurrences, field, doc, length: length)
    }

    /// Groups one field's occurrences by term and appends them to the postings.
    private func addOccurrences(_ list: inout [(term: Int32, position: UInt32)], _ field: Field, _ doc: DocID, length: Int) {
        let f = Int(field.rawValue)
        while postings[f].count < terms[f].count { postings[f].append([]) }
        list.sort { UInt64(UInt32(bitPattern: $0.term)) << 32 | UInt64($0.position) < UInt64(UInt32(bitPattern: $1.term)) << 32 | UInt64($1.position) }
        var i = 0
        while i < list.count {
            let term = Int(list[i].term)
            var j = i
            while j < list.count && list[j].term == list[i].term { j += 1 }
            if postings[f][term].isEmpty { estimatedMemory += 64 + terms[f].bytes(term).count }
            postings[f][term].append(doc.rawValue)
            postings[f][term].append(UInt32(j - i))
            if field.hasPositions {
                for k in i..<j { postings[f][term].append(list[k].position) }
                estimatedMemory += 8 + 4 * (j - i)
            } else {
                estimatedMemory += 8
            }
            i = j
        }
        index.fieldLengths[f].append(UInt32(length))
    }

    /// Interns the character bigrams of runs of adjacent ideographic tokens (as
    /// `Analyzer.characterBigrams`, without building tokens). Returns the next position.
    private func collectBigrams(_ tokens: [Token], startingAt start: Int) -> Int {
        let g = Int(Field.grams.rawValue)
        var position = start
        var previous: (scalar: UInt32, bytes: (UInt8, UInt8, UInt8, UInt8), count: Int)? = nil
        var previousEnd = -1
        var buffer = [UInt8](repeating: 0, count: 8)
        for token in tokens where token.isPositional {  // a kept-whole word: its parts follow
            if token.start < previousEnd { continue }  // an alternative reading of text already seen
            if token.kind != .ideographic || token.start != previousEnd {
                if previous != nil { position += 1 }
                previous = nil
            }
            previousEnd = token.end
            guard token.kind == .ideographic else { continue }
            for scalar in token.term.unicodeScalars {
                var encoded: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
                var n = 0
                UTF8.encode(scalar) { byte in
                    switch n {
                    case 0: encoded.0 = byte
                    case 1: encoded.1 = byte
                    case 2: encoded.2 = byte
                    default: encoded.3 = byte
                    }
                    n += 1
                }
                if let p = previous {
                    var k = 0
                    for byte in [p.bytes.0, p.bytes.1, p.bytes.2, p.bytes.3].prefix(p.count) { buffer[k] = byte; k += 1 }
                    for byte in [encoded.0, encoded.1, encoded.2, encoded.3].prefix(n) { buffer[k] = byte; k += 1 }
                    let id = buffer.withUnsafeBytes { terms[g].intern(UnsafeRawBufferPointer(rebasing: $0[0..<k])) }
                    occurrencesOfGrams.append((Int32(id), UInt32(position)))
                    position += 1
                }
                previous = (scalar.value, encoded, n)
            }
        }
        if previous != nil { position += 1 }
        return position + 1
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
