/// Chooses the words of one run of adjacent ICU tokens when dictionary words occur in it: a
/// small dynamic programme over the lattice of ICU's tokens, the dictionary's words and the
/// pieces a dictionary word cuts off an ICU token.
///
/// Every path through the run from its first character to its last is a segmentation; the
/// programme picks the one that costs least, where
/// - an ICU token costs 1,
/// - a dictionary word of weight w costs 1 / (1 + w) (½ at the default weight 1),
/// - a *fragment* — the piece of an ICU token left over where a dictionary word cuts into it —
///   costs (1 + `fragmentPenalty`) per character, as if each of its characters stood alone,
///   and a little more, because ICU never proposed it.
/// Ties go to the path with fewer dictionary words and fragments, so ICU's cut stands unless the
/// dictionary improves on it. In effect the dictionary re-joins ICU's single characters
/// (专/委/会 → 专委会 costs ½ instead of 3) and re-cuts a wrong boundary only where the gain pays
/// for the fragments (落/实习/近平 with 落实: 落实 + 习 + 近平 = ½ + 1¼ + 1 < 3). A fragment
/// inside a longer ICU word costs enough that one dictionary word does not break a sound word
/// of ICU's for nothing (经济/委员会 stays: 经济委 + 员会 = ½ + 2½ > 2). It can still be wrong
/// where a dictionary word overlaps two sound ICU words and leaves one character over: 常委/会议
/// becomes 常委会 + 议 (½ + 1¼ < 2). The characters between two chosen dictionary words that
/// hold a fragment are segmented again by ICU on their own (see `Analyzer`), so 履职能力 ends
/// as 履职/能力, not 履职/能/力.
///
/// O(characters + edges) per run; runs without a dictionary word that differs from an ICU
/// token never get here.
struct WordLattice {
    /// Extra cost per character of a fragment.
    static let fragmentPenalty = 0.25

    enum PieceKind: Equatable {
        /// ICU's token number `index` of the run.
        case icu(Int)
        /// A dictionary word.
        case word
        /// Part of ICU's token number `index`, cut off by a dictionary word.
        case fragment(Int)
    }

    /// A piece of the chosen path: characters `from..<to` of the run.
    struct Piece: Equatable {
        var from: Int
        var to: Int
        var kind: PieceKind
    }

    private struct Edge {
        var from: Int32
        var to: Int32
        var cost: Double
        var kind: PieceKind
    }

    private var edges: [Edge] = []
    private var best: [Double] = []
    private var extra: [Int32] = []
    private var back: [Int32] = []
    private var cuts: [Int] = []
    private var points: [Int] = []
    private var pieces: [Piece] = []

    /// The cheapest segmentation of a run of `length` characters whose ICU tokens end at
    /// `tokenEnds` (character offsets, ascending, the last one `length`), given the dictionary
    /// words `matches` found in it (`from..<to` with their weights).
    mutating func segment(length: Int, tokenEnds: [Int], matches: [(from: Int, to: Int, weight: Float)]) -> [Piece] {
        edges.removeAll(keepingCapacity: true)
        var start = 0
        for (k, end) in tokenEnds.enumerated() {
            edges.append(Edge(from: Int32(start), to: Int32(end), cost: 1, kind: .icu(k)))
            start = end
        }
        cuts.removeAll(keepingCapacity: true)
        for m in matches {
            edges.append(Edge(from: Int32(m.from), to: Int32(m.to), cost: 1 / (1 + Double(m.weight)), kind: .word))
            cuts.append(m.from)
            cuts.append(m.to)
        }
        cuts.sort()
        // Fragments: between any two of the cut points inside one ICU token and its ends.
        start = 0
        var c = 0
        for (k, end) in tokenEnds.enumerated() {
            while c < cuts.count && cuts[c] <= start { c += 1 }
            points.removeAll(keepingCapacity: true)
            points.append(start)
            while c < cuts.count && cuts[c] < end {
                if cuts[c] != points.last! { points.append(cuts[c]) }
                c += 1
            }
            if points.count > 1 {
                points.append(end)
                for x in 0..<(points.count - 1) {
                    for y in (x + 1)..<points.count where !(x == 0 && y == points.count - 1) {
                        edges.append(Edge(
                            from: Int32(points[x]), to: Int32(points[y]),
                            cost: (1 + Self.fragmentPenalty) * Double(points[y] - points[x]), kind: .fragment(k)))
                    }
                }
            }
            start = end
        }
        // Forward over edges in order of their start: every edge ends after it starts, so a
        // node's best cost is final before any edge leaves it.
        edges.sort { $0.from < $1.from }
        best.removeAll(keepingCapacity: true)
        best.append(contentsOf: repeatElement(.infinity, count: length + 1))
        extra.removeAll(keepingCapacity: true)
        extra.append(contentsOf: repeatElement(.max, count: length + 1))
        back.removeAll(keepingCapacity: true)
        back.append(contentsOf: repeatElement(-1, count: length + 1))
        best[0] = 0
        extra[0] = 0
        for (e, edge) in edges.enumerated() {
            let from = Int(edge.from), to = Int(edge.to)
            guard best[from] < .infinity else { continue }
            let cost = best[from] + edge.cost
            let count = extra[from] + (isICU(edge.kind) ? 0 : 1)
            if cost < best[to] - 1e-9 || (abs(cost - best[to]) <= 1e-9 && count < extra[to]) {
                best[to] = cost
                extra[to] = count
                back[to] = Int32(e)
            }
        }
        pieces.removeAll(keepingCapacity: true)
        var node = length
        while node > 0 {
            let edge = edges[Int(back[node])]
            pieces.append(Piece(from: Int(edge.from), to: Int(edge.to), kind: edge.kind))
            node = Int(edge.from)
        }
        pieces.reverse()
        return pieces
    }

    @inline(__always)
    private func isICU(_ kind: PieceKind) -> Bool {
        if case .icu = kind { return true }
        return false
    }
}
