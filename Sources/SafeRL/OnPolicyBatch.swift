import Tensors

/// The valid transitions of a ``RolloutBuffer`` as float tensors for an update: network input rows and actions
/// (`rows` per observation), old log-probabilities, advantages and critic targets.
struct OnPolicyBatch {
    let count: Int, rows: Int
    let input: Tensor<Float>        // [count·rows, width]
    let criticInput: Tensor<Float>  // [count, criticWidth]
    let actions: Tensor<Float>      // [count·rows, d]
    let oldLogProbabilities: [Double]
    let advantages: [Double]
    let costAdvantages: [[Double]]  // [count][k]
    let returns: [Double]
    let costReturns: [[Double]]     // [count][k]

    init(_ buffer: RolloutBuffer, layout: ObservationLayout) throws(TrainingError) {
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
        oldLogProbabilities = indices.map { buffer.logProbabilities[$0] }
        advantages = indices.map { buffer.advantages[$0] }
        costAdvantages = indices.map { buffer.costAdvantages[$0] }
        returns = indices.map { buffer.returns[$0] }
        costReturns = indices.map { buffer.costReturns[$0] }
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
