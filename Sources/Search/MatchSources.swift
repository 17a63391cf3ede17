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
    private(set) var doc = -1
    private let cursors: [PostingCursor]
    /// A phrase needs positions to match: the expensive kind, scored last.
    let isPhrase: Bool
    private let slop: Int
    private var phraseFrequency = 0
    private var buffers: [[UInt32]]

    init(field: Field, factor: Double, term: PostingCursor) {
        self.field = field
        self.factor = factor
        cursors = [term]
        isPhrase = false
        slop = 0
        maxTermFrequency = term.maxTermFrequency
        minFieldLength = term.minFieldLength
        buffers = []
    }

    init(field: Field, factor: Double, phrase: [PostingCursor], slop: Int) {
        precondition(!phrase.isEmpty)
        self.field = field
        self.factor = factor
        cursors = phrase
        isPhrase = true
        self.slop = slop
        // A phrase occurs no more often than any of its terms, in a field at least as long.
        maxTermFrequency = phrase.map(\.maxTermFrequency).min()!
        minFieldLength = phrase.map(\.minFieldLength).max()!
        buffers = Array(repeating: [], count: phrase.count)
    }

    /// How often the matcher occurs in the current document.
    var termFrequency: Int { isPhrase ? phraseFrequency : cursors[0].termFrequency }

    /// Moves to the first document ≥ `target` where the matcher occurs.
    @discardableResult
    func advance(to target: Int) throws -> Int {
        guard target > doc else { return doc }
        guard isPhrase else {
            doc = try cursors[0].advance(to: target)
            return doc
        }
        var candidate = target
        search: while true {
            // Leapfrog until every term's cursor stands on the same document.
            var i = 0
            while i < cursors.count {
                let d = try cursors[i].advance(to: candidate)
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
            for (k, cursor) in cursors.enumerated() { try cursor.positions(into: &buffers[k]) }
            let slices = buffers.map { $0[...] }
            let frequency = slop == 0 ? PhraseCounting.countPhrase(slices) : PhraseCounting.countSloppy(slices, slop: slop)
            if frequency > 0 {
                phraseFrequency = frequency
                doc = candidate
                return doc
            }
            candidate += 1
            continue search
        }
    }

    /// Bounds of the block holding the first occurrence ≥ `target`, without decoding: up to
    /// which document they hold, the largest frequency, the smallest field length.
    func blockBounds(at target: Int) -> (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? {
        var result: (lastDoc: Int, maxTermFrequency: UInt32, minFieldLength: UInt32)? = nil
        for cursor in cursors {
            guard let b = cursor.blockBounds(at: target) else { return nil }
            result = result.map { (min($0.lastDoc, b.lastDoc), min($0.maxTermFrequency, b.maxTermFrequency), max($0.minFieldLength, b.minFieldLength)) } ?? b
        }
        return result
    }
}

/// One matcher of a plan over every field it is looked up in: present in a document when any
/// field holds it.
struct MatcherSlot {
    var sources: [FieldSource]
    /// Whether the plan needs it (else it only scores, like a split word's phrase).
    var required: Bool

    /// The first document ≥ `target` holding the matcher in some field.
    @inline(__always)
    func advance(to target: Int) throws -> Int {
        var best = PostingCursor.end
        for source in sources {
            let d = source.doc >= target ? source.doc : try source.advance(to: target)
            best = min(best, d)
        }
        return best
    }

    func isPresent(at doc: Int) -> Bool { sources.contains { $0.doc == doc } }
}
