import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Threads that share one query's work (its lanes), kept between queries.
///
/// A query takes a fraction of a millisecond, about what an idle core of a virtual machine takes
/// to wake up: handed to a thread that sleeps (`DispatchQueue.concurrentPerform`), a query of
/// 200 µs took longer on two cores than on one. So a worker, once it has finished a lane, spins
/// for `spin` before it sleeps (as OpenMP's and Rayon's workers do): queries in quick succession
/// find it running, and an idle process does not keep a core busy.
final class LanePool: @unchecked Sendable {
    /// One per process: as many workers as cores, less the thread that asks.
    static let shared = LanePool(workers: Searcher.cores - 1)

    /// How long a worker waits for the next query before it sleeps.
    static let spin: UInt64 = 2_000_000  // ns

    let workers: Int
    /// Queries posted so far; a worker runs each new one's lane (its index + 1).
    private let posted = Atomic<Int>(0)
    /// Workers done with the present query.
    private let finished = Atomic<Int>(0)
    /// Workers asleep (or about to be): a post wakes them, through `wake` under `sleep`.
    private let sleeping = Atomic<Int>(0)
    private let sleep = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Only one query at a time; another asking meanwhile runs its lanes itself.
    private let busy = Atomic<Bool>(false)
    /// The present query's lanes and how many (written before `posted` is raised).
    private nonisolated(unsafe) var job: ((Int) -> Void)?
    private nonisolated(unsafe) var lanes = 0
    private let starting = Mutex<Bool>(false)

    init(workers: Int) {
        self.workers = max(0, workers)
        pthread_mutex_init(sleep, nil)
        pthread_cond_init(wake, nil)
    }

    deinit {
        // (Only a pool without started workers goes away: they hold it.)
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(sleep)
        wake.deallocate()
        sleep.deallocate()
    }

    /// Runs `body(0)`, …, `body(count - 1)` at once, one per thread (the caller's is lane 0),
    /// and returns when all are done. Lanes beyond the workers, or while another query holds the
    /// pool, run one after another on the calling thread.
    func run(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, workers > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for lane in 0..<count { body(lane) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers()
        withoutActuallyEscaping(body) { body in
            job = body
            lanes = count
            finished.store(0, ordering: .relaxed)
            posted.add(1, ordering: .sequentiallyConsistent)
            if sleeping.load(ordering: .sequentiallyConsistent) > 0 {
                // A worker that saw no new query still holds `sleep` until it waits: this comes
                // after, and wakes it.
                pthread_mutex_lock(sleep)
                pthread_cond_broadcast(wake)
                pthread_mutex_unlock(sleep)
            }
            body(0)
            // Lanes the workers cannot take, here.
            for lane in (workers + 1)..<max(workers + 1, count) { body(lane) }
            while finished.load(ordering: .acquiring) < workers {}
            job = nil
        }
    }

    private func startWorkers() {
        starting.withLock { started in
            guard !started else { return }
            started = true
            let seen = posted.load(ordering: .acquiring)
            for w in 0..<workers { Thread(pool: self, lane: w + 1, seen: seen).start() }
        }
    }

    /// A worker: runs its lane of every query posted, spinning `spin` between them, then asleep.
    /// `seen`: the queries posted before it started.
    private func work(lane: Int, seen: Int) {
        var seen = seen
        while true {
            var idleSince = Self.now()
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                guard spins & 1023 == 0, Self.now() - idleSince > Self.spin else { continue }
                sleeping.add(1, ordering: .sequentiallyConsistent)
                pthread_mutex_lock(sleep)
                while posted.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(wake, sleep) }
                pthread_mutex_unlock(sleep)
                sleeping.subtract(1, ordering: .sequentiallyConsistent)
                idleSince = Self.now()
            }
            seen += 1
            if lane < lanes, let job { job(lane) }
            finished.add(1, ordering: .releasing)
        }
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// A worker thread (pthreads: Foundation's `Thread` is not in this module's dependencies).
    private final class Thread: @unchecked Sendable {
        let pool: LanePool
        let lane: Int
        let seen: Int
        init(pool: LanePool, lane: Int, seen: Int) {
            self.pool = pool
            self.lane = lane
            self.seen = seen
        }

        func start() {
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            var handle = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let created = pthread_create(&handle, &attributes, { context in
                let thread = Unmanaged<LanePool.Thread>.fromOpaque(context!).takeRetainedValue()
                thread.pool.work(lane: thread.lane, seen: thread.seen)
                return nil
            }, context)
            pthread_attr_destroy(&attributes)
            precondition(created == 0, "cannot start a search thread (pthread_create: \(created))")
        }
    }
}
