/// Why an index cannot be used. Every case names the file and says how to recover.
public enum IndexError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case missingFile(file: String)
    case locked(path: String, pid: Int?)
    case damaged(file: String, detail: String)
    case unsupportedVersion(file: String, found: UInt32, supported: UInt32)
    case staleAnalyzer(file: String, found: UInt32, current: UInt32)
    case io(path: String, detail: String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no index at \(path): run `committee-search index` to build it"
        case .missingFile(let file):
            "index file \(file) is missing; run `committee-search index --full` to rebuild the index"
        case .locked(let path, let pid):
            "the index \(path) is being updated by another process"
                + (pid.map { " (pid \($0))" } ?? "") + "; wait for it to finish"
        case .damaged(let file, let detail):
            "index file \(file) is damaged (\(detail)); run `committee-search index --full` to rebuild it"
        case .unsupportedVersion(let file, let found, let supported):
            "index file \(file) has format version \(found), which this program does not read (it writes version \(supported)); "
                + "run `committee-search index --full` to rebuild it"
        case .staleAnalyzer(let file, let found, let current):
            "index file \(file) was built with another analyzer or user dictionary (fingerprint \(found), now \(current)); "
                + "run `committee-search index` to rebuild it"
        case .io(let path, let detail):
            "cannot write \(path): \(detail)"
        }
    }
}
