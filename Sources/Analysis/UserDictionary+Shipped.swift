extension UserDictionary {
    /// The shipped domain dictionary, used when no other is given (see `shippedText`).
    public static let shipped = UserDictionary(parsing: shippedText, source: "shipped dictionary")

    /// The shipped domain dictionary in its file format: general political-consultative (政协)
    /// vocabulary that ICU's dictionary lacks or cuts, written from the domain, not from the
    /// corpus or its gold segmentation (see the README, "Domain dictionary").
    public static let shippedText = """
        # The shipped domain dictionary: words of political-consultative (政协) writing that ICU's
        # dictionary does not know or cuts wrongly. One word per line, optionally followed by a weight
        # (default 1; a higher weight is preferred more strongly over ICU's own cut; 0 switches a word
        # off). Words, not phrases: abbreviations, domain verbs and nouns, suffix compounds (-会 -组 -化
        # -界), fixed names and slogans, and four-character set phrases whose halves are not both free
        # words. Compounds of free words (政协委员, 高质量发展, 建言献策) are left to the segmenter.

        # 机构与组织（简称）
        政协
        统战
        统战部
        党建
        党组
        党工委
        党总支
        党支部
        党组织
        纪委
        监委
        纪检
        网信办
        常委会
        全委会
        专委会
        区委会
        市委会
        省委会
        秘书长
        民革
        民盟
        民建
        民进
        农工党
        致公党
        九三学社
        台盟
        民主党派
        无党派人士
        参政党
        工商联
        侨联
        台联
        妇联
        科协
        文联
        作协
        社科联
        残联
        提案委
        经济委
        财经委
        文史委
        学习委
        社法委
        民宗委
        港澳台侨
        港澳台侨委
        农业农村委
        教科卫体委
        人资环委
        联络委
        两会
        三农
        四风
        党代会
        人代会
        中共中央
        党中央
        智库

        # 委员与界别
        委员
        常委
        界别
        界别组
        经济界
        农业界
        教育界
        科技界
        文艺界
        医卫界
        社科界
        宗教界
        工商界
        体育界
        新闻界
        提案人
        建议案
        调研组
        视察团
        考察团
        联络组
        宣讲团

        # 协商、监督、议政
        协商
        议政
        参政
        资政
        建言
        献策
        履职
        尽责
        述职
        驻会
        特邀
        调研
        视察
        督办
        督查
        督导
        会办
        领办
        交办
        对标
        对表
        领学
        包抓
        包联
        蹲点
        结对
        帮扶
        宣讲
        议事会
        恳谈会
        协商会
        议政会
        社情民意
        书香政协
        两个薄弱
        两个确立
        两个维护
        四个意识
        四个自信
        五位一体
        四位一体
        一岗双责
        三会一课
        统一战线
        凝心聚力
        凝心铸魂
        聚同化异
        求同存异
        同心同向
        同心同德

        # 工作用语
        落实
        质效
        实效
        赋能
        发力
        聚力
        助力
        抓手
        台账
        闭环
        短板
        弱项
        堵点
        痛点
        初心
        党性
        主责
        主业
        主责主业
        提质增效
        提档升级
        提速增效
        增比进位
        落地见效
        落地生根
        见行见效
        落到实处
        真抓实干
        求真务实
        守正创新
        久久为功
        善作善成
        笃行不怠
        踔厉奋发
        勇毅前行
        学思践悟
        深学细悟
        以学促干
        强基固本
        固本培元
        正本清源
        比学赶超
        先试先行
        重中之重
        国计民生
        雷打不动
        风清气正
        以人为本
        扶贫济困
        高屋建瓴
        承上启下
        与时俱进
        实事求是
        集思广益
        群策群力
        以文化人
        以史资政
        常态化
        制度化
        规范化
        程序化
        数字化
        信息化
        一体化
        """
}
