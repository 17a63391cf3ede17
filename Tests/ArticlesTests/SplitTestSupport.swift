import Foundation
import Testing
import Articles

/// What one article of an issue should come out as. `ordinal` is 0-based, as in `Article`.
struct ExpectedArticle: Sendable, CustomTestStringConvertible {
    var file: String
    var ordinal: Int
    var title: String
    var subtitle: String? = nil
    var titleIsDerived = false
    var author: String?
    var affiliation: String?
    var bodyLines: ClosedRange<Int>
    var lineRanges: [ClosedRange<Int>]

    var testDescription: String { "\(file) #\(ordinal + 1) \(author ?? "-") 《\(title)》" }
}

/// Where the test inputs live.
enum Inputs {
    /// The repository's `corpus/` directory (the five real issues).
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../corpus")
        .standardizedFileURL

    static func corpus(_ name: String) throws -> [UInt8] {
        let url = corpusDirectory.appendingPathComponent(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing corpus file \(url.path)")
        return Array(data)
    }

    /// A file of `Tests/ArticlesTests/Fixtures` (copied into the test bundle).
    static func fixture(_ name: String) throws -> [UInt8] {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures not in the test bundle")
        let url = directory.appendingPathComponent(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing fixture \(name)")
        return Array(data)
    }
}

/// The lines of a buffer, split the way a reader would (`\n`, `\r\n` or `\r`), each with
/// whether it holds anything but white space. Independent of the code under test.
struct PlainLines {
    var texts: [String] = []
    var blank: [Bool] = []

    init(_ bytes: [UInt8]) {
        var start = 0
        var i = 0
        func add(_ end: Int) {
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            texts.append(text)
            blank.append(text.unicodeScalars.allSatisfy { [0x20, 0x09, 0x3000, 0xA0, 0x0D].contains($0.value) })
        }
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                add(i)
                if bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { add(bytes.count) }
    }

    var count: Int { texts.count }
    /// Whether 1-based line `number` is blank.
    func isBlank(_ number: Int) -> Bool { blank[number - 1] }
    var nonBlankNumbers: [Int] { (1...max(count, 1)).filter { $0 <= count && !isBlank($0) } }
}

/// Finds the article an expectation speaks of: by author when it has one (so one misplaced
/// article does not shift every other comparison), else by ordinal.
func match(_ expected: ExpectedArticle, in articles: [Article]) -> Article? {
    if let author = expected.author, let found = articles.first(where: { $0.author == author }) {
        return found
    }
    return articles.first { $0.ordinal == expected.ordinal }
}

/// Compares one article field by field, so a failure names exactly what differs.
func check(_ expected: ExpectedArticle, in articles: [Article], sourceLocation: SourceLocation = #_sourceLocation) {
    guard let actual = match(expected, in: articles) else {
        Issue.record("no article for \(expected.testDescription); got \(articles.map { "\($0.ordinal):\($0.author ?? "-")" })", sourceLocation: sourceLocation)
        return
    }
    #expect(actual.ordinal == expected.ordinal, "ordinal", sourceLocation: sourceLocation)
    #expect(actual.title == expected.title, "title", sourceLocation: sourceLocation)
    #expect(actual.subtitle == expected.subtitle, "subtitle", sourceLocation: sourceLocation)
    #expect(actual.titleIsDerived == expected.titleIsDerived, "titleIsDerived", sourceLocation: sourceLocation)
    #expect(actual.author == expected.author, "author", sourceLocation: sourceLocation)
    #expect(actual.affiliation == expected.affiliation, "affiliation", sourceLocation: sourceLocation)
    #expect(actual.bodyLines == expected.bodyLines, "bodyLines", sourceLocation: sourceLocation)
    #expect(actual.lineRanges == expected.lineRanges, "lineRanges", sourceLocation: sourceLocation)
}

/// The whole list in order: same count, and the same (author, title) at each ordinal.
func checkOrder(_ expected: [ExpectedArticle], _ articles: [Article], sourceLocation: SourceLocation = #_sourceLocation) {
    let want = expected.sorted { $0.ordinal < $1.ordinal }.map { "\($0.author ?? "-") 《\($0.title)》" }
    let got = articles.map { "\($0.author ?? "-") 《\($0.title)》" }
    #expect(got == want, sourceLocation: sourceLocation)
}

/// The invariants every split must satisfy, whatever the layout:
/// - every non-blank line belongs to exactly one article's `lineRanges`;
/// - no range starts or ends on a blank line, and each article's ranges are sorted, disjoint
///   and maximal (two ranges of one article are separated by a non-blank line it does not own);
/// - `bodyLines` starts and ends on non-blank lines the article owns;
/// - ordinals are 0..<n, keys are `<stem>#<ordinal+1>`, and body byte ranges are single lines
///   (no line-end bytes) inside the article's lines.
func checkInvariants(file: String, bytes: [UInt8], articles: [Article], sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = PlainLines(bytes)
    var owners = Array(repeating: [Int](), count: lines.count + 1)
    for article in articles {
        #expect(article.file == file, sourceLocation: sourceLocation)
        var previous: ClosedRange<Int>? = nil
        for range in article.lineRanges {
            guard range.lowerBound >= 1, range.upperBound <= lines.count else {
                Issue.record("\(article.documentKey): range \(range) outside 1...\(lines.count)", sourceLocation: sourceLocation)
                continue
            }
            if lines.isBlank(range.lowerBound) || lines.isBlank(range.upperBound) {
                Issue.record("\(article.documentKey): range \(range) has a blank edge", sourceLocation: sourceLocation)
            }
            if let p = previous {
                if range.lowerBound <= p.upperBound {
                    Issue.record("\(article.documentKey): ranges \(p) and \(range) overlap or are unsorted", sourceLocation: sourceLocation)
                } else if ((p.upperBound + 1)..<range.lowerBound).allSatisfy({ lines.isBlank($0) }) {
                    Issue.record("\(article.documentKey): ranges \(p) and \(range) should be one", sourceLocation: sourceLocation)
                }
            }
            previous = range
            for n in range where !lines.isBlank(n) { owners[n].append(article.ordinal) }
        }
        let owns = { (n: Int) in article.lineRanges.contains { $0.contains(n) } }
        let body = article.bodyLines
        if body.lowerBound < 1 || body.upperBound > lines.count || lines.isBlank(body.lowerBound) || lines.isBlank(body.upperBound)
            || !owns(body.lowerBound) || !owns(body.upperBound)
        {
            Issue.record("\(article.documentKey): bodyLines \(body) do not start and end on owned non-blank lines", sourceLocation: sourceLocation)
        }
        for line in article.body {
            if line.range.lowerBound < 0 || line.range.upperBound > bytes.count
                || bytes[line.range].contains(where: { $0 == 0x0A || $0 == 0x0D })
            {
                Issue.record("\(article.documentKey): body range \(line.range) is not one line", sourceLocation: sourceLocation)
            }
        }
    }
    let unowned = lines.nonBlankNumbers.filter { owners[$0].isEmpty }
    let shared = lines.nonBlankNumbers.filter { owners[$0].count > 1 }
    #expect(unowned.isEmpty, "non-blank lines owned by no article", sourceLocation: sourceLocation)
    #expect(shared.isEmpty, "non-blank lines owned by several articles: \(shared.map { "\($0)→\(owners[$0])" })", sourceLocation: sourceLocation)
    #expect(articles.map(\.ordinal) == Array(articles.indices), "ordinals", sourceLocation: sourceLocation)
    let stem = file.hasSuffix(".txt") ? String(file.dropLast(4)) : file
    #expect(articles.map(\.documentKey) == articles.indices.map { "\(stem)#\($0 + 1)" }, sourceLocation: sourceLocation)
}
