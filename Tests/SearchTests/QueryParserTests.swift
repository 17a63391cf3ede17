import Analysis
import Indexing
import Testing
@testable import Search

/// The query language: every operator and field, their combinations, and every error.
@Suite struct QueryParserTests {
    /// A fresh analyzer each time: analyzers are not shared across threads (tests run in parallel).
    static var analyzer: Analyzer { try! Analyzer() }
    static func parse(_ text: String) throws -> QueryNode { try QueryParser(analyzer: analyzer).parse(text).root }

    static func term(_ t: String, field: Field? = nil) -> QueryNode {
        .clause(Clause(.term(t), field: field, grams: Analyzer.characterBigrams(of: analyzer.analyze(t)).map(\.term)))
    }
    /// A phrase runs over positions (words and the parts of kept-whole words); its words (a
    /// kept-whole word once) are what is scored.
    static func split(_ text: String, field: Field? = nil) -> QueryNode {
        let tokens = analyzer.analyze(text)
        return .clause(Clause(
            .phrase(tokens.filter(\.isPositional).map(\.term)), implicit: true, field: field, grams: Analyzer.characterBigrams(of: tokens).map(\.term),
            words: tokens.contains { $0.role == .whole } ? tokens.filter(\.isWord).map(\.term) : []))
    }
    static func quoted(_ text: String, slop: Int = 0, field: Field? = nil) -> QueryNode {
        let tokens = analyzer.analyze(text)
        let terms = tokens.filter(\.isPositional).map(\.term)
        return .clause(Clause(terms.count == 1 ? .term(terms[0]) : .phrase(terms), occur: .must, field: field,
                              grams: Analyzer.characterBigrams(of: tokens).map(\.term), slop: slop))
    }

    @Test func bareWordsAreOptional() throws {
        #expect(try Self.parse("政协") == Self.term("政协"))
        #expect(try Self.parse("政协 委员") == .boolean(must: [], should: [Self.term("政协"), Self.term("委员")], mustNot: []))
        #expect(try Self.parse("周均发") == Self.split("周均发"))
    }

    @Test func requiredAndExcluded() throws {
        #expect(try Self.parse("+政协 -委员 机关") == .boolean(must: [Self.term("政协")], should: [Self.term("机关")], mustNot: [Self.term("委员")]))
        #expect(try Self.parse("政协 NOT 委员") == .boolean(must: [], should: [Self.term("政协")], mustNot: [Self.term("委员")]))
        #expect(try Self.parse("政协 AND 委员") == .boolean(must: [Self.term("政协"), Self.term("委员")], should: [], mustNot: []))
        #expect(try Self.parse("政协 AND 委员 机关") == .boolean(must: [Self.term("政协"), Self.term("委员")], should: [Self.term("机关")], mustNot: []))
        #expect(try Self.parse("政协 && 委员") == Self.parse("政协 AND 委员"))
        #expect(try Self.parse("＋政协 －委员") == Self.parse("+政协 -委员"))
    }

    @Test func alternativesAndGroups() throws {
        #expect(try Self.parse("贺兰县 OR 平罗县") == .boolean(must: [], should: [Self.split("贺兰县"), Self.split("平罗县")], mustNot: []))
        #expect(try Self.parse("(贺兰县 OR 平罗县) AND 机关") == .boolean(
            must: [.boolean(must: [], should: [Self.split("贺兰县"), Self.split("平罗县")], mustNot: []), Self.term("机关")],
            should: [], mustNot: []))
        #expect(try Self.parse("（政协）") == Self.term("政协"))
        #expect(try Self.parse("政协 -(县 OR 区)") == .boolean(
            must: [], should: [Self.term("政协")], mustNot: [.boolean(must: [], should: [Self.term("县"), Self.term("区")], mustNot: [])]))
    }

    @Test func phrasesAndProximity() throws {
        #expect(try Self.parse("\"两个薄弱\"") == Self.quoted("两个薄弱"))
        #expect(try Self.parse("“两个薄弱”") == Self.quoted("两个薄弱"))
        #expect(try Self.parse("\"政协 委员\"~3") == Self.quoted("政协 委员", slop: 3))
        #expect(try Self.parse("-\"两个薄弱\" 政协") == .boolean(must: [], should: [Self.term("政协")], mustNot: [Self.quoted("两个薄弱")]))
    }

    @Test func fields() throws {
        #expect(try Self.parse("title:薄弱") == Self.term("薄弱", field: .title))
        #expect(try Self.parse("author:周均发") == Self.split("周均发", field: .author))
        #expect(try Self.parse("TITLE:薄弱") == Self.term("薄弱", field: .title))
        #expect(try Self.parse("title:\"两个薄弱\"") == Self.quoted("两个薄弱", field: .title))
        #expect(try Self.parse("title:(政协 委员)") == .boolean(must: [], should: [Self.term("政协", field: .title), Self.term("委员", field: .title)], mustNot: []))
        // file: narrows wherever it stands.
        #expect(try Self.parse("file:004* 机关") == .boolean(must: [.file("004*")], should: [Self.term("机关")], mustNot: []))
        #expect(try Self.parse("-file:004* 机关") == .boolean(must: [], should: [Self.term("机关")], mustNot: [.file("004*")]))
        // A colon that does not follow a field name is text.
        #expect(try Self.parse("12:30") == QueryParser(analyzer: Self.analyzer).parse("12:30").root)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var query: String
        var failure: QueryParser.Failure
        var message: String
        var testDescription: String { query }
    }

    static let errors: [ErrorCase] = [
        .init(query: "", failure: .empty, message: "the query has no searchable words"),
        .init(query: "，。", failure: .empty, message: "the query has no searchable words"),
        .init(query: "政协 \"两个", failure: .unbalancedQuote(column: 4), message: "unbalanced quote at column 4: 政协 ▶\"两个"),
        .init(query: "政协 (委员", failure: .unclosedParenthesis(column: 4), message: "the parenthesis at column 4 is never closed: 政协 ▶(委员"),
        .init(query: "政协) 委员", failure: .unmatchedParenthesis(column: 3), message: "the closing parenthesis at column 3 has no opening one: 政协▶) 委员"),
        .init(query: "两个薄弱 AND", failure: .missingOperand(operator: "AND", column: 6), message: "AND at column 6 needs a word after it: 两个薄弱 ▶AND"),
        .init(query: "AND 政协", failure: .missingOperand(operator: "AND", column: 1), message: "AND at column 1 needs a word after it: ▶AND 政协"),
        .init(query: "政协 OR", failure: .missingOperand(operator: "OR", column: 4), message: "OR at column 4 needs a word after it: 政协 ▶OR"),
        .init(query: "OR 政协", failure: .missingOperand(operator: "OR", column: 1), message: "OR at column 1 needs a word after it: ▶OR 政协"),
        .init(query: "政协 NOT", failure: .missingOperand(operator: "NOT", column: 4), message: "NOT at column 4 needs a word after it: 政协 ▶NOT"),
        .init(query: "政协 title:", failure: .missingOperand(operator: "title:", column: 4), message: "title: at column 4 needs a word after it: 政协 ▶title:"),
        .init(query: "speaker:周均发", failure: .unknownField(name: "speaker", column: 1), message: "unknown field speaker: at column 1 (fields: title, author, file): ▶speaker:周均发"),
        .init(query: "\"政协 委员\"~x", failure: .badSlop(column: 8), message: "~ at column 8 must be followed by a number: \"政协 委员\"▶~x"),
        .init(query: "NOT 县", failure: .onlyExclusions, message: "the query only excludes (NOT/-): add a word to search for"),
    ]

    @Test(arguments: errors)
    func errorsSayWhatAndWhere(_ e: ErrorCase) throws {
        #expect(throws: e.failure) { try Self.parse(e.query) }
        let shown = "\(e.failure)" + (e.failure.column == nil ? "" : ": " + QueryParser.mark(e.query, at: e.failure.column))
        #expect(shown == e.message)
    }

    @Test func operatorsRankAndFilterOnTheCorpus() throws {
        let searcher = Searcher(index: Corpus.defaultIndex)
        func keys(_ q: String, filter: Searcher.Filter = .init(), order: Searcher.Order = .score) throws -> [String] {
            try searcher.search(try QueryParser(analyzer: Self.analyzer).parse(q), limit: 100, filter: filter, order: order).hits
                .map { Corpus.defaultIndex.document($0.doc).key }
        }
        let both = try keys("贺兰县 AND 机关")
        #expect(both == ["004_0e00348c40e7e77d#6"])
        let either = try keys("贺兰县 OR 平罗县")
        #expect(Set(either) == ["004_0e00348c40e7e77d#6", "004_0e00348c40e7e77d#7"])
        #expect(try keys("(贺兰县 OR 平罗县) -平罗县") == ["004_0e00348c40e7e77d#6"])
        #expect(try keys("机关 file:004*").allSatisfy { $0.hasPrefix("004") })
        for key in try keys("title:薄弱") {
            let document = Corpus.defaultIndex.documents.first { $0.key == key }!
            #expect((document.title + (document.subtitle ?? "")).contains("薄弱"))  // the title field holds the subtitle
        }
        #expect(try keys("author:黎辉").count == 2)
        // Filters narrow before scoring; corpus order sorts by file and place.
        let filtered = try keys("政协", filter: .init(file: "003*"))
        #expect(!filtered.isEmpty && filtered.allSatisfy { $0.hasPrefix("003") })
        #expect(try keys("政协", filter: .init(author: ["黎", "辉"])).count == 2)
        let sorted = try keys("政协", order: .file)
        #expect(sorted == sorted.sorted { a, b in
            let x = a.split(separator: "#"), y = b.split(separator: "#")
            return x[0] != y[0] ? x[0] < y[0] : Int(x[1])! < Int(y[1])!
        })
        // "a b"~N: the words within N extra positions.
        #expect(try keys("\"政协 委员\"~2").count >= keys("\"政协 委员\"").count)
    }

    @Test func pagingReturnsConsecutiveSlices() throws {
        let searcher = Searcher(index: Corpus.defaultIndex)
        let query = try QueryParser(analyzer: Self.analyzer).parse("政协 委员")
        let all = try searcher.search(query, limit: 30).hits.map(\.doc)
        let page1 = try searcher.search(query, limit: 5, offset: 0).hits.map(\.doc)
        let page2 = try searcher.search(query, limit: 5, offset: 5).hits.map(\.doc)
        #expect(page1 + page2 == Array(all.prefix(10)))
        #expect(try searcher.search(query, limit: 5, offset: 1000).hits.isEmpty)
    }
}
