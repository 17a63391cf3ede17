import Analysis
import ICUText
import Indexing
import Testing
@testable import Search

/// Traditional and simplified characters search alike, both ways.
@Suite struct VariantFoldingTests {
    @Test func traditionalFoldsToSimplifiedWithoutBreakingSimplifiedWords() throws {
        let normalizer = try TextNormalizer()
        #expect(normalizer.normalize("兩個薄弱 協商議事室 政協委員 臺灣").string == "两个薄弱 协商议事室 政协委员 台湾")
        // Characters simplified Chinese also uses stay as they are.
        #expect(normalizer.normalize("乾坤 著作").string == "乾坤 著作")
        #expect(VariantFolding.simplify(0x570B) == 0x56FD)  // 國 → 国
        #expect(VariantFolding.simplify(0x0041) == 0x0041)
    }

    @Test(arguments: [("兩個薄弱", "两个薄弱"), ("協商議事室", "协商议事室"), ("政協委員履職", "政协委员履职"), ("周一早學", "周一早学")])
    func traditionalQueryFindsTheSameArticles(traditional: String, simplified: String) throws {
        let parser = QueryParser(analyzer: try Analyzer())
        let searcher = Searcher(index: Corpus.defaultIndex)
        let a = try searcher.search(try parser.parse(traditional), limit: 50)
        let b = try searcher.search(try parser.parse(simplified), limit: 50)
        #expect(a.totalHits > 0)
        #expect(a.hits.map(\.doc) == b.hits.map(\.doc))
        #expect(a.hits.map(\.score) == b.hits.map(\.score))
    }

    @Test func simplifiedQueryFindsTraditionalText() throws {
        let builder = try IndexBuilder(bigrams: true)
        builder.add(path: "trad.txt", bytes: Array("□ 陳大文\n\n縣政協破解「兩個薄弱」問題，建設協商議事室。\n".utf8))
        builder.add(path: "simp.txt", bytes: Array("□ 李四\n\n县政协开展读书活动。\n".utf8))
        let index = builder.finish()
        let parser = QueryParser(analyzer: try Analyzer())
        for query in ["两个薄弱", "协商议事室", "陈大文"] {
            let hits = try Searcher(index: index).search(try parser.parse(query)).hits
            #expect(hits.map { index.document($0.doc).file } == ["trad.txt"], "\(query)")
        }
        // Snippets show the text as printed.
        let result = try Searcher(index: index).search(try parser.parse("两个薄弱"))
        let snippet = try #require(SnippetBuilder(analyzer: try Analyzer()).snippets(for: index.document(result.hits[0].doc), groups: result.matcherGroups).first)
        #expect(snippet.marked(open: "[", close: "]").contains("[兩個薄弱]"))
    }
}
