import Analysis
import Foundation

/// Where the analyzer's dictionary comes from: the shipped domain list, plus the staff's file —
/// `--dictionary FILE`, or else `dictionary.txt` in the index directory when there is one. The
/// file's entries are added to the shipped list (weight 0 switches a shipped word off).
enum DictionaryLoading {
    static let fileName = "dictionary.txt"

    /// The default location of the staff's dictionary for an index directory.
    static func defaultFile(indexDirectory: URL) -> URL {
        indexDirectory.appendingPathComponent(fileName)
    }

    /// The dictionary in use; lines of the file that cannot be read are reported as warnings.
    static func load(explicit path: String?, indexDirectory: URL) throws -> UserDictionary {
        let url: URL
        if let path {
            url = URL(fileURLWithPath: path)
        } else {
            url = defaultFile(indexDirectory: indexDirectory)
            guard FileManager.default.fileExists(atPath: url.path) else { return .shipped }
        }
        let text = try readTextFile(url.path, what: "dictionary")
        let file = UserDictionary(parsing: text, source: path ?? url.path)
        for issue in file.issues {
            FileHandle.standardError.write(Data("warning: dictionary line skipped: \(issue)\n".utf8))
        }
        return UserDictionary.shipped.merging(file)
    }
}

extension LocationOptions {
    /// The analyzer's dictionary: the shipped list plus `--dictionary` or the index's own file.
    func loadDictionary() throws -> UserDictionary {
        try DictionaryLoading.load(explicit: dictionary, indexDirectory: indexURL)
    }
}
