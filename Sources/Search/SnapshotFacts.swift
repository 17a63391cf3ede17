import Foundation
import Indexing

/// What top-k retrieval needs of a snapshot beyond its own members, found once per snapshot
/// and kept while the snapshot lives (weakly held; a snapshot is shared between threads).
final class SnapshotFacts {
    /// Per segment, whether its documents' corpus places strictly ascend with their ids (an index
    /// built or merged in corpus order): then a document's place bounds those of every later
    /// document in the segment, and a tie with the collector's last entry that comes after it
    /// in corpus order is known to lose without looking up each later document's place.
    let ascending: [Bool]
    /// Per segment, per field (by raw value), its field lengths: checked (each block's CRC) once,
    /// not for every query.
    let lengths: [[FieldLengths]]

    private init(_ snapshot: IndexSnapshot) throws {
        let places = snapshot.corpusPlaces
        ascending = places.withUnsafeBufferPointer { places in
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
        lengths = try snapshot.segmentReaders.map { reader in try Field.allCases.map { try reader.fieldLengths($0) } }
    }

    private final class Entry {
        weak var snapshot: IndexSnapshot?
        let facts: SnapshotFacts
        init(_ snapshot: IndexSnapshot, _ facts: SnapshotFacts) {
            self.snapshot = snapshot
            self.facts = facts
        }
    }
    nonisolated(unsafe) private static var entries: [Entry] = []
    private static let lock = NSLock()

    static func of(_ snapshot: IndexSnapshot) throws -> SnapshotFacts {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.snapshot == nil }
        if let found = entries.first(where: { $0.snapshot === snapshot }) { return found.facts }
        let facts = try SnapshotFacts(snapshot)
        entries.append(Entry(snapshot, facts))
        return facts
    }
}
