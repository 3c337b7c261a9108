import NeuralNetworks
import SeededRandom
import Tensors

/// One gradient step of SAC-Lagrangian on a replay batch (Haarnoja et al., "Soft Actor-Critic Algorithms and
/// Applications", arXiv:1812.05905, Algorithm 1, with the cost critic and multipliers of Ha et al. 2020,
/// arXiv:2002.08550, and Yang et al. 2021, "WCSAC"). With d = 1 − terminated and a′ ∼ π(·|s′):
/// ```
/// y   = r + γ d (min(Q̄₁, Q̄₂)(s′, a′) − α log π(a′|s′))           L_Q = ½ E[(Q₁ − y)²] + ½ E[(Q₂ − y)²]
/// y_C = c + γ_C d Q̄_C(s′, a′)  (per constraint, no entropy term)   L_C = ½ E[Σₖ (Q_Cₖ − y_Cₖ)²]
/// L_π = E[α log π(ã|s) − min(Q₁, Q₂)(s, ã) + Σₖ λₖ Q_Cₖ(s, ã)],  ã = tanh(μ + σ ⊙ ε) reparameterised
/// L_α = −log α · E[log π(ã|s) + H̄] / |A|,  H̄ = −|A| (−1 per action entry)
/// ```
/// then the Polyak update of the targets with τ. Q̄ are the target networks; λ are held fixed within an epoch.
/// Critics step first, then the actor (against the updated critics), then α (Adam on log α). No gradient-norm
/// clip (`max_grad_norm` is the on-policy methods'). The critics share one Adam (it acts per parameter).
struct SACUpdate {
    var actorOptimizer: Adam<Float>
    var criticOptimizer: Adam<Float>
    var alphaOptimizer: Adam<Float>
    /// log α, `[1]`.
    var logAlpha: Tensor<Float>

    init(policy: TanhGaussianPolicy, critics: SACCritics, hyperparameters h: Hyperparameters) {
        let rate = Float(h.learningRate)
        actorOptimizer = Adam(parameters: policy.network.parameters, learningRate: rate)
        criticOptimizer = Adam(parameters: critics.q1.parameters + critics.q2.parameters + critics.cost.parameters, learningRate: rate)
        logAlpha = Tensor([Float(Double.log(max(h.initialAlpha, 1e-12)))])
        alphaOptimizer = Adam(parameters: [logAlpha], learningRate: rate)
    }

    var alpha: Double { Double(Float.exp(logAlpha.scalars[0])) }

    /// The step's losses, and the policy's entropy estimate −E[log π(ã|s)] per observation.
    struct Losses { var q = 0.0, cost = 0.0, actor = 0.0, entropy = 0.0 }

    mutating func step(policy: inout TanhGaussianPolicy, critics: inout SACCritics, batch: ReplayBuffer.Batch,
                       multipliers: [Double], h: Hyperparameters, using rng: inout Xoshiro256StarStar) throws(TrainingError) -> Losses {
        let layout = policy.layout
        let count = batch.rewards.count
        let x = layout.input(batch.observations), next = layout.input(batch.nextObservations)
        let rows = x.shape[0] / count, d = layout.actionsPerRow, k = critics.cost.outputSize
        let alpha = Float.exp(logAlpha.scalars[0])
        var losses = Losses()

        // Targets, off the gradient: a′ from the present policy, values from the target networks.
        let (y, yCost): (Tensor<Float>, Tensor<Float>) = {
            let tape = Tape<Float>()
            let (a, lp) = policy.sample(on: tape, input: next, parameters: policy.network.parameters.map(tape.constant),
                                        observations: count, using: &rng)
            let input = SACCritics.input(rows: next, actions: a.value)
            let q = Tensor.minimum(SACCritics.pooled(critics.q1Target, input: input, observations: count),
                                   SACCritics.pooled(critics.q2Target, input: input, observations: count)).reshaped([count])
            let live = 1 - batch.terminated
            let y = batch.rewards + live * Float(h.gamma) * (q - lp.value * alpha)
            let qc = SACCritics.pooled(critics.costTarget, input: input, observations: count)
            return (y, batch.costs + live.reshaped([count, 1]) * Float(h.costGamma) * qc)
        }()

        // Critics.
        do {
            let tape = Tape<Float>()
            let p1 = critics.q1.parameters.map(tape.variable), p2 = critics.q2.parameters.map(tape.variable)
            let pc = critics.cost.parameters.map(tape.variable)
            let actions = batch.actions.reshaped([count * rows, d])
            let input = tape.constant(SACCritics.input(rows: x, actions: actions))
            let q1 = SACCritics.pooled(critics.q1, input: input, parameters: p1, observations: count).reshaped([count])
            let q2 = SACCritics.pooled(critics.q2, input: input, parameters: p2, observations: count).reshaped([count])
            let qc = SACCritics.pooled(critics.cost, input: input, parameters: pc, observations: count)
            let lq = (q1 - y).squared().mean() * 0.5 + (q2 - y).squared().mean() * 0.5
            let lc = (qc - yCost).squared().sum(alongAxis: 1).mean() * 0.5
            losses.q = Double(lq.value.scalar); losses.cost = Double(lc.value.scalar)
            guard losses.q.isFinite && losses.cost.isFinite else { throw TrainingError.diverged("SAC critic losses \(losses.q), \(losses.cost)") }
            let gradients = tape.gradients(of: lq + lc, wrt: p1 + p2 + pc)
            tape.reset()
            var p = critics.q1.parameters + critics.q2.parameters + critics.cost.parameters
            criticOptimizer.step(&p, gradients: gradients)
            let n1 = p1.count, n2 = n1 + p2.count
            critics.q1.updateParameters { $0 = Array(p[..<n1]) }
            critics.q2.updateParameters { $0 = Array(p[n1..<n2]) }
            critics.cost.updateParameters { $0 = Array(p[n2...]) }
        }

        // Actor, through the updated critics (their parameters constant on this tape).
        let meanLogProbability: Float
        do {
            let tape = Tape<Float>()
            let parameters = policy.network.parameters.map(tape.variable)
            let (a, lp) = policy.sample(on: tape, input: x, parameters: parameters, observations: count, using: &rng)
            let input = Variable.concatenate([tape.constant(x), a], alongAxis: 1)
            func value(_ network: MLP<Float>) -> Variable<Float> {
                SACCritics.pooled(network, input: input, parameters: network.parameters.map(tape.constant), observations: count)
            }
            var objective = lp * alpha - Variable.minimum(value(critics.q1), value(critics.q2)).reshaped([count])
            if multipliers.contains(where: { $0 > 0 }) {
                let lambda = Tensor<Float>(shape: [1, k], scalars: (0..<k).map { Float(multipliers[$0]) })
                objective = objective + (value(critics.cost) * lambda).sum(alongAxis: 1)
            }
            let loss = objective.mean()
            losses.actor = Double(loss.value.scalar)
            guard losses.actor.isFinite else { throw TrainingError.diverged("SAC actor loss \(losses.actor)") }
            meanLogProbability = lp.value.mean().scalar
            let gradients = tape.gradients(of: loss, wrt: parameters)
            tape.reset()
            actorOptimizer.step(&policy.network, gradients: gradients)
        }
        losses.entropy = Double(-meanLogProbability)

        // Temperature: ∂L_α/∂log α = −(E[log π] + H̄)/|A| = −E[log π]/|A| + 1 (H̄ = −|A|): α falls while the entropy is above target.
        let entries = Float(rows * d)
        var p = [logAlpha]
        alphaOptimizer.step(&p, gradients: [Tensor([-(meanLogProbability / entries) + 1])])
        logAlpha = p[0]

        critics.updateTargets(tau: Float(h.tau))
        return losses
    }
}
