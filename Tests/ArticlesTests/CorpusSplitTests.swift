import Foundation
import Testing
import Articles

// Expectations for the five real issues in corpus/, each value read off the file by hand.
//
// Conventions (from the doc comments of `Article`):
// - `lineRanges` hold every non-blank line an article owns: column labels and collection
//   headings printed above its title, title, subtitle, byline, body, `(作者系…)` note, and a
//   header printed after the body (speech collections).
// - `bodyLines` run from the first to the last line of the article's own text, closing
//   `(作者系…)` note included (a note may also sit inline at the end of the last paragraph, so
//   counting it keeps both forms alike). Column labels above the title are not body, nor is a
//   collection's credits line (`（文字整理 …）`), which names no one speech.

private let file000 = "000_07fd9a4553e8b7fc.txt"
private let file001 = "001_bb5a2362460d8721.txt"
private let file002 = "002_bd535ec7de264e72.txt"
private let file003 = "003_a0e3353743ab7c90.txt"
private let file004 = "004_0e00348c40e7e77d.txt"

/// 000: `□ 姓名` bylines, a `——` subtitle, notes on their own line and one inline (line 47), and
/// the last article's title and byline printed after its text at the end of the file (87–89).
let corpus000: [ExpectedArticle] = [
    .init(file: file000, ordinal: 0, title: "以“有为”彰显价值 以“创新”赋能质效",
          subtitle: "张掖市政协着力破解“两个薄弱”问题的实践探索",
          author: "周均发", affiliation: "张掖市政协党组书记、主席", bodyLines: 9...23, lineRanges: [3...23]),
    .init(file: file000, ordinal: 1, title: "学深悟透重要论述 全力助推“三农”工作",
          author: "张新祉", affiliation: "通渭县政协党组书记、主席", bodyLines: 29...47, lineRanges: [25...47]),
    .init(file: file000, ordinal: 2, title: "凝心聚力促发展 为加快建设幸福美好新岷县凝心聚力",
          author: "王晓玲", affiliation: "岷县政协党组书记、主席", bodyLines: 53...69, lineRanges: [49...69]),
    .init(file: file000, ordinal: 3, title: "奋力推动新时代政协事业创新发展 突出六个重点 实施六大举措",
          author: "李锋", affiliation: "华亭市政协党组书记、主席", bodyLines: 71...85, lineRanges: [71...89]),
]

/// 001: Markdown; a `#` collection title with a `##` `——` subtitle (lines 5, 7, owned by the
/// first article), `###` titles over `职务 姓名` lines, `####` sections. Lines 29–39 are a page
/// of the LAST speech (钮兴辉, 凝聚共识) printed out of order: line 155 breaks off in
/// `#### 一、坚持在加强党的领导中凝聚` and line 29 goes on `共识。市县两级政协党组…`, followed by
/// that speech's sections 二、三、四 (all 凝聚共识). So the first speech (韩咏梅, 三级协作) ends at
/// line 27 and 钮兴辉 owns 29–39 and 145–155; his body spans 29…155 as a closed range.
let corpus001: [ExpectedArticle] = [
    .init(file: file001, ordinal: 0, title: "探索三级协作新实践 同唱助力发展一台戏",
          author: "韩咏梅", affiliation: "省政协财政经济委员会主任、党组成员", bodyLines: 13...27, lineRanges: [5...27]),
    .init(file: file001, ordinal: 1, title: "以“双联双服”工作站推动基层协商走深走实",
          author: "崔敬民", affiliation: "滦州市政协主席、党组书记", bodyLines: 45...55, lineRanges: [41...55]),
    .init(file: file001, ordinal: 2, title: "党建引领 创新驱动 务实破解基层政协“两个薄弱”",
          author: "李贤明", affiliation: "定兴县政协主席、党组书记", bodyLines: 61...77, lineRanges: [57...77]),
    .init(file: file001, ordinal: 3, title: "提升委员专业化水平 引导委员精准履职",
          author: "闫五一", affiliation: "秦皇岛市政协主席、党组书记", bodyLines: 83...107, lineRanges: [79...107]),
    .init(file: file001, ordinal: 4, title: "聚焦薄弱环节 提升履职能力 推动新时代市县政协工作再上新台阶",
          author: "李俊岭", affiliation: "保定市政协主席、党组书记", bodyLines: 113...123, lineRanges: [109...123]),
    .init(file: file001, ordinal: 5, title: "以党建促履职 加强和改进新时代市县政协工作",
          author: "李勤芳", affiliation: "邯郸市复兴区政协主席、党组书记", bodyLines: 129...143, lineRanges: [125...143]),
    .init(file: file001, ordinal: 6, title: "拓展途径 探索方法 加强新时代人民政协凝聚共识工作",
          author: "钮兴辉", affiliation: "衡水市政协主席、党组书记", bodyLines: 29...155, lineRanges: [29...39, 145...155]),
]

/// 002: Markdown `##` titles, `□ 姓名`, inline `（作者系…）` notes; column labels
/// `学习贯彻全国两会精神`/`履职思考` (3, 5) and `学习笔记` (39) above titles.
let corpus002: [ExpectedArticle] = [
    .init(file: file002, ordinal: 0, title: "学思践悟笃行实干 以更强担当推动政协工作再上新台阶",
          author: "向钧", affiliation: "张掖市高台县政协党组书记、主席", bodyLines: 11...19, lineRanges: [3...19]),
    .init(file: file002, ordinal: 1, title: "对政协委员“三抓三促”履职要求的再认识",
          author: "鲁维俭", affiliation: "山丹县政协党组书记、主席", bodyLines: 25...37, lineRanges: [21...37]),
    .init(file: file002, ordinal: 2, title: "全面发展协商民主 彰显县区政协作为",
          author: "孟寿堂", affiliation: "天祝县政协党组书记、主席", bodyLines: 45...57, lineRanges: [39...57]),
    .init(file: file002, ordinal: 3, title: "抓党建强保障推动政协工作提质增效",
          author: "黎辉", affiliation: "临洮县政协党组书记、主席", bodyLines: 63...75, lineRanges: [59...75]),
]

/// 003: plain text, column labels (3, 5, 7, 50, 70), a two-line title (9–10), `□ 姓名`,
/// notes on their own line, section headings inside the last article (78, 84, 90).
let corpus003: [ExpectedArticle] = [
    .init(file: file003, ordinal: 0, title: "全面贯彻党的二十大精神 系统推进人民政协事业高质量发展",
          author: "张君明", affiliation: "西固区政协党组书记、主席", bodyLines: 14...32, lineRanges: [3...32]),
    .init(file: file003, ordinal: 1, title: "以「四强化」为抓手 坚持党建引领提升履职实效",
          author: "黎辉", affiliation: "临洮县政协党组书记、主席", bodyLines: 38...48, lineRanges: [34...48]),
    .init(file: file003, ordinal: 2, title: "深入开展“三抓三促”行动 努力推动政协工作提质增效",
          author: "寇伟家", affiliation: "民乐县政协党组书记、副主席", bodyLines: 56...68, lineRanges: [50...68]),
    .init(file: file003, ordinal: 3, title: "优化创新方式方法加强和改进调研工作",
          author: "刘增梅", affiliation: "肃北县政协办公室干部", bodyLines: 76...94, lineRanges: [70...94]),
]

/// 004: hard-wrapped speech collection. Editor's note (2–6) under the collection title and
/// `——` subtitle (7–8); then runs of bodies followed by runs of `title / 职务 姓名` headers:
/// 3 bodies → 3 headers (292–299), 1 → 1 (395–396), 2 → 2 (587–591), 1 → 1 (691–692),
/// 2 → 2 (891–895), then the credits line 897. Each body was matched to its header by the
/// county or unit it names (民革宁夏, 石嘴山, 吴忠, —, 贺兰, 平罗, 盐池, 原州, 海原).
let corpus004: [ExpectedArticle] = [
    .init(file: file004, ordinal: 0, title: "当好一流参谋 做好一流“中枢”推进政协工作创新发展",
          subtitle: "全区政协秘书长（办公室主任）工作交流座谈会发言摘编",
          author: nil, affiliation: nil, bodyLines: 2...6, lineRanges: [2...8]),
    .init(file: file004, ordinal: 1, title: "进一步发挥民主党派在人民政协中的重要作用",
          author: "徐勇", affiliation: "自治区政协副秘书长、民革宁夏区委会副主委", bodyLines: 10...100, lineRanges: [10...100, 292...293]),
    .init(file: file004, ordinal: 2, title: "坚持五个“干事”打造“五型”机关",
          author: "李小宏", affiliation: "石嘴山市政协秘书长", bodyLines: 102...194, lineRanges: [102...194, 295...296]),
    .init(file: file004, ordinal: 3, title: "加强政协机关干部队伍建设 服务政协履职提质增效",
          author: "袁宗辉", affiliation: "吴忠市政协办公室主任", bodyLines: 196...290, lineRanges: [196...290, 298...299]),
    .init(file: file004, ordinal: 4, title: "立足本职 以过硬担当作为提升履职成效",
          author: "魏小宝", affiliation: "兴庆区政协秘书长、办公室主任", bodyLines: 301...393, lineRanges: [301...396]),
    .init(file: file004, ordinal: 5, title: "聚焦“四强化四常态”干出新时代政协机关新样子",
          author: "马江丽", affiliation: "贺兰县政协办公室副主任", bodyLines: 398...492, lineRanges: [398...492, 587...588]),
    .init(file: file004, ordinal: 6, title: "强化服务保障 全面推动政协工作高质量发展",
          author: "张斌", affiliation: "平罗县政协秘书长", bodyLines: 494...585, lineRanges: [494...585, 590...591]),
    .init(file: file004, ordinal: 7, title: "紧扣发展脉搏 广泛凝聚共识",
          author: "王玉标", affiliation: "盐池县政协秘书长、办公室主任", bodyLines: 593...689, lineRanges: [593...692]),
    .init(file: file004, ordinal: 8, title: "突出“五个第一”提升机关工作质效",
          author: "王晓杰", affiliation: "原州区政协办公室主任", bodyLines: 694...791, lineRanges: [694...791, 891...892]),
    .init(file: file004, ordinal: 9, title: "加强两支队伍建设 提升基层履职效能",
          author: "包国成", affiliation: "海原县政协秘书长、办公室主任", bodyLines: 793...889, lineRanges: [793...889, 894...897]),
]

/// One corpus file and its expected articles, for the whole-file tests.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    var file: String
    var expected: [ExpectedArticle]
    var testDescription: String { file }

    static let all: [CorpusCase] = [
        .init(file: file000, expected: corpus000),
        .init(file: file001, expected: corpus001),
        .init(file: file002, expected: corpus002),
        .init(file: file003, expected: corpus003),
        .init(file: file004, expected: corpus004),
    ]
}

@Suite struct CorpusSplitTests {
    private func split(_ file: String) throws -> [Article] {
        IssueSplitter().split(file: file, bytes: try Inputs.corpus(file))
    }

    @Test(arguments: corpus000) func issue000(_ expected: ExpectedArticle) throws {
        check(expected, in: try split(expected.file))
    }

    @Test(arguments: corpus001) func issue001(_ expected: ExpectedArticle) throws {
        let articles = try split(expected.file)
        // Lines 29–39 are a page of the last speech printed inside the first one (line 155 breaks
        // off at 凝聚, line 29 goes on 共识。). The splitter does not move pages yet.
        if expected.ordinal == 0 || expected.ordinal == 6 {
            withKnownIssue("a page printed out of order stays with the article it is printed in") {
                check(expected, in: articles)
            }
        } else {
            check(expected, in: articles)
        }
    }

    @Test(arguments: corpus002) func issue002(_ expected: ExpectedArticle) throws {
        check(expected, in: try split(expected.file))
    }

    @Test(arguments: corpus003) func issue003(_ expected: ExpectedArticle) throws {
        check(expected, in: try split(expected.file))
    }

    @Test(arguments: corpus004) func issue004(_ expected: ExpectedArticle) throws {
        check(expected, in: try split(expected.file))
    }

    /// The full list, in order: no article missing, none extra.
    @Test(arguments: CorpusCase.all) func articleList(_ corpus: CorpusCase) throws {
        checkOrder(corpus.expected, try split(corpus.file))
    }

    /// Every non-blank line belongs to exactly one article; no range has a blank edge.
    @Test(arguments: CorpusCase.all) func coverage(_ corpus: CorpusCase) throws {
        let bytes = try Inputs.corpus(corpus.file)
        checkInvariants(file: corpus.file, bytes: bytes, articles: IssueSplitter().split(file: corpus.file, bytes: bytes))
    }

    /// The five files are all there (a moved corpus would otherwise fail every test obscurely).
    @Test func corpusIsWhereTheTestsLook() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Inputs.corpusDirectory.path)
        for corpus in CorpusCase.all { #expect(names.contains(corpus.file)) }
    }
}
