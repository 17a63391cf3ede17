import Testing
@testable import Analysis

/// The dictionary file format: words, weights, comments, blank lines, and lines that are skipped.
@Suite struct UserDictionaryTests {
    @Test func readsWordsWeightsCommentsAndBlankLines() {
        let text = """
            # political-consultative words
            履职

            专委会  2
            提质增效\t1.5   # a set phrase
              界别 \r
            常委会 0
            \u{3000}社情民意\u{3000}3
            """
        let dictionary = UserDictionary(parsing: text, source: "d.txt")
        #expect(dictionary.issues.isEmpty)
        #expect(dictionary.weights == ["履职": 1, "专委会": 2, "提质增效": 1.5, "界别": 1, "常委会": 0, "社情民意": 3])
        // Weight 0 keeps the entry (it switches a word off) but the word is not kept whole.
        #expect(dictionary.words.map(\.word) == ["专委会", "履职", "提质增效", "界别", "社情民意"])
    }

    @Test func skipsBadLinesAndSaysWhichAndWhy() {
        let text = """
            履职
            调研 heavy
            界别 -1
            专委会 2 3
            政
            两个，薄弱
            书香 政协 1
            七个字以上的很长很长很长很长的一句话
            调研 nan
            提质增效
            """
        let dictionary = UserDictionary(parsing: text, source: "d.txt")
        #expect(dictionary.weights == ["履职": 1, "提质增效": 1])
        #expect(dictionary.issues == [
            .init(source: "d.txt", line: 2, text: "调研 heavy", reason: "the weight is not a number ≥ 0"),
            .init(source: "d.txt", line: 3, text: "界别 -1", reason: "the weight is not a number ≥ 0"),
            .init(source: "d.txt", line: 4, text: "专委会 2 3", reason: "expected a word and an optional weight"),
            .init(source: "d.txt", line: 5, text: "政", reason: "a word needs at least two characters"),
            .init(source: "d.txt", line: 6, text: "两个，薄弱", reason: "a word holds only letters, digits and ideographs"),
            .init(source: "d.txt", line: 7, text: "书香 政协 1", reason: "expected a word and an optional weight"),
            .init(source: "d.txt", line: 8, text: "七个字以上的很长很长很长很长的一句话", reason: "a word has at most 16 characters"),
            .init(source: "d.txt", line: 9, text: "调研 nan", reason: "the weight is not a number ≥ 0"),
        ])
        #expect(dictionary.issues[0].description == "d.txt:2: the weight is not a number ≥ 0: 调研 heavy")
    }

    @Test func laterLinesAndMergedFilesWin() {
        let shipped = UserDictionary(parsing: "履职\n调研\n常委会 2\n")
        let staff = UserDictionary(parsing: "常委会 0\n界别\n履职 3\n履职 4\n")
        #expect(staff.weights["履职"] == 4)
        let merged = shipped.merging(staff)
        #expect(merged.weights == ["履职": 4, "调研": 1, "常委会": 0, "界别": 1])
        #expect(merged.words.map(\.word) == ["履职", "界别", "调研"])
    }

    @Test func fingerprintFollowsTheWordsNotTheirLayout() {
        let a = UserDictionary(parsing: "履职\n调研 2\n")
        let b = UserDictionary(parsing: "# same words, other order\n调研   2.0\n\n履职 1\n常委会 0\n")
        let c = UserDictionary(parsing: "履职\n调研 3\n")
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
        #expect(Analyzer.fingerprint(of: a) != Analyzer.fingerprint(of: c))
        #expect(Analyzer.fingerprint(of: a) & 0xFF == Analyzer.version & 0xFF)
        // No dictionary: the analyzer's version alone.
        #expect(Analyzer.fingerprint(of: UserDictionary()) == Analyzer.version)
        #expect(Analyzer.fingerprint(of: UserDictionary(parsing: "履职 0")) == Analyzer.version)
    }

    @Test func formatsBackToItsOwnFileFormat() {
        let dictionary = UserDictionary(parsing: "调研 2\n履职\n常委会 0\n提质增效 1.5\n")
        #expect(dictionary.formatted() == "履职\n常委会 0\n提质增效 1.5\n调研 2\n")
        #expect(UserDictionary(parsing: dictionary.formatted()) == dictionary)
    }

    /// The shipped list parses cleanly and holds the domain's words the issue names — and is
    /// words, not the gold set's compounds of free words.
    @Test func shippedDictionaryIsCleanDomainVocabulary() {
        let shipped = UserDictionary.shipped
        #expect(shipped.issues.isEmpty)
        for word in ["政协", "履职", "调研", "专委会", "界别", "社情民意", "提质增效", "书香政协", "两个薄弱"] {
            #expect(shipped.weights[word] == 1, "\(word)")
        }
        for compound in ["政协委员", "高质量发展", "建言献策", "参政议政", "乡村振兴", "全国政协"] {
            #expect(shipped.weights[compound] == nil, "\(compound)")
        }
        #expect(shipped.words.count > 150)
    }
}
