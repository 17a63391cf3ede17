import Foundation

/// A source file of the corpus, read and ready to split.
public struct CorpusFile: Sendable {
    /// Path relative to the corpus root, with `/` separators.
    public var path: String
    /// UTF-8 text (a byte-order mark removed).
    public var bytes: [UInt8]
    /// Fingerprint of the bytes as read from disk.
    public var contentHash: UInt64
    public var size: Int
}

/// Something wrong with one file: it is skipped, the rest of the batch goes on.
public struct CorpusWarning: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Lists and reads the `*.txt` files under a corpus directory (recursively, in path order).
public struct CorpusReader: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public enum Failure: Error, CustomStringConvertible {
        case missingDirectory(String)
        public var description: String {
            switch self {
            case .missingDirectory(let path): "corpus directory not found: \(path)"
            }
        }
    }

    /// Relative paths of the corpus's text files, sorted.
    public func listFiles() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure.missingDirectory(root.path)
        }
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw Failure.missingDirectory(root.path)
        }
        var paths: [String] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator where url.pathExtension.lowercased() == "txt" {
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(prefix) else { continue }
            paths.append(String(full.dropFirst(prefix.count)))
        }
        return paths.sorted()
    }

    /// Reads one file; returns a warning instead when it cannot be used.
    public func read(_ path: String) -> Result<CorpusFile, CorpusWarning> {
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let exists = (try? url.checkResourceIsReachable()) ?? false
            return .failure(CorpusWarning(path: path, reason: exists ? "cannot be read (permissions?)" : "cannot be read (broken link or missing)"))
        }
        var bytes = [UInt8](data)
        let hash = ContentHash.fnv1a64(bytes)
        let size = bytes.count
        if bytes.isEmpty { return .failure(CorpusWarning(path: path, reason: "empty file")) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.contains(0) { return .failure(CorpusWarning(path: path, reason: "binary file (contains NUL bytes)")) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .failure(CorpusWarning(path: path, reason: "not valid UTF-8"))
        }
        return .success(CorpusFile(path: path, bytes: bytes, contentHash: hash, size: size))
    }
}
