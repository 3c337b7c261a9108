/// `hyperparameters`: every key is optional; the defaults (per algorithm where they differ) are those below.
public struct Hyperparameters: Sendable, Equatable, Codable {
    // Networks.
    /// `hidden` [64, 64]: hidden widths of the policy and critic MLPs (tanh).
    public var hidden = [64, 64]
    /// `initial_log_std` −0.5: the policy's initial log standard deviation.
    public var initialLogStd = -0.5
    // Returns and advantages.
    /// `gamma` 0.99, `lambda` 0.95: discount and GAE λ of the reward; `cost_gamma`, `cost_lambda` (same defaults) of the costs.
    public var gamma = 0.99, lambda = 0.95, costGamma = 0.99, costLambda = 0.95
    /// `rollout_steps`: steps per sub-environment per epoch; default the environment's episode length (its time
    /// limit, or the reset's `info["episode_steps"]`), else 1,000. Every epoch starts new episodes, so a resumed run repeats an uninterrupted one.
    public var rolloutSteps: Int?
    // Optimisation.
    /// `learning_rate` 3e-4 (policy, Adam; SAC: actor, critics and log α), `critic_learning_rate` 1e-3 (on-policy critics).
    public var learningRate = 3e-4, criticLearningRate = 1e-3
    /// `anneal_learning_rate` true: on-policy learning rates fall linearly to zero over the run's epochs (as CleanRL's
    /// PPO does), so the policy settles instead of drifting at the end.
    public var annealLearningRate = true
    /// `update_epochs` 10: passes over each rollout (PPO: policy and critics; CPO: critics).
    public var updateEpochs = 10
    /// `minibatches` 8: minibatches per pass.
    public var minibatches = 8
    /// `max_grad_norm` 0.5: global gradient-norm clip (on-policy methods; SAC does not clip).
    public var maxGradNorm = 0.5
    // PPO (Schulman et al. 2017).
    /// `clip` 0.2, `entropy_coefficient` 0.
    public var clip = 0.2, entropyCoefficient = 0.0
    /// `target_kl`: PPO stops an update's passes once the mean KL exceeds 1.5× it (default 0.02); CPO's trust
    /// region δ (default 0.01).
    public var targetKL: Double
    /// `pack_cost_credit` true: where a fleet environment reports each pack's own violations
    /// (`info["pack_costs"]`), PPO-Lagrangian and CPO credit each pack's action with its own costs through a per-pack
    /// cost critic (``ActorCritic``); false uses the fleet's summed cost for every pack.
    public var packCostCredit = true
    // Lagrangian methods.
    /// `lagrange_learning_rate` 0.05 and `lagrange_init` 0: gradient ascent on λ per epoch (PPO- and SAC-Lagrangian).
    public var lagrangeLearningRate = 0.05, lagrangeInit = 0.0
    /// `pid`: {kp, ki, kd, smoothing} turns on the PID Lagrangian (Stooke et al. 2020); absent by default.
    public var pid: PIDGains?
    // CPO (Achiam et al. 2017).
    /// `cg_iterations` 15, `cg_damping` 0.1, `backtrack_steps` 15, `backtrack_ratio` 0.8; `fisher_fraction` 0.2: the
    /// share of the observations (every 1/f-th) the Fisher-vector products use.
    public var cgIterations = 15, cgDamping = 0.1, backtrackSteps = 15, backtrackRatio = 0.8, fisherFraction = 0.2
    // SAC (Haarnoja et al. 2018).
    /// `buffer_size` 1,000,000 (replay capacity, transitions), `batch_size` 256, `tau` 0.005 (Polyak rate of the
    /// target critics), `warmup_steps` 10,000 (environment steps, summed over sub-environments, of uniform random
    /// actions; gradient steps start after them), `updates_per_step` 1 (gradient steps per vector step, per
    /// sub-environment; fractions accumulate), `initial_alpha` 0.2 (temperature α, tuned toward an entropy of −1
    /// per action entry). `hidden` sizes the actor, the twin Q and the cost Q; `gamma`/`cost_gamma` discount the
    /// reward and cost targets; `rollout_steps` is the epoch length; the `lagrange_*` keys and `pid` update λ once
    /// per epoch.
    public var bufferSize = 1_000_000, batchSize = 256, tau = 0.005, warmupSteps = 10_000, updatesPerStep = 1.0
    public var initialAlpha = 0.2

    public struct PIDGains: Sendable, Equatable, Codable {
        public var kp: Double, ki: Double, kd: Double, smoothing: Double
        enum CodingKeys: String, CodingKey, CaseIterable { case kp, ki, kd, smoothing }
        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue), in: "pid")
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kp = try c.value(.kp, default: 0.1, in: 0...1e6); ki = try c.value(.ki, default: 0.01, in: 0...1e6)
            kd = try c.value(.kd, default: 0.01, in: 0...1e6); smoothing = try c.value(.smoothing, default: 0, in: 0...0.999)
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case hidden, initialLogStd = "initial_log_std", gamma, lambda, costGamma = "cost_gamma", costLambda = "cost_lambda"
        case rolloutSteps = "rollout_steps", learningRate = "learning_rate", criticLearningRate = "critic_learning_rate"
        case updateEpochs = "update_epochs", annealLearningRate = "anneal_learning_rate", minibatches, maxGradNorm = "max_grad_norm", clip
        case entropyCoefficient = "entropy_coefficient", targetKL = "target_kl", packCostCredit = "pack_cost_credit"
        case lagrangeLearningRate = "lagrange_learning_rate", lagrangeInit = "lagrange_init", pid
        case cgIterations = "cg_iterations", cgDamping = "cg_damping", backtrackSteps = "backtrack_steps"
        case fisherFraction = "fisher_fraction"
        case backtrackRatio = "backtrack_ratio", bufferSize = "buffer_size", batchSize = "batch_size", tau
        case warmupSteps = "warmup_steps", updatesPerStep = "updates_per_step", initialAlpha = "initial_alpha"
    }

    /// The defaults of `algorithm`.
    public init(defaultsFor algorithm: TrainingConfig.Algorithm) {
        targetKL = algorithm == .cpo ? 0.01 : 0.02
    }

    public init(from decoder: Decoder) throws {
        try self.init(from: decoder, algorithm: .ppo)
    }

    public init(from decoder: Decoder, algorithm: TrainingConfig.Algorithm) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue), in: "hyperparameters")
        self.init(defaultsFor: algorithm)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hidden = try c.value(.hidden, default: hidden)
        guard !hidden.isEmpty, hidden.allSatisfy({ (1...4096).contains($0) }) else {
            throw TrainingError.invalidConfig("hidden = \(hidden) needs one or more widths in 1…4096")
        }
        initialLogStd = try c.value(.initialLogStd, default: initialLogStd, in: -10...2)
        gamma = try c.value(.gamma, default: gamma, in: 0...1); lambda = try c.value(.lambda, default: lambda, in: 0...1)
        costGamma = try c.value(.costGamma, default: costGamma, in: 0...1)
        costLambda = try c.value(.costLambda, default: costLambda, in: 0...1)
        rolloutSteps = try c.decodeIfPresent(Int.self, forKey: .rolloutSteps)
        if let r = rolloutSteps, r < 1 { throw TrainingError.invalidConfig("rollout_steps = \(r) must be positive") }
        learningRate = try c.value(.learningRate, default: learningRate, in: 0...1)
        criticLearningRate = try c.value(.criticLearningRate, default: criticLearningRate, in: 0...1)
        updateEpochs = try c.value(.updateEpochs, default: updateEpochs, in: 1...1000)
        annealLearningRate = try c.value(.annealLearningRate, default: annealLearningRate)
        minibatches = try c.value(.minibatches, default: minibatches, in: 1...100_000)
        maxGradNorm = try c.value(.maxGradNorm, default: maxGradNorm, in: 0...1e6)
        clip = try c.value(.clip, default: clip, in: 0...10)
        entropyCoefficient = try c.value(.entropyCoefficient, default: entropyCoefficient, in: 0...10)
        targetKL = try c.value(.targetKL, default: targetKL, in: 0...10)
        packCostCredit = try c.value(.packCostCredit, default: packCostCredit)
        lagrangeLearningRate = try c.value(.lagrangeLearningRate, default: lagrangeLearningRate, in: 0...1e6)
        lagrangeInit = try c.value(.lagrangeInit, default: lagrangeInit, in: 0...1e6)
        pid = try c.decodeIfPresent(PIDGains.self, forKey: .pid)
        cgIterations = try c.value(.cgIterations, default: cgIterations, in: 1...1000)
        cgDamping = try c.value(.cgDamping, default: cgDamping, in: 0...1e3)
        backtrackSteps = try c.value(.backtrackSteps, default: backtrackSteps, in: 1...100)
        backtrackRatio = try c.value(.backtrackRatio, default: backtrackRatio, in: 0.01...0.99)
        fisherFraction = try c.value(.fisherFraction, default: fisherFraction, in: 0.001...1)
        bufferSize = try c.value(.bufferSize, default: bufferSize, in: 1...100_000_000)
        batchSize = try c.value(.batchSize, default: batchSize, in: 1...1_000_000)
        tau = try c.value(.tau, default: tau, in: 0...1)
        warmupSteps = try c.value(.warmupSteps, default: warmupSteps, in: 0...100_000_000)
        updatesPerStep = try c.value(.updatesPerStep, default: updatesPerStep, in: 0...100)
        initialAlpha = try c.value(.initialAlpha, default: initialAlpha, in: 0...100)
    }

    /// λ's update rule from `pid` and the gradient-ascent settings.
    public var lagrangeUpdate: LagrangeMultiplier.Update {
        if let pid { return .pid(kp: pid.kp, ki: pid.ki, kd: pid.kd, smoothing: pid.smoothing) }
        return .gradientAscent(learningRate: lagrangeLearningRate)
    }
}
