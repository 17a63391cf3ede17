import Foundation
import Testing
@testable import Indexing

/// (Review of the 8-at-a-time unpacking) `BitPacking.unpack` reads nothing past the packed
/// bytes: every width and every count up to two blocks (and long position runs), with the
/// packed bytes ending exactly where an unreadable page begins (as a block at the end of a
/// mapped segment file does). A read past them would crash the test.
@Suite struct BitPackingReviewTests {
    @Test(arguments: 1...32)
    func unpackStopsAtTheLastPackedByte(width: Int) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let span = (5000 * 4 / page + 1) * page
        guard let mapped = mmap(nil, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
            Issue.record("mmap failed")
            return
        }
        defer { munmap(mapped, span + page) }
        #expect(mprotect(mapped + span, page, PROT_NONE) == 0)
        var random = SplitMix(seed: UInt64(width) &* 7919)
        for count in Array(0...260) + [1000, 4097, 5000] {
            let values: [UInt32] = (0..<count).map { _ in UInt32(truncatingIfNeeded: random.next()) >> UInt32(32 - width) }
            var bytes: [UInt8] = []
            BitPacking.pack(values, width: width, into: &bytes)
            try #require(bytes.count <= span)
            // The packed bytes end at the unreadable page.
            let start = mapped + (span - bytes.count)
            bytes.withUnsafeBytes { start.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, byteCount: $0.count) }
            var decoded = [UInt32](repeating: 0xDEAD_BEEF, count: count + 1)
            decoded.withUnsafeMutableBufferPointer { out in
                BitPacking.unpack(UnsafeRawPointer(start), count: count, width: width, into: out.baseAddress!)
            }
            #expect(Array(decoded.prefix(count)) == values, "width \(width) count \(count)")
            #expect(decoded[count] == 0xDEAD_BEEF, "width \(width) count \(count): wrote past the values")
        }
    }
}
