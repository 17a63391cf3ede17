/// One committed version of an on-disk index: its segments, with deleted documents hidden and
/// statistics over live documents only. Global document ids run through the segments in the
/// manifest's order.
public final class IndexSnapshot: SearchableIndex, @unchecked Sendable {
    public let manifest: Manifest
    public let directory: String
    let segments: [SegmentReader]
    /// First global id of each segment, and one past the last.
    let bases: [Int]
    /// Per segment: for each local doc, (file index in the manifest, ordinal in the file), for
    /// the corpus-order tie-break.
    private let order: [[(file: Int, ordinal: Int)]]
    /// File paths in corpus order (`order`'s file index points here).
    private let paths: [String]
    private let averages: [Double]

    init(manifest: Manifest, directory: String, segments: [SegmentReader]) throws {
        self.manifest = manifest
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
        var order: [[(Int, Int)]] = segments.map { Array(repeating: (Int.max, 0), count: $0.documentCount) }
        let paths = Set(manifest.files.map(\.path)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let rank = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, $0) })
        var ordinalOffset: [String: Int] = [:]  // a large file's parts, in the manifest's order
        for file in manifest.files {
            guard let s = manifest.segments.firstIndex(where: { $0.name == file.segment }),
                file.firstDocument >= 0, file.firstDocument + file.documentCount <= manifest.segments[s].documentCount
            else {
                if file.documentCount == 0 { continue }
                throw IndexError.damaged(file: directory + "/" + manifest.fileName, detail: "file \(file.path) points outside its segment")
            }
            let offset = ordinalOffset[file.path, default: 0]
            for k in 0..<file.documentCount { order[s][file.firstDocument + k] = (rank[file.path]!, offset + k) }
            ordinalOffset[file.path] = offset + file.documentCount
        }
        self.order = order
        self.paths = paths
        let live = manifest.segments.reduce(0) { $0 + $1.liveCount }
        averages = Field.allCases.map { field in
            let total = manifest.segments.reduce(0) { $0 + ($1.liveFieldLengths.count > Int(field.rawValue) ? $1.liveFieldLengths[Int(field.rawValue)] : 0) }
            return live == 0 ? 1 : max(1, Double(total) / Double(live))
        }
    }

    public var documentCount: Int { bases.last! }
    public var liveDocumentCount: Int { manifest.segments.reduce(0) { $0 + $1.liveCount } }
    public var hasBigrams: Bool { manifest.bigrams }

    /// Per segment, whether each local document's file path passes `include` (judged once per file).
    public func documentMask(files include: (String) throws -> Bool) throws -> [[Bool]] {
        let passes = try paths.map(include)
        return try order.enumerated().map { s, documents in
            try documents.enumerated().map { local, place in
                place.file < passes.count ? passes[place.file] : try include(try document(DocID(bases[s] + local)).file)
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

    public func filePath(_ doc: DocID) throws -> String {
        let (s, local) = locate(doc)
        let file = order[s][local].file
        guard file < paths.count else { return try document(doc).file }
        return paths[file]
    }

    public func documentKey(_ doc: DocID) throws -> String {
        let (s, local) = locate(doc)
        let place = order[s][local]
        guard place.file < paths.count else { return try document(doc).key }
        let path = paths[place.file]
        let stem = path.hasSuffix(".txt") ? String(path.dropLast(4)) : path
        return manifest.layout == "plain" ? stem : "\(stem)#\(place.ordinal + 1)"
    }

    public func precedes(_ a: DocID, _ b: DocID) -> Bool {
        let (sa, la) = locate(a), (sb, lb) = locate(b)
        let x = order[sa][la], y = order[sb][lb]
        return x.file != y.file ? x.file < y.file : x.ordinal < y.ordinal
    }
}
