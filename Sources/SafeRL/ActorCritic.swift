import NeuralNetworks
import SeededRandom
import Tensors

/// A Gaussian policy with a state-independent log-std, a reward critic and a cost critic with one output per
/// constraint, over an ``ObservationLayout``: the policy runs per row, the reward critic on the layout's fixed-size
/// summary, and the cost critic on the summary too — or, with `costPerRow` (a fleet environment that reports each
/// pack's own violations), per row, so that each pack's action is credited with its own future costs (a factored
/// cost critic, as independent learners use: de Witt et al., "Is independent learning all you need in the StarCraft
/// multi-agent challenge?", 2020). Networks are float MLPs (tanh hidden layers, orthogonal initialisation with gain
/// 0.01 on the policy head and 1 on the critics, as in Andrychowicz et al., "What matters in on-policy RL", ICLR 2021).
public struct ActorCritic: Sendable {
    public let layout: ObservationLayout
    public var policy: MLP<Float>
    public var logStd: Tensor<Float>
    public var value: MLP<Float>
    public var costValue: MLP<Float>
    /// Whether the cost critic runs per row (its values are then `rows × constraints` per observation).
    public let costPerRow: Bool

    public init(layout: ObservationLayout, hidden: [Int], constraints: Int, initialLogStd: Float, costPerRow: Bool = false,
                using rng: inout Xoshiro256StarStar) {
        self.layout = layout
        self.costPerRow = costPerRow
        let width = layout.rowWidth
        policy = MLP(sizes: [width] + hidden + [layout.actionsPerRow], outputGain: 0.01, using: &rng)
        logStd = Tensor(repeating: initialLogStd, shape: [layout.actionsPerRow])
        value = MLP(sizes: [layout.criticWidth] + hidden + [1], outputGain: 1, using: &rng)
        costValue = MLP(sizes: [costPerRow ? width : layout.criticWidth] + hidden + [max(constraints, 1)], outputGain: 1, using: &rng)
    }

    /// The environment-facing action in [−1, 1] of a raw sample: tanh, elementwise. The Gaussian lives before the
    /// squashing, where PPO's and CPO's likelihood ratios are taken (the tanh Jacobian cancels in a ratio). Unlike
    /// clipping, tanh has no flat region: a policy cannot push every pack's mean past −1 and be read as "all off"
    /// by its mean action while its samples still deliver.
    public static func squash(_ raw: [Double]) -> [Double] { raw.map { Double.tanh($0) } }

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
        let (values, costValues) = critics(observations, rows: x)
        return Act(actions: actions, logProbabilities: logProbabilities, values: values, costValues: costValues)
    }

    /// Reward and cost values of `observations` (their per-row input `rows` if already computed). Cost values are
    /// `constraints` per observation, or `rows × constraints` (row-major) with `costPerRow`.
    public func critics(_ observations: [[Double]], rows: Tensor<Float>? = nil) -> (values: [Double], costValues: [[Double]]) {
        let v = value(layout.criticInput(observations))
        let c = costValue(costPerRow ? rows ?? layout.input(observations) : layout.criticInput(observations))
        let count = observations.count, perObservation = c.count / max(count, 1)
        var values = [Double](repeating: 0, count: count)
        var costValues = [[Double]](repeating: [Double](repeating: 0, count: perObservation), count: count)
        v.withUnsafeScalars { vs in c.withUnsafeScalars { cs in
            for b in 0..<count {
                values[b] = Double(vs[b])
                for j in 0..<perObservation { costValues[b][j] = Double(cs[b * perObservation + j]) }
            }
        } }
        return (values, costValues)
    }
}
