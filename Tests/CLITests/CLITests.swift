import Foundation
import Testing

/// The `committee-search` executable, end to end.
@Suite(.serialized) struct CLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var executable: URL {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].compactMap { $0 }
        for directory in candidates {
            for up in [directory, directory.deletingLastPathComponent()] {
                let url = up.appendingPathComponent("committee-search")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return repository.appendingPathComponent(".build/debug/committee-search")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], input: String? = nil, in directory: URL = repository) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cs-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func firstSearchBuildsTheIndexAndPrintsJSON() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = dir.appendingPathComponent("idx").path
        let corpus = Self.repository.appendingPathComponent("corpus").path
        let result = try Self.run(["search", "--json", "--top", "2", "--corpus", corpus, "--index", index, "两个薄弱"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["query", "total_hits", "took_ms", "hits"])
        #expect(object["query"] as? String == "两个薄弱")
        #expect((object["total_hits"] as? Int ?? 0) >= 2)
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count == 2)
        let required: Set = ["rank", "score", "doc_id", "file", "title", "author", "line_start", "line_end", "line_ranges", "snippet"]
        for (i, hit) in hits.enumerated() {
            #expect(required.isSubset(of: Set(hit.keys)))
            #expect(hit["rank"] as? Int == i + 1)
            #expect((hit["file"] as? String)?.hasSuffix(".txt") == true)
            #expect((hit["line_start"] as? Int ?? 0) <= (hit["line_end"] as? Int ?? 0))
            #expect((hit["snippet"] as? String)?.contains("两个薄弱") == true)
        }
        // The index now exists; a second search reads it.
        #expect(FileManager.default.fileExists(atPath: index + "/segments_1"))
        let again = try Self.run(["search", "--json", "--corpus", corpus, "--index", index, "罗鸣"])
        #expect(again.status == 0)
        // Passages are read from the corpus: without it the hits are still listed, with the reason.
        let lost = try Self.run(["search", "--json", "--corpus", "/nonexistent", "--index", index, "罗鸣"])
        #expect(lost.status == 0 && lost.stdout.contains("\"doc_id\":\"004_0e00348c40e7e77d#10\""))
        #expect(lost.stdout.contains("\"snippet_unavailable\":\"004_0e00348c40e7e77d.txt cannot be read back"))
        #expect(again.stdout.contains("\"doc_id\":\"004_0e00348c40e7e77d#10\""))
        // Its byline and credit line are printed after the body: the article's lines are every
        // range it occupies, and the passage found in the credit line lies in one of them.
        let credited = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let hit = try #require((credited["hits"] as? [[String: Any]])?.first)
        let ranges = try #require(hit["line_ranges"] as? [[Int]])
        #expect(ranges == [[793, 889], [894, 897]])
        let passageLine = try #require(hit["snippet_line_start"] as? Int)
        #expect(ranges.contains { $0[0] <= passageLine && passageLine <= $0[1] })
    }

    @Test func textOutputMarksMatchesWhenPiped() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = Self.repository.appendingPathComponent("corpus").path
        let result = try Self.run(["search", "--top", "1", "--explain", "--corpus", corpus, "--index", dir.path, "周均发"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("1 article matches “周均发”"))
        #expect(result.stdout.contains("1. 以“有为”彰显价值 以“创新”赋能质效"))
        #expect(result.stdout.contains("周均发 · 张掖市政协党组书记、主席"))
        #expect(result.stdout.contains("000_07fd9a4553e8b7fc.txt:3-23"))
        #expect(result.stdout.contains("\"周 均 发\" in author: tf=1 df=1"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func indexReportsWhatItDid() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = Self.repository.appendingPathComponent("corpus").path
        let result = try Self.run(["index", "--corpus", corpus, "--index", dir.path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("files: 5 added, 0 changed, 0 removed, 0 unchanged\nindexed 29 articles"))
        #expect(result.stdout.contains("holds 29 articles in ") && result.stdout.contains(", version 1"))
    }

    @Test func analyzeReadsLinesFromStandardInput() throws {
        let result = try Self.run(["analyze"], input: "政协委员履职\n贺兰县政\n\n强国 TV\n")
        #expect(result.status == 0)
        // 履职 is a word of the shipped dictionary: kept whole.
        #expect(result.stdout == "政协 委员 履职\n贺兰 县政\n\n强国 tv\n")
    }

    @Test func analyzeShowsKeptWholeWordsAndTheirParts() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try Self.run(["analyze", "--index", dir.path, "专委会委员"])
        #expect(text.status == 0)
        #expect(text.stdout == """
            normalised: 专委会委员
            0\t专委会\t[0, 9)\tideographic\tkept whole: 专 委 会
            0\t专\t[0, 3)\tideographic\tpart
            1\t委\t[3, 6)\tideographic\tpart
            2\t会\t[6, 9)\tideographic\tpart
            3\t委员\t[9, 15)\tideographic

            """)
        let json = try Self.run(["analyze", "--index", dir.path, "--json", "调研"])
        #expect(json.stdout.trimmingCharacters(in: .newlines) == """
            [{"end":6,"position":0,"role":"whole","start":0,"term":"调研","type":"ideographic"},\
            {"end":3,"position":0,"role":"part","start":0,"term":"调","type":"ideographic"},\
            {"end":6,"position":1,"role":"part","start":3,"term":"研","type":"ideographic"}]
            """)
        // The staff's dictionary (here in the index directory) adds words and switches shipped ones off.
        try "协作新实践 2\n调研 0\n坏 行 x\n".write(to: dir.appendingPathComponent("dictionary.txt"), atomically: true, encoding: .utf8)
        let edited = try Self.run(["analyze", "--index", dir.path], input: "探索三级协作新实践\n调研\n")
        #expect(edited.stdout == "探索 三 级 协作新实践\n调 研\n")
        #expect(edited.stderr.contains("dictionary.txt:3: expected a word and an optional weight: 坏 行 x"))
    }

    @Test func indexNoticesAChangedDictionaryAndReanalysesEverything() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = Self.repository.appendingPathComponent("corpus").path
        let index = dir.appendingPathComponent("idx")
        #expect(try Self.run(["index", "--corpus", corpus, "--index", index.path]).status == 0)
        #expect(try Self.run(["index", "--corpus", corpus, "--index", index.path]).stdout.contains("0 added, 0 changed, 0 removed, 5 unchanged"))
        try "苦甲天下\n".write(to: index.appendingPathComponent("dictionary.txt"), atomically: true, encoding: .utf8)
        // A search with the changed dictionary refuses the stale index …
        let stale = try Self.run(["search", "--corpus", corpus, "--index", index.path, "苦甲天下"])
        #expect(stale.status != 0)
        // … and `index` re-analyses every file.
        let again = try Self.run(["index", "--corpus", corpus, "--index", index.path])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("re-indexing everything: the analyzer changed"))
        let found = try Self.run(["search", "--json", "--corpus", corpus, "--index", index.path, "苦甲天下"])
        #expect(found.status == 0)
        #expect(found.stdout.contains("\"doc_id\":\"000_07fd9a4553e8b7fc#3\""))
        // An explicit --dictionary takes the place of the index's file.
        let empty = dir.appendingPathComponent("empty.txt")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        let other = try Self.run(["index", "--corpus", corpus, "--index", index.path, "--dictionary", empty.path])
        #expect(other.stdout.hasPrefix("re-indexing everything: the analyzer changed"))
        let missing = try Self.run(["index", "--corpus", corpus, "--index", index.path, "--dictionary", "/nonexistent/words.txt"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: cannot read the dictionary file /nonexistent/words.txt\n")
    }

    @Test func wordsProposesDictionaryLinesFromTheCorpus() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = Self.repository.appendingPathComponent("corpus").path
        let result = try Self.run(["words", "--corpus", corpus, "--index", dir.path, "--top", "5"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        #expect(lines[0].hasPrefix("# 5 words proposed from \(corpus) (5 files,"))
        // Every proposal is a dictionary line: the word, then the evidence as a comment.
        let proposals = Array(lines.dropFirst(3))
        #expect(proposals[0].hasPrefix("作者系\t#  1.  12×  cohesion "))
        let parsed = UserDictionaryLines.words(proposals.joined(separator: "\n"))
        #expect(parsed == ["作者系", "近年来", "助推", "办公室", "县委"])
        let json = try Self.run(["words", "--corpus", corpus, "--index", dir.path, "--top", "2", "--json"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["word"] as? String } == ["作者系", "近年来"])
        #expect(objects.first?["units"] as? [String] == ["作者", "系"])
    }

    @Test func analyzeShowsPositionsAndByteRanges() throws {
        let result = try Self.run(["analyze", "--json", "奋 力 跑 好"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .newlines) == """
            [{"end":6,"position":0,"start":0,"term":"奋力","type":"ideographic"},\
            {"end":9,"position":1,"start":6,"term":"跑","type":"ideographic"},\
            {"end":12,"position":2,"start":9,"term":"好","type":"ideographic"}]
            """)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var status: Int32
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let errorCases: [ErrorCase] = [
        .init(arguments: ["search", "--index", "/nonexistent/idx", "--corpus", "/nonexistent/corpus", "政协"],
              message: "error: no index at /nonexistent/idx and no corpus directory at /nonexistent/corpus", status: 1),
        .init(arguments: ["search", "--index", "/nonexistent/idx", "   "], message: "error: empty query", status: 2),
        .init(arguments: ["search", "--index", "/nonexistent/idx", "，。"], message: "error: the query has no searchable words", status: 2),
        .init(arguments: ["search", "--index", "/nonexistent/idx", "\"政协"], message: "error: unbalanced quote at column 1", status: 2),
        .init(arguments: ["index", "--corpus", "/nonexistent/corpus", "--index", "/tmp/cs-never"],
              message: "error: corpus directory not found: /nonexistent/corpus", status: 1),
    ]

    @Test(arguments: errorCases)
    func errorsAreOneLineWithAnExitCode(_ c: ErrorCase) throws {
        let result = try Self.run(c.arguments)
        #expect(result.status == c.status)
        #expect(result.stderr.hasPrefix(c.message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test func damagedIndexIsReportedNotTrusted() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = Self.repository.appendingPathComponent("corpus").path
        #expect(try Self.run(["index", "--corpus", corpus, "--index", dir.path]).status == 0)
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".seg") })
        let file = dir.appendingPathComponent(segment)
        let original = try Data(contentsOf: file)
        // A flipped byte in the term dictionary's root (read on opening): reported, never trusted.
        var bytes = original
        bytes[bytes.count - 50] ^= 0x5A
        try bytes.write(to: file)
        var result = try Self.run(["search", "--index", dir.path, "政协"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: index file \(file.path) is damaged (checksum mismatch in the term dictionary root)"))
        #expect(result.stderr.hasSuffix("run `committee-search index --full` to rebuild it\n"))
        // A truncated segment.
        try original.prefix(original.count - 10).write(to: file)
        result = try Self.run(["search", "--index", dir.path, "政协"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is damaged (truncated"))
        // A commit point naming a missing segment.
        try FileManager.default.removeItem(at: file)
        result = try Self.run(["search", "--index", dir.path, "政协"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("segments_1 is damaged (names a missing segment"))
        // --full rebuilds it.
        #expect(try Self.run(["index", "--full", "--corpus", corpus, "--index", dir.path]).status == 0)
        #expect(try Self.run(["search", "--index", dir.path, "政协"]).status == 0)
        // A flipped byte in the commit point: searching and updating both say to rebuild.
        let commit = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("segments_") })
        let commitFile = dir.appendingPathComponent(commit)
        var commitBytes = try Data(contentsOf: commitFile)
        commitBytes[commitBytes.count / 2] ^= 0x10
        try commitBytes.write(to: commitFile)
        for arguments in [["search", "--index", dir.path, "政协"], ["index", "--corpus", corpus, "--index", dir.path]] {
            result = try Self.run(arguments)
            #expect(result.status == 1)
            #expect(result.stderr == "error: index file \(commitFile.path) is damaged (checksum mismatch in the commit point); run `committee-search index --full` to rebuild it\n")
        }
        #expect(try Self.run(["index", "--full", "--corpus", corpus, "--index", dir.path]).status == 0)
        #expect(try Self.run(["search", "--index", dir.path, "政协"]).status == 0)
    }

    @Test func unreadableFilesAreSkippedWithAWarning() throws {
        let dir = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try Data("□ 张三\n\n政协委员履职尽责。\n".utf8).write(to: corpus.appendingPathComponent("good.txt"))
        try Data([0x00, 0x01, 0x02, 0x41, 0x00]).write(to: corpus.appendingPathComponent("binary.txt"))
        try Data().write(to: corpus.appendingPathComponent("empty.txt"))
        let result = try Self.run(["index", "--corpus", corpus.path, "--index", dir.appendingPathComponent("idx").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("warning: skipped binary.txt"))
        #expect(result.stderr.contains("warning: skipped empty.txt: empty file"))
        #expect(result.stdout.contains("files: 1 added, 0 changed, 0 removed, 0 unchanged, 2 skipped"))
        let search = try Self.run(["search", "--index", dir.appendingPathComponent("idx").path, "张三"])
        #expect(search.status == 0)
        #expect(search.stdout.hasPrefix("1 article matches"))
    }

    /// A temporary directory with a corpus of one issue (`file`, one article whose body is line 3)
    /// and where its index goes (the caller removes `dir`).
    static func oneIssueCorpus() throws -> (dir: URL, corpus: URL, index: String, file: URL) {
        let dir = temporaryDirectory()
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let file = corpus.appendingPathComponent("issue.txt")
        try Data("□ 张三\n\n政协委员履职尽责。\n".utf8).write(to: file)
        return (dir, corpus, dir.appendingPathComponent("idx").path, file)
    }

    /// A shell left open while `index` runs elsewhere searches the new version from its next
    /// query on: its passages come from the files as they are now, not a note to run `index`.
    @Test func anOpenShellSearchesTheVersionAnUpdateCommitted() throws {
        let (dir, corpus, index, file) = try Self.oneIssueCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Self.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let shell = Process()
        shell.executableURL = Self.executable
        shell.arguments = ["shell", "--corpus", corpus.path, "--index", index, "--snippets", "1"]
        let input = Pipe(), output = Pipe()
        shell.standardInput = input
        shell.standardOutput = output
        shell.standardError = Pipe()
        try shell.run()
        /// Sends a query and reads the shell's answer (up to its blank-line-separated end).
        func ask(_ query: String) -> String {
            input.fileHandleForWriting.write(Data((query + "\n").utf8))
            var text = ""
            let deadline = Date().addingTimeInterval(30)
            while !text.contains("…\n") && !text.contains("no passage") && Date() < deadline {
                text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            }
            return text
        }
        #expect(ask("履职").contains("line 3: …政协委员[履职]尽责。…"))
        try Data("□ 张三\n\n新的一行。\n政协委员履职尽责，再次。\n".utf8).write(to: file)
        #expect(try Self.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let after = ask("履职")
        #expect(after.contains("line 4: …政协委员[履职]尽责，再次。…"), "\(after)")
        try input.fileHandleForWriting.close()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
    }

    /// The index records its corpus (relative to itself): a search or an update given only the
    /// index, from any directory, reads that corpus; moved together, they still find each other;
    /// `--corpus` still decides when given.
    @Test func theIndexRemembersItsCorpus() throws {
        let (dir, corpus, index, file) = try Self.oneIssueCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Self.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let elsewhere = Self.temporaryDirectory()
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let found = try Self.run(["search", "--index", index, "履职"], in: elsewhere)
        #expect(found.status == 0)
        #expect(found.stdout.contains("line 3: …政协委员[履职]尽责。…"), "\(found.stdout)")
        // An update from elsewhere, without --corpus, brings the recorded corpus up to date.
        try Data("□ 张三\n\n新的一行。\n政协委员履职尽责，再次。\n".utf8).write(to: file)
        let update = try Self.run(["index", "--index", index], in: elsewhere)
        #expect(update.status == 0 && update.stdout.contains("1 changed"), "\(update.stdout)")
        // The project moved as a whole.
        let moved = elsewhere.appendingPathComponent("project")
        try FileManager.default.moveItem(at: dir, to: moved)
        defer { try? FileManager.default.moveItem(at: moved, to: dir) }
        let after = try Self.run(["search", "--index", moved.appendingPathComponent("idx").path, "履职"], in: Self.repository)
        #expect(after.stdout.contains("line 4: …政协委员[履职]尽责，再次。…"), "\(after.stdout)")
        // --corpus wins: a directory without the file has no passage to give.
        let other = elsewhere.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let explicit = try Self.run(["search", "--corpus", other.path, "--index", moved.appendingPathComponent("idx").path, "履职"])
        #expect(explicit.stdout.contains("(no passage: issue.txt"), "\(explicit.stdout)")
    }

    /// Passages come from the corpus file; one edited since the last `index` is not quoted with
    /// lines that no longer hold what was indexed: the hit says so, and `index` mends it.
    @Test func aFileChangedSinceIndexingIsShownWithoutPassagesAndANote() throws {
        let (dir, corpus, index, file) = try Self.oneIssueCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let arguments = ["search", "--corpus", corpus.path, "--index", index, "履职"]
        let first = try Self.run(arguments)
        #expect(first.status == 0)
        #expect(first.stdout.contains("line 3: …政协委员[履职]尽责。…"), "\(first.stdout)")
        try Data("□ 张三\n\n新的一行。\n政协委员履职尽责，再次。\n".utf8).write(to: file)
        let stale = try Self.run(arguments)
        #expect(stale.status == 0)
        #expect(stale.stdout.contains("(no passage: issue.txt changed since it was indexed; run `committee-search index`)"), "\(stale.stdout)")
        #expect(!stale.stdout.contains("line 3"))
        let json = try Self.run(arguments + ["--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let hit = try #require((object["hits"] as? [[String: Any]])?.first)
        #expect(hit["snippet_unavailable"] as? String == "issue.txt changed since it was indexed; run `committee-search index`")
        #expect(try Self.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let mended = try Self.run(arguments)
        #expect(mended.stdout.contains("line 4: …政协委员[履职]尽责，再次。…"), "\(mended.stdout)")
        #expect(!mended.stdout.contains("no passage"))
    }
}

/// The relevance gate that CI runs.
@Suite(.serialized) struct RelevanceGateTests {
    static let relevance = CLITests.repository.appendingPathComponent("Benchmarks/Relevance")

    static func eval(_ extra: [String]) throws -> CLITests.Output {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        return try CLITests.run([
            "eval", "--corpus", CLITests.repository.appendingPathComponent("corpus").path, "--index", dir.path,
            "--queries", relevance.appendingPathComponent("queries.tsv").path,
            "--qrels", relevance.appendingPathComponent("qrels.txt").path,
            "--baseline", relevance.appendingPathComponent("baseline.json").path,
        ] + extra)
    }

    @Test func defaultsPassTheGate() throws {
        let result = try Self.eval([])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("nDCG@10"))
        #expect(result.stderr.contains("gate ok: nDCG@10"))
    }

    @Test func aWorseRankingFailsTheGate() throws {
        // No phrase bonus and no term-frequency saturation: exact occurrences lose their edge.
        let result = try Self.eval(["--phrase-boost", "0", "--k1", "0"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("error: relevance gate failed"))
    }
}

/// Batch search and evaluation output.
@Suite(.serialized) struct BatchTests {
    @Test func batchSearchWritesATRECRunThatEvalScoresTheSame() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = CLITests.repository.appendingPathComponent("corpus").path
        let queries = dir.appendingPathComponent("q.tsv")
        try "a1\t周均发\na2\t两个薄弱\na3\t鲸鱼\n".write(to: queries, atomically: true, encoding: .utf8)
        let run = dir.appendingPathComponent("run.txt")
        let index = dir.appendingPathComponent("idx").path
        let result = try CLITests.run(["search", "--corpus", corpus, "--index", index, "--queries", queries.path, "--run-out", run.path, "--top", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOf: run, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "a1 Q0 000_07fd9a4553e8b7fc#1 1 " + lines.first!.split(separator: " ")[4] + " committee-search")
        #expect(lines.allSatisfy { $0.split(separator: " ").count == 6 })
        #expect(!lines.contains { $0.hasPrefix("a3 ") })
        let ranks = lines.filter { $0.hasPrefix("a2 ") }.map { Int($0.split(separator: " ")[3])! }
        #expect(ranks == Array(1...ranks.count) && ranks.count <= 5)

        let qrels = dir.appendingPathComponent("qrels.txt")
        try "a1 0 000_07fd9a4553e8b7fc#1 2\na2 0 000_07fd9a4553e8b7fc#1 2\na3 0 000_07fd9a4553e8b7fc#2 1\n".write(to: qrels, atomically: true, encoding: .utf8)
        let eval = try CLITests.run(["eval", "--index", index, "--queries", queries.path, "--qrels", qrels.path, "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let measures = try #require(object["measures"] as? [String: Double])
        #expect(Set(measures.keys) == ["ndcg_cut_10", "ndcg_cut_20", "map", "recip_rank", "P_5", "P_10", "recall_10", "recall_100"])
        let perQuery = try #require(object["per_query"] as? [String: [String: Double]])
        #expect(perQuery["a1"]?["recip_rank"] == 1)
        #expect(perQuery["a3"]?["recip_rank"] == 0)
        // MRR over all three judged queries, a3 (no results) counting 0.
        let mrr = try #require(measures["recip_rank"])
        #expect(abs(mrr - (1 + perQuery["a2"]!["recip_rank"]! + 0) / 3) < 1e-12)
    }

    @Test func evalRejectsMalformedFiles() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let queries = dir.appendingPathComponent("q.tsv")
        try "a1 周均发\n".write(to: queries, atomically: true, encoding: .utf8)
        let result = try CLITests.run(["eval", "--index", dir.path, "--queries", queries.path, "--qrels", queries.path])
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(queries.path):1: expected `QID<TAB>query text`\n")
    }
}

/// Crashes and concurrent readers: an index always opens and answers with a complete version.
@Suite(.serialized) struct DurabilityTests {
    /// A corpus of `copies` × the bundled issues, under new names.
    static func makeCorpus(_ dir: URL, copies: Int) throws -> URL {
        let corpus = dir.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let source = CLITests.repository.appendingPathComponent("corpus")
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".txt") }.sorted()
        for c in 0..<copies {
            for name in names {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: corpus.appendingPathComponent("c\(c)_\(name)"))
            }
        }
        return corpus
    }

    static func totalHits(_ index: String, _ query: String = "政协") throws -> Int? {
        let result = try CLITests.run(["search", "--json", "--top", "1", "--index", index, query])
        guard result.status == 0, let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            Issue.record("search failed: \(result.stderr)")
            return nil
        }
        return object["total_hits"] as? Int
    }

    @Test func killedIndexerLeavesTheOldOrTheNewVersion() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try Self.makeCorpus(dir, copies: 3)
        let index = dir.appendingPathComponent("idx").path
        #expect(try CLITests.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        var previous = try #require(try Self.totalHits(index, "罗鸣"))
        var generator = SystemRandomNumberGenerator()
        let source = CLITests.repository.appendingPathComponent("corpus/004_0e00348c40e7e77d.txt")
        for round in 0..<8 {
            // A new issue arrives (and, every other round, one is withdrawn).
            try FileManager.default.copyItem(at: source, to: corpus.appendingPathComponent("new\(round).txt"))
            if round % 2 == 1 { try FileManager.default.removeItem(at: corpus.appendingPathComponent("new\(round - 1).txt")) }
            let process = Process()
            process.executableURL = CLITests.executable
            process.arguments = ["index", "--corpus", corpus.path, "--index", index]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...600_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let afterKill = try #require(try Self.totalHits(index, "罗鸣"))
            // Finish the update (the dead writer's lock does not block), then compare.
            let finish = try CLITests.run(["index", "--corpus", corpus.path, "--index", index])
            #expect(finish.status == 0, "\(finish.stderr)")
            let current = try #require(try Self.totalHits(index, "罗鸣"))
            #expect(afterKill == previous || afterKill == current, "round \(round): \(afterKill) is neither \(previous) nor \(current)")
            previous = current
        }
        // No leftovers: only the newest commit point, its segments and the lock.
        let names = try FileManager.default.contentsOfDirectory(atPath: index)
        #expect(names.filter { $0.hasPrefix("segments_") }.count == 1)
        #expect(!names.contains { $0.contains(".tmp-") })
    }

    @Test func searchesDuringIndexingSeeOneCompleteVersion() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try Self.makeCorpus(dir, copies: 2)
        let index = dir.appendingPathComponent("idx").path
        #expect(try CLITests.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let before = try #require(try Self.totalHits(index))
        for c in 2..<6 {
            for name in try FileManager.default.contentsOfDirectory(atPath: CLITests.repository.appendingPathComponent("corpus").path) where name.hasSuffix(".txt") {
                try FileManager.default.copyItem(at: CLITests.repository.appendingPathComponent("corpus/\(name)"), to: corpus.appendingPathComponent("c\(c)_\(name)"))
            }
        }
        let process = Process()
        process.executableURL = CLITests.executable
        process.arguments = ["index", "--full", "--corpus", corpus.path, "--index", index]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var seen: [Int] = []
        while process.isRunning || seen.isEmpty {
            if let total = try Self.totalHits(index) { seen.append(total) }
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let after = try #require(try Self.totalHits(index))
        #expect(after > before)
        #expect(seen.allSatisfy { $0 == before || $0 == after }, "\(seen)")
    }

    @Test func secondIndexerFailsAtOnceNamingTheFirst() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try Self.makeCorpus(dir, copies: 6)
        let index = dir.appendingPathComponent("idx").path
        let first = Process()
        first.executableURL = CLITests.executable
        first.arguments = ["index", "--corpus", corpus.path, "--index", index]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        // Wait until the first holds the lock (its pid is in the lock file).
        let lockFile = index + "/write.lock"
        for _ in 0..<200 where (try? String(contentsOfFile: lockFile, encoding: .utf8))?.hasPrefix("\(first.processIdentifier)") != true {
            usleep(10_000)
        }
        let second = try CLITests.run(["index", "--corpus", corpus.path, "--index", index])
        first.waitUntilExit()
        #expect(second.status == 1)
        #expect(second.stderr == "error: the index \(URL(fileURLWithPath: index).standardizedFileURL.path) is being updated by another process (pid \(first.processIdentifier)); wait for it to finish\n")
        #expect(first.terminationStatus == 0)
    }
}

@Suite struct ArticlesCommandTests {
    @Test func listsEveryArticleOfAFile() throws {
        let result = try CLITests.run(["articles", "000_07fd9a4553e8b7fc.txt"])
        #expect(result.status == 0)
        #expect(result.stdout == """
            000_07fd9a4553e8b7fc#1\t9-23\t[3-23]\t以“有为”彰显价值 以“创新”赋能质效\t周均发\t张掖市政协党组书记、主席
            000_07fd9a4553e8b7fc#2\t29-47\t[25-47]\t学深悟透重要论述 全力助推“三农”工作\t张新祉\t通渭县政协党组书记、主席
            000_07fd9a4553e8b7fc#3\t53-69\t[49-69]\t凝心聚力促发展 为加快建设幸福美好新岷县凝心聚力\t王晓玲\t岷县政协党组书记、主席
            000_07fd9a4553e8b7fc#4\t71-85\t[71-89]\t奋力推动新时代政协事业创新发展 突出六个重点 实施六大举措\t李锋\t华亭市政协党组书记、主席

            """)
    }
}

/// Issue 6's features through the command line: the query language, filters, paging, sorting,
/// snippets, JSON, and the shell driven through a pipe.
@Suite(.serialized) struct QueryFeatureTests {
    static let index: String = {
        let dir = CLITests.temporaryDirectory().appendingPathComponent("idx").path
        _ = try? CLITests.run(["index", "--corpus", CLITests.repository.appendingPathComponent("corpus").path, "--index", dir])
        return dir
    }()

    static func search(_ arguments: [String]) throws -> CLITests.Output {
        try CLITests.run(["search", "--index", index] + arguments)
    }

    static func docIDs(_ arguments: [String]) throws -> [String] {
        let result = try search(["--json"] + arguments)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return (object["hits"] as? [[String: Any]] ?? []).compactMap { $0["doc_id"] as? String }
    }

    @Test func wholeOutputWithMarkedSnippetsWhenPiped() throws {
        let result = try Self.search(["--limit", "1", "--snippets", "2", "周均发 三轮驱动"])
        #expect(result.status == 0)
        let body = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
        #expect(body == """

            1. 以“有为”彰显价值 以“创新”赋能质效  score 69.753
               周均发 · 张掖市政协党组书记、主席
               000_07fd9a4553e8b7fc.txt:3-23  000_07fd9a4553e8b7fc#1
               line 15: …不断强化工作统筹，探索专委会+界别委员+专家团队“[三轮驱动]”的履职模式，将26个界别264名政协委员全部编入各专委会，并成立以专委会为单位“专家团队”，同时将办公室1…

            """)
    }

    @Test func jsonCarriesSnippetTextAndMatchedRanges() throws {
        let result = try Self.search(["--json", "--limit", "1", "两个薄弱"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let hit = try #require((object["hits"] as? [[String: Any]])?.first)
        let snippets = try #require(hit["snippets"] as? [[String: Any]])
        #expect(!snippets.isEmpty && snippets.count <= 3)
        for passage in snippets {
            let text = try #require(passage["text"] as? String)
            let ranges = try #require(passage["highlights"] as? [[Int]])
            let scalars = Array(text.unicodeScalars)
            for r in ranges { #expect(String(String.UnicodeScalarView(scalars[r[0]..<r[1]])) == "两个薄弱") }
            #expect((passage["line_start"] as? Int ?? 0) >= 9)
        }
    }

    @Test func operatorsThroughTheCommandLine() throws {
        #expect(try Self.docIDs(["贺兰县 AND 机关"]) == ["004_0e00348c40e7e77d#6"])
        #expect(try Set(Self.docIDs(["贺兰县 OR 平罗县"])) == ["004_0e00348c40e7e77d#6", "004_0e00348c40e7e77d#7"])
        #expect(try Self.docIDs(["两个薄弱 -file:001*"]).allSatisfy { !$0.hasPrefix("001") })
        #expect(try Self.docIDs(["author:黎辉"]).count == 2)
        #expect(try Self.docIDs(["兩個薄弱"]) == Self.docIDs(["两个薄弱"]))
    }

    @Test func filtersSortingAndPaging() throws {
        let filtered = try Self.docIDs(["--file", "004*", "--limit", "50", "机关"])
        #expect(!filtered.isEmpty && filtered.allSatisfy { $0.hasPrefix("004") })
        #expect(try Self.docIDs(["--author", "黎辉", "政协"]).count == 2)
        let byFile = try Self.docIDs(["--sort", "file", "--limit", "50", "政协"])
        #expect(byFile.first == "000_07fd9a4553e8b7fc#1")
        let all = try Self.docIDs(["--limit", "6", "政协 委员"])
        let page2 = try Self.docIDs(["--limit", "3", "--offset", "3", "政协 委员"])
        #expect(page2 == Array(all.suffix(3)))
        let text = try Self.search(["--limit", "2", "政协"]).stdout
        #expect(text.contains("\n(") && text.contains("more: --offset 2)"))
    }

    @Test func shellThroughAPipe() throws {
        let result = try CLITests.run(
            ["shell", "--index", Self.index, "--limit", "1", "--snippets", "0"],
            input: "罗鸣\n:more\n政协 (委员\n\nNOT 县\n周均发\n:quit\n这一行不会被读到\n")
        #expect(result.status == 0)
        #expect(result.stdout == """
            1 article matches “罗鸣” (\(Self.took(result.stdout, 0)) ms)

            1. 加强两支队伍建设 提升基层履职效能  score \(Self.score(result.stdout, 0))
               包国成 · 海原县政协秘书长、办公室主任
               004_0e00348c40e7e77d.txt:793-889,894-897  004_0e00348c40e7e77d#10
            1 article matches “罗鸣” (\(Self.took(result.stdout, 1)) ms)
            error: the parenthesis at column 4 is never closed: 政协 ▶(委员
            error: the query only excludes (NOT/-): add a word to search for: NOT 县
            1 article matches “周均发” (\(Self.took(result.stdout, 2)) ms)

            1. 以“有为”彰显价值 以“创新”赋能质效  score \(Self.score(result.stdout, 1))
               周均发 · 张掖市政协党组书记、主席
               000_07fd9a4553e8b7fc.txt:3-23  000_07fd9a4553e8b7fc#1

            """)
    }

    /// The n-th timing / score printed (they vary from run to run or are not the point here).
    static func took(_ text: String, _ n: Int) -> String {
        let parts = text.components(separatedBy: " ms)")
        return String(parts[n].split(separator: "(").last ?? "")
    }

    static func score(_ text: String, _ n: Int) -> String {
        let parts = text.components(separatedBy: "  score ")
        return String(parts[n + 1].prefix { $0 != "\n" })
    }
}

/// The words of dictionary lines (what `committee-search words` prints), read as the file format
/// reads them: the first field of each line, comments dropped.
enum UserDictionaryLines {
    static func words(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return content.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)
        }
    }
}

@Suite struct StatsTests {
    @Test func statsReportInProcessLatency() throws {
        let dir = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let queries = dir.appendingPathComponent("q.tsv")
        try "a\t政协\nb\t两个薄弱\n".write(to: queries, atomically: true, encoding: .utf8)
        let stats = dir.appendingPathComponent("stats.json")
        let result = try CLITests.run([
            "search", "--corpus", CLITests.repository.appendingPathComponent("corpus").path, "--index", dir.appendingPathComponent("idx").path,
            "--queries", queries.path, "--run-out", dir.appendingPathComponent("run").path, "--stats", "--stats-json", stats.path, "--passes", "3",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("queries=2 passes=3 latency_us mean="))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: stats)) as? [String: Any])
        #expect(object["queries"] as? Int == 2 && object["passes"] as? Int == 3)
        for key in ["latency_mean_us", "latency_p50_us", "latency_p99_us", "index_open_s"] { #expect((object[key] as? Double ?? -1) >= 0) }
        #expect((object["index_size_bytes"] as? Int ?? 0) > 0 && (object["peak_rss_bytes"] as? Int ?? 0) > 0)
        // Each query's latency by its id; the p50 is one of them.
        let byQuery = try #require(object["latency_us_by_query"] as? [String: Double])
        #expect(Set(byQuery.keys) == ["a", "b"] && byQuery.values.allSatisfy { $0 > 0 })
        #expect(byQuery.values.contains(object["latency_p50_us"] as? Double ?? -1))
    }
}
