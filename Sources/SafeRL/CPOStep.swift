/// The trust-region step of Constrained Policy Optimization (Achiam, Held, Tamar & Abbeel, ICML 2017,
/// arXiv:1705.10528, §6 and Appendix 10.2): with g the reward-surrogate gradient, b the cost-surrogate gradient,
/// H the Fisher matrix, δ the KL radius and c = J_C − d the present constraint value, solve
/// ```
/// max_x gᵀx   subject to   c + bᵀx ≤ 0,   ½ xᵀHx ≤ δ
/// ```
/// through its dual. With q = gᵀH⁻¹g, r = gᵀH⁻¹b, s = bᵀH⁻¹b (two conjugate-gradient solves give H⁻¹g, H⁻¹b):
/// the step is x* = (H⁻¹g − ν* H⁻¹b)/λ*, or the pure recovery step −√(2δ/s) H⁻¹b when no point of the trust region
/// is feasible.
public enum CPOStep {
    /// Which case of the dual the step came from (OmniSafe's numbering of the paper's cases).
    public enum Case: Int, Sendable, Equatable {
        /// No point of the trust region satisfies the linearised constraint: recover along −H⁻¹b.
        case infeasibleRecovery = 0
        /// The constraint is violated (c > 0) but part of the trust region is feasible: the dual.
        case violatedFeasible = 1
        /// The constraint holds (c ≤ 0) and cuts the trust region: the dual.
        case satisfiedCutting = 2
        /// The constraint holds on the whole trust region: the TRPO step.
        case satisfiedInactive = 3
        /// The cost gradient vanishes: the TRPO step.
        case noCostGradient = 4
    }

    /// λ*, ν* and the coefficients of the step x* = α H⁻¹g − β H⁻¹b.
    public struct Solution: Sendable, Equatable {
        public var optimizationCase: Case
        public var lambda: Double, nu: Double
        public var gradientCoefficient: Double, costCoefficient: Double
    }

    /// Solves the dual for q, r, s, c and δ.
    public static func solve(q: Double, r: Double, s: Double, c: Double, delta: Double) -> Solution {
        let trpo = (2 * delta / max(q, 1e-12)).squareRoot()
        if s <= 1e-12 { return Solution(optimizationCase: .noCostGradient, lambda: 1 / trpo, nu: 0, gradientCoefficient: trpo, costCoefficient: 0) }
        let slack = c * c / s - 2 * delta
        if c < 0 && slack > 0 {
            return Solution(optimizationCase: .satisfiedInactive, lambda: 1 / trpo, nu: 0, gradientCoefficient: trpo, costCoefficient: 0)
        }
        if c >= 0 && slack > 0 {
            let scale = (2 * delta / s).squareRoot()
            return Solution(optimizationCase: .infeasibleRecovery, lambda: 0, nu: scale, gradientCoefficient: 0, costCoefficient: scale)
        }
        // Cases 1 and 2. The paper's Theorem 2 is stated for min gᵀx; in that form the reward gradient enters as −g,
        // so its r is ours negated: ρ = −r. The dual max_{λ≥0, ν≥0} −½(q − 2ρν + sν²)/λ + νc − λδ is solved in closed
        // form over the two ranges of λ where ν* = (λc − ρ)/s is positive or zero.
        let rho = -r
        let a = max(q - r * r / s, 1e-12), bb = max(2 * delta - c * c / s, 1e-12)
        // λ where λc − ρ changes sign; at c = 0 (the cost exactly at the limit) its sign is that of −ρ for every λ,
        // so ν* > 0 everywhere (boundary 0) or nowhere (boundary ∞); ±∞ from a tiny c is clamped alike.
        let greatest = Double.greatestFiniteMagnitude
        let boundary = c == 0 ? (rho > 0 ? greatest : 0) : min(max(rho / c, -greatest), greatest)
        let lambdaA = (a / bb).squareRoot(), lambdaB = (q / (2 * delta)).squareRoot()
        let rangeA: ClosedRange<Double>, rangeB: ClosedRange<Double>
        if c < 0 {
            rangeA = 0...max(0, boundary); rangeB = max(0, boundary)...greatest
        } else {
            rangeA = max(0, boundary)...greatest; rangeB = 0...max(0, boundary)
        }
        func project(_ x: Double, _ range: ClosedRange<Double>) -> Double { min(max(x, range.lowerBound), range.upperBound) }
        let lA = project(lambdaA, rangeA), lB = project(lambdaB, rangeB)
        func fA(_ l: Double) -> Double { -0.5 * (a / max(l, 1e-12) + bb * l) - rho * c / s }
        func fB(_ l: Double) -> Double { -0.5 * (q / max(l, 1e-12) + 2 * delta * l) }
        let lambda = max(fA(lA) >= fB(lB) ? lA : lB, 1e-12)
        let nu = max(0, (lambda * c - rho) / s)
        return Solution(optimizationCase: c < 0 ? .satisfiedCutting : .violatedFeasible, lambda: lambda, nu: nu,
                        gradientCoefficient: 1 / lambda, costCoefficient: nu / lambda)
    }
}

/// Conjugate gradients for H x = b, H symmetric positive definite given as a product, from x = 0
/// (Hestenes & Stiefel 1952); stops early when the residual norm² falls below `tolerance`.
public func conjugateGradient(_ product: ([Double]) -> [Double], _ b: [Double], iterations: Int,
                              tolerance: Double = 1e-10) -> [Double] {
    var x = [Double](repeating: 0, count: b.count)
    var r = b, p = b
    var rr = dot(r, r)
    for _ in 0..<iterations where rr > tolerance {
        let hp = product(p)
        let alpha = rr / max(dot(p, hp), 1e-300)
        for i in x.indices { x[i] += alpha * p[i]; r[i] -= alpha * hp[i] }
        let next = dot(r, r)
        let beta = next / rr
        for i in p.indices { p[i] = r[i] + beta * p[i] }
        rr = next
    }
    return x
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}
