import Dispatch
import Synchronization
import Testing
@testable import Search

/// The threads that share a query: every lane runs once per call, however many lanes and
/// callers.
struct LanePoolTests {
    final class Counts: Sendable {
        let lanes: Mutex<[Int]>
        init(_ n: Int) { lanes = Mutex(Array(repeating: 0, count: n)) }
        func add(_ lane: Int) { lanes.withLock { $0[lane] += 1 } }
        var values: [Int] { lanes.withLock { $0 } }
    }

    @Test(arguments: [1, 2, 3, 7])
    func everyLaneOnce(_ lanes: Int) {
        let pool = LanePool(workers: 2)
        let counts = Counts(lanes)
        for _ in 0..<500 { pool.run(lanes) { counts.add($0) } }
        #expect(counts.values == Array(repeating: 500, count: lanes))
    }

    /// Two callers at once: one has the pool, the other runs its lanes itself.
    @Test func concurrentCallers() {
        let pool = LanePool(workers: 1)
        let counts = Counts(4)
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for _ in 0..<500 { pool.run(2) { counts.add(caller * 2 + $0) } }
        }
        #expect(counts.values == [500, 500, 500, 500])
    }

    /// A pool without workers (one core) runs every lane on the caller's thread.
    @Test func noWorkers() {
        let pool = LanePool(workers: 0)
        var seen: [Int] = []
        pool.run(3) { seen.append($0) }
        #expect(seen == [0, 1, 2])
    }

    /// Workers asleep after `spin` wake for the next call.
    @Test func wakesAfterSleeping() {
        let pool = LanePool(workers: 1)
        let counts = Counts(2)
        pool.run(2) { counts.add($0) }
        usleep(useconds_t(3 * LanePool.spin / 1000))
        pool.run(2) { counts.add($0) }
        #expect(counts.values == [2, 2])
    }
}

#if canImport(Glibc)
import Glibc
#endif
