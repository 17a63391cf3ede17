import Foundation

/// A read-only memory map of a whole file. Reads are bounds-checked and throw
/// `IndexError.damaged` naming the file, so a truncated or corrupt file can never crash a reader.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    private let base: UnsafeRawPointer?

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT { throw IndexError.missingFile(file: path) }
            throw IndexError.io(path: path, detail: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw IndexError.io(path: path, detail: String(cString: strerror(errno))) }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else {
            throw IndexError.io(path: path, detail: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(pointer)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    func damaged(_ detail: String) -> IndexError { .damaged(file: path, detail: detail) }

    /// The bytes of `range`, checked against the file's size.
    public func bytes(_ range: Range<Int>) throws -> UnsafeRawBufferPointer {
        guard range.lowerBound >= 0, range.upperBound <= count, let base else {
            throw damaged("a reference to bytes \(range.lowerBound)..<\(range.upperBound) past the end (\(count) bytes)")
        }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Start offsets of the blocks already verified: a block is checked once per mapping (the
    /// file is immutable and mapped read-only), not on every read.
    private var verified = Set<Int>()
    private let lock = NSLock()

    /// The bytes of `range` after verifying the CRC-32 stored in the 4 bytes that follow them.
    public func checkedBytes(_ range: Range<Int>, what: String) throws -> UnsafeRawBufferPointer {
        let data = try bytes(range)
        lock.lock()
        let known = verified.contains(range.lowerBound)
        lock.unlock()
        if known { return data }
        let stored = try bytes(range.upperBound..<(range.upperBound + 4))
        let expected = UInt32(stored[0]) | UInt32(stored[1]) << 8 | UInt32(stored[2]) << 16 | UInt32(stored[3]) << 24
        guard CRC32.checksum(data) == expected else { throw damaged("checksum mismatch in \(what)") }
        lock.lock()
        verified.insert(range.lowerBound)
        lock.unlock()
        return data
    }
}
