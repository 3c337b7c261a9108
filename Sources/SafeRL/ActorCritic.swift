import NeuralNetworks
import SeededRandom
import Tensors

/// A Gaussian policy with a state-independent log-std, a reward critic and a cost critic with one output per
/// constraint, over an ``ObservationLayout`` (the policy per row, the critics on the layout's fixed-size summary). Networks are float MLPs (tanh hidden layers, orthogonal
/// initialisation with gain 0.01 on the policy head and 1 on the critics, as in Andrychowicz et al., "What matters
/// in on-policy RL", ICLR 2021).
public struct ActorCritic: Sendable {
    public let layout: ObservationLayout
    public var policy: MLP<Float>
    public var logStd: Tensor<Float>
    public var value: MLP<Float>
    public var costValue: MLP<Float>

    public init(layout: ObservationLayout, hidden: [Int], constraints: Int, initialLogStd: Float,
                using rng: inout Xoshiro256StarStar) {
        self.layout = layout
        let width = layout.rowWidth
        policy = MLP(sizes: [width] + hidden + [layout.actionsPerRow], outputGain: 0.01, using: &rng)
        logStd = Tensor(repeating: initialLogStd, shape: [layout.actionsPerRow])
        value = MLP(sizes: [layout.criticWidth] + hidden + [1], outputGain: 1, using: &rng)
        costValue = MLP(sizes: [layout.criticWidth] + hidden + [max(constraints, 1)], outputGain: 1, using: &rng)
    }

    /// One step's worth of inference for a batch of observations.
    public struct Act: Sendable {
        /// Raw (unsquashed, unclipped) actions, one vector per observation.
        public var actions: [[Double]]
        public var logProbabilities: [Double]
        public var values: [Double]
        /// `costValues[b][k]`: constraint k's value of observation b.
        public var costValues: [[Double]]
    }

    /// Samples actions (or takes the mean when `deterministic`) and, with `critics`, evaluates both critics (else
    /// the values are empty).
    public func act(_ observations: [[Double]], deterministic: Bool, critics withCritics: Bool = true,
                    using rng: inout Xoshiro256StarStar) throws(TrainingError) -> Act {
        guard let first = observations.first else { return Act(actions: [], logProbabilities: [], values: [], costValues: []) }
        let rows = try layout.rows(observationLength: first.count)
        let x = layout.input(observations)
        let mean = policy(x)
        let d = layout.actionsPerRow, count = observations.count
        let std = logStd.scalars.map { Double(Float.exp($0)) }
        let logNormaliser = logStd.scalars.reduce(0.0) { $0 + Double($1) } + 0.5 * Double(d) * Double.log(2 * Double.pi)
        var actions: [[Double]] = [], logProbabilities: [Double] = []
        actions.reserveCapacity(count); logProbabilities.reserveCapacity(count)
        mean.withUnsafeScalars { m in
            for b in 0..<count {
                var a = [Double](repeating: 0, count: rows * d), lp = 0.0
                for r in 0..<rows {
                    for j in 0..<d {
                        let mu = Double(m[(b * rows + r) * d + j])
                        let z = deterministic ? 0 : rng.nextStandardNormal()
                        a[r * d + j] = mu + std[j] * z
                        lp += -0.5 * z * z
                    }
                    lp -= logNormaliser
                }
                actions.append(a); logProbabilities.append(lp)
            }
        }
        guard withCritics else { return Act(actions: actions, logProbabilities: logProbabilities, values: [], costValues: []) }
        let (values, costValues) = critics(layout.criticInput(observations))
        return Act(actions: actions, logProbabilities: logProbabilities, values: values, costValues: costValues)
    }

    /// Reward and cost values of the observations whose critic input (``ObservationLayout/criticInput(_:)``) is `x`.
    public func critics(_ x: Tensor<Float>) -> (values: [Double], costValues: [[Double]]) {
        let v = value(x), c = costValue(x)
        let k = costValue.outputSize, count = x.shape[0]
        var values = [Double](repeating: 0, count: count)
        var costValues = [[Double]](repeating: [Double](repeating: 0, count: k), count: count)
        v.withUnsafeScalars { vs in c.withUnsafeScalars { cs in
            for b in 0..<count {
                values[b] = Double(vs[b])
                for j in 0..<k { costValues[b][j] = Double(cs[b * k + j]) }
            }
        } }
        return (values, costValues)
    }

    /// The per-observation log-probability `[B]` of `actions` (`[B·rows, d]`) on `tape`, with the policy's
    /// parameters `parameters` (network, then log-std) as variables; also the mean and the distribution.
    static func logProbability(on tape: Tape<Float>, policy: MLP<Float>, input: Tensor<Float>, actions: Tensor<Float>,
                               parameters: [Variable<Float>], observations: Int) -> (logProbability: Variable<Float>, mean: Variable<Float>, distribution: DiagonalGaussian<Float>) {
        let network = Array(parameters.dropLast())
        let mean = policy.apply(tape.constant(input), parameters: network)
        let distribution = DiagonalGaussian(mean: mean, logStd: parameters[parameters.count - 1])
        let perRow = distribution.logProbability(of: actions)
        let rows = actions.shape[0] / max(observations, 1)
        let lp = rows == 1 ? perRow : perRow.reshaped([observations, rows]).sum(alongAxis: 1)
        return (lp, mean, distribution)
    }
}
