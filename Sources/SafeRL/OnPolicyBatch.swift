import Tensors

/// The valid transitions of a ``RolloutBuffer`` as float tensors for an update: network input rows and actions
/// (`rows` per observation), advantages and critic targets; the old policy's per-row log-probabilities are
/// recomputed from it (``rowLogProbabilities(_:)``) before an update changes the policy.
struct OnPolicyBatch: Sendable {
    let count: Int, rows: Int
    let input: Tensor<Float>        // [count·rows, width]
    let criticInput: Tensor<Float>  // [count, criticWidth]
    let actions: Tensor<Float>      // [count·rows, d]
    let advantages: [Double]
    let costAdvantages: [[Double]]  // [count][k], or [count][rows·k] (row-major) with per-row costs
    let returns: [Double]
    let costReturns: [[Double]]     // as costAdvantages
    /// Constraints, and whether the cost entries are per row.
    let constraints: Int, costPerRow: Bool

    init(_ buffer: RolloutBuffer, layout: ObservationLayout, constraints: Int, costPerRow: Bool) throws(TrainingError) {
        self.constraints = constraints
        self.costPerRow = costPerRow
        let indices = buffer.validIndices
        count = indices.count
        guard let first = indices.first else { throw .environment("the rollout has no valid transition") }
        rows = try layout.rows(observationLength: buffer.observations[first].count)
        let observations = indices.map { buffer.observations[$0] }
        input = layout.input(observations)
        criticInput = layout.criticInput(observations)
        let d = layout.actionsPerRow, perObservation = rows * d
        actions = Tensor(shape: [count * rows, d]) { out in
            for (b, i) in indices.enumerated() { for j in 0..<perObservation { out[b * perObservation + j] = Float(buffer.actions[i][j]) } }
        }
        advantages = indices.map { buffer.advantages[$0] }
        costAdvantages = indices.map { buffer.costAdvantages[$0] }
        returns = indices.map { buffer.returns[$0] }
        costReturns = indices.map { buffer.costReturns[$0] }
    }

    /// Constraint j's cost advantage for row r of observation i (the observation's own without per-row costs).
    @inline(__always) func costAdvantage(_ i: Int, row r: Int, constraint j: Int) -> Double {
        costPerRow ? costAdvantages[i][r * constraints + j] : costAdvantages[i][j]
    }

    /// Constraint j's cost advantages for every row, observation-major (`count · rows` entries).
    func rowCostAdvantages(constraint j: Int) -> [Double] {
        var out = [Double](); out.reserveCapacity(count * rows)
        for i in 0..<count { for r in 0..<rows { out.append(costAdvantage(i, row: r, constraint: j)) } }
        return out
    }

    /// Per-row log-probabilities of the stored actions under `model`'s present policy (no tape).
    func rowLogProbabilities(_ model: ActorCritic) -> [Double] {
        let mean = model.policy(input), d = model.layout.actionsPerRow
        let logStd = model.logStd.scalars.map(Double.init)
        let normaliser = logStd.reduce(0, +) + 0.5 * Double(d) * Double.log(2 * Double.pi)
        var out = [Double](repeating: 0, count: count * rows)
        mean.withUnsafeScalars { m in actions.withUnsafeScalars { a in
            for row in 0..<(count * rows) {
                var lp = -normaliser
                for j in 0..<d {
                    let z = (Double(a[row * d + j]) - Double(m[row * d + j])) / Double.exp(logStd[j])
                    lp -= 0.5 * z * z
                }
                out[row] = lp
            }
        } }
        return out
    }

    /// Rows of `items` (observation indices) from a `[count·rows, w]` tensor (`rows` = 1 for critic inputs).
    func gather(_ t: Tensor<Float>, _ items: ArraySlice<Int>, rows: Int? = nil) -> Tensor<Float> {
        let rows = rows ?? self.rows
        let w = t.shape[1], block = rows * w
        return Tensor(shape: [items.count * rows, w]) { out in
            t.withUnsafeScalars { src in
                for (b, i) in items.enumerated() {
                    for j in 0..<block { out[b * block + j] = src[i * block + j] }
                }
            }
        }
    }
}

/// Mean and population standard deviation.
func meanAndDeviation(_ x: [Double]) -> (mean: Double, deviation: Double) {
    guard !x.isEmpty else { return (0, 0) }
    let m = x.reduce(0, +) / Double(x.count)
    return (m, (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot())
}

/// Fisher–Yates shuffle of 0..<n from `rng`.
func permutation(_ n: Int, using rng: inout some RandomNumberGenerator) -> [Int] {
    var p = Array(0..<n)
    if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(rng.next() % UInt64(i + 1))) } }
    return p
}
