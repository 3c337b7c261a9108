/// On-policy experience of E environments over T steps, and its generalised advantage estimates for the reward
/// and for every constraint's cost (Schulman et al., "High-dimensional continuous control using generalized
/// advantage estimation", ICLR 2016):
/// ```
/// δₜ = rₜ + γ (1 − terminatedₜ) V(sₜ₊₁) − V(sₜ),   Âₜ = δₜ + γλ (1 − doneₜ) Âₜ₊₁,   R̂ₜ = Âₜ + V(sₜ)
/// ```
/// A step that ends an episode by truncation bootstraps from the value of its final observation; a step that
/// ends it by termination from zero. A sub-environment's step right after its episode ended (the vector
/// environment's next-step autoreset) is not a transition and is stored as invalid.
public struct RolloutBuffer: Sendable {
    public let environments: Int, constraints: Int
    public private(set) var steps = 0
    /// Per step and environment, flattened step-major (index t·E + e).
    public private(set) var observations: [[Double]] = []
    public private(set) var actions: [[Double]] = []
    public private(set) var logProbabilities: [Double] = []
    public private(set) var rewards: [Double] = []
    /// Per constraint: costs[t·E + e][k].
    public private(set) var costs: [[Double]] = []
    public private(set) var values: [Double] = []
    public private(set) var costValues: [[Double]] = []
    public private(set) var terminated: [Bool] = []
    public private(set) var truncated: [Bool] = []
    public private(set) var valid: [Bool] = []
    /// Value and cost values of the final observation where the step was truncated.
    var bootstrap: [Int: (value: Double, costValues: [Double])] = [:]

    public private(set) var advantages: [Double] = []
    public private(set) var returns: [Double] = []
    /// costAdvantages[i][k] and costReturns[i][k].
    public private(set) var costAdvantages: [[Double]] = []
    public private(set) var costReturns: [[Double]] = []

    public init(environments: Int, constraints: Int) {
        self.environments = environments
        self.constraints = constraints
    }

    /// Appends one vector step: what each environment saw and did, and what it got.
    public mutating func append(observations o: [[Double]], act: ActorCritic.Act, rewards r: [Double], costs c: [[Double]],
                                terminated te: [Bool], truncated tr: [Bool], valid v: [Bool]) {
        precondition(o.count == environments && r.count == environments && c.count == environments)
        observations += o; actions += act.actions; logProbabilities += act.logProbabilities
        rewards += r; costs += c; values += act.values; costValues += act.costValues
        terminated += te; truncated += tr; valid += v
        steps += 1
    }

    /// Records the critics' values of the final observation of the truncated step (t, e).
    public mutating func setBootstrap(step t: Int, environment e: Int, value: Double, costValues: [Double]) {
        bootstrap[t * environments + e] = (value, costValues)
    }

    /// The critics' values of each environment's observation after the last step.
    public private(set) var lastValues: [Double] = [], lastCostValues: [[Double]] = []

    public mutating func setLastValues(_ values: [Double], costValues: [[Double]]) {
        lastValues = values; lastCostValues = costValues
    }

    /// Computes advantages and returns with the values set by ``setLastValues(_:costValues:)``.
    public mutating func finish(gamma: Double, lambda: Double, costGamma: Double, costLambda: Double) {
        finish(gamma: gamma, lambda: lambda, costGamma: costGamma, costLambda: costLambda,
               lastValues: lastValues, lastCostValues: lastCostValues)
    }

    /// Computes advantages and returns; `lastValues`/`lastCostValues` are the critics' values of each environment's
    /// observation after the last step (used where that step did not end an episode).
    public mutating func finish(gamma: Double, lambda: Double, costGamma: Double, costLambda: Double,
                                lastValues: [Double], lastCostValues: [[Double]]) {
        let n = steps * environments, k = constraints
        advantages = [Double](repeating: 0, count: n); returns = advantages
        costAdvantages = [[Double]](repeating: [Double](repeating: 0, count: k), count: n); costReturns = costAdvantages
        for e in 0..<environments {
            var nextValue = lastValues[e], nextCostValues = lastCostValues[e]
            var carry = 0.0, costCarry = [Double](repeating: 0, count: k)
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let i = t * environments + e
                guard valid[i] else { continue }
                var v1 = nextValue, c1 = nextCostValues
                if terminated[i] {
                    v1 = 0; c1 = [Double](repeating: 0, count: k); carry = 0; costCarry = c1
                } else if truncated[i] {
                    let b = bootstrap[i] ?? (values[i], costValues[i])
                    v1 = b.value; c1 = b.costValues; carry = 0; costCarry = [Double](repeating: 0, count: k)
                }
                let delta = rewards[i] + gamma * v1 - values[i]
                carry = delta + gamma * lambda * carry
                advantages[i] = carry; returns[i] = carry + values[i]
                for j in 0..<k {
                    let d = costs[i][j] + costGamma * c1[j] - costValues[i][j]
                    costCarry[j] = d + costGamma * costLambda * costCarry[j]
                    costAdvantages[i][j] = costCarry[j]; costReturns[i][j] = costCarry[j] + costValues[i][j]
                }
                nextValue = values[i]; nextCostValues = costValues[i]
            }
        }
    }

    /// Indices of the valid transitions, in storage order.
    public var validIndices: [Int] { valid.indices.filter { valid[$0] } }
}
