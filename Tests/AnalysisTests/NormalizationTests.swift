import Testing
@testable import Analysis

/// Lines taken from the corpus (and their shapes), normalised and segmented.
@Suite struct NormalizationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var input: String
        var normalized: String
        var terms: [String]
        var testDescription: String { input.debugDescription }
    }

    static let cases: [Case] = [
        // A word hard-wrapped across a blank line, and across a plain line break.
        Case(input: "今年以来，贺兰县政\n\n协机关健全完善", normalized: "今年以来,贺兰县政协机关健全完善",
             terms: ["今年", "以来", "贺兰", "县", "政协", "机关", "健全", "完善"]),
        Case(input: "参加中国共产党领导的政\n治协商", normalized: "参加中国共产党领导的政治协商",
             terms: ["参加", "中国", "共产", "党", "领导", "的", "政治协商"]),
        // A sentence end before the break keeps the break.
        Case(input: "效提供了组织保证。\n以学习教育为先", normalized: "效提供了组织保证。\n以学习教育为先",
             terms: ["效", "提供", "了", "组织", "保证", "以", "学习", "教育", "为", "先"]),
        // Letter-spacing, with quotes and a wrapped line.
        Case(input: "奋 力 跑 好 推 动 落 实“ 第 一\n棒”。", normalized: "奋力跑好推动落实第一棒”。",
             terms: ["奋力", "跑", "好", "推动", "落实", "第一", "棒"]),
        Case(input: "（文字整理 罗 鸣 图片拍摄 罗 鸣）", normalized: "(文字整理 罗鸣 图片拍摄 罗鸣)",
             terms: ["文字", "整理", "罗", "鸣", "图片", "拍摄", "罗", "鸣"]),
        Case(input: "训 ，不 断 拓 宽 机 关 干 部 发 展 视", normalized: "训,不断拓宽机关干部发展视",
             terms: ["训", "不断", "拓", "宽", "机关", "干部", "发展", "视"]),
        // Two multi-character words stay apart; a name after an office joins only its letters.
        Case(input: "副主委 徐 勇", normalized: "副主委 徐勇", terms: ["副", "主委", "徐", "勇"]),
        // 赋能 and 质效 are dictionary words: each is kept whole and indexed with its parts.
        Case(input: "以“有为”彰显价值 以“创新”赋能质效", normalized: "以有为彰显价值 以创新赋能质效",
             terms: ["以", "有", "为", "彰显", "价值", "以", "创新", "赋能", "赋", "能", "质效", "质", "效"]),
        // Quotes inside a name.
        Case(input: "以“临”距离协商”品牌建设", normalized: "以临距离协商品牌建设",
             terms: ["以", "临", "距离", "协商", "品牌", "建设"]),
        // Markdown.
        Case(input: "### 探索三级协作新实践", normalized: "探索三级协作新实践", terms: ["探索", "三", "级", "协作", "新", "实践"]),
        Case(input: "**一、全面学习领会。**要坚持", normalized: "一、全面学习领会。要坚持",
             terms: ["一", "全面", "学习", "领会", "要", "坚持"]),
        // Full width, numbers, Latin and mixed tokens.
        Case(input: "只有３０％左右", normalized: "只有30%左右", terms: ["只有", "30", "左右"]),
        Case(input: "4.5亿元", normalized: "4.5亿元", terms: ["4.5", "亿", "元"]),
        Case(input: "“1126+N”", normalized: "“1126+n”", terms: ["1126", "n"]),
        // A quote next to a Latin letter is kept (it is a boundary there anyway).
        Case(input: "事务性工作“ＡＢ角”", normalized: "事务性工作“ab角”", terms: ["事务", "性", "工作", "ab", "角"]),
        Case(input: "强国 TV、读书分享", normalized: "强国 tv、读书分享", terms: ["强国", "tv", "读书", "分享"]),
        Case(input: "e联网", normalized: "e联网", terms: ["e", "联", "网"]),
        // English words wrapped across lines keep a boundary.
        Case(input: "hello\nworld", normalized: "hello\nworld", terms: ["hello", "world"]),
        Case(input: "", normalized: "", terms: []),
        Case(input: "  \n\n  ", normalized: "", terms: []),
    ]

    @Test(arguments: cases)
    func normalisesAndSegments(_ c: Case) throws {
        let analyzer = try Analyzer()
        let normalized = analyzer.normalizer.normalize(c.input)
        #expect(normalized.string == c.normalized)
        #expect(analyzer.tokens(of: normalized).map(\.term) == c.terms)
    }

    /// The text alone (what indexing reads) is the text of the full normalisation, also with a
    /// standalone line, a folding to several scalars and invalid bytes; and the full one after
    /// it still maps every byte.
    @Test(arguments: cases.map(\.input) + ["㈱ＡＢ  \r\n## 标题\n\n正文ﬁ   ", "政\u{FFFD}协 \u{1F600} 𠀋𠀋"])
    func theTextAloneIsTheFullNormalisationsText(_ input: String) throws {
        let normalizer = try TextNormalizer()
        var utf8: [UInt8] = [0x41]
        normalizer.normalize(input, into: &utf8)
        #expect(utf8 == normalizer.normalize(input).utf8)
        let bytes = Array(input.utf8)
        var lines = TextNormalizer.lines(of: bytes)
        if !lines.isEmpty { lines[0].standsAlone = true }
        normalizer.normalize(lines: lines, in: bytes, into: &utf8)
        let full = normalizer.normalize(lines: lines, in: bytes)
        #expect(utf8 == full.utf8)
        #expect(full.sourceOffsets.count == full.utf8.count)
    }

    @Test func tokensCarryPositionsAndByteRanges() throws {
        let analyzer = try Analyzer()
        let tokens = analyzer.analyze("政协委员 30% AB角")
        #expect(tokens == [
            Token(term: "政协", start: 0, end: 6, position: 0, kind: .ideographic),
            Token(term: "委员", start: 6, end: 12, position: 1, kind: .ideographic),
            Token(term: "30", start: 13, end: 15, position: 2, kind: .number),
            Token(term: "ab", start: 17, end: 19, position: 3, kind: .letter),
            Token(term: "角", start: 19, end: 22, position: 4, kind: .ideographic),
        ])
    }

    @Test func mapsEveryByteBackToItsSource() throws {
        let normalizer = try TextNormalizer()
        let source = "贺兰县政\n\n协机关，ＡＢ角"
        let normalized = normalizer.normalize(source)
        let bytes = Array(source.utf8)
        // 政 and 协 come from either side of the blank lines.
        let zheng = normalized.utf8.firstIndex(of: Array("政".utf8)[0])!
        #expect(Int(normalized.sourceOffsets[zheng]) == 9)
        let xie = zheng + 3
        #expect(String(decoding: bytes[Int(normalized.sourceOffsets[xie])..<Int(normalized.sourceOffsets[xie]) + 3], as: UTF8.self) == "协")
        // The folded comma maps to the full-width one.
        let comma = normalized.utf8.firstIndex(of: UInt8(ascii: ","))!
        #expect(String(decoding: bytes[Int(normalized.sourceOffsets[comma])..<Int(normalized.sourceOffsets[comma]) + 3], as: UTF8.self) == "，")
        #expect(normalized.sourceOffsets.count == normalized.utf8.count)
    }

    @Test func headingsAreNotJoinedToText() throws {
        let normalizer = try TextNormalizer()
        let bytes = Array("细化流程规范调研活动\n针对此前调研".utf8)
        let lines = TextNormalizer.lines(of: bytes)
        let joined = normalizer.normalize(lines: lines, in: bytes)
        #expect(joined.string == "细化流程规范调研活动针对此前调研")
        var separate = lines
        separate[0].standsAlone = true
        #expect(normalizer.normalize(lines: separate, in: bytes).string == "细化流程规范调研活动\n针对此前调研")
    }

    @Test func invalidUTF8DecodesAsReplacement() throws {
        let normalizer = try TextNormalizer()
        let bytes: [UInt8] = [0xE6, 0x94, 0xBF, 0xFF, 0xE5]
        let normalized = normalizer.normalize(lines: TextNormalizer.lines(of: bytes), in: bytes)
        #expect(normalized.string == "政\u{FFFD}\u{FFFD}")
    }
}
