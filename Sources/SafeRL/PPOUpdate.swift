import NeuralNetworks
import SeededRandom
import Tensors

/// The clipped-surrogate policy update of PPO (Schulman et al., "Proximal policy optimization algorithms",
/// arXiv:1707.06347), and of PPO-Lagrangian (Ray, Achiam & Amodei 2019) when given multipliers:
/// ```
/// A = (Â_R − Σₖ λₖ Â_Cₖ) / (1 + Σₖ λₖ)      (each advantage standardised over the batch first)
/// L = −E[min(ρA, clip(ρ, 1 − ε, 1 + ε)A)] − β H[π],   ρ = π_θ(a|s) / π_old(a|s)
/// ```
/// The ratio and the clipping are per row: per pack on a fleet (each pack's action is its own factor of the
/// policy, as independent PPO clips per agent: de Witt et al. 2020), per observation otherwise. The reward
/// advantage is the observation's; a cost advantage is the row's own where the environment reports per-pack costs.
/// `update_epochs` passes over shuffled minibatches, stopping early once the mean KL (estimated per row as
/// E[(ρ − 1) − log ρ], times rows) passes 1.5 × `target_kl`. The critics are fitted in the same passes
/// (``CriticUpdate``), beside the policy when `concurrently`.
struct PPOUpdate {
    var policyOptimizer: Adam<Float>
    var critics: CriticUpdate

    init(model: ActorCritic, hyperparameters h: Hyperparameters) {
        policyOptimizer = Adam(parameters: model.policy.parameters + [model.logStd], learningRate: Float(h.learningRate),
                               maxGradientNorm: h.maxGradNorm > 0 ? Float(h.maxGradNorm) : nil)
        critics = CriticUpdate(model: model, learningRate: h.criticLearningRate, maxGradNorm: h.maxGradNorm)
    }

    /// Runs the update; returns its metrics.
    mutating func update(_ model: inout ActorCritic, batch: OnPolicyBatch, multipliers: [Double], h: Hyperparameters,
                         concurrently: Bool, using rng: inout Xoshiro256StarStar) throws(TrainingError) -> [(String, Double)] {
        let advantage = Self.rowAdvantages(batch, multipliers: multipliers)
        let oldRows = batch.rowLogProbabilities(model)
        let size = max(1, (batch.count + h.minibatches - 1) / h.minibatches)
        let rows = batch.rows
        var policyLoss = 0.0, entropy = 0.0, kl = 0.0, clipped = 0.0, n = 0, passes = 0
        var losses = (value: 0.0, cost: 0.0)
        let eps = Float(h.clip)
        var criticRNG = rng.split()
        for _ in 0..<h.updateEpochs {
            passes += 1
            let fit = critics.start(passes: 1, model: model, batch: batch, minibatches: h.minibatches, using: criticRNG,
                                    concurrently: concurrently)
            criticRNG.jump()
            let order = permutation(batch.count, using: &rng)
            var passKL = 0.0, passN = 0
            for start in stride(from: 0, to: batch.count, by: size) {
                let items = order[start..<min(batch.count, start + size)]
                let tape = Tape<Float>()
                let parameters = (model.policy.parameters + [model.logStd]).map(tape.variable)
                let mean = model.policy.apply(tape.constant(batch.gather(batch.input, items)), parameters: Array(parameters.dropLast()))
                let distribution = DiagonalGaussian(mean: mean, logStd: parameters[parameters.count - 1])
                let lp = distribution.logProbability(of: batch.gather(batch.actions, items))
                var old = [Float](), a = [Float]()
                old.reserveCapacity(items.count * rows); a.reserveCapacity(items.count * rows)
                for i in items { for r in 0..<rows { old.append(Float(oldRows[i * rows + r])); a.append(Float(advantage[i * rows + r])) } }
                let logRatio = lp - Tensor(old)
                let ratio = logRatio.exp()
                let at = Tensor(a)
                let surrogate = Variable.minimum(ratio * at, ratio.clamped(min: 1 - eps, max: 1 + eps) * at).mean()
                let h0 = distribution.entropy().mean() * Float(rows)
                let loss = -surrogate - h0 * Float(h.entropyCoefficient)
                let gradients = tape.gradients(of: loss, wrt: parameters)
                guard loss.value.scalar.isFinite else { throw .diverged("PPO loss is \(loss.value.scalar)") }
                var p = model.policy.parameters + [model.logStd]
                policyOptimizer.step(&p, gradients: gradients)
                model.policy.updateParameters { $0 = Array(p.dropLast()) }
                model.logStd = p[p.count - 1]
                let rv = ratio.value, lr = logRatio.value
                var k = 0.0, c = 0.0
                rv.withUnsafeScalars { rs in lr.withUnsafeScalars { ls in
                    for i in 0..<rs.count {
                        k += Double(rs[i] - 1 - ls[i])
                        if abs(rs[i] - 1) > eps { c += 1 }
                    }
                } }
                passKL += k; passN += items.count
                policyLoss += Double(-surrogate.value.scalar); entropy += Double(h0.value.scalar)
                clipped += c / Double(items.count * rows); n += 1
            }
            let l = critics.finish(fit, into: &model)
            losses.value += l.value; losses.cost += l.cost
            kl = passKL / Double(max(passN, 1))
            if h.targetKL > 0 && kl > 1.5 * h.targetKL { break }
        }
        let m = Double(max(n, 1))
        return [("policy_loss", policyLoss / m), ("entropy", entropy / m), ("approx_kl", kl), ("clip_fraction", clipped / m),
                ("value_loss", losses.value / Double(passes)), ("cost_value_loss", losses.cost / Double(passes)),
                ("update_passes", Double(passes))]
    }

    /// Per row (observation-major): (Â_R − Σ λₖ Â_Cₖ)/(1 + Σ λₖ), the reward advantage standardised over observations
    /// and each cost advantage over rows (a constant one standardises to 0).
    static func rowAdvantages(_ batch: OnPolicyBatch, multipliers: [Double]) -> [Double] {
        let reward = standardised(batch.advantages)
        var rows = [Double](); rows.reserveCapacity(batch.count * batch.rows)
        for i in 0..<batch.count { for _ in 0..<batch.rows { rows.append(reward[i]) } }
        guard multipliers.contains(where: { $0 > 0 }) else { return rows }
        let costs = multipliers.indices.map { batch.rowCostAdvantages(constraint: $0) }
        return combinedAdvantageFor(reward: rows, costs: costs, multipliers: multipliers, rewardStandardised: true)
    }

    static func combinedAdvantageFor(reward: [Double], costs: [[Double]], multipliers: [Double],
                                     rewardStandardised: Bool = false) -> [Double] {
        var combined = rewardStandardised ? reward : standardised(reward)
        guard multipliers.contains(where: { $0 > 0 }) else { return combined }
        for (k, lambda) in multipliers.enumerated() where lambda > 0 {
            let cost = standardised(costs[k])
            for i in combined.indices { combined[i] -= lambda * cost[i] }
        }
        let scale = 1 + multipliers.reduce(0, +)
        return combined.map { $0 / scale }
    }

    static func standardised(_ x: [Double]) -> [Double] {
        let (m, s) = meanAndDeviation(x)
        return x.map { ($0 - m) / (s + 1e-8) }
    }
}
