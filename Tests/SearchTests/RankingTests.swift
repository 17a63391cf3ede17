import Analysis
import Indexing
import Testing
@testable import Search

/// Queries staff type, with the article they mean: it must rank first.
@Suite struct RankingTests {
    struct Expectation: CustomTestStringConvertible, Sendable {
        var query: String
        var document: String
        var title: String
        var testDescription: String { query }
    }

    static let expectations: [Expectation] = [
        .init(query: "苦甲天下", document: "000_07fd9a4553e8b7fc#3", title: "凝心聚力促发展 为加快建设幸福美好新岷县凝心聚力"),
        .init(query: "月享悦读", document: "001_bb5a2362460d8721#1", title: "探索三级协作新实践 同唱助力发展一台戏"),
        .init(query: "和事佬议事法", document: "002_bd535ec7de264e72#2", title: "对政协委员“三抓三促”履职要求的再认识"),
        .init(query: "稻梦花田", document: "002_bd535ec7de264e72#4", title: "抓党建强保障推动政协工作提质增效"),
        .init(query: "椒山社区", document: "003_a0e3353743ab7c90#2", title: "以「四强化」为抓手 坚持党建引领提升履职实效"),
        .init(query: "祁连山国家公园", document: "003_a0e3353743ab7c90#4", title: "优化创新方式方法加强和改进调研工作"),
        .init(query: "双报到双服务", document: "004_0e00348c40e7e77d#4", title: "加强政协机关干部队伍建设 服务政协履职提质增效"),
        .init(query: "周一早学", document: "004_0e00348c40e7e77d#8", title: "紧扣发展脉搏 广泛凝聚共识"),
        .init(query: "三轮驱动", document: "000_07fd9a4553e8b7fc#1", title: "以“有为”彰显价值 以“创新”赋能质效"),
        .init(query: "周均发", document: "000_07fd9a4553e8b7fc#1", title: "以“有为”彰显价值 以“创新”赋能质效"),
        .init(query: "贺兰县政协机关", document: "004_0e00348c40e7e77d#6", title: "聚焦“四强化四常态”干出新时代政协机关新样子"),
        .init(query: "奋力跑好推动落实", document: "004_0e00348c40e7e77d#9", title: "突出“五个第一”提升机关工作质效"),
        .init(query: "临距离协商", document: "002_bd535ec7de264e72#4", title: "抓党建强保障推动政协工作提质增效"),
        .init(query: "罗鸣", document: "004_0e00348c40e7e77d#10", title: "加强两支队伍建设 提升基层履职效能"),
        // Typed forms of the same: full width, traditional punctuation, spaces.
        .init(query: "“临距离协商”", document: "002_bd535ec7de264e72#4", title: "抓党建强保障推动政协工作提质增效"),
        .init(query: "罗 鸣", document: "004_0e00348c40e7e77d#10", title: "加强两支队伍建设 提升基层履职效能"),
    ]

    @Test(arguments: expectations, [false, true])
    func intendedArticleRanksFirst(_ e: Expectation, bigrams: Bool) throws {
        let analyzer = try Analyzer()
        let index = bigrams ? Corpus.defaultIndex : Corpus.index
        let query = try QueryParser(analyzer: analyzer).parse(e.query)
        let result = try Searcher(index: index).search(query, limit: 3)
        let first = try #require(result.hits.first)
        let document = index.document(first.doc)
        #expect(document.key == e.document)
        #expect(document.title == e.title)
    }

    @Test func nameIsMatchedAsAPhraseNotAsCharacters() throws {
        let analyzer = try Analyzer()
        let query = try QueryParser(analyzer: analyzer).parse("周均发")
        #expect(query.clauses == [Clause(.phrase(["周", "均", "发"]), implicit: true, grams: ["周均", "均发"])])
        // The article by 周均发 ranks first, well above articles that merely hold 周, 均 and 发.
        let hits = try Searcher(index: Corpus.index).search(query).hits
        #expect(Corpus.index.document(hits[0].doc).author == "周均发")
        #expect(hits.count == 1 || hits[0].score > 2 * hits[1].score)
    }

    @Test func quotedPhraseIsRequiredAndAdjacent() throws {
        let analyzer = try Analyzer()
        let parser = QueryParser(analyzer: analyzer)
        let searcher = Searcher(index: Corpus.index)
        // 政协 and 委员 are everywhere; as a phrase only where adjacent.
        let loose = try searcher.search(try parser.parse("政协 委员")).totalHits
        let phrase = try searcher.search(try parser.parse("\"政协委员\""), limit: 100)
        #expect(phrase.totalHits > 0 && phrase.totalHits <= loose)
        for hit in phrase.hits {
            let tokens = Corpus.fieldTokens[hit.doc.index]
            let occurs = Field.textFields.contains { BM25OracleTests.count(["政协", "委员"], in: tokens[$0]!) > 0 }
            #expect(occurs)
        }
        // A phrase that never occurs matches nothing, even though its words do.
        #expect(try searcher.search(try parser.parse("\"委员政协\"")).totalHits == 0)
    }

    @Test func splitWordMatchesWhereAllItsPiecesOccurAndRanksExactOccurrencesFirst() throws {
        let analyzer = try Analyzer()
        let query = try QueryParser(analyzer: analyzer).parse("委员履职考核")
        let pieces = ["委员", "履", "职", "考核"]
        let result = try Searcher(index: Corpus.index).search(query, limit: 100)
        #expect(result.totalHits > 1)
        var sawScattered = false
        for (rank, hit) in result.hits.enumerated() {
            let tokens = Corpus.fieldTokens[hit.doc.index]
            let all = tokens.values.flatMap { $0 }.flatMap { $0 }
            #expect(pieces.allSatisfy(all.contains))
            let exact = Field.textFields.contains { BM25OracleTests.count(pieces, in: tokens[$0]!) > 0 }
            if !exact { sawScattered = true }
            // The two articles that hold the phrase whole rank right after the one about 委员履职
            // in its title.
            if exact { #expect(rank < 3) }
        }
        #expect(sawScattered)
        // A word-like chunk (≤ 4 pieces) matches nothing when one piece occurs nowhere…
        #expect(try Searcher(index: Corpus.index).search(try QueryParser(analyzer: analyzer).parse("履职考核鲸")).totalHits == 0)
        // …but a sentence-like one (more pieces) matches on any of them.
        let question = try QueryParser(analyzer: analyzer).parse("政协委员怎样做好履职考核鲸")
        #expect(try Searcher(index: Corpus.index).search(question).totalHits > 0)
    }

    @Test func parserErrors() throws {
        let parser = QueryParser(analyzer: try Analyzer())
        #expect(throws: QueryParser.Failure.empty) { try parser.parse("   ") }
        #expect(throws: QueryParser.Failure.empty) { try parser.parse("，。！") }
        #expect(throws: QueryParser.Failure.unbalancedQuote(column: 4)) { try parser.parse("政协 \"两个") }
    }

    @Test func snippetMarksTheMatchOnItsSourceLine() throws {
        let analyzer = try Analyzer()
        let query = try QueryParser(analyzer: analyzer).parse("贺兰县政协机关")
        let result = try Searcher(index: Corpus.index).search(query, limit: 1)
        let document = Corpus.index.document(result.hits[0].doc)
        let snippet = try #require(SnippetBuilder(analyzer: analyzer).snippets(for: document, groups: result.matcherGroups).first)
        // The first match in the source is hard-wrapped over lines 408–410 (贺兰县政 / blank / 协机关)…
        // …but the best passage is the one at line 398 that holds it whole.
        #expect(snippet.lineStart == 398)
        #expect(snippet.marked(open: "[", close: "]").hasPrefix("近年来，[贺兰县政协机关]认真学习"))
    }

    @Test func snippetJoinsHardWrapsAndMarksLetterSpacedWords() throws {
        let analyzer = try Analyzer()
        let query = try QueryParser(analyzer: analyzer).parse("奋力跑好推动落实")
        let result = try Searcher(index: Corpus.index).search(query, limit: 1)
        let document = Corpus.index.document(result.hits[0].doc)
        let snippet = try #require(SnippetBuilder(analyzer: analyzer).snippets(for: document, groups: result.matcherGroups).first)
        #expect(snippet.lineStart == 747)
        #expect(snippet.marked(open: "[", close: "]").hasPrefix("[奋 力 跑 好 推 动 落 实]“ 第 一棒”。要对政协年度协商调研计划"))
    }
}
