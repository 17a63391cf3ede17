import Analysis

/// Splits one journal issue file into articles.
///
/// Anchors are bylines (`□ 姓名`, or `职务 姓名` under a title). Each byline and the title lines
/// just above it form a header. Two layouts follow from where bodies sit:
/// - *Header first* (the common case): each header owns the text after it, up to the next
///   header's title or column labels. Text left after an `(作者系…)` note is an article whose
///   header comes later, when a header with no text of its own follows (a title printed after
///   its article), or an untitled article otherwise.
/// - *Header last* (speech collections): the file opens with running text and ends with
///   headers; each run of headers names, in order, the bodies printed before it. A run of n
///   headers splits the text before it into n articles at the paragraph breaks that best match
///   each header's words (`BodySplitter`). An editor's note up to a `——` subtitled heading is an
///   article of its own; credits after the last run join the last article.
///
/// Every non-blank line ends up in exactly one article.
public struct IssueSplitter: Sendable {
    public init() {}

    public func split(file: String, bytes: [UInt8]) -> [Article] {
        let lines = Self.readLines(bytes)
        guard lines.contains(where: { !$0.isBlank }) else { return [] }
        let headers = findHeaders(lines)
        var drafts: [Draft]
        if isHeaderLast(lines, headers) {
            drafts = splitHeaderLast(lines, headers, bytes: bytes)
        } else {
            drafts = splitHeaderFirst(lines, headers)
        }
        drafts = drafts.filter { draft in draft.lines.contains { !lines[$0].isBlank } }
        drafts.sort { ($0.bodyStart ?? $0.lines.first!) < ($1.bodyStart ?? $1.lines.first!) }
        return drafts.enumerated().map { ordinal, draft in build(draft, ordinal: ordinal, file: file, lines: lines) }
    }

    // MARK: - Lines

    static func readLines(_ bytes: [UInt8]) -> [IssueLine] {
        let ranges = TextNormalizer.lines(of: bytes)
        var lines: [IssueLine] = []
        lines.reserveCapacity(ranges.count)
        for (index, line) in ranges.enumerated() {
            let raw = String(decoding: bytes[line.range], as: UTF8.self)
            let (plain, markdownHeading) = stripMarkdown(raw)
            lines.append(IssueLine(
                number: index + 1, range: line.range, plain: plain,
                length: plain.unicodeScalars.reduce(0) { CharacterClass.isSpace($1.value) ? $0 : $0 + 1 },
                markdownHeading: markdownHeading, role: .blank, inlineAuthorNote: nil))
        }
        let classifier = LineClassifier(lengths: lines.map(\.length))
        for i in lines.indices {
            let (role, note) = classifier.classify(lines[i].plain, length: lines[i].length, markdownHeading: lines[i].markdownHeading)
            lines[i].role = role
            lines[i].inlineAuthorNote = note
        }
        return lines
    }

    /// Drops `#` heading markers, `>` quote markers and `**` emphasis; trims spaces.
    static func stripMarkdown(_ raw: String) -> (String, Bool) {
        var text = raw.trimmingSpaces
        var heading = false
        // (First bytes compared, not characters: `hasPrefix` compares with normalisation.)
        let first = text.utf8.first
        if first == UInt8(ascii: "#") {
            let hashes = text.prefix { $0 == "#" }.count
            if hashes <= 6 {
                let rest = text.dropFirst(hashes)
                if rest.isEmpty || rest.first == " " {
                    text = String(rest).trimmingSpaces
                    heading = true
                }
            }
        } else if first == UInt8(ascii: ">") {
            text = String(text.dropFirst()).trimmingSpaces
        }
        if text.utf8.count > 1, text.utf8.withContiguousStorageIfAvailable({ $0.contains(0x2A) }) ?? text.utf8.contains(0x2A) {
            // Drop `**` emphasis markers (a byte scan: Foundation's substring search is slow here).
            let bytes = Array(text.utf8)
            var kept: [UInt8] = []
            kept.reserveCapacity(bytes.count)
            var i = 0
            var dropped = false
            while i < bytes.count {
                if bytes[i] == 0x2A && i + 1 < bytes.count && bytes[i + 1] == 0x2A {
                    i += 2
                    dropped = true
                } else {
                    kept.append(bytes[i])
                    i += 1
                }
            }
            if dropped { text = String(decoding: kept, as: UTF8.self) }
        }
        // Trimmed already unless dropping `**` left spaces at an end.
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, CharacterClass.isSpace(first.value) || CharacterClass.isSpace(last.value)
        else { return (text, heading) }
        return (text.trimmingSpaces, heading)
    }

    // MARK: - Headers

    struct Header {
        var titleLines: [Int] = []
        var subtitleLines: [Int] = []
        var byline: Int
        var author: String
        var affiliation: String?
        /// The first line of the header (title, subtitle or byline).
        var firstLine: Int { ([byline] + titleLines + subtitleLines).min()! }
        var allLines: [Int] { (titleLines + subtitleLines + [byline]).sorted() }
    }

    func findHeaders(_ lines: [IssueLine]) -> [Header] {
        var headers: [Header] = []
        for (index, line) in lines.enumerated() {
            guard case .byline(let author, let affiliation) = line.role else { continue }
            var header = Header(byline: index, author: author, affiliation: affiliation)
            let floor = headers.last?.byline ?? -1
            // Title lines right above the byline, in the same block (no blank line between).
            var group = titleGroup(lines, endingAt: index - 1, floor: floor)
            if group.isEmpty {
                var j = index - 1
                while j > floor && lines[j].isBlank { j -= 1 }
                group = titleGroup(lines, endingAt: j, floor: floor)
            }
            if let split = group.firstIndex(where: { lines[$0].role == .subtitle }), split > 0 {
                // Title and `——` subtitle with no blank line between them.
                header.titleLines = Array(group[..<split])
                header.subtitleLines = Array(group[split...])
            } else if let first = group.first, lines[first].role == .subtitle {
                header.subtitleLines = group
                var j = first - 1
                while j > floor && lines[j].isBlank { j -= 1 }
                header.titleLines = titleGroup(lines, endingAt: j, floor: floor)
            } else {
                header.titleLines = group
            }
            // A typed byline (`职务 姓名`) needs a title above it; a boxed one stands alone.
            if affiliation != nil && header.titleLines.isEmpty { continue }
            headers.append(header)
        }
        return headers
    }

    /// The block of title-like lines (short, not ending a sentence) ending at `end`, at most three.
    private func titleGroup(_ lines: [IssueLine], endingAt end: Int, floor: Int) -> [Int] {
        var group: [Int] = []
        var j = end
        while j > floor, group.count < 3 {
            let line = lines[j]
            guard !line.isBlank, !line.isByline, !line.isAuthorNote, line.length <= 40, !line.endsSentence else { break }
            guard line.role == .heading || line.role == .subtitle || line.role == .body && line.length <= 40 else { break }
            group.insert(j, at: 0)
            j -= 1
        }
        return group
    }

    // MARK: - Layouts

    /// One article in the making: its header (if any) and the indices of every line it owns.
    struct Draft {
        var header: Header?
        var lines: [Int]
        var bodyStart: Int?
        /// An editor's note or collection heading: title lines without a byline.
        var titleLines: [Int] = []
        var subtitleLines: [Int] = []
        /// Column labels and issue headings before the title: owned, not text of the article.
        var labels: Set<Int> = []
        /// Credits after a collection: owned and searchable, outside the body's line range.
        var trailing: Set<Int> = []
    }

    private func bodyCharacters(_ lines: [IssueLine], _ range: Range<Int>) -> Int {
        range.reduce(0) { $0 + (lines[$1].isBody ? lines[$1].length : 0) }
    }

    /// Header-last when the file opens with running text before its first header and has
    /// little running text after its last one.
    func isHeaderLast(_ lines: [IssueLine], _ headers: [Header]) -> Bool {
        guard let first = headers.first, let last = headers.last else { return false }
        let before = bodyCharacters(lines, 0..<first.firstLine)
        let after = bodyCharacters(lines, (last.byline + 1)..<lines.count)
        return before >= 200 && after < 100
    }

    func splitHeaderFirst(_ lines: [IssueLine], _ headers: [Header]) -> [Draft] {
        guard !headers.isEmpty else {
            return [Draft(header: nil, lines: Array(lines.indices), bodyStart: lines.firstIndex { $0.isBody })]
        }
        // Each header's region starts at its first line, extended back over labels and blanks.
        var starts: [Int] = []
        for (k, header) in headers.enumerated() {
            let floor = k == 0 ? -1 : headers[k - 1].byline
            var start = header.firstLine
            var j = start - 1
            while j > floor && (lines[j].isBlank || lines[j].role == .heading || lines[j].role == .subtitle) {
                if !lines[j].isBlank { start = j }
                j -= 1
            }
            // Stop the extension at the end of the previous article (a note or running text).
            starts.append(start)
        }
        var drafts: [Draft] = []
        // Text before the first header: an untitled article when it has running text.
        let leading = Array(0..<starts[0])
        var pendingLeading: [Int] = []
        if bodyCharacters(lines, 0..<starts[0]) >= 60 {
            drafts.append(Draft(header: nil, lines: leading, bodyStart: leading.first { lines[$0].isBody }))
        } else {
            pendingLeading = leading
        }
        var k = 0
        while k < headers.count {
            let header = headers[k]
            let end = k + 1 < headers.count ? starts[k + 1] : lines.count
            var region = Array(starts[k]..<end)
            if k == 0 { region = pendingLeading + region }
            // Running text after an author note is not this article's.
            let afterHeader = region.filter { $0 > header.byline }
            var orphan: [Int] = []
            if let note = afterHeader.first(where: { lines[$0].isAuthorNote }),
                bodyCharacters(lines, (note + 1)..<end) >= 60
            {
                orphan = region.filter { $0 > note }
                region = region.filter { $0 <= note }
            }
            let bodyStart = region.first { $0 > header.byline && !lines[$0].isBlank }
            let labels = Set(region.filter { $0 < header.firstLine && !lines[$0].isBlank })
            drafts.append(Draft(header: header, lines: region, bodyStart: bodyStart, labels: labels))
            if !orphan.isEmpty {
                // A following header with no text of its own is the orphan's (printed after it).
                if k + 1 < headers.count {
                    let next = headers[k + 1]
                    let nextEnd = k + 2 < headers.count ? starts[k + 2] : lines.count
                    if bodyCharacters(lines, (next.byline + 1)..<nextEnd) < 60 {
                        let nextRegion = Array(starts[k + 1]..<nextEnd)
                        let labels = Set(nextRegion.filter { $0 < next.firstLine && !lines[$0].isBlank })
                        drafts.append(Draft(header: next, lines: orphan + nextRegion, bodyStart: orphan.first { !lines[$0].isBlank }, labels: labels))
                        k += 2
                        continue
                    }
                }
                drafts.append(Draft(header: nil, lines: orphan, bodyStart: orphan.first { !lines[$0].isBlank }))
            }
            k += 1
        }
        return drafts
    }

    func splitHeaderLast(_ lines: [IssueLine], _ headers: [Header], bytes: [UInt8]) -> [Draft] {
        // Runs of headers with only blank lines between them.
        var runs: [[Header]] = []
        for header in headers {
            if var run = runs.last, let previous = run.last,
                ((previous.byline + 1)..<header.firstLine).allSatisfy({ lines[$0].isBlank })
            {
                run.append(header)
                runs[runs.count - 1] = run
            } else {
                runs.append([header])
            }
        }
        var drafts: [Draft] = []
        var segmentStart = 0
        for (r, run) in runs.enumerated() {
            var segment = Array(segmentStart..<run[0].firstLine)
            if r == 0, let preamble = editorsNote(lines, segment) {
                drafts.append(preamble)
                segment = segment.filter { $0 > preamble.lines.last! }
            }
            let parts = BodySplitter.split(segment, into: run.count, lines: lines, bytes: bytes, headers: run)
            for (header, part) in zip(run, parts) {
                drafts.append(Draft(header: header, lines: part + header.allLines, bodyStart: part.first { !lines[$0].isBlank }))
            }
            segmentStart = run.last!.byline + 1
        }
        // Credits and anything else after the last run belong to the last article.
        if segmentStart < lines.count, !drafts.isEmpty {
            drafts[drafts.count - 1].lines.append(contentsOf: segmentStart..<lines.count)
            drafts[drafts.count - 1].trailing.formUnion(segmentStart..<lines.count)
        }
        return drafts
    }

    /// An editor's note at the top of a collection: the text up to a heading with a `——`
    /// subtitle (the collection's title), when running text follows it.
    private func editorsNote(_ lines: [IssueLine], _ segment: [Int]) -> Draft? {
        for (position, index) in segment.enumerated() where lines[index].role == .subtitle {
            var j = position - 1
            while j >= 0 && lines[segment[j]].isBlank { j -= 1 }
            let above = j >= 0 ? lines[segment[j]] : nil
            guard let heading = above, heading.role == .heading || heading.isBody && heading.length <= 40 && !heading.endsSentence
            else { continue }
            guard position > j, segment[..<j].contains(where: { lines[$0].isBody }) else { continue }
            let rest = segment[(position + 1)...]
            guard rest.contains(where: { lines[$0].isBody }) else { continue }
            return Draft(
                header: nil, lines: Array(segment[...position]), bodyStart: segment.first { lines[$0].isBody },
                titleLines: [segment[j]], subtitleLines: [index])
        }
        return nil
    }

    // MARK: - Articles

    private func build(_ draft: Draft, ordinal: Int, file: String, lines: [IssueLine]) -> Article {
        let owned = draft.lines.sorted()
        let titleIndices = draft.header?.titleLines ?? draft.titleLines
        let subtitleIndices = draft.header?.subtitleLines ?? draft.subtitleLines
        let headerIndices = Set(titleIndices + subtitleIndices + (draft.header.map { [$0.byline] } ?? []))
        let bodyIndices = owned.filter { !lines[$0].isBlank && !headerIndices.contains($0) && !draft.labels.contains($0) }
        let body = bodyIndices.map { i in
            SourceLine(range: lines[i].range, standsAlone: !lines[i].isBody)
        }
        var title = titleIndices.map { lines[$0].plain }.joined(separator: " ")
        let subtitle = subtitleIndices.isEmpty
            ? nil : subtitleIndices.map { String(lines[$0].plain.drop { $0 == "—" || $0 == "-" }) }.joined(separator: " ")
        var derived = false
        if title.isEmpty {
            title = Self.firstSentence(bodyIndices.map { lines[$0] })
            derived = true
        }
        var affiliation = draft.header?.affiliation
        if affiliation == nil {
            for i in owned {
                if case .authorNote(let note) = lines[i].role { affiliation = note; break }
                if let note = lines[i].inlineAuthorNote { affiliation = note; break }
            }
        }
        let bodyNumbers = bodyIndices.filter { !draft.trailing.contains($0) }.map { lines[$0].number }
        let bodyLines = (bodyNumbers.first ?? lines[owned.first!].number)...(bodyNumbers.last ?? lines[owned.last!].number)
        return Article(
            file: file, ordinal: ordinal, title: title, subtitle: subtitle, titleIsDerived: derived,
            author: draft.header?.author, affiliation: affiliation, bodyLines: bodyLines,
            lineRanges: Self.ranges(owned.filter { !lines[$0].isBlank }, lines: lines),
            body: body, titleLines: (titleIndices + subtitleIndices).map { SourceLine(range: lines[$0].range, standsAlone: true) })
    }

    /// The first sentence of the body, at most 40 characters: the title of an untitled article.
    static func firstSentence(_ body: [IssueLine]) -> String {
        var text = ""
        var count = 0
        for line in body where !line.isBlank {
            for scalar in line.plain.unicodeScalars {
                if CharacterClass.endsSentence(scalar.value) && scalar.value != 0x2E || scalar == "，" && count >= 12 || count >= 40 {
                    return text.trimmingSpaces
                }
                text.unicodeScalars.append(scalar)
                count += 1
            }
        }
        return text.trimmingSpaces
    }

    /// 1-based line ranges of the given (non-blank) line indices; blank lines between two owned
    /// lines do not break a range.
    static func ranges(_ indices: [Int], lines: [IssueLine]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        var previous: Int? = nil
        for i in indices.sorted() {
            if let p = previous, ((p + 1)..<i).allSatisfy({ lines[$0].isBlank }) {
                result[result.count - 1] = result[result.count - 1].lowerBound...lines[i].number
            } else {
                result.append(lines[i].number...lines[i].number)
            }
            previous = i
        }
        return result
    }
}
