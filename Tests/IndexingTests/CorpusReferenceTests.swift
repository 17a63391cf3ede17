import Foundation
import Testing
@testable import Indexing

/// How a commit point names its corpus: relative to the index directory when they share a parent
/// below the root, absolute otherwise, and resolved back to the same directory.
@Suite struct CorpusReferenceTests {
    @Test(arguments: [
        ("/work/project/corpus", "/work/project/.committee-search", "../corpus"),
        ("/work/project/data/2026/journals", "/work/project/.committee-search", "../data/2026/journals"),
        ("/work/a/corpus", "/work/b/c/index", "../../../a/corpus"),
        ("/work/project/.committee-search/corpus", "/work/project/.committee-search", "corpus"),
        ("/work/project", "/work/project/.committee-search", ".."),
        ("/work/project", "/work/project", "."),
        ("/srv/corpus", "/home/u/index", "/srv/corpus"),
        ("/work/p/./x/../corpus/", "/work/p/idx/", "../corpus"),
        ("/数据/语料", "/数据/索引", "../语料"),
    ])
    func makesAndResolves(corpus: String, index: String, reference: String) throws {
        let made = CorpusReference.make(corpus: URL(fileURLWithPath: corpus), index: URL(fileURLWithPath: index))
        #expect(made == reference)
        let resolved = try #require(CorpusReference.resolve(made, index: URL(fileURLWithPath: index)))
        #expect(resolved.path == URL(fileURLWithPath: corpus).standardizedFileURL.path)
    }

    @Test func nothingRecordedResolvesToNothing() {
        #expect(CorpusReference.resolve("", index: URL(fileURLWithPath: "/work/idx")) == nil)
    }
}
