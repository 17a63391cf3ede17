import Foundation
import Analysis

/// Splits a stretch of running text into n articles, for n headers printed after it.
///
/// Candidate cuts are paragraph starts (a line after one that ends a sentence, or after a
/// heading). Each paragraph scores, for each header, the occurrences of that header's
/// distinctive character bigrams (its title, author and office; bigrams shared by every header
/// of the run, such as 政协, weigh nothing). A dynamic programme then picks the cuts that
/// maximise the total score of giving paragraphs, in order, to headers, in order — speeches
/// name their own county and echo their own title — less each part's lack of cohesion.
enum BodySplitter {
    /// How much header evidence counts against the texts' own cohesion.
    static let headerWeight = 1.0

    static func split(
        _ segment: [Int], into count: Int, lines: [IssueLine], bytes: [UInt8], headers: [IssueSplitter.Header]
    ) -> [[Int]] {
        guard count > 1 else { return [segment] + Array(repeating: [], count: max(0, count - 1)) }
        let paragraphs = paragraphsOf(segment, lines: lines)
        guard paragraphs.count >= count else {
            // Fewer paragraphs than headers: one paragraph each, the rest empty.
            var parts = paragraphs
            while parts.count < count { parts.append([]) }
            return parts
        }
        // Distinctive bigrams of each header, weighted by how few headers share them.
        let headerBigrams: [Set<UInt64>] = headers.map { header in
            var text = header.author + (header.affiliation ?? "")
            for i in header.titleLines + header.subtitleLines { text += lines[i].plain }
            return bigrams(of: text)
        }
        var weight: [UInt64: Double] = [:]
        for set in headerBigrams {
            for b in set { weight[b, default: 0] += 1 }
        }
        for (b, shared) in weight { weight[b] = shared >= Double(count) ? 0 : log2(Double(count) / shared) }
        let paragraphBigrams: [Set<UInt64>] = paragraphs.map { paragraph in
            var set = Set<UInt64>()
            for i in paragraph where !lines[i].isBlank { set.formUnion(bigramList(of: lines[i].plain)) }
            return set
        }
        // score[p][h]: how strongly paragraph p speaks of header h (presence of its bigrams).
        let scores: [[Double]] = paragraphBigrams.map { present in
            headerBigrams.map { set in set.reduce(0.0) { present.contains($1) ? $0 + (weight[$1] ?? 0) : $0 } }
        }
        // cost[a][b]: how poorly paragraphs a..<b hang together as one text, as the code length
        // of their bigrams under the text's own smoothed unigram model (Utiyama & Isahara,
        // 2001): a speech repeats its own words, so splitting between speeches saves bits.
        let cost = cohesionCosts(paragraphs.map { paragraph in
            paragraph.filter { !lines[$0].isBlank }.flatMap { bigramList(of: lines[$0].plain) }
        })
        // best[h][p]: the best total for giving paragraphs 0..<p to headers 0...h.
        let p = paragraphs.count
        var best = Array(repeating: Array(repeating: -Double.infinity, count: p + 1), count: count)
        var cut = Array(repeating: Array(repeating: 0, count: p + 1), count: count)
        var prefix = Array(repeating: Array(repeating: 0.0, count: p + 1), count: count)
        for h in 0..<count {
            for i in 0..<p { prefix[h][i + 1] = prefix[h][i] + scores[i][h] }
        }
        for end in 1...p { best[0][end] = headerWeight * prefix[0][end] - cost[0][end] }
        for h in 1..<count {
            for end in (h + 1)...p {
                for start in h..<end where best[h - 1][start] > -Double.infinity {
                    let total = best[h - 1][start] + headerWeight * (prefix[h][end] - prefix[h][start]) - cost[start][end]
                    // Ties go to the later cut: an opening paragraph rarely names its speaker.
                    if total >= best[h][end] {
                        best[h][end] = total
                        cut[h][end] = start
                    }
                }
            }
        }
        var bounds: [Int] = [p]
        var end = p
        for h in stride(from: count - 1, to: 0, by: -1) {
            end = cut[h][end]
            bounds.insert(end, at: 0)
        }
        bounds.insert(0, at: 0)
        return (0..<count).map { h in paragraphs[bounds[h]..<bounds[h + 1]].flatMap { $0 } }
    }

    /// `cost[a][b]` for every `a <= b`: the code length of the bigrams of paragraphs `a..<b`
    /// under their own add-one smoothed unigram model, `n·log(n + V) − Σ log-factorial terms`.
    ///
    /// O(P × bigrams) for P paragraphs: bigrams become dense ids (counts in an array, not a
    /// dictionary), and each count's increment `(f+1)·log(f+2) − f·log(f+1)` is computed once per
    /// count and reused, in the same order of summation, so the costs are bit for bit those of
    /// the direct formula.
    static func cohesionCosts(_ lists: [[UInt64]]) -> [[Double]] {
        var ids: [UInt64: Int32] = [:]
        let dense: [[Int32]] = lists.map { list in
            list.map { bigram in
                if let id = ids[bigram] { return id }
                let id = Int32(ids.count)
                ids[bigram] = id
                return id
            }
        }
        let vocabulary = Double(ids.count)
        var increment: [Double] = []
        var frequency = [Int32](repeating: 0, count: ids.count)
        var touched: [Int32] = []
        // No count exceeds the number of bigrams, so the increments are tabulated up front.
        let total = dense.reduce(0) { $0 + $1.count }
        for count in 0...total {
            let f = Double(count)
            increment.append((f + 1) * Foundation.log(f + 2) - f * Foundation.log(f + 1))
        }
        var cost = Array(repeating: Array(repeating: 0.0, count: lists.count + 1), count: lists.count + 1)
        increment.withUnsafeBufferPointer { increment in
            frequency.withUnsafeMutableBufferPointer { frequency in
                for a in 0..<lists.count {
                    for id in touched { frequency[Int(id)] = 0 }
                    touched.removeAll(keepingCapacity: true)
                    var sum = 0.0
                    var n = 0.0
                    var row = cost[a]
                    for b in a..<lists.count {
                        dense[b].withUnsafeBufferPointer { ids in
                            for id in ids {
                                let count = Int(frequency[Int(id)])
                                if count == 0 { touched.append(id) }
                                sum += increment[count]
                                frequency[Int(id)] = Int32(count + 1)
                            }
                        }
                        n += Double(dense[b].count)
                        row[b + 1] = n * Foundation.log(n + vocabulary) - sum
                    }
                    cost[a] = row
                }
            }
        }
        return cost
    }

    /// Groups the segment's lines into paragraphs (leading blank lines go with what follows).
    static func paragraphsOf(_ segment: [Int], lines: [IssueLine]) -> [[Int]] {
        var paragraphs: [[Int]] = []
        var current: [Int] = []
        var previousEnds = true
        for i in segment {
            let line = lines[i]
            if line.isBlank { current.append(i); continue }
            let startsParagraph = previousEnds || line.role == .heading || line.role == .subtitle || line.markdownHeading
            if startsParagraph && current.contains(where: { !lines[$0].isBlank }) {
                // Blank lines just before a paragraph start belong to the previous paragraph.
                paragraphs.append(current)
                current = []
            }
            current.append(i)
            previousEnds = line.endsSentence || line.role != .body
        }
        if !current.isEmpty {
            if current.contains(where: { !lines[$0].isBlank }) || paragraphs.isEmpty {
                paragraphs.append(current)
            } else {
                paragraphs[paragraphs.count - 1].append(contentsOf: current)
            }
        }
        return paragraphs
    }

    static func bigramList(of text: String) -> [UInt64] {
        var result: [UInt64] = []
        var previous: UInt32? = nil
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if CharacterClass.isIdeograph(v) {
                if let p = previous { result.append(UInt64(p) << 32 | UInt64(v)) }
                previous = v
            } else {
                previous = nil
            }
        }
        return result
    }

    static func bigrams(of text: String) -> Set<UInt64> { Set(bigramList(of: text)) }
}


