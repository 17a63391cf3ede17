import ICUText

/// The analysis chain shared by indexing and querying: normalise, segment with ICU's dictionary
/// word breaker, then let a user dictionary keep its words whole (re-joining ICU's pieces, and
/// re-cutting where ICU drew a wrong boundary). Words, numbers and Latin runs are kept; spaces
/// and punctuation are dropped and take no position.
///
/// Search mode: a word the dictionary keeps whole that ICU cut into several parts is emitted as
/// the word (`TokenRole.whole`, at the position of its first part) followed by its parts (each
/// at its own position, as ICU cut them). So phrases of parts match as they did without the
/// dictionary, the whole word matches as one term, and a query for a shorter word (政协) still
/// finds it inside a longer one (书香政协).
///
/// Not thread-safe: one analyzer per thread (each owns an ICU break iterator).
public final class Analyzer {
    /// Bumped whenever analysis output changes, so stored indexes know they are stale.
    /// 2: traditional characters folded to simplified.
    /// 3: user dictionary, kept-whole words with their parts (search mode).
    public static let version: UInt32 = 3

    public let normalizer: TextNormalizer
    /// The dictionary in use.
    public let dictionary: UserDictionary
    private let breaker: WordBreaker
    private let matcher: DictionaryMatcher
    // Scratch buffers, reused from text to text. An analyzer is used by one thread at a time,
    // so the runtime's exclusivity checks (a tenth of the analysis time) are left out.
    @exclusivity(unchecked) private var lattice = WordLattice()
    @exclusivity(unchecked) private var spans: [WordSpan] = []
    @exclusivity(unchecked) private var scalars: [UInt32] = []
    @exclusivity(unchecked) private var offsets: [Int] = []
    @exclusivity(unchecked) private var matches: [(from: Int, to: Int, weight: Float)] = []
    @exclusivity(unchecked) private var recut: [WordSpan] = []
    @exclusivity(unchecked) private var pieces: [WordLattice.Piece] = []
    @exclusivity(unchecked) private var windowEnds: [Int] = []
    @exclusivity(unchecked) private var windowMatches: [(from: Int, to: Int, weight: Float)] = []

    /// `dictionary`: the words to keep whole (the shipped domain list unless told otherwise; an
    /// empty `UserDictionary()` gives ICU's segmentation alone).
    public init(dictionary: UserDictionary = .shipped) throws {
        let normalizer = try TextNormalizer()
        self.normalizer = normalizer
        breaker = try WordBreaker(locale: "zh")
        self.dictionary = dictionary
        // Dictionary words are matched in normalised text, so normalise them the same way.
        matcher = DictionaryMatcher(words: dictionary.words.map { (normalizer.normalize($0.word).string, $0.weight) })
    }

    /// What an index records about the analysis that built it: the code's `version` with the
    /// dictionary's fingerprint folded in (low byte: the version), so that a new program or a
    /// changed dictionary is noticed.
    public var fingerprint: UInt32 { Self.fingerprint(of: dictionary) }

    public static func fingerprint(of dictionary: UserDictionary) -> UInt32 {
        guard !dictionary.isEmpty else { return version }
        let hash = dictionary.fingerprint
        let folded = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
        return (folded & 0xFFFF_FF00) | (version & 0xFF)
    }

    /// Normalises and tokenises a string (a query, or a line given to `analyze`).
    public func analyze(_ text: String) -> [Token] {
        tokens(of: normalizer.normalize(text))
    }

    /// Tokenises already normalised text.
    public func tokens(of text: NormalizedText) -> [Token] {
        var tokens: [Token] = []
        forEachToken(in: text.utf8) { tokens.append($0) }
        return tokens
    }

    /// The segmentation into words: kept-whole words instead of their parts.
    public func words(of text: NormalizedText) -> [Token] {
        tokens(of: text).filter(\.isWord)
    }

    /// Overlapping bigrams of the ideographs in runs of adjacent ideographic tokens (a word of one
    /// ideograph standing alone gives none). Runs are separated by one position, so a phrase of
    /// bigrams never spans punctuation or a non-Chinese token. Kept-whole words are skipped
    /// (their parts cover the same characters).
    public static func characterBigrams(of tokens: [Token], startingAt position: Int = 0) -> [Token] {
        var grams: [Token] = []
        var position = position
        var run: [(scalar: Unicode.Scalar, start: Int, end: Int)] = []
        func flush() {
            if run.count >= 2 {
                for i in 0..<(run.count - 1) {
                    var term = String(run[i].scalar)
                    term.unicodeScalars.append(run[i + 1].scalar)
                    grams.append(Token(term: term, start: run[i].start, end: run[i + 1].end, position: position, kind: .ideographic))
                    position += 1
                }
                position += 1
            }
            run.removeAll()
        }
        var previousEnd = -1
        for token in tokens where token.isPositional {
            if token.kind != .ideographic || token.start != previousEnd { flush() }
            if token.kind == .ideographic {
                var offset = token.start
                for scalar in token.term.unicodeScalars {
                    let length = String(scalar).utf8.count
                    run.append((scalar, offset, offset + length))
                    offset += length
                }
            }
            previousEnd = token.end
        }
        flush()
        return grams
    }

    /// Calls `body` for every token of normalised UTF-8 text, in order (a kept-whole word before
    /// its parts).
    public func forEachToken(in utf8: [UInt8], _ body: (Token) -> Void) {
        utf8.withUnsafeBufferPointer { buffer in
            forEachTokenSpan(in: utf8) { span in
                let term = String(decoding: UnsafeBufferPointer(rebasing: buffer[span.start..<span.end]), as: UTF8.self)
                body(Token(term: term, start: span.start, end: span.end, position: span.position, kind: span.kind, role: span.role))
            }
        }
    }

    /// As `forEachToken`, without making each term a `String`: the term of a span is
    /// `utf8[span.start..<span.end]`.
    public func forEachTokenSpan(in utf8: [UInt8], _ body: (TokenSpan) -> Void) {
        withoutActuallyEscaping(body) { body in utf8.withUnsafeBufferPointer { buffer in
            spans.removeAll(keepingCapacity: true)
            // ICU reports failures only for invalid arguments; an empty text has no tokens.
            try? breaker.forEachSpan(in: buffer) { spans.append($0) }
            var emitter = Emitter(body: body)
            var i = 0
            while i < spans.count {
                guard spans[i].kind != .none else {
                    i += 1
                    continue
                }
                // A run: adjacent word spans (ICU's spans tile the text, so adjacent = consecutive).
                var j = i + 1
                while j < spans.count && spans[j].kind != .none { j += 1 }
                if matcher.isEmpty {
                    for k in i..<j { emitter.word(spans[k]) }
                } else {
                    segmentRun(i..<j, buffer, &emitter)
                }
                i = j
            }
        } }
    }

    /// Emits tokens and numbers their positions.
    private struct Emitter {
        let body: (TokenSpan) -> Void
        var position = 0

        mutating func word(_ span: WordSpan) {
            guard let kind = TokenKind(span.kind) else { return }
            emit(span.start, span.end, kind, .word)
        }

        mutating func emit(_ start: Int, _ end: Int, _ kind: TokenKind, _ role: TokenRole) {
            body(TokenSpan(start: start, end: end, position: position, kind: kind, role: role))
            if role != .whole { position += 1 }
        }
    }

    /// One run of adjacent ICU tokens (`spans[run]`): find the dictionary words in it and, where
    /// one crosses ICU's boundaries, choose the words.
    private func segmentRun(_ run: Range<Int>, _ buffer: UnsafeBufferPointer<UInt8>, _ emitter: inout Emitter) {
        let range = spans[run.lowerBound].start..<spans[run.upperBound - 1].end
        // The lattice can only improve on ICU where a dictionary word crosses one of ICU's
        // boundaries: a word inside one ICU token costs at least ½ + 1¼ (or, as two words, ½ + ½,
        // a tie that ICU wins) against the token's 1 — unless weights above 1 make it cheaper.
        let strict = matcher.maximumWeight > 1
        if !strict {
            var mayCross = false
            for s in run.lowerBound..<(run.upperBound - 1) {
                var j = spans[s].end - 1
                while buffer[j] & 0xC0 == 0x80 { j -= 1 }
                let before = TextNormalizer.decode(buffer, at: j, end: range.upperBound).0
                let after = TextNormalizer.decode(buffer, at: spans[s].end, end: range.upperBound).0
                if matcher.mayJoin(before, after) {
                    mayCross = true
                    break
                }
            }
            guard mayCross else {
                for s in run { emitter.word(spans[s]) }
                return
            }
        }
        matches.removeAll(keepingCapacity: true)
        matcher.collectWords(buffer, range, into: &matches)
        var crosses = false
        var t = run.lowerBound
        for w in matches {
            while spans[t].end <= w.from { t += 1 }
            if w.to > spans[t].end || (strict && !(w.from == spans[t].start && w.to == spans[t].end)) {
                crosses = true
                break
            }
        }
        guard crosses else {
            for s in run { emitter.word(spans[s]) }
            return
        }
        choosePieces(run, buffer)
        emit(run, buffer, &emitter)
    }

    /// Fills `pieces` (byte ranges) with the run's segmentation. Overlapping dictionary words form
    /// a cluster; a cluster widened to ICU's boundaries is a window no word crosses, so the
    /// cheapest path of the run is the cheapest path of each window with ICU's tokens in between.
    /// A window that is one dictionary word on ICU's boundaries is that word (it costs less than
    /// its ≥ 2 tokens: 专/委/会 → 专委会); the others go to the lattice, in characters.
    private func choosePieces(_ run: Range<Int>, _ buffer: UnsafeBufferPointer<UInt8>) {
        pieces.removeAll(keepingCapacity: true)
        let base = run.lowerBound
        var token = base  // next ICU token to place
        var m = 0
        while m < matches.count {
            // A window: a cluster of overlapping words, widened to ICU's boundaries, merged with
            // the clusters that reach into its tokens.
            let firstMatch = m
            var first = token
            while spans[first].end <= matches[m].from { first += 1 }
            var last = first
            var end = matches[m].to
            m += 1
            while true {
                while spans[last].end < end { last += 1 }
                guard m < matches.count, matches[m].from < spans[last].end else { break }
                end = max(end, matches[m].to)
                m += 1
            }
            for t in token..<first { pieces.append(.init(from: spans[t].start, to: spans[t].end, kind: .icu(t - base))) }
            let from = spans[first].start, to = spans[last].end
            if m - firstMatch == 1 && matches[firstMatch].from == from && matches[firstMatch].to == to {
                pieces.append(.init(from: from, to: to, kind: first == last ? .icu(first - base) : .word))
            } else {
                lattice(window: first...last, matches: firstMatch..<m, run: run, buffer)
            }
            token = last + 1
        }
        for t in token..<run.upperBound { pieces.append(.init(from: spans[t].start, to: spans[t].end, kind: .icu(t - base))) }
    }

    /// Runs the lattice over ICU's tokens `window` with the words `matches[words]`, in characters,
    /// and appends its pieces (in bytes) to `pieces`.
    private func lattice(window: ClosedRange<Int>, matches words: Range<Int>, run: Range<Int>, _ buffer: UnsafeBufferPointer<UInt8>) {
        let from = spans[window.lowerBound].start, to = spans[window.upperBound].end
        scalars.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        var i = from
        while i < to {
            let (scalar, length) = TextNormalizer.decode(buffer, at: i, end: to)
            scalars.append(scalar)
            offsets.append(i)
            i += length
        }
        offsets.append(to)
        // Character index of a byte offset on a character boundary.
        func character(_ offset: Int) -> Int {
            var low = 0, high = offsets.count - 1
            while low < high {
                let mid = (low + high) / 2
                if offsets[mid] < offset { low = mid + 1 } else { high = mid }
            }
            return low
        }
        windowEnds.removeAll(keepingCapacity: true)
        for t in window { windowEnds.append(character(spans[t].end)) }
        windowMatches.removeAll(keepingCapacity: true)
        for w in matches[words] { windowMatches.append((character(w.from), character(w.to), w.weight)) }
        let first = window.lowerBound - run.lowerBound
        for piece in lattice.segment(length: scalars.count, tokenEnds: windowEnds, matches: windowMatches) {
            var shifted = WordLattice.Piece(from: offsets[piece.from], to: offsets[piece.to], kind: piece.kind)
            switch piece.kind {
            case .icu(let t): shifted.kind = .icu(t + first)
            case .fragment(let t): shifted.kind = .fragment(t + first)
            case .word: break
            }
            pieces.append(shifted)
        }
    }

    /// Emits `pieces`: ICU's tokens as they were; a dictionary word whole, then its parts (ICU's
    /// cuts inside it); and the characters between two dictionary words that hold a fragment,
    /// segmented again by ICU on their own (履职/能/力 → 履职/能力).
    private func emit(_ run: Range<Int>, _ buffer: UnsafeBufferPointer<UInt8>, _ emitter: inout Emitter) {
        let base = run.lowerBound
        func kind(_ t: Int) -> TokenKind { TokenKind(spans[t].kind) ?? .ideographic }
        var p = 0
        while p < pieces.count {
            let piece = pieces[p]
            if piece.kind == .word {
                // Parts: the word cut at ICU's boundaries inside it.
                var t = base
                while spans[t].end <= piece.from { t += 1 }
                if spans[t].end >= piece.to {
                    emitter.emit(piece.from, piece.to, kind(t), .word)  // inside one token
                } else {
                    // Mixed parts (e联网: a letter and ideographs) make an ideographic word.
                    var wholeKind = kind(t)
                    var u = t
                    while u < run.upperBound && spans[u].start < piece.to {
                        if kind(u) != wholeKind { wholeKind = .ideographic }
                        u += 1
                    }
                    emitter.emit(piece.from, piece.to, wholeKind, .whole)
                    var from = piece.from
                    while from < piece.to {
                        let to = min(spans[t].end, piece.to)
                        emitter.emit(from, to, kind(t), .part)
                        from = to
                        t += 1
                    }
                }
                p += 1
                continue
            }
            // A stretch of ICU tokens and fragments up to the next dictionary word.
            var q = p
            var hasFragment = false
            while q < pieces.count && pieces[q].kind != .word {
                if case .fragment = pieces[q].kind { hasFragment = true }
                q += 1
            }
            if hasFragment {
                let start = pieces[p].from, end = pieces[q - 1].to
                recut.removeAll(keepingCapacity: true)
                try? breaker.forEachSpan(in: UnsafeBufferPointer(rebasing: buffer[start..<end])) { recut.append($0) }
                for span in recut {
                    guard let kind = TokenKind(span.kind) else { continue }
                    emitter.emit(start + span.start, start + span.end, kind, .word)
                }
            } else {
                for piece in pieces[p..<q] {
                    guard case .icu(let t) = piece.kind else { continue }
                    emitter.word(spans[base + t])
                }
            }
            p = q
        }
    }
}

extension TokenKind {
    /// The token kind of an ICU span, or nil for spaces and punctuation.
    init?(_ kind: WordKind) {
        switch kind {
        case .none: return nil
        case .ideographic: self = .ideographic
        case .letter: self = .letter
        case .number: self = .number
        case .kana: self = .kana
        }
    }
}
