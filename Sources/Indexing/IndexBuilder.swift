import Analysis
import Articles

/// Builds an `InvertedIndex` from corpus files: split into articles, analyse each field,
/// append postings in document order.
public final class IndexBuilder {
    private let analyzer: Analyzer
    private let layout: CorpusLayout
    private let bigrams: Bool
    /// Whether stored documents keep their body's text (else only its line numbers: the text is
    /// read back from the corpus file, `SourceFiles`).
    private let storesBodies: Bool
    private var index = InvertedIndex()
    /// Per field: terms interned by bytes, and each term's postings under construction.
    private var terms: [TermTable] = Field.allCases.map { _ in TermTable() }
    private var postings: [PostingsBuffer] = Field.allCases.map { _ in PostingsBuffer() }
    /// Scratch: the tokens of one field of one document; the term ids and positions of its
    /// occurrences, added to the field's postings at once. (One builder, one thread: the
    /// runtime's exclusivity checks are left out.)
    @exclusivity(unchecked) private var spans: [TokenSpan] = []
    /// Scratch: the normalised text of one field of one document.
    @exclusivity(unchecked) private var text: [UInt8] = []
    @exclusivity(unchecked) private var occurrenceTerms: [Int32] = []
    @exclusivity(unchecked) private var occurrencePositions: [UInt32] = []
    /// Bytes held by the stored documents (estimated from their strings' and arrays' sizes).
    private var documentBytes = 0
    public private(set) var tokenCount = 0

    /// `bigrams`: also index the `grams` field (character bigrams of every text field).
    /// `dictionary`: the words the analyzer keeps whole (see `Analyzer`). `storesBodies`: keep
    /// each body's text in its stored document (an index in memory, which has no corpus to read
    /// it back from); an on-disk index keeps only the lines' numbers.
    public init(layout: CorpusLayout = .journal, bigrams: Bool = false, dictionary: UserDictionary = .shipped, storesBodies: Bool = true) throws {
        analyzer = try Analyzer(dictionary: dictionary)
        self.layout = layout
        self.bigrams = bigrams
        self.storesBodies = storesBodies
    }

    /// Adds every article of a window of a file; their ordinals in the file start at
    /// `firstOrdinal`. Returns the number of articles added.
    @discardableResult
    public func add(_ window: CorpusWindow, firstOrdinal: Int = 0) -> Int {
        add(window, firstOrdinal: firstOrdinal, holdingBackLast: false).added
    }

    /// Adds the articles of a window of a file, but with `holdingBackLast` not its last one when
    /// it has several: the window was cut at a blank line, and its last article may go on in the
    /// next (its text after a byline, its title printed after its text). Returns how many were
    /// added and where in `window.bytes` the held-back article's first line starts.
    public func add(_ window: CorpusWindow, firstOrdinal: Int, holdingBackLast: Bool) -> (added: Int, heldFrom: Int?) {
        var articles = layout.split(file: window.path, bytes: window.bytes)
        let lineStarts = Self.lineStartOffsets(window.bytes)
        var heldFrom: Int? = nil
        if holdingBackLast, articles.count >= 2, let last = articles.last {
            // Its first line (1-based in the window): of its body, title or byline, whichever comes first.
            let first = last.lineRanges.map(\.lowerBound).min() ?? last.bodyLines.lowerBound
            if first >= 1 && first <= lineStarts.count, articles.dropLast().allSatisfy({ $0.lineRanges.allSatisfy { $0.upperBound < first } }) {
                heldFrom = lineStarts[first - 1]
                articles.removeLast()
            }
        }
        for i in articles.indices {
            articles[i].ordinal += firstOrdinal
            articles[i].shiftLines(by: window.firstLine - 1)
        }
        for article in articles { add(article, bytes: window.bytes, lineStarts: lineStarts, lineOffset: window.firstLine - 1, fileOffset: window.fileOffset) }
        return (articles.count, heldFrom)
    }

    /// Adds a whole file held in memory.
    @discardableResult
    public func add(path: String, bytes: [UInt8]) -> Int {
        add(CorpusWindow(path: path, bytes: bytes, firstLine: 1))
    }

    /// Documents added so far.
    public var documentCount: Int { index.documents.count }

    /// The bytes the builder holds: postings (their arenas, by page), the term tables, field
    /// lengths and stored documents (by capacity, with each heap string and array's header), so
    /// that a writer flushing at its budget holds about its budget. O(1).
    public var memoryFootprint: Int {
        var bytes = documentBytes + index.documents.capacity * MemoryLayout<StoredDocument>.stride
        for f in 0..<Field.allCases.count {
            bytes += postings[f].footprint + terms[f].footprint + index.fieldLengths[f].capacity * 4
        }
        return bytes
    }

    /// The finished index (the builder can be discarded afterwards).
    public func finish() -> InvertedIndex {
        var flat: [UInt32] = []
        for field in Field.allCases {
            let f = Int(field.rawValue)
            var dictionary: [String: PostingList] = [:]
            dictionary.reserveCapacity(terms[f].count)
            let table = terms[f], buffer = postings[f]
            for id in 0..<table.count {
                flat.removeAll(keepingCapacity: true)
                buffer.forEachRun(of: id) { flat.append(contentsOf: $0) }
                dictionary[table.string(id)] = flat.withUnsafeBufferPointer { Self.postingList(stream: $0, positions: field.hasPositions) }
            }
            index.postings[f] = dictionary
            postings[f] = PostingsBuffer()
        }
        return index
    }

    /// The list a term's stream (`doc, tf, positions…` per document, or `doc, tf` without
    /// positions) holds, each array made once at its exact size.
    static func postingList(stream: UnsafeBufferPointer<UInt32>, positions hasPositions: Bool) -> PostingList {
        // Calls `body(d, i)` for each document d, whose `doc` word is stream[i].
        func forEachDocument(_ body: (Int, Int) -> Void) {
            var i = 0, d = 0
            while i < stream.count {
                body(d, i)
                d += 1
                i += hasPositions ? 2 + Int(stream[i + 1]) : 2
            }
        }
        var documents = 0
        forEachDocument { d, _ in documents = d + 1 }
        let positionCount = hasPositions ? stream.count - 2 * documents : 0
        var list = PostingList()
        list.documents = Array(unsafeUninitializedCapacity: documents) { docs, count in
            forEachDocument { d, i in
                precondition(d == 0 || docs[d - 1].rawValue < stream[i], "postings must be appended in document order")
                docs[d] = DocID(stream[i])
            }
            count = documents
        }
        list.termFrequencies = Array(unsafeUninitializedCapacity: documents) { frequencies, count in
            forEachDocument { d, i in frequencies[d] = stream[i + 1] }
            count = documents
        }
        list.positionStarts = Array(unsafeUninitializedCapacity: documents + 1) { starts, count in
            var p: UInt32 = 0
            starts[0] = 0
            forEachDocument { d, i in
                if hasPositions { p += stream[i + 1] }
                starts[d + 1] = p
            }
            count = documents + 1
        }
        if hasPositions {
            list.positions = Array(unsafeUninitializedCapacity: positionCount) { positions, count in
                var p = 0
                forEachDocument { _, i in
                    let tf = Int(stream[i + 1])
                    (positions.baseAddress! + p).initialize(from: stream.baseAddress! + i + 2, count: tf)
                    p += tf
                }
                count = p
            }
        }
        return list
    }

    private func add(_ article: Article, bytes: [UInt8], lineStarts: [Int], lineOffset: Int, fileOffset: Int?) {
        let doc = DocID(index.documents.count)
        let normalizer = analyzer.normalizer
        var grams = (position: 0, count: 0)
        normalizer.normalize(lines: article.titleLines, in: bytes, into: &text)
        analyze(.title, doc, &grams)
        normalizer.normalize([article.author, article.affiliation].compactMap { $0 }.joined(separator: " "), into: &text)
        analyze(.author, doc, &grams)
        normalizer.normalize(lines: article.body, in: bytes, into: &text)
        analyze(.body, doc, &grams)
        index.fieldLengths[Int(Field.grams.rawValue)].append(UInt32(grams.count))

        // The body's source lines as they are, for display (or only where they are in the file).
        var bodyText: [UInt8] = []
        var bodyLines: [StoredDocument.BodyLine] = []
        bodyLines.reserveCapacity(article.body.count)
        for (i, line) in article.body.enumerated() {
            if storesBodies {
                if i > 0 { bodyText.append(0x0A) }
                bodyText.append(contentsOf: bytes[line.range])
            }
            bodyLines.append(.init(number: lineOffset + Self.lineNumber(of: line.range.lowerBound, lineStarts), standsAlone: line.standsAlone))
        }
        let document = StoredDocument(
            key: article.documentKey, file: article.file, title: article.title, subtitle: article.subtitle,
            titleIsDerived: article.titleIsDerived, author: article.author, affiliation: article.affiliation,
            lineStart: article.bodyLines.lowerBound, lineEnd: article.bodyLines.upperBound, lineRanges: article.lineRanges,
            body: String(decoding: bodyText, as: UTF8.self), bodyLines: bodyLines,
            sourceOffset: article.body.first.flatMap { line in fileOffset.map { $0 + line.range.lowerBound } })
        documentBytes += Self.heapBytes(of: document)
        index.documents.append(document)
    }

    /// The heap bytes a stored document holds beyond its own struct: its strings longer than
    /// fit inline (15 bytes) and its arrays, each with a 32-byte header and malloc's 16 bytes.
    static func heapBytes(of document: StoredDocument) -> Int {
        func string(_ s: String?) -> Int {
            guard let count = s?.utf8.count, count > 15 else { return 0 }
            return 48 + count
        }
        func array(_ count: Int, _ stride: Int) -> Int { count == 0 ? 0 : 48 + count * stride }
        return string(document.key) + string(document.file) + string(document.title) + string(document.subtitle)
            + string(document.author) + string(document.affiliation) + string(document.body)
            + array(document.lineRanges.count, MemoryLayout<ClosedRange<Int>>.stride)
            + array(document.bodyLines.count, MemoryLayout<StoredDocument.BodyLine>.stride)
    }

    /// Segments `text`, one field of `doc`, and adds its terms (and their bigrams, numbered on
    /// from `grams`).
    private func analyze(_ field: Field, _ doc: DocID, _ grams: inout (position: Int, count: Int)) {
        spans.removeAll(keepingCapacity: true)
        analyzer.forEachTokenSpan(in: text) { spans.append($0) }
        text.withUnsafeBytes { buffer in
            addField(field, buffer, doc)
            if bigrams { grams = addBigrams(buffer, doc, startingAt: grams.position, count: grams.count) }
        }
    }

    /// Interns the tokens of one field (`spans`, over `text`) and adds their occurrences.
    private func addField(_ field: Field, _ text: UnsafeRawBufferPointer, _ doc: DocID) {
        let f = Int(field.rawValue)
        let terms = terms[f]
        var length = 0
        occurrenceTerms.removeAll(keepingCapacity: true)
        occurrencePositions.removeAll(keepingCapacity: true)
        for span in spans {
            occurrenceTerms.append(Int32(terms.intern(UnsafeRawBufferPointer(rebasing: text[span.start..<span.end]))))
            occurrencePositions.append(UInt32(span.position))
            // A field's length counts positions: a kept-whole word shares its first part's (as
            // Lucene's discountOverlaps).
            if span.isPositional { length += 1 }
        }
        addOccurrences(f, doc, withPositions: true)
        tokenCount += length
        index.fieldLengths[f].append(UInt32(length))
    }

    /// Adds `occurrenceTerms` (at `occurrencePositions`, or counted only) to field `f`'s postings.
    private func addOccurrences(_ f: Int, _ doc: DocID, withPositions: Bool) {
        guard !occurrenceTerms.isEmpty else { return }
        occurrenceTerms.withUnsafeBufferPointer { terms in
            if withPositions {
                occurrencePositions.withUnsafeBufferPointer { postings[f].add(document: doc.rawValue, terms: terms, positions: $0) }
            } else {
                postings[f].add(document: doc.rawValue, terms: terms, positions: nil)
            }
        }
    }

    /// Adds the character bigrams of runs of adjacent ideographic tokens of one field (`spans`,
    /// over `text`), as `Analyzer.characterBigrams` numbers them, without building tokens: a
    /// bigram's bytes are its two characters', adjacent in the text. Returns the next position
    /// and the number of bigrams so far.
    private func addBigrams(_ text: UnsafeRawBufferPointer, _ doc: DocID, startingAt start: Int, count: Int) -> (Int, Int) {
        let g = Int(Field.grams.rawValue)
        let terms = terms[g]
        occurrenceTerms.removeAll(keepingCapacity: true)
        var position = start
        var count = count
        var previous: Int? = nil  // byte offset of the previous ideograph of the run
        var previousEnd = -1
        for span in spans where span.isPositional {  // a kept-whole word: its parts follow
            if span.start < previousEnd { continue }  // an alternative reading of text already seen
            if span.kind != .ideographic || span.start != previousEnd {
                if previous != nil { position += 1 }
                previous = nil
            }
            previousEnd = span.end
            guard span.kind == .ideographic else { continue }
            var i = span.start
            while i < span.end {
                var next = i + 1
                while next < span.end && text[next] & 0xC0 == 0x80 { next += 1 }
                if let p = previous {
                    occurrenceTerms.append(Int32(terms.intern(UnsafeRawBufferPointer(rebasing: text[p..<next]))))
                    count += 1
                    position += 1
                }
                previous = i
                i = next
            }
        }
        if previous != nil { position += 1 }
        addOccurrences(g, doc, withPositions: false)
        return (position + 1, count)
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
