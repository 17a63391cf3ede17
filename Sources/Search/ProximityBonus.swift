import Indexing

/// Rewards articles where different query clauses stand close together in the body, after
/// BM25TP (Rasolofo & Savoy, 2003): for every pair of clauses whose nearest occurrences are at
/// most `window` words apart (d = gap between them, 0 when adjacent), the pair adds
/// (idf_a + idf_b) / 2 · 1 / (1 + d)²; the sum s becomes weight · s · (k1 + 1) / (s + k1), so a
/// few close pairs count and many do not run away.
struct ProximityBonus {
    var weight: Double
    var window: Int
    var k1: Double

    /// A clause's occurrences in one document: start positions, the span length, and its idf.
    struct Occurrences {
        var starts: [UInt32]
        var length: Int
        var idf: Double
    }

    func bonus(_ clauses: [Occurrences]) -> Double {
        guard weight > 0, clauses.count >= 2 else { return 0 }
        var sum = 0.0
        for a in 0..<clauses.count {
            for b in (a + 1)..<clauses.count {
                guard let d = Self.gap(clauses[a], clauses[b]), d <= window else { continue }
                sum += (clauses[a].idf + clauses[b].idf) / 2 / Double((1 + d) * (1 + d))
            }
        }
        return weight * sum * (k1 + 1) / (sum + k1)
    }

    /// Words between the nearest occurrences of two clauses (nil when they overlap or never meet).
    static func gap(_ a: Occurrences, _ b: Occurrences) -> Int? {
        var best: Int? = nil
        var j = 0
        for start in a.starts {
            // Occurrences of b around `start`, by a merge over the sorted positions.
            while j < b.starts.count && b.starts[j] < start { j += 1 }
            for k in [j - 1, j] where k >= 0 && k < b.starts.count {
                let s = Int(b.starts[k])
                let d: Int
                if s >= Int(start) + a.length { d = s - Int(start) - a.length } else if Int(start) >= s + b.length {
                    d = Int(start) - s - b.length
                } else { continue }  // overlapping: the same words
                if best == nil || d < best! { best = d }
            }
        }
        return best
    }
}
