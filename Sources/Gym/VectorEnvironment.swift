import Synchronization

/// N copies of an environment stepped together (Gymnasium's `SyncVectorEnv` / `AsyncVectorEnv`).
///
/// **Autoreset: next-step** (Gymnasium 1.x `AutoresetMode.NEXT_STEP`). When sub-environment i ends an episode
/// (terminated or truncated) at step t, the step returns that final observation and flags as usual. On the
/// *next* call to ``step(_:)`` sub-environment i ignores its action and is reset: it returns the reset
/// observation with reward 0, zero costs, `terminated = truncated = false` and the reset's info (with
/// `info["autoreset"] = true`). A learner must therefore drop the transition from a done step to the
/// following one, as Gymnasium 1.x requires.
///
/// With `threads > 1` the sub-environments are stepped on that many threads (each thread takes the next sub-environment
/// left, on persistent threads that spin briefly between steps: ``WorkerPool``); the results are identical to `threads = 1` because each sub-environment owns its
/// state and generator.
public final class VectorEnvironment: @unchecked Sendable {
    public let environments: [any Environment]
    public let threads: Int
    public var count: Int { environments.count }
    public var singleObservationSpace: Space { environments[0].observationSpace }
    public var singleActionSpace: Space { environments[0].actionSpace }
    public var costNames: [String] { environments[0].costNames }

    private let slots: VectorSlots
    private let pool: WorkerPool
    private var started = false

    /// Builds `count` environments with `make(i)`; spaces and cost names must agree.
    public init(count: Int, threads: Int = 1, make: (Int) throws(GymError) -> any Environment) throws(GymError) {
        guard count > 0 else { throw .invalidOption(name: "num_envs", reason: "\(count) is not positive") }
        var envs: [any Environment] = []
        for i in 0..<count { envs.append(try make(i)) }
        for e in envs.dropFirst() where e.observationSpace != envs[0].observationSpace
            || e.actionSpace != envs[0].actionSpace || e.costNames != envs[0].costNames {
            throw .invalidSpace("vector sub-environments must share spaces and cost names")
        }
        environments = envs
        self.threads = max(1, min(threads, count))
        let slots = VectorSlots(envs)
        // The workers hold the slots, not the vector environment, whose deinit stops them. Each thread takes the
        // next unstepped sub-environment until none is left, so uneven steps balance out.
        pool = WorkerPool(parts: self.threads) { _ in
            while case let i = slots.next.add(1, ordering: .relaxed).oldValue, i < count { slots.step(i) }
        }
        self.slots = slots
    }

    deinit { pool.shutdown() }

    /// Resets every sub-environment; with a seed s, sub-environment i gets seed s + i (Gymnasium's rule).
    public func reset(seed: UInt64? = nil, options: Options = [:]) throws(GymError)
        -> (observations: [[Double]], infos: [Info]) {
        var observations: [[Double]] = [], infos: [Info] = []
        for (i, env) in environments.enumerated() {
            let (o, info) = try env.reset(seed: seed.map { $0 &+ UInt64(i) }, options: options)
            observations.append(o); infos.append(info)
            slots.needsReset[i] = false
        }
        started = true
        return (observations, infos)
    }

    /// Steps every sub-environment with its action (one action per sub-environment), with next-step autoreset.
    public func step(_ actions: [[Double]]) throws(GymError) -> [Transition] {
        guard started else { throw .needsReset("call reset before step") }
        guard actions.count == count else {
            throw .invalidAction("expected \(count) actions, one per sub-environment, got \(actions.count)")
        }
        slots.actions = actions
        slots.next.store(0, ordering: .relaxed)
        pool.run()
        slots.actions = []
        return try slots.collect()
    }
}

/// Each sub-environment's step inputs and outputs, written by the worker threads at disjoint indices (no lock).
private final class VectorSlots: @unchecked Sendable {
    let environments: [any Environment]
    /// The actions of the step in progress.
    var actions: [[Double]] = []
    /// The next sub-environment to step.
    let next = Atomic<Int>(0)
    let needsReset: UnsafeMutableBufferPointer<Bool>
    private let results: UnsafeMutableBufferPointer<Transition?>
    private let failures: UnsafeMutableBufferPointer<GymError?>

    init(_ environments: [any Environment]) {
        self.environments = environments
        needsReset = .allocate(capacity: environments.count); needsReset.initialize(repeating: false)
        results = .allocate(capacity: environments.count); results.initialize(repeating: nil)
        failures = .allocate(capacity: environments.count); failures.initialize(repeating: nil)
    }

    deinit {
        needsReset.deallocate()
        _ = results.deinitialize(); results.deallocate()
        _ = failures.deinitialize(); failures.deallocate()
    }

    /// The transitions of the step just run, or its first failure.
    func collect() throws(GymError) -> [Transition] {
        var out: [Transition] = []
        out.reserveCapacity(environments.count)
        var failure: GymError?
        for i in environments.indices {
            if let f = failures[i] { failure = failure ?? f; failures[i] = nil }
            if let r = results[i] { out.append(r); results[i] = nil }
        }
        if let failure { throw failure }
        return out
    }

    /// Steps sub-environment i with its action, or resets it (next-step autoreset).
    func step(_ i: Int) {
        let env = environments[i]
        do throws(GymError) {
            if needsReset[i] {
                var (o, info) = try env.reset(seed: nil, options: [:])
                info["autoreset"] = .flag(true)
                results[i] = Transition(observation: o, reward: 0, costs: Array(repeating: 0, count: env.costNames.count),
                                        terminated: false, truncated: false, info: info)
                needsReset[i] = false
            } else {
                let t = try env.step(actions[i])
                needsReset[i] = t.done
                results[i] = t
            }
        } catch {
            failures[i] = error
        }
    }
}
