import NeuralNetworks
import SeededRandom
import Tensors

/// The experience replay of off-policy methods (Lin 1992; Mnih et al. 2015; SAC, Haarnoja et al. 2018,
/// arXiv:1812.05905): a ring buffer of the last `capacity` transitions (s, a, r, c, s′, terminated), sampled
/// uniformly with replacement.
///
/// Every field is kept as `Float`, the precision the networks read, so a checkpoint (``tensors``) restores the
/// buffer bit for bit. `terminated` is the MDP's absorbing flag only: a truncated step (a time limit) is stored
/// with `terminated = false` and bootstraps through s′. Storage grows with the contents up to `capacity`.
struct ReplayBuffer {
    let capacity: Int
    let observationLength: Int, actionLength: Int, constraints: Int
    /// Transitions held, at most `capacity`.
    private(set) var count = 0
    /// The slot the next transition overwrites once the buffer is full.
    private(set) var next = 0
    private var observations: [Float] = [], nextObservations: [Float] = [], actions: [Float] = []
    private var rewards: [Float] = [], costs: [Float] = [], terminated: [Float] = []

    init(capacity: Int, observationLength: Int, actionLength: Int, constraints: Int) {
        self.capacity = capacity
        self.observationLength = observationLength; self.actionLength = actionLength; self.constraints = constraints
    }

    /// Stores a transition, overwriting the oldest once full.
    mutating func append(observation: [Double], action: [Double], reward: Double, costs c: [Double],
                         nextObservation: [Double], terminated done: Bool) {
        precondition(observation.count == observationLength && nextObservation.count == observationLength
                          && action.count == actionLength && c.count == constraints,
                          "ReplayBuffer.append: a transition of the wrong shape")
        if count < capacity {
            observations += observation.map(Float.init); nextObservations += nextObservation.map(Float.init)
            actions += action.map(Float.init); costs += c.map(Float.init)
            rewards.append(Float(reward)); terminated.append(done ? 1 : 0)
            count += 1
        } else {
            Self.write(observation, into: &observations, slot: next)
            Self.write(nextObservation, into: &nextObservations, slot: next)
            Self.write(action, into: &actions, slot: next)
            Self.write(c, into: &costs, slot: next)
            rewards[next] = Float(reward); terminated[next] = done ? 1 : 0
        }
        next = (next + 1) % capacity
    }

    private static func write(_ x: [Double], into storage: inout [Float], slot: Int) {
        let base = slot * x.count
        for j in x.indices { storage[base + j] = Float(x[j]) }
    }

    /// A sample of transitions: observations and next observations `[B, observationLength]`, actions
    /// `[B, actionLength]`, rewards and terminal flags `[B]`, costs `[B, constraints]`.
    struct Batch {
        var observations: Tensor<Float>, actions: Tensor<Float>, rewards: Tensor<Float>
        var costs: Tensor<Float>, nextObservations: Tensor<Float>, terminated: Tensor<Float>
    }

    /// `size` transitions drawn uniformly with replacement from `rng`.
    func sample(_ size: Int, using rng: inout Xoshiro256StarStar) -> Batch {
        precondition(count > 0, "ReplayBuffer.sample: the buffer is empty")
        let items = (0..<size).map { _ in Int(rng.next() % UInt64(count)) }
        return batch(items)
    }

    /// The transitions at `items` (slot indices).
    func batch(_ items: [Int]) -> Batch {
        func gather(_ storage: [Float], _ width: Int) -> Tensor<Float> {
            Tensor(shape: [items.count, width]) { out in
                storage.withUnsafeBufferPointer { s in
                    for (b, i) in items.enumerated() { for j in 0..<width { out[b * width + j] = s[i * width + j] } }
                }
            }
        }
        return Batch(observations: gather(observations, observationLength), actions: gather(actions, actionLength),
                     rewards: Tensor(items.map { rewards[$0] }), costs: gather(costs, constraints),
                     nextObservations: gather(nextObservations, observationLength),
                     terminated: Tensor(items.map { terminated[$0] }))
    }

    // MARK: Checkpoints

    /// The contents as named tensors (`<prefix>.observations` …), in slot order.
    func tensors(prefix: String) -> [(name: String, tensor: Tensor<Float>)] {
        [("\(prefix).observations", Tensor(shape: [count, observationLength], scalars: observations)),
         ("\(prefix).next_observations", Tensor(shape: [count, observationLength], scalars: nextObservations)),
         ("\(prefix).actions", Tensor(shape: [count, actionLength], scalars: actions)),
         ("\(prefix).rewards", Tensor(shape: [count], scalars: rewards)),
         ("\(prefix).costs", Tensor(shape: [count, constraints], scalars: costs)),
         ("\(prefix).terminated", Tensor(shape: [count], scalars: terminated))]
    }

    /// The cursor as metadata: `count,next`.
    var cursor: String { "\(count),\(next)" }

    /// Refills the buffer from ``tensors(prefix:)`` and ``cursor``; throws `.checkpoint` on a mismatch.
    mutating func restore(_ contents: WeightsFile.Contents<Float>, prefix: String, cursor text: String?) throws(TrainingError) {
        let numbers = (text ?? "").split(separator: ",").compactMap { Int($0) }
        guard numbers.count == 2, (0...capacity).contains(numbers[0]),
              numbers[1] >= 0, numbers[1] < capacity, numbers[0] == capacity || numbers[1] == numbers[0] % capacity else {
            throw .checkpoint("bad replay buffer cursor \(text ?? "(missing)")")
        }
        let n = numbers[0]
        func read(_ name: String, _ shape: [Int]) throws(TrainingError) -> [Float] {
            guard let t = contents.tensor(named: "\(prefix).\(name)"), t.shape == shape else {
                throw .checkpoint("replay tensor \(name) is missing or not \(shape)")
            }
            return t.scalars
        }
        let o = try read("observations", [n, observationLength]), o2 = try read("next_observations", [n, observationLength])
        let a = try read("actions", [n, actionLength]), r = try read("rewards", [n])
        let c = try read("costs", [n, constraints]), d = try read("terminated", [n])
        observations = o; nextObservations = o2; actions = a; rewards = r; costs = c; terminated = d
        count = n; next = numbers[1]
    }
}
