import Foundation

/// How a commit point names the corpus directory its index was built from, so that a search
/// given only the index finds the files to quote. Relative to the index directory when the two
/// share a parent below the root (`../corpus` for the usual `corpus/` beside
/// `.committee-search/`): a project moved or cloned elsewhere as a whole still finds its corpus.
/// Otherwise the absolute path.
public enum CorpusReference {
    /// The reference to `corpus` as seen from the index directory `index`.
    public static func make(corpus: URL, index: URL) -> String {
        let to = components(of: corpus), from = components(of: index)
        var common = 0
        while common < min(to.count, from.count) && to[common] == from[common] { common += 1 }
        guard common > 0 else { return "/" + to.joined(separator: "/") }
        let up = Array(repeating: "..", count: from.count - common)
        let relative = (up + to[common...]).joined(separator: "/")
        return relative.isEmpty ? "." : relative
    }

    /// The directory `reference` names, seen from the index directory `index` (nil: none recorded).
    public static func resolve(_ reference: String, index: URL) -> URL? {
        guard !reference.isEmpty else { return nil }
        if reference.hasPrefix("/") { return URL(fileURLWithPath: reference).standardizedFileURL }
        return URL(fileURLWithPath: reference, relativeTo: index.standardizedFileURL.appendingPathComponent("", isDirectory: true))
            .absoluteURL.standardizedFileURL
    }

    /// The path's components below the root, absolute and without `.` or `..`.
    private static func components(of url: URL) -> [String] {
        url.absoluteURL.standardizedFileURL.path.split(separator: "/").map(String.init)
    }
}
