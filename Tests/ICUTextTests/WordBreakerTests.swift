import Testing
@testable import ICUText

@Suite struct WordBreakerTests {
    @Test func splitsChineseWithTheDictionary() throws {
        let breaker = try WordBreaker()
        let text = "政协委员履职"
        let words = try breaker.spans(of: text).filter { $0.kind != .none }.map { span in
            String(decoding: Array(text.utf8)[span.start..<span.end], as: UTF8.self)
        }
        #expect(words.joined() == text)
        #expect(words.contains("政协"))
        #expect(words.contains("委员"))
    }

    @Test func reportsByteOffsetsAndKinds() throws {
        let breaker = try WordBreaker()
        let spans = try breaker.spans(of: "30% AB角")
        #expect(spans.first == WordSpan(start: 0, end: 2, kind: .number))
        #expect(spans.contains(WordSpan(start: 4, end: 6, kind: .letter)))
        #expect(spans.last?.end == "30% AB角".utf8.count)
    }

    @Test func emptyTextHasNoSpans() throws {
        #expect(try WordBreaker().spans(of: "").isEmpty)
    }

    @Test func foldsFullWidthAndCase() throws {
        let folder = try CompatibilityFolder()
        #expect(folder.fold("１２３ＡＢＣ，Ｔｖ") == "123abc,tv")
        #expect(folder.fold("政协") == "政协")
        #expect(folder.fold("\u{3000}") == " ")
    }
}
