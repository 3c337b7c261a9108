/// Normalises observations by a running mean and variance (Gymnasium's `NormalizeObservation`):
/// o ↦ (o − μ)/√(σ² + ε), the statistics updated on every reset and step while `updatesStatistics`.
/// Freeze the statistics (and copy them to the policy file) for evaluation and deployment.
public final class NormalizeObservation: Wrapper {
    public var statistics: RunningMeanStd
    public var updatesStatistics = true
    public let epsilon: Double
    private let normalizedSpace: Space
    override public var observationSpace: Space { normalizedSpace }

    public init(_ base: any Environment, epsilon: Double = 1e-8) throws(GymError) {
        self.epsilon = epsilon
        let n = base.observationSpace.flatCount
        statistics = RunningMeanStd(dimension: n)
        normalizedSpace = .box(try Box(low: -.infinity, high: .infinity, count: n))
        super.init(wrapping: base)
    }

    override public func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        let (o, info) = try base.reset(seed: seed, options: options)
        return (normalize(o), info)
    }

    override public func step(_ action: [Double]) throws(GymError) -> Transition {
        var t = try base.step(action)
        t.observation = normalize(t.observation)
        return t
    }

    private func normalize(_ o: [Double]) -> [Double] {
        if updatesStatistics { statistics.update(o) }
        return statistics.normalize(o, epsilon: epsilon)
    }
}

/// Scales rewards by the running standard deviation of the discounted return (Gymnasium's
/// `NormalizeReward`, after Engstrom et al. 2020, "Implementation matters in deep policy gradients"):
/// G ← γ G (1 − terminated) + r, r ↦ r/√(Var[G] + ε). Costs are not scaled: their limits are in raw units.
public final class NormalizeReward: Wrapper {
    public let gamma: Double
    public let epsilon: Double
    public var statistics = RunningMeanStd(dimension: 1)
    public var updatesStatistics = true
    private var discountedReturn = 0.0

    public init(_ base: any Environment, gamma: Double = 0.99, epsilon: Double = 1e-8) throws(GymError) {
        guard (0...1).contains(gamma) else { throw .invalidOption(name: "gamma", reason: "\(gamma) is outside [0, 1]") }
        self.gamma = gamma; self.epsilon = epsilon
        super.init(wrapping: base)
    }

    override public func step(_ action: [Double]) throws(GymError) -> Transition {
        var t = try base.step(action)
        discountedReturn = discountedReturn * gamma * (t.terminated ? 0 : 1) + t.reward
        if updatesStatistics { statistics.update([discountedReturn]) }
        t.reward /= (statistics.variance[0] + epsilon).squareRoot()
        return t
    }
}
