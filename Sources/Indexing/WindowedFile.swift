/// One file's windows fed to an `IndexBuilder` in order: each window's last article is held
/// back and split again with the next window's text, since the blank line a window ends at may
/// fall inside an article (between its byline and its text, before a title printed after it).
/// Articles are numbered in the file across windows.
struct WindowedFile {
    /// Articles added so far: the next one's ordinal.
    private(set) var ordinal = 0
    private var carried: CorpusWindow?

    /// Adds the articles of `next` (after what was held back), holding back its last unless the
    /// file ends with it.
    mutating func add(_ next: CorpusWindow, to builder: IndexBuilder) {
        var window = next
        if let carried {
            window = CorpusWindow(
                path: next.path, bytes: carried.bytes + next.bytes, firstLine: carried.firstLine, fileOffset: carried.fileOffset,
                isLast: next.isLast)
        }
        let (added, heldFrom) = builder.add(window, firstOrdinal: ordinal, holdingBackLast: !window.isLast)
        ordinal += added
        carried = heldFrom.map { from in
            CorpusWindow(
                path: window.path, bytes: Array(window.bytes[from...]),
                firstLine: window.firstLine + CorpusReader.lineBreaks(in: Array(window.bytes[..<from])),
                fileOffset: window.fileOffset.map { $0 + from }, isLast: false)
        }
    }

    /// Adds what is still held back (nothing once the file's last window came).
    mutating func finish(_ builder: IndexBuilder) {
        guard let carried else { return }
        ordinal += builder.add(carried, firstOrdinal: ordinal)
        self.carried = nil
    }
}
