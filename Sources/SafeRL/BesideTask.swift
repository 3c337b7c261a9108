import Dispatch

/// Work started on another thread, or run at once, whose result ``wait()`` returns: how an on-policy update fits its
/// critics beside the policy step on a trainer with `threads ≥ 2` (the two halves read the same batch and write
/// disjoint networks, so the result does not depend on which ran where).
final class BesideTask<Value: Sendable>: @unchecked Sendable {
    private var value: Value?
    private let done = DispatchSemaphore(value: 0)

    init(concurrently: Bool, _ work: @escaping @Sendable () -> Value) {
        guard concurrently else {
            value = work()
            done.signal()
            return
        }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            value = work()
            done.signal()
        }
    }

    /// Waits for the work and returns its result; call it once.
    func wait() -> Value {
        done.wait()
        return value!
    }
}
