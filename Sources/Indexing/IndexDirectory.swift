import Foundation

/// An index directory: commit points (`segments_N`), segment files (`*.seg`) and the writer's
/// lock (`write.lock`). Readers open the newest commit point; one writer at a time publishes a
/// new one.
public struct IndexDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(url: URL) {
        self.url = url.standardizedFileURL
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Generations of the commit points present, newest first.
    public func generations() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.compactMap { name in
            name.hasPrefix(Manifest.prefix) ? Int(name.dropFirst(Manifest.prefix.count)) : nil
        }.sorted(by: >)
    }

    public var exists: Bool { !generations().isEmpty }

    /// The newest commit point, or nil when the directory holds none.
    public func latestManifest() throws -> Manifest? {
        try readLatestCommitPoint { try Manifest.decode($0, file: $1) }
    }

    /// Reads the newest commit point with `decode` (given its bytes and path) and checks that it
    /// is the generation its name says, in a format this program reads.
    private func readLatestCommitPoint(_ decode: (UnsafeRawBufferPointer, String) throws -> Manifest) throws -> Manifest? {
        guard let generation = generations().first else { return nil }
        let name = Manifest.prefix + String(generation)
        let mapped = try MappedFile(path: file(name))  // mapped, not read: no copy to fault in
        let manifest = try withExtendedLifetime(mapped) {
            try decode(mapped.count == 0 ? UnsafeRawBufferPointer(start: nil, count: 0) : try mapped.bytes(0..<mapped.count), file(name))
        }
        guard manifest.generation == generation else {
            throw IndexError.damaged(file: file(name), detail: "names generation \(manifest.generation)")
        }
        guard manifest.formatVersion <= SegmentFile.formatVersion else {
            throw IndexError.unsupportedVersion(file: file(name), found: manifest.formatVersion, supported: SegmentFile.formatVersion)
        }
        return manifest
    }

    /// Opens the newest complete version. A writer may delete the files of an older version
    /// between reading its commit point and opening its segments; then the newer one is read.
    /// The commit point's files are read into a `FileTable`, not as a `String` each.
    public func open(analyzerVersion: UInt32) throws -> IndexSnapshot {
        var attempt = 0
        while true {
            var files = FileTable()
            let read = { (bytes: UnsafeRawBufferPointer, name: String) in
                try Manifest.decode(bytes, file: name, reserve: { files.reserveCapacity(files: $0) }) { files.append($0) }
            }
            guard let manifest = try readLatestCommitPoint(read) else { throw IndexError.missing(path: path) }
            do {
                let readers = try manifest.segments.map { try SegmentReader(path: file($0.name), analyzerVersion: analyzerVersion) }
                return try IndexSnapshot(manifest: manifest, files: files, directory: path, segments: readers)
            } catch IndexError.missingFile(let missing) {
                attempt += 1
                let newer = (generations().first ?? 0) > manifest.generation
                if !newer || attempt >= 5 {
                    throw IndexError.damaged(file: file(manifest.fileName), detail: "names a missing segment \(missing)")
                }
            }
        }
    }

    // MARK: Writing

    /// Writes `bytes` as `name` durably: a temporary file, fsync, rename, fsync of the directory.
    func writeDurably(_ bytes: [UInt8], as name: String) throws {
        let target = file(name)
        let temporary = file(".\(name).tmp-\(getpid())")
        let fd = Foundation.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw IndexError.io(path: temporary, detail: String(cString: strerror(errno))) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let detail = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw IndexError.io(path: target, detail: detail)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let detail = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw IndexError.io(path: target, detail: detail)
        }
        close(fd)
        guard rename(temporary, target) == 0 else {
            let detail = String(cString: strerror(errno))
            unlink(temporary)
            throw IndexError.io(path: target, detail: detail)
        }
        syncDirectory()
    }

    func syncDirectory() {
        let fd = Foundation.open(path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    func create() throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw IndexError.io(path: path, detail: error.localizedDescription)
        }
    }

    /// Removes what the newest commit point does not name: older commit points, segments they
    /// alone used, and temporary files of writers that died.
    func removeUnreferenced(keeping manifest: Manifest) {
        let keep = Set(manifest.segments.map(\.name) + [manifest.fileName, WriteLock.fileName])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where !keep.contains(name) {
            if name.hasSuffix(".seg") || name.hasPrefix(Manifest.prefix) || name.contains(".tmp-") {
                unlink(file(name))
            }
        }
    }
}

/// The writer's lock: `flock` on `write.lock`, which holds the holder's pid. The kernel drops the
/// lock when its process dies, so a stale file never blocks.
public final class WriteLock {
    public static let fileName = "write.lock"
    private let fd: Int32

    public init(directory: IndexDirectory) throws {
        let path = directory.file(Self.fileName)
        fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw IndexError.io(path: path, detail: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 32, 0)
            let pid = n > 0 ? Int(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) : nil
            close(fd)
            throw IndexError.locked(path: directory.path, pid: pid)
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
