/// The documents a term occurs in (ascending), with its frequency and positions in each.
public struct PostingList: Sendable, Equatable {
    public var documents: [DocID] = []
    public var termFrequencies: [UInt32] = []
    /// All positions, document after document; `positionStarts[i]..<positionStarts[i+1]`
    /// are those of `documents[i]`.
    public var positions: [UInt32] = []
    public var positionStarts: [UInt32] = [0]

    public init() {}

    public var documentFrequency: Int { documents.count }

    public func positions(at index: Int) -> ArraySlice<UInt32> {
        positions[Int(positionStarts[index])..<Int(positionStarts[index + 1])]
    }

    /// Appends a document; documents must come in ascending order.
    public mutating func append(_ document: DocID, positions newPositions: [UInt32]) {
        precondition(documents.last.map { $0 < document } ?? true, "postings must be appended in document order")
        documents.append(document)
        termFrequencies.append(UInt32(newPositions.count))
        positions.append(contentsOf: newPositions)
        positionStarts.append(UInt32(positions.count))
    }

    /// Appends every posting of `other` (ids moved up by `base`, all after this list's).
    public mutating func append(contentsOf other: PostingList, base: UInt32) {
        if let first = other.documents.first, let last = documents.last {
            precondition(last.rawValue < first.rawValue + base, "postings must be appended in document order")
        }
        documents.reserveCapacity(documents.count + other.documents.count)
        for doc in other.documents { documents.append(DocID(doc.rawValue + base)) }
        termFrequencies.append(contentsOf: other.termFrequencies)
        let shift = UInt32(positions.count)
        positions.append(contentsOf: other.positions)
        positionStarts.reserveCapacity(positionStarts.count + other.documents.count)
        for start in other.positionStarts.dropFirst() { positionStarts.append(start + shift) }
    }

    /// Appends one document with positions taken from a slice (no intermediate array).
    public mutating func append(_ document: DocID, positions slice: ArraySlice<UInt32>) {
        precondition(documents.last.map { $0 < document } ?? true, "postings must be appended in document order")
        documents.append(document)
        termFrequencies.append(UInt32(slice.count))
        positions.append(contentsOf: slice)
        positionStarts.append(UInt32(positions.count))
    }

    /// Appends a document with a frequency but no positions (fields matched as bags of terms).
    public mutating func append(_ document: DocID, frequency: UInt32) {
        precondition(documents.last.map { $0 < document } ?? true, "postings must be appended in document order")
        documents.append(document)
        termFrequencies.append(frequency)
        positionStarts.append(UInt32(positions.count))
    }

    /// Index of `document` in this list, by binary search.
    public func index(of document: DocID) -> Int? {
        var low = 0, high = documents.count
        while low < high {
            let mid = (low + high) / 2
            if documents[mid] < document { low = mid + 1 } else { high = mid }
        }
        return low < documents.count && documents[low] == document ? low : nil
    }
}
