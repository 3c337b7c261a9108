import NeuralNetworks
import SeededRandom
import Tensors

/// The policy update of CPO (Achiam et al. 2017), one trust-region step per epoch on the whole batch:
///
/// 1. g = ∇E[ρ Â_R] (standardised reward advantages) and b = ∇E[ρ Â_C] (centred cost advantages) at θ_k, each
///    written per row as E[Σ_r ρ_r Â_r] (ρ_r a pack's own factor of the ratio; Â_r the observation's advantage, or the
///    pack's own cost advantage where the environment reports per-pack costs), which has the same gradient at θ_k;
/// 2. H⁻¹g and H⁻¹b by two conjugate-gradient solves with exact Fisher-vector products (``GaussianPolicyFisher``,
///    damped by `cg_damping`, on a `fisher_fraction` subsample of the observations);
/// 3. the dual step of ``CPOStep`` with c = (J̄_C − d)/T̄, the mean episode cost's excess per step (Â_C estimates the
///    per-step cost change, so both sides are per step: J_C(π) ≈ J_C(π_k) + E[ρ Â_C]/(1 − γ) in discounted terms);
/// 4. a backtracking line search (ratio `backtrack_ratio`, `backtrack_steps` tries) that accepts the first step whose
///    KL ≤ δ, whose cost surrogate rises by at most max(−c, 0), and — in the feasible cases — whose reward surrogate
///    does not fall. No step is taken if none passes.
///
/// Critics are fitted with `update_epochs` passes of ``CriticUpdate``, beside the policy step when `concurrently`.
struct CPOUpdate {
    var critics: CriticUpdate

    init(model: ActorCritic, hyperparameters h: Hyperparameters) {
        critics = CriticUpdate(model: model, learningRate: h.criticLearningRate, maxGradNorm: h.maxGradNorm)
    }

    mutating func update(_ model: inout ActorCritic, batch: OnPolicyBatch, constraintExcessPerStep c: Double,
                         h: Hyperparameters, concurrently: Bool, using rng: inout Xoshiro256StarStar) throws(TrainingError) -> [(String, Double)] {
        let fit = critics.start(passes: h.updateEpochs, model: model, batch: batch, minibatches: h.minibatches,
                                using: rng.split(), concurrently: concurrently)
        let rows = batch.rows, perObservation = 1 / Float(batch.count)
        let reward = PPOUpdate.standardised(batch.advantages)
        var rewardAdvantage = [Float](); rewardAdvantage.reserveCapacity(batch.count * rows)
        for i in 0..<batch.count { for _ in 0..<rows { rewardAdvantage.append(Float(reward[i])) } }
        let costRaw = batch.rowCostAdvantages(constraint: 0)
        // Centred: the mean over every row's cost advantage is subtracted from each (a baseline; no scaling, so
        // that b keeps the per-step cost units of c).
        let costMean = costRaw.reduce(0, +) / Double(max(costRaw.count, 1))
        let costAdvantage = costRaw.map { Float($0 - costMean) }
        let old = Tensor<Float>(batch.rowLogProbabilities(model).map(Float.init))

        let tape = Tape<Float>()
        let network = model.policy.parameters.map(tape.variable)
        let parameters = network + [tape.variable(model.logStd)]
        let mean = model.policy.apply(tape.constant(batch.input), parameters: network)
        let lp = DiagonalGaussian(mean: mean, logStd: parameters[parameters.count - 1]).logProbability(of: batch.actions)
        let ratio = (lp - old).exp()
        let rewardSurrogate = (ratio * Tensor(rewardAdvantage)).sum() * perObservation
        let costSurrogate = (ratio * Tensor(costAdvantage)).sum() * perObservation
        let g = ParameterVector.flatten(tape.gradients(of: rewardSurrogate, wrt: parameters)).scalars.map(Double.init)
        let b = ParameterVector.flatten(tape.gradients(of: costSurrogate, wrt: parameters)).scalars.map(Double.init)
        guard g.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { throw .diverged("CPO gradients are not finite") }

        // The batch KL is per observation: a sum over its rows, so the Fisher matrix is rows × the per-row one. Its
        // products run on every k-th observation (`fisher_fraction`, as TRPO implementations subsample for them).
        let stride = max(1, Int((1 / max(h.fisherFraction, 1e-6)).rounded()))
        let fisherTape = stride == 1 ? tape : Tape<Float>()
        let fisherNetwork = stride == 1 ? network : model.policy.parameters.map(fisherTape.variable)
        let fisherMean = stride == 1 ? mean : model.policy.apply(
            fisherTape.constant(batch.gather(batch.input, Array(Swift.stride(from: 0, to: batch.count, by: stride))[...])),
            parameters: fisherNetwork)
        let fisher = GaussianPolicyFisher(tape: fisherTape, mean: fisherMean, parameters: fisherNetwork, logStd: model.logStd)
        let rowCount = Double(rows), damping = h.cgDamping
        let product: ([Double]) -> [Double] = { v in
            let fv = fisher.product(Tensor(v.map(Float.init))).scalars
            return v.indices.map { rowCount * Double(fv[$0]) + damping * v[$0] }
        }
        let hg = conjugateGradient(product, g, iterations: h.cgIterations)
        let hb = conjugateGradient(product, b, iterations: h.cgIterations)
        let q = dot(g, hg), r = dot(g, hb), s = dot(b, hb)
        let solution = CPOStep.solve(q: q, r: r, s: s, c: c, delta: h.targetKL)
        let step = hg.indices.map { solution.gradientCoefficient * hg[$0] - solution.costCoefficient * hb[$0] }

        // Line search on the exact surrogates and KL, without a tape.
        let shapes = model.policy.parameterShapes + [model.logStd.shape]
        let theta = ParameterVector.flatten(model.policy.parameters + [model.logStd]).scalars.map(Double.init)
        let oldMean = mean.value, oldLogStd = model.logStd
        let before = (reward: Double(rewardSurrogate.value.scalar), cost: Double(costSurrogate.value.scalar))
        var accepted = 0.0, tries = 0, finalKL = 0.0
        var fraction = 1.0
        for _ in 0..<h.backtrackSteps {
            tries += 1
            let candidate = theta.indices.map { Float(theta[$0] + fraction * step[$0]) }
            var trial = model
            let parts = ParameterVector.unflatten(Tensor(candidate), shapes: shapes)
            trial.policy.updateParameters { $0 = Array(parts.dropLast()) }
            trial.logStd = parts[parts.count - 1]
            let e = Self.evaluate(trial, batch: batch, oldMean: oldMean, oldLogStd: oldLogStd,
                                  rewardAdvantage: rewardAdvantage, costAdvantage: costAdvantage)
            let rewardImproves = e.reward - before.reward >= 0 || solution.optimizationCase.rawValue <= 1
            if e.reward.isFinite && e.cost.isFinite && e.kl.isFinite && rewardImproves
                && e.cost - before.cost <= max(-c, 0) && e.kl <= h.targetKL {
                model = trial; accepted = fraction; finalKL = e.kl
                break
            }
            fraction *= h.backtrackRatio
        }
        let (value, cost) = critics.finish(fit, into: &model)
        let epochs = Double(h.updateEpochs)
        return [("cpo_case", Double(solution.optimizationCase.rawValue)), ("cpo_lambda", solution.lambda),
                ("cpo_nu", solution.nu), ("cpo_step_fraction", accepted), ("cpo_line_search_tries", Double(tries)),
                ("approx_kl", finalKL), ("cpo_c", c), ("value_loss", value / epochs), ("cost_value_loss", cost / epochs)]
    }

    /// The reward and cost surrogates E[Σ_r ρ_r Â_r] and the mean per-observation KL(π_old ‖ π_trial).
    static func evaluate(_ trial: ActorCritic, batch: OnPolicyBatch, oldMean: Tensor<Float>, oldLogStd: Tensor<Float>,
                         rewardAdvantage: [Float], costAdvantage: [Float]) -> (reward: Double, cost: Double, kl: Double) {
        let newMean = trial.policy(batch.input)
        let d = trial.layout.actionsPerRow, rows = batch.rows
        let s0 = oldLogStd.scalars.map(Double.init), s1 = trial.logStd.scalars.map(Double.init)
        var reward = 0.0, cost = 0.0, kl = 0.0
        newMean.withUnsafeScalars { m1 in oldMean.withUnsafeScalars { m0 in batch.actions.withUnsafeScalars { a in
            for i in 0..<batch.count {
                for r in 0..<rows {
                    var logRatio = 0.0
                    for j in 0..<d {
                        let k = (i * rows + r) * d + j
                        let x = Double(a[k]), mu1 = Double(m1[k]), mu0 = Double(m0[k])
                        let z1 = (x - mu1) / Double.exp(s1[j]), z0 = (x - mu0) / Double.exp(s0[j])
                        logRatio += -0.5 * z1 * z1 - s1[j] + 0.5 * z0 * z0 + s0[j]
                        let v0 = Double.exp(2 * s0[j]), v1 = Double.exp(2 * s1[j])
                        kl += s1[j] - s0[j] + (v0 + (mu0 - mu1) * (mu0 - mu1)) / (2 * v1) - 0.5
                    }
                    let ratio = Double.exp(logRatio)
                    reward += ratio * Double(rewardAdvantage[i * rows + r]); cost += ratio * Double(costAdvantage[i * rows + r])
                }
            }
        } } }
        let n = Double(max(batch.count, 1))
        return (reward / n, cost / n, kl / n)
    }
}

