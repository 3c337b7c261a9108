import Gym
import NeuralNetworks
import SeededRandom
import Tensors

/// What one epoch of training did: its metrics in a fixed order (the columns of `metrics.csv`) and the episodes
/// that finished in it.
public struct EpochReport: Sendable {
    public var metrics: [(name: String, value: Double)]
    public var episodes: [EpisodeResult]

    public subscript(name: String) -> Double? { metrics.first { $0.name == name }?.value }
}

/// A safe-RL trainer: ``OnPolicyTrainer`` (PPO, PPO-Lagrangian, CPO) or ``SACLagrangianTrainer``.
public protocol Trainer: AnyObject {
    var config: TrainingConfig { get }
    /// Epochs completed and environment steps taken so far.
    var epoch: Int { get }
    var totalSteps: Int { get }
    /// Environment steps one epoch takes.
    var stepsPerEpoch: Int { get }
    /// Names of the constraints and of the environment's cost components.
    var constraintNames: [String] { get }
    var componentNames: [String] { get }
    /// Runs one epoch: collect experience, update.
    func runEpoch() throws(TrainingError) -> EpochReport
    /// Episodes of the deterministic policy from the evaluation seeds.
    func evaluate(episodes: Int, seed: UInt64) throws(TrainingError) -> [EpisodeResult]
    /// Everything needed to continue the run exactly: weights, optimiser moments, multipliers, generator, counters.
    func checkpoint() -> [UInt8]
    func restore(_ bytes: [UInt8]) throws(TrainingError)
    /// The policy's weights file (policy, critics, layout).
    func policyWeights() -> [UInt8]
    /// Replaces the networks by those of a weights file before the first epoch (`init_weights`: fine-tuning).
    func startFromWeights(_ bytes: [UInt8]) throws(TrainingError)
}

/// Builds the trainer of `config.algorithm` for environments from `make` (sub-environment index → environment).
public func makeTrainer(config: TrainingConfig, make: (Int) throws(GymError) -> any Environment) throws(TrainingError) -> any Trainer {
    switch config.algorithm {
    case .ppo, .ppoLagrangian, .cpo: try OnPolicyTrainer(config: config, make: make)
    case .sacLagrangian: try SACLagrangianTrainer(config: config, make: make)
    }
}

/// The seed of epoch `epoch`'s episodes: a SplitMix64 step of the run seed and the epoch, so epochs never share
/// episodes and a resumed run meets the same ones.
func episodeSeed(run seed: UInt64, epoch: Int) -> UInt64 {
    var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return (z ^ (z >> 31)) >> 16
}

extension Trainer {
    public var constraintNames: [String] { config.constraints.map(\.name) }
}

extension TrainingConfig {
    /// One multiplier per constraint, at `lagrange_init`, updated by gradient ascent or PID.
    var lagrangeMultipliers: [LagrangeMultiplier] {
        constraints.map { LagrangeMultiplier(limit: $0.limit, initialValue: hyperparameters.lagrangeInit, update: hyperparameters.lagrangeUpdate) }
    }
}

/// Checkpoint metadata and tensors shared by the trainers.
enum CheckpointCoding {
    /// What every checkpoint records as metadata: whose it is (algorithm, environment), the epoch and step counts,
    /// the generator and each multiplier's state.
    static func header(config: TrainingConfig, epoch: Int, steps: Int, rng: Xoshiro256StarStar,
                       multipliers: [LagrangeMultiplier]) -> [String: String] {
        var metadata = ["algorithm": config.algorithm.rawValue, "env": config.environment.id,
                        "trainer.epoch": "\(epoch)", "trainer.steps": "\(steps)", "trainer.rng": encode(rng: rng)]
        for (j, m) in multipliers.enumerated() { metadata["trainer.lambda.\(j)"] = numbers(m.state) }
        return metadata
    }

    /// The contents of checkpoint `bytes`, refused unless `config`'s algorithm wrote it on `config`'s environment.
    static func open(_ bytes: [UInt8], for config: TrainingConfig) throws(TrainingError) -> WeightsFile.Contents<Float> {
        let contents: WeightsFile.Contents<Float>
        do { contents = try WeightsFile.decodeContents(bytes, as: Float.self) } catch { throw .checkpoint("\(error)") }
        guard contents.metadata["algorithm"] == config.algorithm.rawValue, contents.metadata["env"] == config.environment.id else {
            throw .checkpoint("it was written by \(contents.metadata["algorithm"] ?? "?") on \(contents.metadata["env"] ?? "?"), this run is \(config.algorithm.rawValue) on \(config.environment.id)")
        }
        return contents
    }

    /// The header's counters, generator and multipliers (shaped like `multipliers`) read back.
    static func readHeader(_ contents: WeightsFile.Contents<Float>, multipliers: [LagrangeMultiplier]) throws(TrainingError)
        -> (epoch: Int, steps: Int, rng: Xoshiro256StarStar, multipliers: [LagrangeMultiplier]) {
        guard let e = Int(contents.metadata["trainer.epoch"] ?? ""), let s = Int(contents.metadata["trainer.steps"] ?? "") else {
            throw .checkpoint("epoch or step count missing")
        }
        var restored = multipliers
        for j in restored.indices { restored[j].state = try decodeNumbers(contents.metadata["trainer.lambda.\(j)"]) }
        return (e, s, try decodeGenerator(contents.metadata["trainer.rng"]), restored)
    }

    static func encode(rng: Xoshiro256StarStar) -> String {
        let s = rng.state
        return [s.0, s.1, s.2, s.3].map { String($0) }.joined(separator: ",")
    }

    static func decodeGenerator(_ text: String?) throws(TrainingError) -> Xoshiro256StarStar {
        let words = (text ?? "").split(separator: ",").compactMap { UInt64($0) }
        guard words.count == 4, words != [0, 0, 0, 0] else { throw .checkpoint("bad generator state") }
        return Xoshiro256StarStar(state: (words[0], words[1], words[2], words[3]))
    }

    static func numbers(_ x: [Double]) -> String { x.map { "\($0)" }.joined(separator: ",") }

    static func decodeNumbers(_ text: String?) throws(TrainingError) -> [Double] {
        guard let text else { throw .checkpoint("a numeric entry is missing") }
        if text.isEmpty { return [] }
        let values = text.split(separator: ",").map { Double($0) }
        guard values.allSatisfy({ $0 != nil }) else { throw .checkpoint("bad numbers \(text)") }
        return values.map { $0! }
    }

    static func adamTensors(_ state: AdamState<Float>, name: String) -> [(name: String, tensor: Tensor<Float>)] {
        state.firstMoments.enumerated().map { ("\(name).m.\($0.offset)", $0.element) }
            + state.secondMoments.enumerated().map { ("\(name).v.\($0.offset)", $0.element) }
    }

    static func adamState(_ contents: WeightsFile.Contents<Float>, name: String, like current: AdamState<Float>) throws(TrainingError) -> AdamState<Float> {
        var m: [Tensor<Float>] = [], v: [Tensor<Float>] = []
        for i in current.firstMoments.indices {
            guard let a = contents.tensor(named: "\(name).m.\(i)"), let b = contents.tensor(named: "\(name).v.\(i)"),
                  a.shape == current.firstMoments[i].shape, b.shape == a.shape else {
                throw .checkpoint("optimiser \(name) moment \(i) is missing or has the wrong shape")
            }
            m.append(a); v.append(b)
        }
        guard let steps = Int(contents.metadata["\(name).steps"] ?? "") else { throw .checkpoint("optimiser \(name) step count missing") }
        return AdamState(firstMoments: m, secondMoments: v, stepCount: steps)
    }
}
