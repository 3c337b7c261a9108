import NeuralNetworks
import SeededRandom
import Tensors

/// Regression of the reward critic on the GAE returns and of the cost critic on the cost returns, by Adam over
/// shuffled minibatches (one pass): ½(V − R̂)² plus ½ Σₖ (V_Cₖ − R̂_Cₖ)² (summed over rows with per-row costs), on
/// the critic inputs of ``ActorCritic``.
struct CriticUpdate {
    var optimizer: Adam<Float>

    init(model: ActorCritic, learningRate: Double, maxGradNorm: Double) {
        optimizer = Adam(parameters: model.value.parameters + model.costValue.parameters,
                         learningRate: Float(learningRate), maxGradientNorm: maxGradNorm > 0 ? Float(maxGradNorm) : nil)
    }

    /// One pass; returns the mean reward-value and cost-value losses.
    mutating func pass(_ model: inout ActorCritic, batch: OnPolicyBatch, minibatches: Int,
                       using rng: inout Xoshiro256StarStar) -> (value: Double, cost: Double) {
        let order = permutation(batch.count, using: &rng)
        let size = max(1, (batch.count + minibatches - 1) / minibatches)
        var valueLoss = 0.0, costLoss = 0.0, n = 0
        let k = model.costValue.outputSize, rows = batch.rows, perObservation = batch.costPerRow ? rows * k : k
        for start in stride(from: 0, to: batch.count, by: size) {
            let items = order[start..<min(batch.count, start + size)]
            let m = items.count
            let tape = Tape<Float>()
            let valueParameters = model.value.parameters.map(tape.variable)
            let costParameters = model.costValue.parameters.map(tape.variable)
            let x = tape.constant(batch.gather(batch.criticInput, items, rows: 1))
            let v = model.value.apply(x, parameters: valueParameters).reshaped([m])
            let costInput = batch.costPerRow ? tape.constant(batch.gather(batch.input, items)) : x
            let c = model.costValue.apply(costInput, parameters: costParameters).reshaped([m, perObservation])
            let targets = Tensor<Float>(items.map { Float(batch.returns[$0]) })
            let costTargets = Tensor<Float>(shape: [m, perObservation], scalars: items.flatMap { batch.costReturns[$0].map(Float.init) })
            let lv = (v - targets).squared().mean() * 0.5
            let lc = (c - costTargets).squared().sum(alongAxis: 1).mean() * 0.5
            let all = valueParameters + costParameters
            let gradients = tape.gradients(of: lv + lc, wrt: all)
            valueLoss += Double(lv.value.scalar); costLoss += Double(lc.value.scalar); n += 1
            var p = model.value.parameters + model.costValue.parameters
            optimizer.step(&p, gradients: gradients)
            let split = model.value.parameters.count
            model.value.updateParameters { $0 = Array(p[..<split]) }
            model.costValue.updateParameters { $0 = Array(p[split...]) }
        }
        return (valueLoss / Double(max(n, 1)), costLoss / Double(max(n, 1)))
    }
}
