import Indexing

/// Where one matcher occurs in one field of one segment, a document at a time: a term's postings
/// cursor, or a phrase's (its terms' cursors intersected, then their positions checked).
/// Forward only; `doc` is `PostingCursor.end` when exhausted.
final class FieldSource {
    let field: Field
    /// weight × field boost × idf: what a tfNorm of 1 scores (0 for a source that only matches).
    let factor: Double
    /// Bounds over the whole list (a phrase: the tightest its terms allow).
    let maxTermFrequency: UInt32
    let minFieldLength: UInt32
    @exclusivity(unchecked) private(set) var doc = -1
    private let cursors: [PostingCursor]
    /// A phrase's cursors, read without reference counting on the hot path (`cursors` owns
    /// them; empty for a term, which uses `first`).
    private let borrowed: [Borrowed<PostingCursor>]
    /// The term's cursor (the first of `cursors`), used without reference counting on the hot path.
    private let first: Borrowed<PostingCursor>
    /// A phrase needs positions to match: the expensive kind, scored last.
    let isPhrase: Bool
    private let slop: Int
    @exclusivity(unchecked) private var phraseFrequency = 0
    @exclusivity(unchecked) private var buffers: [[UInt32]]
    /// Views of `buffers` for counting (emptied after each count, so the buffers stay uniquely
    /// referenced and are refilled in place).
    @exclusivity(unchecked) private var slices: [ArraySlice<UInt32>]

    init(field: Field, factor: Double, term: PostingCursor) {
        self.field = field
        self.factor = factor
        cursors = [term]
        borrowed = []
        first = Borrowed(term)
        isPhrase = false
        slop = 0
        maxTermFrequency = term.maxTermFrequency
        minFieldLength = term.minFieldLength
        buffers = []
        slices = []
    }

    init(field: Field, factor: Double, phrase: [PostingCursor], slop: Int) {
        precondition(!phrase.isEmpty)
        self.field = field
        self.factor = factor
        cursors = phrase
        borrowed = phrase.map(Borrowed.init)
        first = Borrowed(phrase[0])
        isPhrase = true
        self.slop = slop
        // An exact phrase occurs no more often than any of its terms (a sloppy one than its
        // first: each of the first term's positions counts once), in a field at least as long.
        maxTermFrequency = slop == 0 ? phrase.map(\.maxTermFrequency).min()! : phrase[0].maxTermFrequency
        minFieldLength = phrase.map(\.minFieldLength).max()!
        buffers = Array(repeating: [], count: phrase.count)
        slices = Array(repeating: [], count: phrase.count)
    }

    /// A term's postings cursor (nil for a phrase), for a caller that moves it directly: `doc`
    /// above then stays behind, so such a caller must not use this source's other members.
    var termCursor: PostingCursor? { isPhrase ? nil : cursors[0] }

    /// How often the matcher occurs in the current document.
    var termFrequency: Int { isPhrase ? phraseFrequency : first.with { $0.termFrequency } }

    /// Moves to the first document ≥ `target` where the matcher occurs.
    @discardableResult
    func advance(to target: Int) throws -> Int {
        guard target > doc else { return doc }
        guard isPhrase else {
            doc = try first.with { try $0.advance(to: target) }
            return doc
        }
        var candidate = target
        search: while true {
            // Leapfrog until every term's cursor stands on the same document.
            var i = 0
            while i < borrowed.count {
                let d = try borrowed[i].with { try $0.advance(to: candidate) }
                if d == PostingCursor.end {
                    doc = d
                    return d
                }
                if d > candidate {
                    candidate = d
                    i = 0
                    continue
                }
                i += 1
            }
            for k in borrowed.indices {
                try borrowed[k].with { try $0.positions(into: &buffers[k]) }
                slices[k] = buffers[k][...]
            }
            let frequency = slop == 0 ? PhraseCounting.countPhrase(slices) : PhraseCounting.countSloppy(slices, slop: slop)
            for k in slices.indices { slices[k] = [] }
            if frequency > 0 {
                phraseFrequency = frequency
                doc = candidate
                return doc
            }
            candidate += 1
            continue search
        }
    }

    /// An upper bound of the matcher's frequency in `doc`, without positions: a phrase occurs no
    /// more often than its first term (and, exact, than any of its terms); 0 when a term is
    /// missing. Only for documents at or past the last one asked.
    func maxFrequency(at target: Int) throws -> Int {
        if doc >= target { return doc == target ? termFrequency : 0 }
        guard isPhrase else { return try advance(to: target) == target ? termFrequency : 0 }
        var bound = Int.max
        for i in borrowed.indices {
            let frequency = try borrowed[i].with { cursor in try cursor.advance(to: target) == target ? cursor.termFrequency : 0 }
            guard frequency > 0 else { return 0 }
            if i == 0 || slop == 0 { bound = min(bound, frequency) }
        }
        return bound
    }

    /// Bounds for documents from `target` on, without decoding anything: up to which document
    /// they hold, the largest frequency (0: the matcher does not occur there) and the smallest
    /// field length. A cursor already past `target` has nothing before its document; one before
    /// it answers from its skip table. Nil when nothing is left.
    func blockBounds(at target: Int) -> (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? {
        if doc == PostingCursor.end { return nil }
        if doc > target { return (doc - 1, 0, UInt32.max) }
        var result: (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? = nil
        for i in 0..<(isPhrase ? borrowed.count : 1) {
            let found: (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? = (isPhrase ? borrowed[i] : first).with { cursor in
                if cursor.doc == PostingCursor.end { return nil }
                return cursor.doc > target ? (cursor.doc - 1, 0, UInt32.max) : cursor.blockBounds(at: target)
            }
            guard let b = found else { return nil }
            // Any term missing means no phrase; only the first term's frequency bounds a sloppy one.
            let frequency = b.maxTermFrequency == 0 || i == 0 || slop == 0 ? b.maxTermFrequency : UInt32.max
            result = result.map {
                (min($0.lastDoc, b.lastDoc), min($0.maxTermFrequency, frequency), max($0.minFieldLength, b.minFieldLength))
            } ?? (b.lastDoc, frequency, b.minFieldLength)
        }
        return result
    }
}

/// A reference that the hot loops read without retaining or releasing it: its owner (a plan's
/// list of sources, a segment's list of plans) keeps the object alive for as long as it is used.
struct Borrowed<Object: AnyObject> {
    private let reference: Unmanaged<Object>
    init(_ object: Object) { reference = .passUnretained(object) }

    /// The object, retained (outside hot loops).
    var object: Object { reference.takeUnretainedValue() }

    /// Runs `body` with the object, neither retained nor released.
    @inline(__always)
    func with<R>(_ body: (Object) throws -> R) rethrows -> R {
        try reference._withUnsafeGuaranteedRef(body)
    }
}
