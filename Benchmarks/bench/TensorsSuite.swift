import PulseBMS

/// Suite `tensors`: the two inner loops of on-policy safe RL.
///
/// (a) `ppo_minibatch_step_us`: one PPO minibatch step — policy MLP 96→64→64→16 (tanh)
///     with a diagonal-Gaussian head, value MLP 96→64→64→1 (tanh), minibatch 64,
///     clipped surrogate (ε = 0.2) + ½·value MSE, backward, one Adam step on both
///     networks (global gradient-norm clip 0.5).
/// (b) `cpo_natural_gradient_step_ms`: one CPO natural-gradient direction — batch 2048,
///     the surrogate's gradient g, then 10 conjugate-gradient iterations on
///     (F + 0.1·I)x = g with exact Fisher-vector products Jᵀ·M·J·v (forward-mode J·v,
///     reverse-mode Jᵀ·u, one recorded forward pass).
/// The PyTorch twin is Benchmarks/reference/torch_ppo_cpo.py (2 threads for both).
/// OpenBLAS runs (a) on 1 thread and (b) on 2, the fastest for each here.
enum TensorsSuite {
    static let observationSize = 96, actionSize = 16, hidden = 64

    static func run(timer: Timer, into report: inout Report, progress: Bool) {
        var rng = Xoshiro256StarStar(seed: 2026)
        if report.wants("ppo_minibatch_step_us") {
            let threads = report.useThreads(natural: 1)
            var ppo = PPOMinibatch(batch: 64, using: &rng)
            let a = timer.measure { ppo.step() }
            report.add("ppo_minibatch_step_us", a.median * 1e6, threads: threads)
        }
        if report.wants("cpo_natural_gradient_step_ms") {
            // 2048-row products: two threads win here (9.9 vs 15 ms on 2 cores), as for PyTorch.
            let threads = report.useThreads(natural: 2)
            let cpo = CPODirection(batch: 2048, using: &rng)
            let cgTimer = Timer(repeats: max(3, timer.repeats / 5), warmup: max(1, timer.warmup / 5))
            let b = cgTimer.measure { _ = cpo.direction(iterations: 10, damping: 0.1) }
            report.add("cpo_natural_gradient_step_ms", b.median * 1e3, threads: threads)
        }
    }

    static func policy(using rng: inout Xoshiro256StarStar) -> MLP<Float> {
        MLP(sizes: [observationSize, hidden, hidden, actionSize], hiddenActivation: .tanh,
            outputActivation: .identity, outputGain: 0.01, using: &rng)
    }

    static func batch(_ rows: Int, _ cols: Int, using rng: inout Xoshiro256StarStar) -> Tensor<Float> {
        Tensor.randomNormal([rows, cols], using: &rng)
    }
}

/// One PPO update on a fixed minibatch (Schulman et al. 2017, arXiv:1707.06347).
///
/// `parameters` (policy, log-std, value) is the one copy the optimiser updates in place;
/// the two MLPs supply the architecture that `apply` runs those parameters through.
struct PPOMinibatch {
    let policy: MLP<Float>
    let value: MLP<Float>
    var parameters: [Tensor<Float>]
    var optimizer: Adam<Float>
    let observations, actions, oldLogProbabilities, advantages, returns: Tensor<Float>
    let clip: Float = 0.2

    init(batch: Int, using rng: inout Xoshiro256StarStar) {
        typealias S = TensorsSuite
        policy = S.policy(using: &rng)
        value = MLP(sizes: [S.observationSize, S.hidden, S.hidden, 1], outputGain: 1, using: &rng)
        parameters = policy.parameters + [Tensor.zeros([S.actionSize])] + value.parameters
        optimizer = Adam(parameters: parameters, learningRate: 3e-4, maxGradientNorm: 0.5)
        observations = S.batch(batch, S.observationSize, using: &rng)
        actions = S.batch(batch, S.actionSize, using: &rng)
        oldLogProbabilities = Tensor.randomNormal([batch], mean: -22.7, standardDeviation: 0.1, using: &rng)
        advantages = Tensor.randomNormal([batch], using: &rng)
        returns = Tensor.randomNormal([batch], using: &rng)
    }

    /// The clipped-surrogate-plus-value loss's gradients; the tape dies on return, so the
    /// optimiser then updates `parameters` without copying them.
    func gradients() -> [Tensor<Float>] {
        let tape = Tape<Float>()
        let all = parameters.map(tape.variable)
        let p = policy.layers.count * 2
        let x = tape.constant(observations)
        let distribution = DiagonalGaussian(mean: policy.apply(x, parameters: Array(all[..<p])), logStd: all[p])
        let ratio = (distribution.logProbability(of: actions) - oldLogProbabilities).exp()
        let unclipped = ratio * advantages
        let clipped = ratio.clamped(min: 1 - clip, max: 1 + clip) * advantages
        let policyLoss = -Variable.minimum(unclipped, clipped).mean()
        let predicted = value.apply(x, parameters: Array(all[(p + 1)...])).reshaped([returns.count])
        let valueLoss = (predicted - returns).squared().mean()
        return tape.gradients(of: policyLoss + valueLoss * 0.5, wrt: all)
    }

    mutating func step() {
        let g = gradients()
        optimizer.step(&parameters, gradients: g)
    }
}

/// The natural-gradient direction of CPO (Achiam et al. 2017, arXiv:1705.10528):
/// x ≈ (F + δI)⁻¹ g by conjugate gradients, with exact Fisher-vector products.
struct CPODirection {
    let policy: MLP<Float>
    let logStd: Tensor<Float>
    let observations, actions, oldLogProbabilities, advantages: Tensor<Float>

    init(batch: Int, using rng: inout Xoshiro256StarStar) {
        typealias S = TensorsSuite
        policy = S.policy(using: &rng)
        logStd = Tensor(repeating: -0.5, shape: [S.actionSize])
        observations = S.batch(batch, S.observationSize, using: &rng)
        actions = S.batch(batch, S.actionSize, using: &rng)
        oldLogProbabilities = Tensor.randomNormal([batch], mean: -15, standardDeviation: 0.1, using: &rng)
        advantages = Tensor.randomNormal([batch], using: &rng)
    }

    func direction(iterations: Int, damping: Float) -> Tensor<Float> {
        let tape = Tape<Float>()
        let parameters = policy.parameters.map(tape.variable)
        let logStdVariable = tape.variable(logStd)
        let mean = policy.apply(tape.constant(observations), parameters: parameters)
        let logProbability = DiagonalGaussian(mean: mean, logStd: logStdVariable).logProbability(of: actions)
        let surrogate = ((logProbability - oldLogProbabilities).exp() * advantages).mean()
        let g = ParameterVector.flatten(tape.gradients(of: surrogate, wrt: parameters + [logStdVariable]))

        let fisher = GaussianPolicyFisher(tape: tape, mean: mean, parameters: parameters, logStd: logStd)
        return conjugateGradient(b: g, iterations: iterations) { fisher.product($0) + $0 * damping }
    }
}

/// Conjugate gradients for A x = b with A symmetric positive definite, given A·v.
func conjugateGradient(b: Tensor<Float>, iterations: Int, _ product: (Tensor<Float>) -> Tensor<Float>) -> Tensor<Float> {
    var x = Tensor<Float>.zeros(b.shape)
    var r = b, p = b
    var rr = r.dot(r)
    for _ in 0..<iterations {
        let ap = product(p)
        let alpha = rr / p.dot(ap)
        x.addScaled(p, alpha: alpha)
        r.addScaled(ap, alpha: -alpha)
        let next = r.dot(r)
        p = r + p * (next / rr)
        rr = next
    }
    return x
}
