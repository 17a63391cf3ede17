import Analysis
import Articles
import Foundation
import Synchronization

/// Brings an on-disk index up to date with a corpus directory, one writer at a time.
///
/// Files are compared with what the last commit point records: by size and status-change time
/// (ctime) first (a file that matches both, and was not changed within `racyMargin` of the last update's
/// start, is not read), else by content hash. New and changed files are analysed into new segments (flushed whenever the builder passes its memory budget),
/// the old articles of changed and removed files are marked deleted, and a new commit point is
/// published atomically. Unreadable files are reported and skipped; a file that was indexed and
/// has become unreadable keeps its old articles. When there are more than `maxSegments`
/// segments, the smallest are merged into one (`MergePolicy`: as many as fit the budget, none
/// much larger than the others together), and a segment more than half deleted is rewritten (with
/// the chosen ones, if any); the
/// result is published as a further commit point. A merge is built in memory, so its input is
/// bounded by `mergeBudget`; an incremental update merges no more than a few times what it added
/// (at least `incrementalMergeFloor`), so adding one issue to a large index stays quick.
public final class IndexWriter {
    public struct Report: Sendable, Codable {
        public var added = 0
        public var changed = 0
        public var removed = 0
        public var unchanged = 0
        /// Files read (and hashed) to find out: new ones, and those whose size or time moved.
        public var filesRead = 0
        public var skipped: [String] = []
        public var articles = 0
        public var tokens = 0
        public var bytes = 0
        public var seconds = 0.0
        public var segments = 0
        public var mergedSegments = 0
        public var generation = 0
        public var liveArticles = 0
        /// Why everything was re-analysed, if it was.
        public var fullRebuildReason: String?

        public init() {}
    }

    public struct Progress: Sendable {
        public var filesDone: Int
        public var filesTotal: Int
        public var articles: Int
        public var bytes: Int
        public var seconds: Double
    }

    public let directory: IndexDirectory
    public var reader: CorpusReader
    public let layout: CorpusLayout
    public let bigrams: Bool
    public let analyzerVersion: UInt32
    public var memoryBudget = 256 << 20
    public var maxSegments = 10
    /// The most segment-file bytes merged at once (a merge holds its input decoded in memory, a
    /// few times its size on disk).
    public var mergeBudget = 64 << 20
    /// What an incremental update may merge however little it added (its budget is four times the
    /// bytes of its new segments, at least this, at most `mergeBudget`).
    public var incrementalMergeFloor = 8 << 20
    /// Files are analysed by this many threads at once (default: one per core).
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// How long before an update began a file must have been changed for its recorded size and
    /// time to be trusted the next time: a file changed while it was read, in the same clock tick,
    /// would keep its time. (The time is the ctime, which no tool sets back, so a file rewritten
    /// and given back its modification time is still read; `update(full: true)` reads everything.)
    public var racyMargin: Int64 = defaultRacyMargin
    public static let defaultRacyMargin: Int64 = 2_000_000_000
    /// Called after each file (for a progress bar).
    public var progress: ((Progress) -> Void)?
    /// The words the analyzer keeps whole. Record its fingerprint as `analyzerVersion`
    /// (`Analyzer.fingerprint(of:)`) so that a changed dictionary re-analyses everything.
    public var dictionary: UserDictionary = .shipped

    public init(directory: IndexDirectory, corpus: URL, layout: CorpusLayout = .journal, bigrams: Bool = true, analyzerVersion: UInt32 = Analyzer.version) {
        self.directory = directory
        reader = CorpusReader(root: corpus)
        self.layout = layout
        self.bigrams = bigrams
        self.analyzerVersion = analyzerVersion
    }

    /// Brings the index up to date; `full` re-analyses every file.
    public func update(full: Bool = false) throws -> Report {
        let started = DispatchTime.now()
        let scanStarted = Self.now()
        let paths = try reader.listFiles()
        try directory.create()
        let lock = try WriteLock(directory: directory)
        defer { withExtendedLifetime(lock) {} }
        var report = Report()
        var previous: Manifest? = full ? nil : try directory.latestManifest()
        if let old = previous {
            if old.analyzerVersion != analyzerVersion {
                report.fullRebuildReason = "the analyzer changed (version \(old.analyzerVersion) → \(analyzerVersion))"
            } else if old.layout != layout.rawValue {
                report.fullRebuildReason = "the layout changed (\(old.layout) → \(layout.rawValue))"
            } else if old.bigrams != bigrams {
                report.fullRebuildReason = bigrams ? "bigrams were turned on" : "bigrams were turned off"
            } else if old.formatVersion != SegmentFile.formatVersion {
                report.fullRebuildReason = "the index format changed"
            }
            if report.fullRebuildReason != nil { previous = nil }
        } else if full {
            report.fullRebuildReason = "--full"
        }
        let generation = directory.generations().first ?? 0  // named by the file: no second decode
        var manifest = previous ?? Manifest(
            generation: generation, formatVersion: SegmentFile.formatVersion, analyzerVersion: analyzerVersion,
            layout: layout.rawValue, bigrams: bigrams, segments: [], files: [])
        manifest.generation = generation + 1

        // Which files to analyse, and which old articles to delete.
        var oldFiles: [String: [Manifest.SourceFile]] = [:]
        for entry in manifest.files { oldFiles[entry.path, default: []].append(entry) }
        var toIndex: [ScannedFile] = []
        var keptPaths = Set<String>()
        var deletions: [Manifest.SourceFile] = []
        var newTimes: [String: Int64] = [:]  // kept files' times to record: read again and the same, or unreadable (0)
        let trustedBefore = (previous?.scanStarted ?? 0) - racyMargin
        // Files whose recorded size and time still hold are not read; the others are read and
        // hashed on every core, then judged in corpus order.
        let toScan = paths.filter { path in
            guard let old = oldFiles[path]?.first, old.changed != 0, old.changed < trustedBefore,
                let stamp = reader.stamp(path), stamp.size == old.size, stamp.changed == old.changed
            else { return true }
            report.unchanged += 1
            keptPaths.insert(path)
            return false
        }
        report.filesRead = toScan.count
        for (path, outcome) in zip(toScan, scanAll(toScan)) {
            switch outcome {
            case .failure(let warning):
                report.skipped.append(warning.description)
                if let old = oldFiles[path] {
                    keptPaths.insert(path)  // nothing indexed is lost
                    // Its time was not verified by reading it: unknown (0), so that this commit's
                    // `scanStarted` does not vouch for it and the file is read once it can be.
                    if old.first?.changed != 0 { newTimes[path] = 0 }
                }
            case .success(let scanned):
                if let old = oldFiles[path] {
                    if old.first?.contentHash == scanned.contentHash {
                        report.unchanged += 1
                        keptPaths.insert(path)
                        if old.first?.changed != scanned.changed { newTimes[path] = scanned.changed }
                        continue
                    }
                    report.changed += 1
                    deletions += old
                } else {
                    report.added += 1
                }
                toIndex.append(scanned)
            }
        }
        let listed = Set(paths)  // not `paths.contains`: a linear search per old file is quadratic
        for (path, entries) in oldFiles where !listed.contains(path) && !keptPaths.contains(path) {
            report.removed += 1
            deletions += entries
        }
        manifest.files.removeAll { !keptPaths.contains($0.path) }
        for i in manifest.files.indices {
            if let changed = newTimes[manifest.files[i].path] { manifest.files[i].changed = changed }
        }
        manifest.scanStarted = scanStarted
        manifest.corpus = CorpusReference.make(corpus: reader.root, index: directory.url)
        if let unchanged = previous, toIndex.isEmpty, deletions.isEmpty, newTimes.isEmpty, unchanged.corpus == manifest.corpus {
            // Nothing to do: no new commit point.
            report.generation = unchanged.generation
            report.segments = unchanged.segments.count
            report.liveArticles = unchanged.segments.reduce(0) { $0 + $1.liveCount }
            report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            return report
        }
        try applyDeletions(deletions, to: &manifest)

        // Analyse into new segments, one worker per core, each with its own analyzer (ICU break
        // iterators are not shared) and its share of the memory budget; the largest files are
        // dealt out first so the workers finish together.
        let workerCount = max(1, min(threads, toIndex.count))
        var shares = Array(repeating: [ScannedFile](), count: workerCount)
        var loads = Array(repeating: 0, count: workerCount)
        for file in toIndex.sorted(by: { $0.size > $1.size }) {
            let w = loads.indices.min { loads[$0] < loads[$1] }!
            shares[w].append(file)
            loads[w] += file.size
        }
        let tracker = ProgressTracker(total: toIndex.count, started: started, callback: progress)
        let workers = try shares.enumerated().map { w, files in
            try SegmentWorker(
                files: files.sorted { Manifest.pathPrecedes($0.path, $1.path) },
                prefix: String(format: "g%06d_w%d", manifest.generation, w), writer: self,
                budget: memoryBudget / workerCount, tracker: tracker)
        }
        DispatchQueue.concurrentPerform(iterations: workers.count) { workers[$0].run() }
        for worker in workers {
            if let error = worker.error { throw error }
            manifest.segments += worker.segments
            manifest.files += worker.entries
            report.tokens += worker.tokens
            report.articles += worker.articles
            report.bytes += worker.bytes
            report.skipped += worker.skipped
        }
        manifest.segments.removeAll { $0.liveCount == 0 }
        let liveSegments = Set(manifest.segments.map(\.name))
        manifest.files.removeAll { entry in entry.documentCount > 0 && !liveSegments.contains(entry.segment) }
        manifest.sortFiles()  // the kept files are in order; the new ones join them
        try commit(manifest)

        // Merge when there are too many segments, as a further commit point.
        let added = workers.flatMap(\.segments).reduce(0) { total, segment in
            let (sum, overflow) = total.addingReportingOverflow(segmentBytes(segment.name))  // Int.max: unreadable
            return overflow ? Int.max : sum
        }
        let budget = previous == nil ? mergeBudget : min(mergeBudget, max(incrementalMergeFloor, 4 * added))
        if let merged = try mergeIfNeeded(manifest, budget: budget) {
            report.mergedSegments = merged.count
            manifest = merged.manifest
        }
        report.generation = manifest.generation
        report.segments = manifest.segments.count
        report.liveArticles = manifest.segments.reduce(0) { $0 + $1.liveCount }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return report
    }

    private func commit(_ manifest: Manifest) throws {
        try directory.writeDurably(manifest.encoded(), as: manifest.fileName)
        directory.removeUnreferenced(keeping: manifest)
    }

    /// Marks the articles of `entries` deleted and takes their lengths out of the live totals.
    private func applyDeletions(_ entries: [Manifest.SourceFile], to manifest: inout Manifest) throws {
        for entry in entries where entry.documentCount > 0 {
            guard let s = manifest.segments.firstIndex(where: { $0.name == entry.segment }) else { continue }
            let reader = try SegmentReader(path: directory.file(entry.segment), analyzerVersion: analyzerVersion)
            let range = entry.firstDocument..<(entry.firstDocument + entry.documentCount)
            for local in range where !manifest.segments[s].isDeleted(local) {
                for field in Field.allCases {
                    manifest.segments[s].liveFieldLengths[Int(field.rawValue)] -= try reader.fieldLength(local, field)
                }
            }
            var ranges = manifest.segments[s].deleted + [[range.lowerBound, range.upperBound]]
            ranges.sort { $0[0] < $1[0] }
            var merged: [[Int]] = []
            for r in ranges {
                if let last = merged.last, last[1] >= r[0] {
                    merged[merged.count - 1][1] = max(last[1], r[1])
                } else {
                    merged.append(r)
                }
            }
            manifest.segments[s].deleted = merged
        }
    }

    /// `reader.scan` of every path, on `threads` threads, in the paths' order.
    private func scanAll(_ paths: [String]) -> [Result<ScannedFile, CorpusWarning>] {
        let reader = self.reader
        nonisolated(unsafe) let outcomes = UnsafeMutableBufferPointer<Result<ScannedFile, CorpusWarning>?>.allocate(capacity: paths.count)
        outcomes.initialize(repeating: nil)
        defer { outcomes.deallocate() }
        let next = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, paths.count))) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < paths.count else { return }
                outcomes[i] = reader.scan(paths[i])  // each index written by one thread only
            }
        }
        defer { outcomes.deinitialize() }  // (before the deallocation: the results hold strings)
        return outcomes.map { $0! }
    }

    /// The wall clock in nanoseconds since 1970 (the clock file times use).
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return FileStamp.nanoseconds(time)
    }

    /// A segment file's size in bytes (`Int.max` when it cannot be read: never merged).
    private func segmentBytes(_ name: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: directory.file(name))[.size] as? Int) ?? Int.max
    }

    /// With more than `maxSegments` segments, those `MergePolicy` picks within `budget` become
    /// one; any segment more than half deleted is rewritten with them.
    private func mergeIfNeeded(_ manifest: Manifest, budget: Int) throws -> (manifest: Manifest, count: Int)? {
        var chosen = Set<String>()
        if manifest.segments.count > maxSegments {
            chosen.formUnion(MergePolicy.choose(manifest.segments.map { ($0.name, segmentBytes($0.name)) }, budget: budget, ceiling: mergeBudget))
        }
        for segment in manifest.segments where segment.deletedCount * 2 > segment.documentCount { chosen.insert(segment.name) }
        guard !chosen.isEmpty, !(chosen.count == 1 && manifest.segments.first(where: { chosen.contains($0.name) })!.deletedCount == 0)
        else { return nil }
        var next = manifest
        next.generation += 1
        let name = String(format: "g%06d_merged.seg", next.generation)
        var combined = InvertedIndex()
        var remap: [String: [Int: Int]] = [:]  // segment → local → new id
        var building: [[String: PostingList]] = Array(repeating: [:], count: Field.allCases.count)
        for entry in manifest.segments where chosen.contains(entry.name) {
            let reader = try SegmentReader(path: directory.file(entry.name), analyzerVersion: analyzerVersion)
            var map: [Int: Int] = [:]
            for local in 0..<entry.documentCount where !entry.isDeleted(local) {
                map[local] = combined.documents.count
                combined.documents.append(try reader.document(local))
                for field in Field.allCases {
                    combined.fieldLengths[Int(field.rawValue)].append(UInt32(try reader.fieldLength(local, field)))
                }
            }
            for field in Field.allCases {
                for (term, info) in try reader.terms(in: field) {
                    let list = try reader.postings(info)
                    for i in 0..<list.documentFrequency {
                        guard let id = map[list.documents[i].index] else { continue }
                        if field.hasPositions {
                            building[Int(field.rawValue)][term, default: PostingList()].append(DocID(id), positions: Array(list.positions(at: i)))
                        } else {
                            building[Int(field.rawValue)][term, default: PostingList()].append(DocID(id), frequency: list.termFrequencies[i])
                        }
                    }
                }
            }
            remap[entry.name] = map
        }
        combined.postings = building
        try directory.writeDurably(SegmentFile.encode(combined, analyzerVersion: analyzerVersion), as: name)
        next.segments.removeAll { chosen.contains($0.name) }
        next.segments.append(Manifest.Segment(
            name: name, documentCount: combined.documentCount, deleted: [],
            liveFieldLengths: combined.fieldLengths.map { $0.reduce(0) { $0 + Int($1) } }))
        next.files = next.files.map { file in
            guard let map = remap[file.segment], file.documentCount > 0 else { return file }
            var moved = file
            moved.segment = name
            moved.firstDocument = map[file.firstDocument] ?? 0
            return moved
        }
        try commit(next)
        return (next, chosen.count)
    }
}

/// Counts finished files across workers and reports progress.
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0, articles = 0, bytes = 0
    let total: Int
    let started: DispatchTime
    let callback: ((IndexWriter.Progress) -> Void)?

    init(total: Int, started: DispatchTime, callback: ((IndexWriter.Progress) -> Void)?) {
        self.total = total
        self.started = started
        self.callback = callback
    }

    func fileDone(articles a: Int, bytes b: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        articles += a
        bytes += b
        callback?(IndexWriter.Progress(
            filesDone: done, filesTotal: total, articles: articles, bytes: bytes,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9))
    }
}

/// One thread's share of an update: analyses its files into segments of its own.
final class SegmentWorker: @unchecked Sendable {
    let inputs: [ScannedFile]
    let prefix: String
    unowned let writer: IndexWriter
    let budget: Int
    let tracker: ProgressTracker
    private var builder: IndexBuilder
    private var pending: [Manifest.SourceFile] = []
    private(set) var segments: [Manifest.Segment] = []
    /// Where each of its files' articles are, once flushed.
    private(set) var entries: [Manifest.SourceFile] = []
    private(set) var tokens = 0, articles = 0, bytes = 0
    private(set) var skipped: [String] = []
    private(set) var error: Error?

    init(files: [ScannedFile], prefix: String, writer: IndexWriter, budget: Int, tracker: ProgressTracker) throws {
        self.inputs = files
        self.prefix = prefix
        self.writer = writer
        self.budget = budget
        self.tracker = tracker
        builder = try IndexBuilder(layout: writer.layout, bigrams: writer.bigrams, dictionary: writer.dictionary, storesBodies: false)
    }

    func run() {
        do {
            for file in inputs { try add(file) }
            try flush()
        } catch {
            self.error = error
        }
    }

    private func add(_ file: ScannedFile) throws {
        var windows = WindowedFile()
        var first = builder.documentCount
        let outcome = try writer.reader.forEachWindow(file) { window in
            windows.add(window, to: builder)
            if builder.memoryFootprint > budget {
                pending.append(Manifest.SourceFile(
                    path: file.path, size: file.size, contentHash: file.contentHash, segment: "",
                    firstDocument: first, documentCount: builder.documentCount - first, changed: file.changed))
                try flush()
                first = 0
            }
        }
        if case .success = outcome { windows.finish(builder) }
        let read: ScannedFile
        switch outcome {
        case .failure(let warning):
            skipped.append(warning.description)
            return
        case .success(let r): read = r
        }
        // Recorded as read (rewritten since it was scanned: the bytes the articles come from, time
        // unknown), so that what the commit point says of the file is what its articles are from.
        if read != file {
            func asRead(_ entry: inout Manifest.SourceFile) {
                guard entry.path == file.path else { return }  // (parts flushed before the end)
                entry.size = read.size
                entry.contentHash = read.contentHash
                entry.changed = read.changed
            }
            for i in entries.indices { asRead(&entries[i]) }
            for i in pending.indices { asRead(&pending[i]) }
        }
        pending.append(Manifest.SourceFile(
            path: file.path, size: read.size, contentHash: read.contentHash, segment: "",
            firstDocument: first, documentCount: builder.documentCount - first, changed: read.changed))
        articles += windows.ordinal
        bytes += file.size
        tracker.fileDone(articles: windows.ordinal, bytes: file.size)
    }

    private func flush() throws {
        guard builder.documentCount > 0 else {
            // Files that held no article are recorded all the same (in no segment), or the next
            // update would take them for new ones.
            entries += pending
            pending = []
            return
        }
        let name = String(format: "%@_%03d.seg", prefix, segments.count)
        let index = builder.finish()
        try writer.directory.writeDurably(SegmentFile.encode(index, analyzerVersion: writer.analyzerVersion), as: name)
        segments.append(Manifest.Segment(
            name: name, documentCount: index.documentCount, deleted: [],
            liveFieldLengths: index.fieldLengths.map { $0.reduce(0) { $0 + Int($1) } }))
        entries += pending.map { var f = $0; if f.documentCount > 0 { f.segment = name }; return f }
        pending = []
        tokens += builder.tokenCount
        builder = try IndexBuilder(layout: writer.layout, bigrams: writer.bigrams, dictionary: writer.dictionary, storesBodies: false)
    }
}
