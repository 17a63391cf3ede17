import Foundation
import Testing
@testable import Analysis

/// Word discovery on a synthetic text whose words are known: frequent, cohesive sequences with
/// varied neighbours are proposed, best first; fixed contexts, chance neighbours and function
/// characters are not.
@Suite struct WordDiscoveryTests {
    /// Two-character filler words: none holds a single character, so none is a candidate.
    static let fillers = ["学习", "工作", "发展", "建设", "群众", "委员", "政协", "协商", "经济", "文化", "社会", "生态", "民生", "基层", "制度", "机制"]

    static func corpus() -> WordDiscovery {
        let f = fillers
        var discovery = WordDiscovery()
        // Words: 构建 12 times, 助推 8 times, 近年来 5 times, each between different neighbours.
        for i in 0..<12 { discovery.add(run: [f[i], "构", "建", f[(i + 5) % 16]]) }
        for i in 0..<8 { discovery.add(run: [f[(i + 2) % 16], "助", "推", f[(i + 9) % 16]]) }
        for i in 0..<5 { discovery.add(run: [f[(i + 3) % 16], "近年", "来", f[(i + 11) % 16]]) }
        // Not words: 作者系 always before the same word (right entropy 0) …
        for _ in 0..<6 { discovery.add(run: ["作者", "系", "甲乙"]) }
        // … 的人 holds a function character …
        for i in 0..<6 { discovery.add(run: [f[i], "的", "人", f[15 - i]]) }
        // … and 县 委, each frequent, stand together only as often as chance has them.
        for i in 0..<30 {
            discovery.add(run: [f[i % 16], "县", f[(i + 7) % 16]])
            discovery.add(run: [f[(i + 3) % 16], "委", f[(i + 1) % 16]])
        }
        for i in 0..<3 { discovery.add(run: [f[i + 4], "县", "委", f[i + 8]]) }
        return discovery
    }

    @Test func proposesTheKnownWordsBestFirst() {
        let proposed = Self.corpus().candidates()
        #expect(proposed.map(\.word) == ["构建", "助推", "近年来"])
        #expect(proposed.map(\.count) == [12, 8, 5])
        #expect(proposed.map(\.units) == [["构", "建"], ["助", "推"], ["近年", "来"]])
        let first = proposed[0]
        // Twelve different neighbours on each side: ln 12.
        #expect(abs(first.leftEntropy - 2.4849) < 1e-3 && abs(first.rightEntropy - 2.4849) < 1e-3)
        #expect(abs(first.score - log(12) * first.cohesion * first.leftEntropy) < 1e-9)
        #expect(proposed[0].score > proposed[1].score && proposed[1].score > proposed[2].score)
    }

    @Test func leavesOutKnownWordsAndHonoursTheOptions() {
        var discovery = Self.corpus()
        #expect(discovery.candidates(excluding: ["助推"]).map(\.word) == ["构建", "近年来"])
        discovery.options.minimumCount = 6
        #expect(discovery.candidates().map(\.word) == ["构建", "助推"])
        discovery.options.minimumCount = 3
        discovery.options.maximumLength = 2
        #expect(discovery.candidates().map(\.word) == ["构建", "助推"])
    }

    @Test func readsRunsFromTokensAndStopsAtGaps() throws {
        let analyzer = try Analyzer(dictionary: UserDictionary())
        var discovery = WordDiscovery()
        // Punctuation splits runs: 建 and 助 never stand together here, so with 构建 and 助推 seen
        // three times each, only they are proposed.
        for _ in 0..<3 { discovery.add(analyzer.analyze("构建，助推")) }
        #expect(discovery.unitCount == 12)
        #expect(discovery.characterCount == 12)
        var options = WordDiscovery.Options()
        options.minimumEntropy = 0
        discovery.options = options
        #expect(Set(discovery.candidates().map(\.word)) == ["构建", "助推"])
    }
}
