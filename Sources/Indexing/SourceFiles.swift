import Analysis
import Foundation

/// What a corpus file was when it was indexed (from the commit point).
public struct IndexedFile: Sendable, Equatable {
    public var size: Int
    /// Its status-change time (ctime) then, nanoseconds since 1970 (0: unknown).
    public var changed: Int64
    /// FNV-1a 64 of its bytes (`ScannedFile.contentHash`).
    public var contentHash: UInt64
    /// A file whose size and ctime are still these holds the bytes indexed, if that time is before
    /// this one (the writer's rule: the update's start less its racy margin).
    public var stampsTrustedBefore: Int64

    public init(size: Int, changed: Int64, contentHash: UInt64, stampsTrustedBefore: Int64) {
        self.size = size
        self.changed = changed
        self.contentHash = contentHash
        self.stampsTrustedBefore = stampsTrustedBefore
    }
}

/// The corpus files an on-disk index was built from, read back for the text of its hits: an
/// index stores where each article's body lines are, not their text (the corpus stays where it
/// is, and keeping a second copy of it doubled the index). A file is used only while its bytes
/// are those that were indexed; after it changes, until the next `index`, its hits are shown
/// without passages rather than with the wrong lines.
///
/// A file whose size and ctime still match the commit point (the test the writer uses to skip
/// unchanged files) is trusted, and only the article's lines are read, from the offset the index
/// stored. Any other file is read whole and must hash as it did when indexed. One instance serves
/// one round of results: a file read whole is read once, whatever the number of its hits.
public final class SourceFiles {
    /// Why a hit's text could not be read back.
    public enum Unavailable: Error, Equatable, CustomStringConvertible {
        /// The file is gone or cannot be read or decoded.
        case unreadable(path: String, reason: String)
        /// The file's bytes are no longer those indexed.
        case changed(path: String)
        /// The index does not record what the file held.
        case unrecorded(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path) cannot be read back (\(reason)); run `committee-search index`"
            case .changed(let path): "\(path) changed since it was indexed; run `committee-search index`"
            case .unrecorded(let path): "the index does not record what \(path) held; run `committee-search index --full`"
            }
        }
    }

    /// A file as indexed: its text decoded to UTF-8, and where each line is in it.
    private struct Text {
        var bytes: [UInt8]
        var lines: [SourceLine]
    }

    private let reader: CorpusReader
    private var files: [String: Result<Text, Unavailable>] = [:]

    public init(root: URL) {
        reader = CorpusReader(root: root)
    }

    /// `document` with its body's text: as it is when the index stored it, else read back from
    /// its file, which must still be as `indexed` says (the index's `sourceFile`).
    public func withBody(_ document: StoredDocument, indexed: IndexedFile?) -> Result<StoredDocument, Unavailable> {
        if document.hasBody { return .success(document) }
        guard let indexed else { return .failure(.unrecorded(path: document.file)) }
        var filled = document
        if let body = trustedLines(document, indexed) {
            filled.body = body
            return .success(filled)
        }
        let text: Text
        switch file(document.file, indexed.contentHash) {
        case .failure(let reason): return .failure(reason)
        case .success(let t): text = t
        }
        guard let body = Self.join(document.bodyLines, text.lines, in: text.bytes, firstNumber: 1) else {
            return .failure(.changed(path: document.file))
        }
        filled.body = String(decoding: body, as: UTF8.self)
        return .success(filled)
    }

    /// The body's lines (`lines[number - firstNumber]` of `bytes`) joined by `\n`, as `IndexBuilder`
    /// would have stored them; nil when a line is not there.
    private static func join(_ bodyLines: [StoredDocument.BodyLine], _ lines: [SourceLine], in bytes: [UInt8], firstNumber: Int) -> [UInt8]? {
        var body: [UInt8] = []
        for (i, line) in bodyLines.enumerated() {
            let k = line.number - firstNumber
            guard k >= 0, k < lines.count else { return nil }
            if i > 0 { body.append(0x0A) }
            body.append(contentsOf: bytes[lines[k].range])
        }
        return body
    }

    /// The body read from its offset, when the file's stamp proves it unchanged; nil to read it
    /// the long way (no offset, a stamp that differs or is too recent to trust, a short read).
    private func trustedLines(_ document: StoredDocument, _ indexed: IndexedFile) -> String? {
        guard let offset = document.sourceOffset, let first = document.bodyLines.first?.number, let last = document.bodyLines.last?.number,
            last >= first, indexed.changed != 0, indexed.changed < indexed.stampsTrustedBefore
        else { return nil }
        let descriptor = open(reader.rootPrefix + document.file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)  // (a FIFO: no wait)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // The stamp of the file opened, not of the path a moment before: a file renamed into
        // place between a `stat` and the `open` would be read on the old one's word.
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let stamp = FileStamp(info)
        guard info.st_mode & S_IFMT == S_IFREG, stamp.size == indexed.size, stamp.changed == indexed.changed else { return nil }
        // Read on from the first body line until the last one has ended (or the file has).
        let wanted = last - first + 1
        var region: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset + region.count)) }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            region.append(contentsOf: chunk[0..<count])
            // One break more than the lines wanted, so that a `\r\n` is not cut in two.
            if CorpusReader.lineBreaks(in: region) > wanted { break }
            chunk = [UInt8](repeating: 0, count: chunk.count * 2)  // (each pass reads as much as all before)
        }
        guard let body = Self.join(document.bodyLines, TextNormalizer.lines(of: region), in: region, firstNumber: first) else { return nil }
        return String(validating: body, as: UTF8.self)
    }

    private func file(_ path: String, _ contentHash: UInt64) -> Result<Text, Unavailable> {
        if let known = files[path] { return known }
        let result: Result<Text, Unavailable>
        switch reader.read(path) {
        case .failure(let warning):
            result = .failure(.unreadable(path: path, reason: warning.reason))
        case .success(let (scanned, bytes)):
            result = scanned.contentHash == contentHash
                ? .success(Text(bytes: bytes, lines: TextNormalizer.lines(of: bytes))) : .failure(.changed(path: path))
        }
        files[path] = result
        return result
    }
}
