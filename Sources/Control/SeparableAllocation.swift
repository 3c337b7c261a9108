/// The exact solution of a separable quadratic allocation with one coupling constraint:
/// ```
/// minimise  Σᵢ ½ aᵢ xᵢ² + bᵢ xᵢ   subject to   lᵢ ≤ xᵢ ≤ uᵢ,   Σᵢ xᵢ = D     (aᵢ > 0)
/// ```
/// By the KKT conditions xᵢ(λ) = clamp((−bᵢ − λ)/aᵢ, lᵢ, uᵢ) for the multiplier λ of the sum, and Σ xᵢ(λ) is
/// continuous, piecewise linear and non-increasing in λ, with breakpoints where a pack reaches a bound. Sorting
/// the 2N breakpoints and sweeping them finds the segment that holds D, then λ in closed form: O(N log N), exact
/// to rounding — the classic "water-filling" solution of the continuous quadratic knapsack problem
/// (Helgason, Kennington & Lall 1980; Brucker 1984 gives the O(N) median variant).
///
/// Used for one-step fleet allocation (aᵢ from each pack's resistance, bᵢ its degradation price) and, with
/// aᵢ = wᵢ, bᵢ = −wᵢ qᵢ, for the weighted Euclidean projection of a proposed allocation q.
public enum SeparableAllocation {
    /// The allocation and whether the total was met.
    public struct Solution: Sendable, Equatable {
        public var x: [Double]
        /// The multiplier λ of the sum constraint (the marginal cost of one more unit of D, negated).
        public var multiplier: Double
        /// False when D lies outside [Σ lᵢ, Σ uᵢ]: then every xᵢ sits at the bound nearest to D.
        public var totalMet: Bool
    }

    /// Solves the problem; throws for mismatched lengths, aᵢ ≤ 0, lᵢ > uᵢ or non-finite data.
    public static func solve(a: [Double], b: [Double], lower: [Double], upper: [Double],
                             total: Double) throws(ControlError) -> Solution {
        let n = a.count
        guard b.count == n, lower.count == n, upper.count == n else {
            throw .dimensionMismatch("a, b, lower and upper need one entry per variable (\(n), \(b.count), \(lower.count), \(upper.count))")
        }
        guard total.isFinite else { throw .invalidProblem("the total \(total) is not finite") }
        for i in 0..<n {
            guard a[i] > 0, a[i].isFinite, b[i].isFinite else {
                throw .invalidProblem("variable \(i): a = \(a[i]) must be positive and finite, b = \(b[i]) finite")
            }
            guard lower[i] <= upper[i], lower[i].isFinite, upper[i].isFinite else {
                throw .invalidProblem("variable \(i): bounds [\(lower[i]), \(upper[i])] are empty or not finite")
            }
        }
        var x = [Double](repeating: 0, count: n)
        let low = lower.reduce(0, +), high = upper.reduce(0, +)
        if n == 0 || total <= low || total >= high {
            let atUpper = n > 0 && total >= high
            for i in 0..<n { x[i] = atUpper ? upper[i] : lower[i] }
            let met = n == 0 ? total == 0 : abs(total - (atUpper ? high : low)) <= 1e-12 * max(1, abs(total))
            return Solution(x: x, multiplier: atUpper ? -Double.infinity : .infinity, totalMet: met)
        }
        // Breakpoints in λ: xᵢ leaves its upper bound at λ = −bᵢ − aᵢuᵢ and reaches its lower bound at −bᵢ − aᵢlᵢ.
        var events: [(lambda: Double, index: Int, leavesUpper: Bool)] = []
        events.reserveCapacity(2 * n)
        for i in 0..<n {
            events.append((-b[i] - a[i] * upper[i], i, true))
            events.append((-b[i] - a[i] * lower[i], i, false))
        }
        // At equal λ a variable must leave its upper bound before it reaches its lower one (lᵢ = uᵢ).
        events.sort { $0.lambda != $1.lambda ? $0.lambda < $1.lambda : ($0.leavesUpper && !$1.leavesUpper) }
        // Sweep λ upwards from −∞ (everything at its upper bound, sum = high). Between breakpoints the sum is
        // fixed + Σ_free (−bᵢ − λ)/aᵢ = constant − slope·λ.
        var fixed = high, constant = 0.0, slope = 0.0
        var previous = events[0].lambda
        var lambda = previous
        for event in events {
            let sumAtEvent = fixed + constant - slope * event.lambda
            if sumAtEvent <= total {
                lambda = slope > 0 ? (fixed + constant - total) / slope : previous
                break
            }
            let i = event.index
            if event.leavesUpper {
                fixed -= upper[i]; constant += -b[i] / a[i]; slope += 1 / a[i]
            } else {
                fixed += lower[i]; constant -= -b[i] / a[i]; slope -= 1 / a[i]
            }
            previous = event.lambda
            lambda = event.lambda
        }
        for i in 0..<n { x[i] = min(max((-b[i] - lambda) / a[i], lower[i]), upper[i]) }
        return Solution(x: x, multiplier: lambda, totalMet: true)
    }
}
