import NeuralNetworks
import SeededRandom
import Tensors

/// A trained policy as evaluation runs it, whichever trainer wrote it: the Gaussian of the on-policy methods
/// (``ActorCritic``: PPO, PPO-Lagrangian, CPO) or SAC's tanh-squashed Gaussian (``TanhGaussianPolicy``).
///
/// Weights files tell them apart by the metadata `policy.distribution`: `tanh_gaussian` for SAC; absent (or
/// `gaussian`) for ``ActorCritic`` files.
public enum PolicyNetwork: Sendable {
    case gaussian(ActorCritic)
    case tanhGaussian(TanhGaussianPolicy)

    /// How the policy reads observations.
    public var layout: ObservationLayout {
        switch self {
        case let .gaussian(model): model.layout
        case let .tanhGaussian(policy): policy.layout
        }
    }

    /// Actions in [−1, 1] (one vector of `rows·d` entries per observation), to be mapped onto the action space's
    /// bounds: a sample, or with `deterministic` the mean, squashed by tanh (then `rng` is not used).
    public func act(_ observations: [[Double]], deterministic: Bool, using rng: inout Xoshiro256StarStar) throws(TrainingError) -> [[Double]] {
        switch self {
        case let .gaussian(model):
            try model.act(observations, deterministic: deterministic, critics: false, using: &rng).actions.map(ActorCritic.squash)
        case let .tanhGaussian(policy):
            try policy.act(observations, deterministic: deterministic, using: &rng)
        }
    }

    /// The policy in a weights file (a trainer's `policyWeights()` or checkpoint); throws `.checkpoint` when the
    /// bytes are not a weights file or hold no valid policy.
    public static func load(weights bytes: [UInt8]) throws(TrainingError) -> PolicyNetwork {
        let contents: WeightsFile.Contents<Float>
        do { contents = try WeightsFile.decodeContents(bytes, as: Float.self) } catch { throw .checkpoint("\(error)") }
        return try load(contents)
    }

    /// The policy in decoded weights-file contents.
    public static func load(_ contents: WeightsFile.Contents<Float>) throws(TrainingError) -> PolicyNetwork {
        switch contents.metadata["policy.distribution"] {
        case nil, "gaussian": .gaussian(try ActorCritic(weights: contents))
        case TanhGaussianPolicy.distributionName: .tanhGaussian(try TanhGaussianPolicy(weights: contents))
        case let other?: throw .checkpoint("unknown policy.distribution \(other)")
        }
    }
}
