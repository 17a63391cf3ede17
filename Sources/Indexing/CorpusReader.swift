import Foundation
import ICUText

/// A corpus file as scanned: its fingerprint and how to decode it.
public struct ScannedFile: Sendable, Equatable {
    public enum Encoding: Sendable, Equatable {
        case utf8
        /// Converted with ICU from this charset (GB18030, UTF-16LE, …).
        case converted(String)
    }

    /// Path relative to the corpus root, with `/` separators.
    public var path: String
    public var size: Int
    /// FNV-1a 64 of the bytes on disk.
    public var contentHash: UInt64
    public var encoding: Encoding
    /// Status-change time (ctime) when it was read, nanoseconds since 1970 (0: unknown).
    public var changed: Int64 = 0
}

/// What `stat` says of a file, to tell whether it changed without reading it.
public struct FileStamp: Sendable, Equatable {
    public var size: Int
    /// The status-change time (ctime), nanoseconds since 1970. Every write, rename into place or
    /// change of attributes moves it to the present, and no tool can set it back (unlike the
    /// modification time, which `touch -d`, `cp -p`, `rsync -a`, `tar` and unzip restore), so an
    /// unchanged ctime means unchanged bytes (git's index compares it too).
    public var changed: Int64

    init(_ info: stat) {
        size = Int(info.st_size)
        #if canImport(Darwin)
        let time = info.st_ctimespec  // (Package.swift targets macOS too, where `st_ctim` does not exist)
        #else
        let time = info.st_ctim
        #endif
        changed = Self.nanoseconds(time)
    }

    /// A `timespec` as nanoseconds since 1970.
    static func nanoseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec) }
}

/// A stretch of a corpus file, decoded to UTF-8 and cut at a blank line, so that large files are
/// read and indexed a window at a time.
public struct CorpusWindow: Sendable {
    public var path: String
    public var bytes: [UInt8]
    /// 1-based number of the window's first line in the file.
    public var firstLine: Int
    /// Where the window's first byte is in the file, for a file stored as UTF-8 (its bytes are
    /// the file's); nil for one converted from another encoding.
    public var fileOffset: Int?
    /// Whether the file ends with this window (nothing follows it).
    public var isLast: Bool

    public init(path: String, bytes: [UInt8], firstLine: Int, fileOffset: Int? = nil, isLast: Bool = true) {
        self.path = path
        self.bytes = bytes
        self.firstLine = firstLine
        self.fileOffset = fileOffset
        self.isLast = isLast
    }
}

/// Something wrong with one file: it is skipped, the rest of the batch goes on.
public struct CorpusWarning: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Lists, fingerprints and reads the `*.txt` files under a corpus directory.
///
/// UTF-8 (with or without a byte-order mark, LF or CRLF) is read as it is; UTF-16 with a BOM,
/// and other encodings that ICU's detector names with confidence (GB18030/GBK, Big5), are
/// converted. Empty, binary (NUL bytes), unreadable and undecodable files, and broken links, are
/// reported as warnings.
public struct CorpusReader: Sendable {
    public let root: URL
    /// `root`'s path with a trailing `/`, to which relative paths are appended (cheaper than
    /// `URL.appendingPathComponent` for every file of a large corpus).
    let rootPrefix: String
    /// Large UTF-8 files are indexed this many bytes at a time (cut at a blank line).
    public var windowSize: Int
    /// Least confidence (0–100) to trust ICU's guess of a non-UTF-8 encoding.
    public static let minimumConfidence = 50

    public init(root: URL, windowSize: Int = 8 << 20) {
        self.root = root.standardizedFileURL
        rootPrefix = self.root.path.hasSuffix("/") ? self.root.path : self.root.path + "/"
        self.windowSize = windowSize
    }

    public enum Failure: Error, CustomStringConvertible {
        case missingDirectory(String)
        public var description: String {
            switch self {
            case .missingDirectory(let path): "corpus directory not found: \(path)"
            }
        }
    }

    /// Relative paths of the corpus's text files (broken links included), sorted by bytes.
    public func listFiles() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure.missingDirectory(root.path)
        }
        // Hidden files and directories are not the corpus's: `.git/`, an editor's backups, or an
        // index kept inside the corpus directory (its `dictionary.txt` is not an article).
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw Failure.missingDirectory(root.path)
        }
        var paths: [String] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator where url.pathExtension.lowercased() == "txt" {
            let full = url.path
            guard full.hasPrefix(prefix) else { continue }
            paths.append(String(full.dropFirst(prefix.count)))
        }
        return paths.sorted(by: Manifest.pathPrecedes)  // UTF-8 byte order, no array per comparison
    }

    private func open(_ path: String) -> Result<FileHandle, CorpusWarning> {
        let full = rootPrefix + path
        if let handle = FileHandle(forReadingAtPath: full) { return .success(handle) }
        var info = stat()
        if lstat(full, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK && stat(full, &info) != 0 {
            return .failure(CorpusWarning(path: path, reason: "broken symbolic link"))
        }
        return .failure(CorpusWarning(path: path, reason: "cannot be read (\(String(cString: strerror(errno))))"))
    }

    /// `body` with the file opened (and closed after it), or why the file cannot be opened.
    private func withOpened<T>(_ path: String, _ body: (FileHandle) throws -> Result<T, CorpusWarning>) rethrows -> Result<T, CorpusWarning> {
        switch open(path) {
        case .failure(let warning): return .failure(warning)
        case .success(let handle):
            defer { try? handle.close() }
            return try body(handle)
        }
    }

    /// The status-change time of an opened file (0: unknown).
    private static func changedTime(_ handle: FileHandle) -> Int64 {
        var info = stat()
        return fstat(handle.fileDescriptor, &info) == 0 ? FileStamp(info).changed : 0
    }

    /// The rest of an opened file.
    private static func readAll(_ handle: FileHandle, _ path: String) -> Result<[UInt8], CorpusWarning> {
        do { return .success([UInt8](try handle.readToEnd() ?? Data())) } catch {
            return .failure(CorpusWarning(path: path, reason: "cannot be read (\(error.localizedDescription))"))
        }
    }

    /// A file's bytes converted from `charset` to UTF-8, without a byte-order mark.
    private static func converted(_ raw: [UInt8], from charset: String, _ path: String) -> Result<[UInt8], CorpusWarning> {
        guard var utf8 = CharsetDecoder.convert(raw, from: charset) else {
            return .failure(CorpusWarning(path: path, reason: "cannot be converted from \(charset)"))
        }
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        return .success(utf8)
    }

    /// The file's size and status-change time (following symbolic links), or nil when it cannot
    /// be stated.
    public func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(rootPrefix + path, &info) == 0 else { return nil }
        return FileStamp(info)
    }

    /// Reads a file once, in chunks: its size and hash, and whether and how it can be decoded.
    public func scan(_ path: String) -> Result<ScannedFile, CorpusWarning> {
        withOpened(path) { handle in
            let changed = Self.changedTime(handle)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var size = 0
            var head: [UInt8] = []
            var validator = UTF8Validator()
            var sawNUL = false
            while true {
                let chunk: Data
                do {
                    guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { break }
                    chunk = data
                } catch {
                    return .failure(CorpusWarning(path: path, reason: "cannot be read (\(error.localizedDescription))"))
                }
                let bytes = [UInt8](chunk)
                hash = ContentHash.fnv1a64(bytes, seed: hash)
                if head.count < 65536 { head += bytes.prefix(65536 - head.count) }
                if size == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                    validator.feed(bytes.dropFirst(3))
                } else {
                    validator.feed(bytes[...])
                }
                if !sawNUL && bytes.contains(0) { sawNUL = true }
                size += bytes.count
            }
            validator.finish()
            return Self.judge(ScannedFile(path: path, size: size, contentHash: hash, encoding: .utf8, changed: changed),
                              head: head, validUTF8: validator.isValid, sawNUL: sawNUL)
        }
    }

    /// How a file of these bytes is decoded (`file.encoding`), or why it cannot be.
    private static func judge(_ scanned: ScannedFile, head: [UInt8], validUTF8: Bool, sawNUL: Bool) -> Result<ScannedFile, CorpusWarning> {
        var file = scanned
        let path = file.path
        if file.size == 0 { return .failure(CorpusWarning(path: path, reason: "empty file")) }
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            file.encoding = .converted(head[0] == 0xFF ? "UTF-16LE" : "UTF-16BE")
            return .success(file)
        }
        if sawNUL { return .failure(CorpusWarning(path: path, reason: "binary file (contains NUL bytes), not text")) }
        if validUTF8 { return .success(file) }
        guard let guess = CharsetDecoder.detect(head), guess.confidence >= Self.minimumConfidence,
            !guess.charset.hasPrefix("UTF-8"), !guess.charset.hasPrefix("ISO-8859"), !guess.charset.hasPrefix("windows-125")
        else {
            return .failure(CorpusWarning(path: path, reason: "not UTF-8, and its encoding could not be detected with confidence"))
        }
        file.encoding = .converted(guess.charset)
        return .success(file)
    }

    /// Calls `body` with the file's text, decoded to UTF-8, a window at a time. Returns `file` as
    /// what was read: the file is opened again after `scan`, so it may have been rewritten in
    /// between; then the size and hash are those of the bytes read (what the windows hold) and the
    /// time is 0 (unknown: never trusted, the next update reads it again).
    @discardableResult
    public func forEachWindow(_ file: ScannedFile, _ body: (CorpusWindow) throws -> Void) throws -> Result<ScannedFile, CorpusWarning> {
        try withOpened(file.path) { handle in
            if case .converted(let charset) = file.encoding {
                let raw: [UInt8], utf8: [UInt8]
                switch Self.readAll(handle, file.path).flatMap({ bytes in Self.converted(bytes, from: charset, file.path).map { (bytes, $0) } }) {
                case .failure(let warning): return .failure(warning)
                case .success(let read): (raw, utf8) = read
                }
                var line = 1
                let pieces = Self.cut(utf8, windowSize: windowSize)
                for (i, piece) in pieces.enumerated() {
                    try body(CorpusWindow(path: file.path, bytes: piece, firstLine: line, isLast: i == pieces.count - 1))
                    line += Self.lineBreaks(in: piece)
                }
                return .success(Self.asRead(file, size: raw.count, hash: ContentHash.fnv1a64(raw)))
            }
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var size = 0
            var pending: [UInt8] = []
            var line = 1
            var offset = 0  // of pending's first byte in the file
            var first = true
            while true {
                let data: Data?
                do { data = try handle.read(upToCount: windowSize) } catch {
                    return .failure(CorpusWarning(path: file.path, reason: "cannot be read (\(error.localizedDescription))"))
                }
                let atEnd = data == nil || data!.isEmpty
                if let data {
                    pending += data
                    hash = ContentHash.fnv1a64(pending[(pending.count - data.count)...], seed: hash)  // (before the BOM goes)
                    size += data.count
                }
                if first && pending.starts(with: [0xEF, 0xBB, 0xBF]) {
                    pending.removeFirst(3)
                    offset = 3
                }
                first = false
                if atEnd {
                    if !pending.isEmpty { try body(CorpusWindow(path: file.path, bytes: pending, firstLine: line, fileOffset: offset)) }
                    return .success(Self.asRead(file, size: size, hash: hash))
                }
                if pending.count >= windowSize, let cut = Self.blankLineCut(pending) {
                    let window = Array(pending[..<cut])
                    try body(CorpusWindow(path: file.path, bytes: window, firstLine: line, fileOffset: offset, isLast: false))
                    line += Self.lineBreaks(in: window)
                    offset += cut
                    pending.removeFirst(cut)
                }
            }
        }
    }

    /// `file` as `forEachWindow` read it: itself when the bytes are those scanned, else with the
    /// size and hash of the bytes read and an unknown time.
    private static func asRead(_ file: ScannedFile, size: Int, hash: UInt64) -> ScannedFile {
        guard size != file.size || hash != file.contentHash else { return file }
        var read = file
        read.size = size
        read.contentHash = hash
        read.changed = 0
        return read
    }

    /// The whole file, read once: what `scan` says of it, and its text decoded to UTF-8 (what
    /// `forEachWindow` hands over, in one buffer). The hash is of the very bytes decoded.
    public func read(_ path: String) -> Result<(ScannedFile, [UInt8]), CorpusWarning> {
        withOpened(path) { handle in
            let changed = Self.changedTime(handle)
            let raw: [UInt8]
            switch Self.readAll(handle, path) {
            case .failure(let warning): return .failure(warning)
            case .success(let bytes): raw = bytes
            }
            let body = raw.starts(with: [0xEF, 0xBB, 0xBF]) ? raw.dropFirst(3) : raw[...]
            let scanned = Self.judge(
                ScannedFile(path: path, size: raw.count, contentHash: ContentHash.fnv1a64(raw), encoding: .utf8, changed: changed),
                head: Array(raw.prefix(65536)), validUTF8: String(validating: body, as: UTF8.self) != nil, sawNUL: raw.contains(0))
            switch scanned {
            case .failure(let warning): return .failure(warning)
            case .success(let file):
                guard case .converted(let charset) = file.encoding else { return .success((file, Array(body))) }
                return Self.converted(raw, from: charset, path).map { (file, $0) }
            }
        }
    }

    /// Where to cut a buffer: just after its last blank line (or, failing that, its last line break).
    static func blankLineCut(_ bytes: [UInt8]) -> Int? {
        var i = bytes.count - 1
        var lastBreak: Int? = nil
        while i > 0 {
            if bytes[i] == 0x0A {
                if lastBreak == nil { lastBreak = i + 1 }
                var j = i - 1
                if j >= 0 && bytes[j] == 0x0D { j -= 1 }
                if j >= 0 && bytes[j] == 0x0A { return i + 1 }
            }
            i -= 1
        }
        return lastBreak
    }

    static func cut(_ bytes: [UInt8], windowSize: Int) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var rest = bytes[...]
        while rest.count > windowSize {
            let head = Array(rest.prefix(windowSize))
            guard let at = blankLineCut(head), at > 0 else { break }
            pieces.append(head.prefix(at).map { $0 })
            rest = rest.dropFirst(at)
        }
        pieces.append(Array(rest))
        return pieces
    }

    /// Line breaks as the splitter counts them (`\n`, `\r\n` or a lone `\r`).
    static func lineBreaks(in bytes: [UInt8]) -> Int {
        var count = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A { count += 1 } else if bytes[i] == 0x0D {
                count += 1
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
            }
            i += 1
        }
        return count
    }
}

/// Streaming UTF-8 validation across chunk boundaries.
struct UTF8Validator {
    private var carry: [UInt8] = []
    private(set) var isValid = true

    mutating func feed(_ chunk: ArraySlice<UInt8>) {
        guard isValid else { return }
        var bytes = carry + chunk
        carry = []
        // Keep an incomplete sequence at the end for the next chunk.
        var back = 0
        var i = bytes.count - 1
        while i >= 0 && back < 4 && bytes[i] & 0xC0 == 0x80 { i -= 1; back += 1 }
        if i >= 0 {
            let lead = bytes[i]
            let need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if need > back + 1 {
                carry = Array(bytes[i...])
                bytes.removeSubrange(i...)
            }
        }
        if String(validating: bytes, as: UTF8.self) == nil { isValid = false }
    }

    mutating func finish() {
        if !carry.isEmpty { isValid = false }
    }
}
