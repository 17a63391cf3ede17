import Foundation

/// One committed version of an on-disk index: its segments, with deleted documents hidden and
/// statistics over live documents only. Global document ids run through the segments in the
/// manifest's order.
public final class IndexSnapshot: SearchableIndex, @unchecked Sendable {
    /// The commit point opened, without its file list (`manifest.files` is empty: the files are
    /// in `files`).
    let manifest: Manifest
    public let directory: String
    /// The corpus directory the commit point records, resolved from the index directory.
    public var recordedCorpus: URL? { CorpusReference.resolve(manifest.corpus, index: URL(fileURLWithPath: directory)) }
    let segments: [SegmentReader]
    /// First global id of each segment, and one past the last.
    let bases: [Int]
    /// The commit point's files: paths and where their documents are.
    let files: FileTable
    /// Per global id, the document's place in corpus order: its file's path number (shifted 32
    /// bits left) plus its ordinal in the file, or `unplaced` when no file names it. Ordering two
    /// ids is comparing two integers (`precedes`).
    private let places: [UInt64]
    /// Per segment, whether its documents' corpus places ascend with their ids (a segment built
    /// or merged in corpus order): then a document comes after every earlier one of its segment
    /// in corpus order, which top-k retrieval uses to settle ties without looking places up.
    public let segmentsInCorpusOrder: [Bool]
    private let averages: [Double]
    /// Every path as a `String`, made on first use (by file filters, which judge every file).
    private let pathStrings = PathStrings()

    private static let unplaced = UInt64(UInt32.max) << 32

    /// O(files + documents), with no string compared or made: `files` is in corpus order already
    /// (a commit point stores it so), and a file's path number is its rank.
    init(manifest: Manifest, files: FileTable, directory: String, segments: [SegmentReader]) throws {
        self.manifest = manifest
        self.files = files
        self.directory = directory
        self.segments = segments
        var bases = [0]
        for (entry, reader) in zip(manifest.segments, segments) {
            guard reader.documentCount == entry.documentCount else {
                throw IndexError.damaged(file: reader.file.path, detail: "holds \(reader.documentCount) documents, the commit point says \(entry.documentCount)")
            }
            let end = bases.last! + reader.documentCount
            bases.append(end)
        }
        self.bases = bases
        var places = [UInt64](repeating: Self.unplaced, count: bases.last!)
        try files.entries.withUnsafeBufferPointer { entries in
            try places.withUnsafeMutableBufferPointer { places in
                var path = -1, ordinal = 0  // the current path; its documents so far
                for entry in entries {
                    if Int(entry.path) != path {
                        path = Int(entry.path)
                        ordinal = 0
                    }
                    let s = Int(entry.segment), start = Int(entry.firstDocument), count = Int(entry.documentCount)
                    guard s < manifest.segments.count, start + count <= manifest.segments[s].documentCount, ordinal + count <= 1 << 32 else {
                        throw IndexError.damaged(
                            file: directory + "/" + manifest.fileName, detail: "file \(files.path(path)) points outside its segment")
                    }
                    let rank = UInt64(path) << 32
                    for k in 0..<count { places[bases[s] + start + k] = rank | UInt64(ordinal + k) }
                    ordinal += count
                }
            }
        }
        self.places = places
        segmentsInCorpusOrder = segments.indices.map { s in
            // (A segment of no documents, which a commit point may list, ascends: no range to walk.)
            bases[s + 1] - bases[s] < 2 || (bases[s] + 1..<bases[s + 1]).allSatisfy { places[$0 - 1] < places[$0] }
        }
        let live = manifest.segments.reduce(0) { $0 + $1.liveCount }
        averages = Field.allCases.map { field in
            let total = manifest.segments.reduce(0) { $0 + ($1.liveFieldLengths.count > Int(field.rawValue) ? $1.liveFieldLengths[Int(field.rawValue)] : 0) }
            return live == 0 ? 1 : max(1, Double(total) / Double(live))
        }
    }

    /// The generation of the commit point opened (`IndexDirectory.generations()` lists those present).
    public var generation: Int { manifest.generation }
    public var documentCount: Int { bases.last! }
    public var liveDocumentCount: Int { manifest.segments.reduce(0) { $0 + $1.liveCount } }
    public var hasBigrams: Bool { manifest.bigrams }

    /// Per segment, whether each local document's file path passes `include` (judged once per file).
    public func documentMask(files include: (String) throws -> Bool) throws -> [[Bool]] {
        let paths = pathStrings.get(files)
        var judged = [Bool?](repeating: nil, count: paths.count)
        return try segments.indices.map { s in
            try (bases[s]..<bases[s + 1]).map { doc in
                let place = places[doc]
                guard place != Self.unplaced else { return try include(try document(DocID(doc)).file) }
                let path = Int(place >> 32)
                if let passes = judged[path] { return passes }
                let passes = try include(paths[path])
                judged[path] = passes
                return passes
            }
        }
    }

    /// The segment and local id of a global id.
    public func locate(_ doc: DocID) -> (segment: Int, local: Int) {
        var low = 0, high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if bases[mid + 1] <= doc.index { low = mid + 1 } else { high = mid }
        }
        return (low, doc.index - bases[low])
    }

    // MARK: Segments, for document-at-a-time search

    /// The segment readers, in global id order.
    public var segmentReaders: [SegmentReader] { segments }
    /// The global id of segment `s`'s first document.
    public func base(ofSegment s: Int) -> Int { bases[s] }
    /// Segment `s`'s deleted local ids as ascending half-open ranges.
    public func deletedRanges(ofSegment s: Int) -> [Range<Int>] { manifest.segments[s].deleted.map { $0[0]..<$0[1] } }

    /// The term's dictionary entry in each segment (nil where a segment lacks it).
    public func termInfos(_ term: String, in field: Field) throws -> [SegmentReader.TermInfo?] {
        try segments.map { try $0.lookup(term, in: field) }
    }

    /// How many live documents hold the term whose entries are `infos` (from `termInfos`), without
    /// decoding postings where no document is deleted (elsewhere the deleted ranges are sought in
    /// the postings).
    public func documentFrequency(_ infos: [SegmentReader.TermInfo?]) throws -> Int {
        var total = 0
        for (s, reader) in segments.enumerated() {
            guard let info = infos[s] else { continue }
            total += info.documentFrequency
            let deleted = deletedRanges(ofSegment: s)
            guard !deleted.isEmpty else { continue }
            let cursor = try reader.cursor(info, positions: false)
            for range in deleted {
                var doc = try cursor.advance(to: range.lowerBound)
                while doc < range.upperBound {
                    total -= 1
                    doc = try cursor.next()
                }
            }
        }
        return total
    }

    public func isDeleted(_ doc: DocID) -> Bool {
        let (s, local) = locate(doc)
        return manifest.segments[s].isDeleted(local)
    }

    public func postingList(_ term: String, in field: Field, positions: Bool) throws -> PostingList? {
        var merged: PostingList? = nil
        let withPositions = positions && field.hasPositions
        for (s, reader) in segments.enumerated() {
            guard let info = try reader.lookup(term, in: field) else { continue }
            let list = try reader.postings(info, positions: withPositions)
            let entry = manifest.segments[s]
            if merged == nil { merged = PostingList() }
            if entry.deleted.isEmpty {
                merged!.append(contentsOf: list, base: UInt32(bases[s]))
                continue
            }
            for i in 0..<list.documentFrequency where !entry.isDeleted(list.documents[i].index) {
                let doc = DocID(bases[s] + list.documents[i].index)
                if withPositions {
                    merged!.append(doc, positions: list.positions(at: i))
                } else {
                    merged!.append(doc, frequency: list.termFrequencies[i])
                }
            }
        }
        return merged.flatMap { $0.documentFrequency == 0 ? nil : $0 }
    }

    public func fieldLength(_ doc: DocID, _ field: Field) throws -> Int {
        let (s, local) = locate(doc)
        return try segments[s].fieldLength(local, field)
    }

    public func averageFieldLength(_ field: Field) -> Double { averages[Int(field.rawValue)] }

    public func document(_ doc: DocID) throws -> StoredDocument {
        let (s, local) = locate(doc)
        return try segments[s].document(local)
    }

    public func sourceFile(_ doc: DocID) -> IndexedFile? {
        let place = places[doc.index]
        guard place != Self.unplaced else { return nil }
        let p = Int(place >> 32)
        return IndexedFile(
            size: files.sizes[p], changed: files.times[p], contentHash: files.hashes[p],
            stampsTrustedBefore: manifest.scanStarted - IndexWriter.defaultRacyMargin)
    }

    /// The file's path; the first call makes every path's `String` (it serves filters, which ask
    /// for every document's).
    public func filePath(_ doc: DocID) throws -> String {
        let place = places[doc.index]
        guard place != Self.unplaced else { return try document(doc).file }
        return pathStrings.get(files)[Int(place >> 32)]
    }

    public func documentKey(_ doc: DocID) throws -> String {
        let place = places[doc.index]
        guard place != Self.unplaced else { return try document(doc).key }
        let path = files.path(Int(place >> 32))
        let stem = path.hasSuffix(".txt") ? String(path.dropLast(4)) : path
        return manifest.layout == "plain" ? stem : "\(stem)#\(place & 0xFFFF_FFFF + 1)"
    }

    public func precedes(_ a: DocID, _ b: DocID) -> Bool { places[a.index] < places[b.index] }
    /// What `precedes` compares, per global id: `a` precedes `b` when `corpusPlaces[a.index] <
    /// corpusPlaces[b.index]` (for a caller that compares often, without a call per comparison).
    public var corpusPlaces: [UInt64] { places }
}

/// A snapshot's paths as strings, made once, when first asked for, under a lock (a snapshot is
/// shared between threads).
private final class PathStrings: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String]?

    func get(_ files: FileTable) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if let paths { return paths }
        let made = (0..<files.pathCount).map(files.path)
        paths = made
        return made
    }
}
