/// A device's voltage model, fitted online by recursive least squares with exponential forgetting:
/// ```
/// V / V₀ ≈ a + b·SoC − R·(I / Q)          θ = (a, b, R),  φ = (1, SoC, −I/Q)
/// e = y − φᵀθ                              (the a-priori residual, before the update)
/// k = Pφ / (λ + φᵀPφ),   θ ← θ + k·e,   P ← (P − k φᵀP) / λ
/// ```
/// with the voltage scaled by V₀ (the nominal voltage, or the first reading) and the current by the capacity Q,
/// so that every parameter is of order one. Without excitation (a constant current), forgetting inflates P in the
/// unexcited direction ("wind-up"); its trace is capped at ``maximumTrace`` by rescaling.
struct VoltageModelFit: Sendable, Equatable {
    private(set) var theta = SIMD3<Double>(1, 0, 0)
    /// Rows of the covariance P (symmetric).
    private var p0 = SIMD3<Double>(10, 0, 0), p1 = SIMD3<Double>(0, 10, 0), p2 = SIMD3<Double>(0, 0, 10)
    private(set) var samples = 0
    static let maximumTrace = 1e4

    /// The voltage [V] the fit expects at `soc` and `current` [A] for scales `v0` [V] and `q` [A.h].
    func predict(soc: Double, current: Double, v0: Double, q: Double) -> Double {
        let phi = SIMD3<Double>(1, soc, -current / q)
        return (theta * phi).sum() * v0
    }

    /// Feeds one reading; returns the a-priori residual [V] (reported − predicted before this update).
    mutating func update(soc: Double, current: Double, voltage: Double, v0: Double, q: Double, lambda: Double) -> Double {
        let phi = SIMD3<Double>(1, soc, -current / q)
        let y = voltage / v0
        let e = y - (theta * phi).sum()
        let pPhi = SIMD3<Double>((p0 * phi).sum(), (p1 * phi).sum(), (p2 * phi).sum())
        let denominator = lambda + (phi * pPhi).sum()
        guard denominator > 0, denominator.isFinite else { return e * v0 }
        let k = pPhi / denominator
        theta += k * e
        // P ← (P − k (Pφ)ᵀ) / λ, using the symmetry of P (φᵀP = (Pφ)ᵀ).
        p0 = (p0 - k.x * pPhi) / lambda
        p1 = (p1 - k.y * pPhi) / lambda
        p2 = (p2 - k.z * pPhi) / lambda
        let trace = p0.x + p1.y + p2.z
        if trace > Self.maximumTrace {
            let s = Self.maximumTrace / trace
            p0 *= s; p1 *= s; p2 *= s
        }
        samples += 1
        return e * v0
    }

    /// The fitted series resistance [Ω] for scales `v0` and `q`.
    func resistance(v0: Double, q: Double) -> Double { theta.z * v0 / q }
}
