import Testing
@testable import Articles

/// Markdown markers dropped from a line before it is classified, and spaces trimmed at both ends.
@Suite struct StripMarkdownTests {
    @Test(arguments: [
        ("# 标题", "标题", true),
        ("###### 六级", "六级", true),
        ("####### 七级", "####### 七级", false),
        ("#无空格", "#无空格", false),
        ("> 引文", "引文", false),
        ("  正文  ", "正文", false),
        ("\u{3000}\u{3000}段首缩进", "段首缩进", false),
        ("**加粗** 文字", "加粗 文字", false),
        ("** 标题**", "标题", false),
        ("正文 **", "正文", false),
        ("2*3=6", "2*3=6", false),
        ("", "", false),
    ])
    func strips(_ raw: String, _ expected: String, _ heading: Bool) {
        let (text, isHeading) = IssueSplitter.stripMarkdown(raw)
        #expect(text == expected)
        #expect(isHeading == heading)
    }
}
