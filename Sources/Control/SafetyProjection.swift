/// The safety layer between a policy and the packs: the allocation nearest to a proposal that keeps every pack
/// within its limits for the next step and, where possible, still meets the site demand.
///
/// minimise Σᵢ wᵢ (pᵢ − p̂ᵢ)²  subject to  lᵢ ≤ pᵢ ≤ uᵢ  and  Σᵢ pᵢ = D  (when a demand is given)
///
/// solved exactly by ``SeparableAllocation`` (sorting-based, O(N log N)). The default weights wᵢ = 1/Pᵢ² measure
/// the change in shares of each pack's rated power, so a small pack is not overruled by a large one. When D is
/// out of reach every pack goes to the bound nearest to D and ``Result/demandMet`` is false.
public enum SafetyProjection {
    public struct Result: Sendable, Equatable {
        /// The safe allocation [W].
        public var allocation: [Double]
        /// Euclidean and largest per-pack change from the proposal [W].
        public var change: Double, largestChange: Double
        /// Packs whose power was changed by more than 1e-9 of their range.
        public var changedPacks: Int
        /// Whether the projected allocation meets the demand (always true without one).
        public var demandMet: Bool
    }

    /// Projects `proposal` onto [`lower`, `upper`] (and Σ = `demand` if given) with weights `weights`.
    public static func project(_ proposal: [Double], lower: [Double], upper: [Double], demand: Double? = nil,
                               weights: [Double]? = nil) throws(ControlError) -> Result {
        let n = proposal.count
        guard lower.count == n, upper.count == n, weights.map({ $0.count == n }) ?? true else {
            throw .dimensionMismatch("proposal, bounds and weights need one entry per pack")
        }
        guard proposal.allSatisfy(\.isFinite) else { throw .invalidProblem("the proposal is not finite") }
        let w = weights ?? (0..<n).map { i in
            let range = max(abs(lower[i]), abs(upper[i]), 1e-9)
            return 1 / (range * range)
        }
        let x: [Double], met: Bool
        if let demand {
            let solution = try SeparableAllocation.solve(a: w.map { 2 * $0 }, b: (0..<n).map { -2 * w[$0] * proposal[$0] },
                                                         lower: lower, upper: upper, total: demand)
            x = solution.x; met = solution.totalMet
        } else {
            for i in 0..<n where !(lower[i] <= upper[i]) {
                throw .invalidProblem("pack \(i): bounds [\(lower[i]), \(upper[i])] are empty")
            }
            x = (0..<n).map { min(max(proposal[$0], lower[$0]), upper[$0]) }; met = true
        }
        var squares = 0.0, largest = 0.0, changed = 0
        for i in 0..<n {
            let d = abs(x[i] - proposal[i])
            squares += d * d; largest = max(largest, d)
            if d > 1e-9 * max(1, upper[i] - lower[i]) { changed += 1 }
        }
        return Result(allocation: x, change: squares.squareRoot(), largestChange: largest, changedPacks: changed,
                      demandMet: met)
    }
}
