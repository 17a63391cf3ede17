import Foundation
import Indexing

/// Per segment of a snapshot, whether its documents' corpus places strictly ascend with their
/// ids (an index built or merged in corpus order): then a document's place bounds those of every
/// later document in the segment, and a tie with the collector's last entry that comes after it
/// in corpus order is known to lose without looking up each later document's place.
///
/// Computed once per snapshot (one pass over its places) and kept while the snapshot lives.
enum AscendingSegments {
    private final class Entry {
        weak var snapshot: IndexSnapshot?
        let flags: [Bool]
        init(_ snapshot: IndexSnapshot, _ flags: [Bool]) {
            self.snapshot = snapshot
            self.flags = flags
        }
    }
    nonisolated(unsafe) private static var entries: [Entry] = []
    private static let lock = NSLock()

    static func flags(_ snapshot: IndexSnapshot) -> [Bool] {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.snapshot == nil }
        if let found = entries.first(where: { $0.snapshot === snapshot }) { return found.flags }
        let places = snapshot.corpusPlaces
        let flags = places.withUnsafeBufferPointer { places in
            snapshot.segmentReaders.indices.map { s in
                let start = snapshot.base(ofSegment: s), end = start + snapshot.segmentReaders[s].documentCount
                var i = start + 1
                while i < end {
                    if places[i - 1] >= places[i] { return false }
                    i += 1
                }
                return true
            }
        }
        entries.append(Entry(snapshot, flags))
        return flags
    }
}
