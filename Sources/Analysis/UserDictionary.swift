/// Words the analyzer keeps whole: the shipped domain list, a staff-edited file, or both.
///
/// The file format is plain UTF-8, one entry per line:
/// ```
/// # a comment line
/// 履职                 ← a word (weight 1)
/// 专委会  2            ← a word and its weight (separated by spaces or a tab)
/// 常委会  0            ← weight 0: never keep this word whole (switches off a shipped word)
/// 提质增效 1.5  # a comment may follow the entry
/// ```
/// A word is two or more letters, digits or ideographs (no spaces, punctuation or symbols); a
/// weight is a number ≥ 0. Blank lines are skipped. A line that breaks these rules is skipped
/// and reported in `issues` with its line number, so one typo does not stop indexing.
///
/// The weight says how strongly the word is preferred to ICU's own cut: in the lattice a word
/// of weight w counts 1/(1 + w) of a token (see `WordLattice`).
public struct UserDictionary: Sendable, Equatable {
    /// A line that could not be read, and why.
    public struct Issue: Error, Sendable, Equatable, CustomStringConvertible {
        public var source: String
        public var line: Int
        public var text: String
        public var reason: String

        public init(source: String, line: Int, text: String, reason: String) {
            self.source = source
            self.line = line
            self.text = text
            self.reason = reason
        }

        public var description: String { "\(source):\(line): \(reason): \(text)" }
    }

    /// Longest word accepted, in characters (longer lines are almost surely sentences pasted by
    /// mistake, and would slow matching down).
    public static let maximumWordLength = 16

    /// Word → weight, as written (before normalisation), including weight-0 entries.
    public private(set) var weights: [String: Double] = [:]
    /// Lines skipped while parsing.
    public private(set) var issues: [Issue] = []

    /// An empty dictionary: ICU's segmentation alone.
    public init() {}

    /// Parses dictionary text. Later lines win over earlier ones for the same word.
    public init(parsing text: String, source: String = "dictionary") {
        var number = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            var content = Substring(line)
            if number == 1, content.hasPrefix("\u{FEFF}") { content = content.dropFirst() }
            if let hash = content.firstIndex(of: "#") { content = content[..<hash] }
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" })
            guard !fields.isEmpty else { continue }
            func skip(_ reason: String) {
                issues.append(Issue(source: source, line: number, text: String(line), reason: reason))
            }
            if fields.count > 2 {
                skip("expected a word and an optional weight")
                continue
            }
            let word = String(fields[0])
            if let reason = Self.problem(with: word) {
                skip(reason)
                continue
            }
            var weight = 1.0
            if fields.count == 2 {
                guard let value = Double(fields[1]), value.isFinite, value >= 0 else {
                    skip("the weight is not a number ≥ 0")
                    continue
                }
                weight = value
            }
            weights[word] = weight
        }
    }

    /// Why `word` cannot be a dictionary word, or nil when it can.
    static func problem(with word: String) -> String? {
        let scalars = word.unicodeScalars
        if scalars.count < 2 { return "a word needs at least two characters" }
        if scalars.count > maximumWordLength { return "a word has at most \(maximumWordLength) characters" }
        for scalar in scalars {
            let v = scalar.value
            if CharacterClass.isSpace(v) || CharacterClass.isPunctuation(v) || !(scalar.properties.isAlphabetic || scalar.properties.numericType != nil) {
                return "a word holds only letters, digits and ideographs"
            }
        }
        return nil
    }

    /// The words kept whole (weight > 0) with their weights, sorted by word.
    public var words: [(word: String, weight: Double)] {
        weights.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public var isEmpty: Bool { !weights.values.contains { $0 > 0 } }

    /// This dictionary with `other`'s entries added on top (an entry of `other` replaces the same
    /// word here; weight 0 there switches the word off).
    public func merging(_ other: UserDictionary) -> UserDictionary {
        var merged = self
        merged.weights.merge(other.weights) { _, new in new }
        merged.issues += other.issues
        return merged
    }

    /// Adds or replaces one word (a word `problem(with:)` rejects is ignored).
    public mutating func add(_ word: String, weight: Double = 1) {
        guard Self.problem(with: word) == nil, weight.isFinite, weight >= 0 else { return }
        weights[word] = weight
    }

    /// A fingerprint of the words kept whole and their weights (order and comments do not
    /// matter): what an index records, so that a changed dictionary is noticed.
    public var fingerprint: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        for (word, weight) in words {
            mix(word.utf8)
            mix([0x09])
            mix(String(weight).utf8)
            mix([0x0A])
        }
        return hash
    }

    /// Renders the dictionary in its file format (words sorted, weight 1 left implicit).
    public func formatted() -> String {
        weights.sorted { $0.key < $1.key }.map { $0.value == 1 ? $0.key : "\($0.key) \(Self.format($0.value))" }
            .joined(separator: "\n") + (weights.isEmpty ? "" : "\n")
    }

    static func format(_ weight: Double) -> String {
        weight == weight.rounded() && abs(weight) < 1e15 ? String(Int(weight)) : String(weight)
    }
}
