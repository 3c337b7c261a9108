import NeuralNetworks
import SeededRandom
import Tensors

/// SAC's policy (Haarnoja et al., "Soft Actor-Critic Algorithms and Applications", arXiv:1812.05905, appendix C)
/// over an ``ObservationLayout``: one MLP maps each row to `2d` outputs, the pre-squash mean μ and the
/// state-dependent log-std s (clamped to [−5, 2]); u ∼ N(μ, e^{2s}) and the action is a = tanh u ∈ (−1, 1)ᵈ
/// per row. An observation's log-probability is the sum over its rows (the rows' actions are independent given
/// the observation); the deterministic action is tanh μ.
///
/// Weights files (`weightsFile`) follow ``ActorCritic``'s conventions: the MLP `policy` and metadata
/// `policy.layout`, plus `policy.distribution = tanh_gaussian` (not `policy.kind`, which the MLP's own metadata
/// uses). There is no `policy.log_std` tensor: the log-std is the second half of the network's output.
public struct TanhGaussianPolicy: Sendable {
    /// The clamp of the log-std head.
    public static let logStdRange: ClosedRange<Float> = -5...2
    public let layout: ObservationLayout
    /// Row features → [μ | s], `2·actionsPerRow` outputs.
    public var network: MLP<Float>

    /// A fresh policy: tanh hidden layers, orthogonal initialisation with gain 0.01 on the head (so μ ≈ 0 and
    /// s ≈ 0 at the start).
    public init(layout: ObservationLayout, hidden: [Int], using rng: inout Xoshiro256StarStar) {
        self.layout = layout
        network = MLP(sizes: [layout.rowWidth] + hidden + [2 * layout.actionsPerRow], outputGain: 0.01, using: &rng)
    }

    /// Actions in (−1, 1), one vector of `rows·d` entries per observation: tanh of a sample, or tanh μ when
    /// `deterministic` (then `rng` is not used). Noise is drawn row by row, entry by entry.
    public func act(_ observations: [[Double]], deterministic: Bool, using rng: inout Xoshiro256StarStar) throws(TrainingError) -> [[Double]] {
        guard let first = observations.first else { return [] }
        let rows = try layout.rows(observationLength: first.count)
        let out = network(layout.input(observations))
        let d = layout.actionsPerRow
        return out.withUnsafeScalars { o in
            observations.indices.map { b in
                var a = [Double](repeating: 0, count: rows * d)
                for r in 0..<rows {
                    let base = (b * rows + r) * 2 * d
                    for j in 0..<d {
                        var u = Double(o[base + j])
                        if !deterministic {
                            let s = Double(min(max(o[base + d + j], Self.logStdRange.lowerBound), Self.logStdRange.upperBound))
                            u += Double.exp(s) * rng.nextStandardNormal()
                        }
                        a[r * d + j] = Double.tanh(u)
                    }
                }
                return a
            }
        }
    }

    /// The distribution of the rows `input` (`[B·rows, rowWidth]`) on `tape`, with the network's parameters
    /// given as variables (or constants).
    func distribution(on tape: Tape<Float>, input: Tensor<Float>, parameters: [Variable<Float>]) -> TanhGaussian<Float> {
        let d = layout.actionsPerRow
        let out = network.apply(tape.constant(input), parameters: parameters)
        let logStd = out.slice(d..<(2 * d), alongAxis: 1).clamped(min: Self.logStdRange.lowerBound, max: Self.logStdRange.upperBound)
        return TanhGaussian(mean: out.slice(0..<d, alongAxis: 1), logStd: logStd)
    }

    /// A reparameterised sample for `observations` observations whose rows are `input`: actions `[B·rows, d]`
    /// and log-probabilities per observation `[B]`, differentiable in the parameters. Noise from `rng`.
    func sample(on tape: Tape<Float>, input: Tensor<Float>, parameters: [Variable<Float>], observations: Int,
                using rng: inout Xoshiro256StarStar) -> (actions: Variable<Float>, logProbability: Variable<Float>) {
        let distribution = distribution(on: tape, input: input, parameters: parameters)
        let (a, perRow) = distribution.rsample(using: &rng)
        let rows = input.shape[0] / max(observations, 1)
        return (a, rows == 1 ? perRow : perRow.reshaped([observations, rows]).sum(alongAxis: 1))
    }

    // MARK: Weights files

    /// The metadata `policy.distribution` of this policy's weights files.
    public static let distributionName = "tanh_gaussian"

    /// A weights file with the MLP `policy`, `policy.distribution`, `policy.layout`, the given metadata, `models` (e.g.
    /// critics) and tensors.
    public func weightsFile(metadata extra: [String: String] = [:], models: [(name: String, mlp: MLP<Float>)] = [],
                            tensors: [(name: String, tensor: Tensor<Float>)] = []) -> [UInt8] {
        var metadata = extra
        metadata["policy.layout"] = layout.encoded
        metadata["policy.distribution"] = Self.distributionName
        return WeightsFile.encode(models: [("policy", network)] + models, tensors: tensors, metadata: metadata)
    }

    /// Reads the policy back; throws `.checkpoint` when a part is missing, of another kind or malformed.
    public init(weights contents: WeightsFile.Contents<Float>) throws(TrainingError) {
        guard contents.metadata["policy.distribution"] == Self.distributionName else {
            throw .checkpoint("the weights' policy.distribution is \(contents.metadata["policy.distribution"] ?? "(missing)"), not \(Self.distributionName)")
        }
        guard let text = contents.metadata["policy.layout"], let layout = ObservationLayout(encoded: text) else {
            throw .checkpoint("the weights have no valid policy.layout entry")
        }
        let network: MLP<Float>
        do { network = try contents.mlp(named: "policy") } catch { throw .checkpoint("\(error)") }
        guard network.inputSize == layout.rowWidth, network.outputSize == 2 * layout.actionsPerRow else {
            throw .checkpoint("the policy's sizes \(network.sizes) do not match its layout \(text)")
        }
        self.layout = layout
        self.network = network
    }
}
