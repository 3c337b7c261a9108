import Dispatch
import Foundation
import Synchronization

/// Persistent threads that run a fixed job, `body(part)` for every part, each time ``run()`` is called: the
/// fork-join of a vector environment's step, which takes tens of microseconds, where waking Dispatch's workers for
/// every step costs as much as the work.
///
/// ``run()`` releases the workers through an atomic generation counter; a worker spins on it for a while (``spinNanoseconds``)
/// before it sleeps on its semaphore, so back-to-back steps never sleep, and an idle pool costs
/// nothing. The caller runs part 0 itself. The job is fixed at init (its inputs live with its owner), so no
/// closure crosses threads per run. The owner calls ``shutdown()`` when done.
final class WorkerPool: @unchecked Sendable {
    /// The number of parts a job is split into (the caller plus the worker threads).
    let parts: Int
    private let generation = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Per worker: whether it sleeps, and the semaphore that wakes it.
    private final class Sleeper: Sendable {
        let asleep = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }
    private let sleepers: [Sleeper]
    private let exited = DispatchGroup()
    /// The job: part → work. Dropped at ``shutdown()``, so that what it holds is freed with the owner even while
    /// the exited threads' last references to the pool linger.
    private nonisolated(unsafe) var body: (@Sendable (Int) -> Void)?
    /// How long a worker spins on the generation before it sleeps [ns]: longer than a learner's pause between
    /// two vector steps (its policy evaluation), short enough that an idle pool soon stops using its core.
    private let spinNanoseconds: UInt64 = 2_000_000

    init(parts: Int, body: @escaping @Sendable (Int) -> Void) {
        self.parts = max(1, parts)
        self.body = body
        sleepers = (1..<max(2, parts)).map { _ in Sleeper() }
        for worker in 1..<self.parts {
            exited.enter()
            let thread = Thread { [self] in
                work(worker)
                exited.leave()
            }
            thread.name = "pulsebms.vector-env.\(worker)"
            thread.start()
        }
    }

    /// Stops and joins the worker threads (they hold the pool, so its owner must call this when done).
    func shutdown() {
        guard parts > 1, !stopping.load(ordering: .acquiring) else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
        exited.wait()
        body = nil
    }

    /// Runs `body(part)` for every part in 0..<``parts`` (part 0 on the calling thread) and returns when all are done.
    func run() {
        guard parts > 1 else { body?(0); return }
        remaining.store(parts - 1, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
        body?(0)
        while remaining.load(ordering: .acquiring) > 0 {}
    }

    private func wakeSleepers() {
        for sleeper in sleepers where sleeper.asleep.exchange(false, ordering: .sequentiallyConsistent) { sleeper.wake.signal() }
    }

    private func work(_ worker: Int) {
        let me = sleepers[worker - 1]
        var seen = 0
        while true {
            var spun = 0
            var deadline = DispatchTime.now().uptimeNanoseconds + spinNanoseconds
            while generation.load(ordering: .acquiring) == seen {
                spun += 1
                guard spun & 1023 == 0, DispatchTime.now().uptimeNanoseconds >= deadline else { continue }
                // Announce the sleep, then look once more, so that a job published meanwhile is not missed.
                me.asleep.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) != seen,
                   me.asleep.exchange(false, ordering: .sequentiallyConsistent) {
                    break  // the caller had not seen us asleep: no signal is coming
                }
                me.wake.wait()
                deadline = DispatchTime.now().uptimeNanoseconds + spinNanoseconds
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            body?(worker)
            remaining.subtract(1, ordering: .releasing)
        }
    }
}
