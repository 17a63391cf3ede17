import Foundation
import Testing
@testable import Indexing

/// (Review of the recorded corpus) `search` and `index` without `--corpus` use the corpus the
/// index records, from any directory, however the paths were spelled; an update never swaps in
/// another corpus behind the user's back.
@Suite(.serialized) struct CorpusRecordReviewTests {
    /// The commit points' names in `index`.
    static func commitPoints(_ index: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: index).filter { $0.hasPrefix(Manifest.prefix) }.sorted()
    }

    /// The recorded corpus is gone (renamed): an update without `--corpus` run where another
    /// `corpus/` happens to be must not index that one instead (removing every article of the
    /// index and recording the other corpus); it stops and names the corpus it was built from.
    @Test func anUpdateDoesNotSwapInAnotherCorpusWhenTheRecordedOneIsGone() throws {
        let (dir, corpus, index, _) = try CLITests.oneIssueCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLITests.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let renamed = dir.appendingPathComponent("journals")
        try FileManager.default.moveItem(at: corpus, to: renamed)
        let elsewhere = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let other = elsewhere.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("□ 李四\n\n另一个语料库。\n".utf8).write(to: other.appendingPathComponent("other.txt"))
        let before = try Self.commitPoints(index)

        let update = try CLITests.run(["index", "--index", index], in: elsewhere)
        #expect(update.status == 1, "\(update.stdout)")
        #expect(update.stderr.contains(corpus.path) && update.stderr.contains("--corpus"), "\(update.stderr)")
        #expect(try Self.commitPoints(index) == before)
        // Nothing found there either: the same message, not "corpus directory not found: ./corpus".
        let nowhere = try CLITests.run(["index", "--index", index], in: dir)
        #expect(nowhere.status == 1 && nowhere.stderr.contains(corpus.path), "\(nowhere.stderr)")
        // Told where it went, the update finds everything unchanged and records the new place.
        let told = try CLITests.run(["index", "--corpus", renamed.path, "--index", index], in: elsewhere)
        #expect(told.status == 0 && told.stdout.contains("0 added, 0 changed, 0 removed, 1 unchanged"), "\(told.stdout)")
        let found = try CLITests.run(["search", "--index", index, "履职"], in: elsewhere)
        #expect(found.stdout.contains("line 3: …政协委员[履职]尽责。…"), "\(found.stdout)")
        // A search still falls back: without the recorded corpus its hits have no passages.
        try FileManager.default.removeItem(at: renamed)
        let lost = try CLITests.run(["search", "--index", index, "履职"], in: elsewhere)
        #expect(lost.status == 0 && lost.stdout.contains("(no passage: issue.txt"), "\(lost.stdout)")
    }

    /// Relative `--corpus` and `--index`, spelled with `./`, `..` and a trailing slash, from
    /// different working directories: one recorded corpus, no commit point for a new spelling.
    @Test func relativePathsFromDifferentDirectoriesNameOneCorpus() throws {
        let (dir, _, _, _) = try CLITests.oneIssueCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sub = dir.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        #expect(try CLITests.run(["index", "--corpus", "corpus/", "--index", "idx"], in: dir).status == 0)
        let first = try Self.commitPoints(dir.appendingPathComponent("idx").path)
        let again = try CLITests.run(["index", "--corpus", "../sub/../corpus", "--index", "./../idx/"], in: sub)
        #expect(again.status == 0 && again.stdout.contains("0 added, 0 changed, 0 removed, 1 unchanged"), "\(again.stdout)")
        #expect(try Self.commitPoints(dir.appendingPathComponent("idx").path) == first)
        let found = try CLITests.run(["search", "--index", "../idx", "履职"], in: sub)
        #expect(found.stdout.contains("line 3: …政协委员[履职]尽责。…"), "\(found.stdout)")
        let manifest = try #require(try IndexDirectory(url: dir.appendingPathComponent("idx")).latestManifest())
        #expect(manifest.corpus == "../corpus")
    }

    /// An index whose commit point is version 2 (no corpus): `index` without `--corpus` from the
    /// project's directory reads `corpus`, finds nothing changed, and records it in a new commit point.
    @Test func aVersion2CommitPointLearnsItsCorpusOnTheNextUpdate() throws {
        let (dir, corpus, index, _) = try CLITests.oneIssueCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLITests.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let name = try #require(try Self.commitPoints(index).last)
        let path = URL(fileURLWithPath: index).appendingPathComponent(name)
        var manifest = try #require(try IndexDirectory(url: URL(fileURLWithPath: index)).latestManifest())
        #expect(manifest.corpus == "../corpus")
        manifest.corpus = ""
        var bytes = manifest.encoded()
        var prefix = BinaryWriter()
        prefix.raw(Manifest.magic)
        prefix.u32(3)
        prefix.varint(manifest.generation)
        prefix.u32(manifest.formatVersion)
        prefix.u32(manifest.analyzerVersion)
        prefix.string(manifest.layout)
        prefix.u8(manifest.bigrams ? 1 : 0)
        prefix.varint(Int(manifest.scanStarted))
        #expect(Array(bytes[0..<prefix.bytes.count]) == prefix.bytes && bytes[prefix.bytes.count] == 0)
        bytes.remove(at: prefix.bytes.count)
        bytes[4] = 2
        let crcOffset = bytes.count - 8
        let crc = CRC32.checksum(Array(bytes[0..<crcOffset]))
        for k in 0..<4 { bytes[crcOffset + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        try Data(bytes).write(to: path)
        #expect(try IndexDirectory(url: URL(fileURLWithPath: index)).latestManifest()?.corpus == "")

        let elsewhere = CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        // Nothing recorded: from elsewhere there is no corpus to find (and nothing is written).
        let lost = try CLITests.run(["index", "--index", index], in: elsewhere)
        #expect(lost.status == 1 && lost.stderr.contains("corpus directory not found"), "\(lost.stderr)")
        let update = try CLITests.run(["index", "--index", "idx"], in: dir)
        #expect(update.status == 0 && update.stdout.contains("1 unchanged"), "\(update.stdout)")
        #expect(try Self.commitPoints(index) != [name])
        #expect(try IndexDirectory(url: URL(fileURLWithPath: index)).latestManifest()?.corpus == "../corpus")
        let found = try CLITests.run(["search", "--index", index, "履职"], in: elsewhere)
        #expect(found.stdout.contains("line 3: …政协委员[履职]尽责。…"), "\(found.stdout)")
    }

    /// (Format 8) A segment whose header claims 4,294,967,295 documents, its commit point
    /// agreeing, both checksums made to match: the search says the index is damaged. It used to
    /// unpack the field lengths into 16 GiB asked for before anything was checked, which traps
    /// where the memory is not to be had (here: a 4 GB address-space limit).
    @Test func aSegmentClaimingBillionsOfDocumentsIsDamageNotATrap() throws {
        let (dir, corpus, index, _) = try CLITests.oneIssueCorpus()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLITests.run(["index", "--corpus", corpus.path, "--index", index]).status == 0)
        let directory = IndexDirectory(url: URL(fileURLWithPath: index))
        var manifest = try #require(try directory.latestManifest())
        let segment = URL(fileURLWithPath: index).appendingPathComponent(manifest.segments[0].name)
        var bytes = [UInt8](try Data(contentsOf: segment))
        for k in 16..<20 { bytes[k] = 0xFF }
        let crc = CRC32.checksum(Array(bytes[0..<SegmentFile.headerSize]) + Array(bytes[(bytes.count - 40)..<(bytes.count - 8)]))
        for k in 0..<4 { bytes[bytes.count - 8 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        try Data(bytes).write(to: segment)
        manifest.segments[0].documentCount = Int(UInt32.max)
        let name = try #require(try Self.commitPoints(index).last)
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: index).appendingPathComponent(name))

        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "ulimit -v 4000000; exec \"$0\" search --index \"$1\" 履职 2>&1", CLITests.executable.path, index]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(shell.terminationReason == .exit && shell.terminationStatus == 1, "\(shell.terminationReason) \(shell.terminationStatus)")
        #expect(output.hasPrefix("error: ") && output.contains("damaged"), "\(output.prefix(300))")
    }

    /// The help says what the code does: `--corpus` defaults to the recorded corpus.
    @Test func theHelpDescribesTheDefaultCorpus() throws {
        for command in ["index", "search", "shell"] {
            let help = try CLITests.run([command, "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "  +", with: " ", options: .regularExpression)
            #expect(help.contains("default: the one the index was built from"), "\(command): \(help)")
        }
    }
}
