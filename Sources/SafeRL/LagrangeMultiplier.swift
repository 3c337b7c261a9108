/// The multiplier λ ≥ 0 of one constraint J_C ≤ d in the Lagrangian max_π min_λ J_R − λ (J_C − d).
///
/// - `gradientAscent`: projected gradient ascent on λ, λ ← max(0, λ + η (J_C − d)) (Ray, Achiam & Amodei,
///   "Benchmarking safe exploration in deep RL", 2019).
/// - `pid`: the PID Lagrangian of Stooke, Achiam & Abbeel, "Responsive safety in RL by PID Lagrangian methods",
///   ICML 2020, Algorithm 2: with Δ = J_C − d,
///   I ← max(0, I + Δ),  ∂ = max(0, J_C − J_C,prev),  λ ← max(0, K_P Δ + K_I I + K_D ∂).
///   (The paper's smoothing of the P and D inputs is the optional exponential moving average `smoothing`.)
public struct LagrangeMultiplier: Sendable, Equatable, Codable {
    public enum Update: Sendable, Equatable, Codable {
        case gradientAscent(learningRate: Double)
        case pid(kp: Double, ki: Double, kd: Double, smoothing: Double)
    }

    public let update: Update
    public let limit: Double
    public private(set) var value: Double
    /// PID state: the integral, the smoothed cost for P and for D, and the previous smoothed cost.
    public private(set) var integral = 0.0
    private var smoothedCost: Double?
    private var previousCost: Double?

    public init(limit: Double, initialValue: Double = 0, update: Update) {
        self.limit = limit
        self.update = update
        value = max(0, initialValue)
        if case let .pid(_, ki, _, _) = update, ki > 0 { integral = value / ki }
    }

    /// The mutable state (λ, integral, smoothed and previous cost; NaN for none) as numbers, for checkpoints.
    public var state: [Double] {
        get { [value, integral, smoothedCost ?? .nan, previousCost ?? .nan] }
        set {
            guard newValue.count == 4 else { return }
            value = newValue[0]; integral = newValue[1]
            smoothedCost = newValue[2].isNaN ? nil : newValue[2]
            previousCost = newValue[3].isNaN ? nil : newValue[3]
        }
    }

    /// Updates λ with the mean episode cost J_C of the latest epoch; returns the new λ.
    @discardableResult
    public mutating func observe(cost: Double) -> Double {
        guard cost.isFinite else { return value }
        switch update {
        case let .gradientAscent(rate):
            value = max(0, value + rate * (cost - limit))
        case let .pid(kp, ki, kd, smoothing):
            let smoothed = smoothedCost.map { smoothing * $0 + (1 - smoothing) * cost } ?? cost
            let delta = smoothed - limit
            integral = max(0, integral + delta)
            let derivative = max(0, smoothed - (previousCost ?? smoothed))
            previousCost = smoothed
            smoothedCost = smoothed
            value = max(0, kp * delta + ki * integral + kd * derivative)
        }
        return value
    }
}
