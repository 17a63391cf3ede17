import Testing
@testable import Analysis

/// Words the dictionary keeps whole: ICU's pieces re-joined, wrong boundaries re-cut, and the
/// parts indexed alongside (search mode), with byte ranges and positions.
@Suite struct DictionarySegmentationTests {
    static func word(_ term: String, _ start: Int, _ end: Int, _ position: Int) -> Token {
        Token(term: term, start: start, end: end, position: position, kind: .ideographic)
    }
    static func whole(_ term: String, _ start: Int, _ end: Int, _ position: Int) -> Token {
        Token(term: term, start: start, end: end, position: position, kind: .ideographic, role: .whole)
    }
    static func part(_ term: String, _ start: Int, _ end: Int, _ position: Int) -> Token {
        Token(term: term, start: start, end: end, position: position, kind: .ideographic, role: .part)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        /// ICU alone, as the issue reports it.
        var icu: [String]
        /// With the shipped dictionary: every token.
        var tokens: [Token]
        var testDescription: String { text }
    }

    /// The examples: single characters re-joined, and ICU's wrong boundaries re-cut.
    static let cases: [Case] = [
        Case(text: "履职", icu: ["履", "职"], tokens: [whole("履职", 0, 6, 0), part("履", 0, 3, 0), part("职", 3, 6, 1)]),
        Case(text: "调研", icu: ["调", "研"], tokens: [whole("调研", 0, 6, 0), part("调", 0, 3, 0), part("研", 3, 6, 1)]),
        Case(text: "界别", icu: ["界", "别"], tokens: [whole("界别", 0, 6, 0), part("界", 0, 3, 0), part("别", 3, 6, 1)]),
        Case(text: "专委会", icu: ["专", "委", "会"],
             tokens: [whole("专委会", 0, 9, 0), part("专", 0, 3, 0), part("委", 3, 6, 1), part("会", 6, 9, 2)]),
        Case(text: "社情民意", icu: ["社", "情", "民意"],
             tokens: [whole("社情民意", 0, 12, 0), part("社", 0, 3, 0), part("情", 3, 6, 1), part("民意", 6, 12, 2)]),
        Case(text: "两个薄弱", icu: ["两", "个", "薄弱"],
             tokens: [whole("两个薄弱", 0, 12, 0), part("两", 0, 3, 0), part("个", 3, 6, 1), part("薄弱", 6, 12, 2)]),
        Case(text: "提质增效", icu: ["提", "质", "增", "效"],
             tokens: [whole("提质增效", 0, 12, 0), part("提", 0, 3, 0), part("质", 3, 6, 1), part("增", 6, 9, 2), part("效", 9, 12, 3)]),
        Case(text: "书香政协", icu: ["书", "香", "政协"],
             tokens: [whole("书香政协", 0, 12, 0), part("书", 0, 3, 0), part("香", 3, 6, 1), part("政协", 6, 12, 2)]),
        // Re-cut: 履职 cuts ICU's 职工; the rest (工 + 作) is segmented again by ICU: 工作.
        Case(text: "履职工作", icu: ["履", "职工", "作"],
             tokens: [whole("履职", 0, 6, 0), part("履", 0, 3, 0), part("职", 3, 6, 1), word("工作", 6, 12, 2)]),
        // Re-cut: 落实 cuts ICU's 实习, leaving 习 (and 近平 as ICU has it).
        Case(text: "落实习近平", icu: ["落", "实习", "近平"],
             tokens: [whole("落实", 0, 6, 0), part("落", 0, 3, 0), part("实", 3, 6, 1), word("习", 6, 9, 2), word("近平", 9, 15, 3)]),
        // Parts keep consecutive positions; what follows a kept-whole word comes after its parts.
        Case(text: "专委会委员", icu: ["专", "委", "会", "委员"],
             tokens: [whole("专委会", 0, 9, 0), part("专", 0, 3, 0), part("委", 3, 6, 1), part("会", 6, 9, 2), word("委员", 9, 15, 3)]),
        // A word ICU already has (政协) stays one token; a dictionary word inside an ICU word (委员
        // in 委员会) does not break it.
        Case(text: "政协委员会", icu: ["政协", "委员", "会"],
             tokens: [word("政协", 0, 6, 0), word("委员", 6, 12, 1), word("会", 12, 15, 2)]),
        // Two dictionary words compete: 常委 (ICU's own word) + 会议 beats 常委会 + a stray 议.
        Case(text: "常委会议", icu: ["常委", "会议"], tokens: [word("常委", 0, 6, 0), word("会议", 6, 12, 1)]),
    ]

    @Test(arguments: cases)
    func keepsDictionaryWordsWhole(_ c: Case) throws {
        let icu = try Analyzer(dictionary: UserDictionary())
        #expect(icu.analyze(c.text).map(\.term) == c.icu)
        let analyzer = try Analyzer()
        #expect(analyzer.analyze(c.text) == c.tokens)
    }

    /// 委员和县政协: ICU reads 和县 (a county). 县政协 at weight 1 does not beat 和县 + 政协 (two
    /// readings of equal cost; ICU's wins the tie); a staff member who wants it gives it weight.
    @Test func weightedWordReCutsAWrongBoundary() throws {
        let text = "委员和县政协"
        #expect(try Analyzer(dictionary: UserDictionary()).analyze(text).map(\.term) == ["委员", "和县", "政协"])
        let plain = try Analyzer(dictionary: UserDictionary.shipped.merging(UserDictionary(parsing: "县政协")))
        #expect(plain.analyze(text).map(\.term) == ["委员", "和县", "政协"])
        let weighted = try Analyzer(dictionary: UserDictionary.shipped.merging(UserDictionary(parsing: "县政协 4")))
        #expect(weighted.analyze(text) == [
            Self.word("委员", 0, 6, 0), Self.word("和", 6, 9, 1),
            Self.whole("县政协", 9, 18, 2), Self.part("县", 9, 12, 2), Self.part("政协", 12, 18, 3),
        ])
    }

    /// Search mode: the words of a text are its `isWord` tokens; phrases, bigrams and field
    /// lengths count its positional ones.
    @Test func searchModeViews() throws {
        let analyzer = try Analyzer()
        let tokens = analyzer.analyze("书香政协读书")
        #expect(tokens.filter(\.isWord).map(\.term) == ["书香政协", "读书"])
        #expect(tokens.filter(\.isPositional).map(\.term) == ["书", "香", "政协", "读书"])
        #expect(tokens.filter(\.isPositional).map(\.position) == [0, 1, 2, 3])
        // Bigrams are the same with or without the dictionary.
        let icu = try Analyzer(dictionary: UserDictionary())
        #expect(Analyzer.characterBigrams(of: tokens) == Analyzer.characterBigrams(of: icu.analyze("书香政协读书")))
        #expect(Analyzer.characterBigrams(of: tokens).map(\.term) == ["书香", "香政", "政协", "协读", "读书"])
    }

    /// Punctuation, numbers and Latin letters bound the runs a dictionary word may span; a word
    /// may still join a letter and ideographs when they touch (界别 + e联网 here stays apart).
    @Test func runsStopAtPunctuationAndKeepOtherKinds() throws {
        let analyzer = try Analyzer()
        #expect(analyzer.analyze("专，委会").map(\.term) == ["专", "委", "会"])
        let mixed = try Analyzer(dictionary: UserDictionary(parsing: "e联网"))
        #expect(mixed.analyze("界别e联网") == [
            Self.word("界", 0, 3, 0), Self.word("别", 3, 6, 1),
            Self.whole("e联网", 6, 13, 2), Token(term: "e", start: 6, end: 7, position: 2, kind: .letter, role: .part),
            Self.part("联", 7, 10, 3), Self.part("网", 10, 13, 4),
        ])
    }

    /// Words are matched in normalised text, so a dictionary written in full-width or traditional
    /// forms still applies.
    @Test func dictionaryWordsAreNormalisedLikeTheText() throws {
        let analyzer = try Analyzer(dictionary: UserDictionary(parsing: "ＡＢ角\n專委會"))
        #expect(analyzer.analyze("ab角").filter(\.isWord).map(\.term) == ["ab角"])
        #expect(analyzer.analyze("专委会").filter(\.isWord).map(\.term) == ["专委会"])
    }

    /// Weight 0 switches a shipped word off.
    @Test func weightZeroSwitchesAWordOff() throws {
        let analyzer = try Analyzer(dictionary: UserDictionary.shipped.merging(UserDictionary(parsing: "履职 0")))
        #expect(analyzer.analyze("履职").map(\.term) == ["履", "职"])
    }

    /// The lattice alone, in characters: pieces and their kinds.
    @Test func latticeChoosesTheCheapestPath() {
        var lattice = WordLattice()
        // 履/职工/作 with 履职: 履职 + 工 (a fragment of 职工) + 作.
        #expect(lattice.segment(length: 4, tokenEnds: [1, 3, 4], matches: [(0, 2, 1)]) == [
            .init(from: 0, to: 2, kind: .word), .init(from: 2, to: 3, kind: .fragment(1)), .init(from: 3, to: 4, kind: .icu(2)),
        ])
        // 经济/委员会 with 经济委: a two-character fragment costs more than the gain.
        #expect(lattice.segment(length: 5, tokenEnds: [2, 5], matches: [(0, 3, 1)]) == [
            .init(from: 0, to: 2, kind: .icu(0)), .init(from: 2, to: 5, kind: .icu(1)),
        ])
        // Equal costs: ICU's cut stands (two words of weight 1 inside one ICU token).
        #expect(lattice.segment(length: 4, tokenEnds: [4], matches: [(0, 2, 1), (2, 4, 1)]) == [.init(from: 0, to: 4, kind: .icu(0))])
        // … unless their weights say otherwise.
        #expect(lattice.segment(length: 4, tokenEnds: [4], matches: [(0, 2, 2), (2, 4, 2)]) == [
            .init(from: 0, to: 2, kind: .word), .init(from: 2, to: 4, kind: .word),
        ])
    }
}
