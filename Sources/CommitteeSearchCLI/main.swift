import Analysis
import Articles
import Foundation
let splitter = IssueSplitter()
for path in CommandLine.arguments.dropFirst() {
  let bytes = Array(FileManager.default.contents(atPath: path)!)
  for a in splitter.split(file: (path as NSString).lastPathComponent, bytes: bytes) {
    print(a.documentKey, a.bodyLines, a.lineRanges, a.title, a.titleIsDerived ? "(derived)" : "", "|", a.subtitle ?? "-", "|", a.author ?? "-", "|", a.affiliation ?? "-")
  }
}
