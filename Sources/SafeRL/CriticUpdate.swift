import NeuralNetworks
import SeededRandom
import Tensors

/// Regression of the reward critic on the GAE returns and of the cost critic on the cost returns, by Adam over
/// shuffled minibatches (one pass): ½(V − R̂)² plus ½ Σₖ (V_Cₖ − R̂_Cₖ)² (summed over rows with per-row costs), on
/// the critic inputs of ``ActorCritic``. ``start(passes:model:batch:minibatches:using:concurrently:)`` runs passes on
/// copies of the critics, beside the policy step when asked; ``finish(_:into:)`` takes them back.
struct CriticUpdate: Sendable {
    var optimizer: Adam<Float>

    init(model: ActorCritic, learningRate: Double, maxGradNorm: Double) {
        optimizer = Adam(parameters: model.value.parameters + model.costValue.parameters,
                         learningRate: Float(learningRate), maxGradientNorm: maxGradNorm > 0 ? Float(maxGradNorm) : nil)
    }

    /// Passes in flight: the fitted critics and optimiser, and the summed losses.
    struct Fit: Sendable {
        var update: CriticUpdate
        var value: MLP<Float>, cost: MLP<Float>
        var losses = (value: 0.0, cost: 0.0)
    }

    /// Starts `passes` passes over `batch` on copies of `model`'s critics, on another thread when `concurrently`.
    /// The minibatch order comes from `rng`, which the caller passes on (split from its own generator), so the
    /// result is the same on either thread.
    func start(passes: Int, model: ActorCritic, batch: OnPolicyBatch, minibatches: Int, using rng: Xoshiro256StarStar,
               concurrently: Bool) -> BesideTask<Fit> {
        let start = Fit(update: self, value: model.value, cost: model.costValue)
        return BesideTask(concurrently: concurrently) {
            var fit = start, rng = rng
            for _ in 0..<passes {
                let l = fit.update.pass(value: &fit.value, cost: &fit.cost, batch: batch, minibatches: minibatches, using: &rng)
                fit.losses.value += l.value; fit.losses.cost += l.cost
            }
            return fit
        }
    }

    /// Waits for `task` and puts its critics into `model` and its optimiser state into `self`; returns the losses
    /// summed over its passes.
    mutating func finish(_ task: BesideTask<Fit>, into model: inout ActorCritic) -> (value: Double, cost: Double) {
        let fit = task.wait()
        self = fit.update
        model.value = fit.value
        model.costValue = fit.cost
        return fit.losses
    }

    /// One pass; returns the mean reward-value and cost-value losses.
    mutating func pass(value: inout MLP<Float>, cost: inout MLP<Float>, batch: OnPolicyBatch, minibatches: Int,
                       using rng: inout Xoshiro256StarStar) -> (value: Double, cost: Double) {
        let order = permutation(batch.count, using: &rng)
        let size = max(1, (batch.count + minibatches - 1) / minibatches)
        var valueLoss = 0.0, costLoss = 0.0, n = 0
        let k = cost.outputSize, rows = batch.rows, perObservation = batch.costPerRow ? rows * k : k
        for start in stride(from: 0, to: batch.count, by: size) {
            let items = order[start..<min(batch.count, start + size)]
            let m = items.count
            let tape = Tape<Float>()
            let valueParameters = value.parameters.map(tape.variable)
            let costParameters = cost.parameters.map(tape.variable)
            let x = tape.constant(batch.gather(batch.criticInput, items, rows: 1))
            let v = value.apply(x, parameters: valueParameters).reshaped([m])
            let costInput = batch.costPerRow ? tape.constant(batch.gather(batch.input, items)) : x
            let c = cost.apply(costInput, parameters: costParameters).reshaped([m, perObservation])
            let targets = Tensor<Float>(items.map { Float(batch.returns[$0]) })
            let costTargets = Tensor<Float>(shape: [m, perObservation], scalars: items.flatMap { batch.costReturns[$0].map(Float.init) })
            let lv = (v - targets).squared().mean() * 0.5
            let lc = (c - costTargets).squared().sum(alongAxis: 1).mean() * 0.5
            let all = valueParameters + costParameters
            let gradients = tape.gradients(of: lv + lc, wrt: all)
            valueLoss += Double(lv.value.scalar); costLoss += Double(lc.value.scalar); n += 1
            var p = value.parameters + cost.parameters
            optimizer.step(&p, gradients: gradients)
            let split = value.parameters.count
            value.updateParameters { $0 = Array(p[..<split]) }
            cost.updateParameters { $0 = Array(p[split...]) }
        }
        return (valueLoss / Double(max(n, 1)), costLoss / Double(max(n, 1)))
    }
}
