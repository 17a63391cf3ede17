#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Proposes new words from a corpus, for staff to review into the user dictionary.
///
/// A candidate is a sequence of 2…`maximumUnits` adjacent words of the analyzer (ICU's tokens
/// with the dictionary's words kept whole) inside one run of Chinese text, of at most
/// `maximumLength` characters, holding at least one single character (what the segmenter left
/// in pieces: 构/建, 近年/来) and no function character (的, 和, 在 …: a sequence holding one is a
/// phrase). It is proposed when it
/// - occurs often: at least `minimumCount` times;
/// - sticks together: its *cohesion*, the pointwise mutual information of its weakest split,
///   `min over splits ln(count(w)·N / (count(left)·count(right)))`, is at least
///   `minimumCohesion` (the parts occur together e^cohesion times more often than chance);
/// - has varied neighbours on both sides: the entropy of the words just before it and just
///   after it (a run boundary counts as a new neighbour each time) is at least
///   `minimumEntropy` on each side, so it is not just a piece of a longer unit
///   (the method of Sproat & Shih 1990 and Huang & Powers 2003 for cohesion, Jin & Tanaka-Ishii
///   2006 for boundary entropy).
/// Candidates are ranked by `ln(count) × cohesion × min(left entropy, right entropy)`.
public struct WordDiscovery {
    public struct Options: Sendable, Equatable {
        public var minimumCount = 3
        public var maximumUnits = 4
        public var maximumLength = 4
        public var minimumCohesion = 1.0
        public var minimumEntropy = 1.0
        public init() {}
    }

    /// A proposed word with the evidence for it.
    public struct Candidate: Sendable, Equatable, CustomStringConvertible {
        public var word: String
        /// How the analyzer cut it.
        public var units: [String]
        public var count: Int
        public var cohesion: Double
        public var leftEntropy: Double
        public var rightEntropy: Double
        public var score: Double

        public var description: String {
            "\(word) \(count)× cohesion \(Self.rounded(cohesion)) entropy \(Self.rounded(leftEntropy))/\(Self.rounded(rightEntropy)) score \(Self.rounded(score))"
        }

        static func rounded(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    }

    /// Single characters that are function words: a sequence holding one is a phrase, not a word.
    public static let functionCharacters: Set<String> = Set(
        "的了和与是在等及对把为将以从向于被由并也都就要中上下之其而或所着过个这那各每有无不没很更最又还再已".map(String.init))

    public var options: Options
    /// Words seen (all runs, all units).
    public private(set) var unitCount = 0
    public private(set) var characterCount = 0
    private var ids: [String: Int32] = [:]
    private var names: [String] = []
    private var runs: [[Int32]] = []

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Adds the tokens of one text: its words (kept-whole words, not their parts) in runs of
    /// adjacent ideographic words.
    public mutating func add(_ tokens: [Token]) {
        var run: [String] = []
        var previousEnd = -1
        for token in tokens where token.isWord {
            if token.kind != .ideographic || token.start != previousEnd {
                add(run: run)
                run.removeAll()
            }
            if token.kind == .ideographic { run.append(token.term) }
            previousEnd = token.end
        }
        add(run: run)
    }

    /// Adds one run of adjacent words (nothing may be proposed across its ends).
    public mutating func add(run: [String]) {
        guard !run.isEmpty else { return }
        var coded: [Int32] = []
        coded.reserveCapacity(run.count)
        for unit in run {
            if let id = ids[unit] {
                coded.append(id)
            } else {
                let id = Int32(names.count)
                ids[unit] = id
                names.append(unit)
                coded.append(id)
            }
            characterCount += unit.unicodeScalars.count
        }
        unitCount += run.count
        runs.append(coded)
    }

    /// Up to four unit ids.
    private struct Gram: Hashable {
        var a: Int32, b: Int32 = -1, c: Int32 = -1, d: Int32 = -1
        var count: Int { b < 0 ? 1 : c < 0 ? 2 : d < 0 ? 3 : 4 }
        init(_ units: ArraySlice<Int32>) {
            var i = units.startIndex
            a = units[i]
            i += 1
            if i < units.endIndex { b = units[i]; i += 1 }
            if i < units.endIndex { c = units[i]; i += 1 }
            if i < units.endIndex { d = units[i] }
        }
        var units: [Int32] { [a, b, c, d].prefix(count).map { $0 } }
    }

    /// The ranked candidates, leaving out `known` words (those the dictionary has already).
    public func candidates(excluding known: Set<String> = []) -> [Candidate] {
        let maximumUnits = min(4, max(2, options.maximumUnits))
        let isSingle = names.map { $0.unicodeScalars.count == 1 }
        let isFunction = names.map { Self.functionCharacters.contains($0) }
        let lengths = names.map { $0.unicodeScalars.count }
        // Pass 1: how often every sequence of 1…maximumUnits words occurs.
        var counts: [Gram: Int] = [:]
        for run in runs {
            for n in 1...maximumUnits where n <= run.count {
                for i in 0...(run.count - n) { counts[Gram(run[i..<(i + n)]), default: 0] += 1 }
            }
        }
        func eligible(_ gram: Gram) -> Bool {
            let units = gram.units
            guard units.count >= 2, units.contains(where: { isSingle[Int($0)] }), !units.contains(where: { isFunction[Int($0)] }) else {
                return false
            }
            return units.reduce(0) { $0 + lengths[Int($1)] } <= options.maximumLength
        }
        // Pass 2: the neighbours of the frequent, eligible sequences.
        var left: [Gram: [Int32: Int]] = [:], right: [Gram: [Int32: Int]] = [:]
        var edgeLeft: [Gram: Int] = [:], edgeRight: [Gram: Int] = [:]
        for run in runs {
            for n in 2...maximumUnits where n <= run.count {
                for i in 0...(run.count - n) {
                    let gram = Gram(run[i..<(i + n)])
                    guard counts[gram]! >= options.minimumCount, eligible(gram) else { continue }
                    if i > 0 { left[gram, default: [:]][run[i - 1], default: 0] += 1 } else { edgeLeft[gram, default: 0] += 1 }
                    if i + n < run.count { right[gram, default: [:]][run[i + n], default: 0] += 1 } else { edgeRight[gram, default: 0] += 1 }
                }
            }
        }
        func entropy(_ neighbours: [Int32: Int]?, edges: Int) -> Double {
            let total = Double((neighbours?.values.reduce(0, +) ?? 0) + edges)
            guard total > 0 else { return 0 }
            var h = 0.0
            for c in neighbours?.values ?? [:].values {
                let p = Double(c) / total
                h -= p * log(p)
            }
            // Each run boundary is a different neighbour.
            if edges > 0 { h -= Double(edges) * (1 / total) * log(1 / total) }
            return h
        }
        let total = Double(unitCount)
        var result: [Candidate] = []
        for (gram, count) in counts where count >= options.minimumCount && eligible(gram) {
            let units = gram.units
            let word = units.map { names[Int($0)] }.joined()
            guard !known.contains(word) else { continue }
            var cohesion = Double.infinity
            for k in 1..<units.count {
                let prefix = counts[Gram(units[0..<k])]!, suffix = counts[Gram(units[k...])]!
                cohesion = min(cohesion, log(Double(count) * total / (Double(prefix) * Double(suffix))))
            }
            let l = entropy(left[gram], edges: edgeLeft[gram] ?? 0), r = entropy(right[gram], edges: edgeRight[gram] ?? 0)
            guard cohesion >= options.minimumCohesion, min(l, r) >= options.minimumEntropy else { continue }
            result.append(Candidate(
                word: word, units: units.map { names[Int($0)] }, count: count, cohesion: cohesion, leftEntropy: l, rightEntropy: r,
                score: log(Double(count)) * cohesion * min(l, r)))
        }
        return result.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.count != $1.count ? $0.count > $1.count : $0.word < $1.word
        }
    }
}
