import Gym
import NeuralNetworks
import SeededRandom
import Tensors

/// SAC-Lagrangian: soft actor-critic (Haarnoja et al., "Soft Actor-Critic Algorithms and Applications",
/// arXiv:1812.05905: twin Q with clipped double-Q targets, Polyak-averaged target networks, automatic entropy
/// tuning toward −1 per action entry) with a cost critic per constraint and Lagrange multipliers in the actor's
/// loss (Ha et al. 2020, arXiv:2002.08550; Yang et al. 2021, "WCSAC"). See ``SACUpdate`` for the losses.
///
/// An epoch is `rollout_steps` vector steps (default the episode length, else 1,000) from fresh episodes seeded
/// with ``episodeSeed(run:epoch:)``, so a resumed run meets the same episodes. Actions are uniform in [−1, 1]
/// during the first `warmup_steps` environment steps (summed over sub-environments); afterwards each vector step
/// earns `updates_per_step` × sub-environments gradient steps (fractions carry over), each on a uniform replay
/// sample of `batch_size`. Transitions go to the ``ReplayBuffer``, except the autoreset step that follows an
/// episode's end (``VectorEnvironment``'s next-step autoreset). λ is updated once per epoch, after its updates,
/// from the epoch's mean episode cost (``LagrangeMultiplier``: gradient ascent, or PID with `pid`).
public final class SACLagrangianTrainer: Trainer {
    public let config: TrainingConfig
    public internal(set) var epoch = 0, totalSteps = 0
    public let stepsPerEpoch: Int
    let rolloutSteps: Int
    let collector: RolloutCollector
    var policy: TanhGaussianPolicy
    var critics: SACCritics
    var update: SACUpdate
    var replay: ReplayBuffer
    public internal(set) var multipliers: [LagrangeMultiplier]
    var rng: Xoshiro256StarStar
    /// Gradient steps earned but not yet taken (below 1).
    var updateCredit = 0.0
    /// Gradient steps taken so far.
    public internal(set) var gradientSteps = 0

    public init(config: TrainingConfig, make: (Int) throws(GymError) -> any Environment) throws(TrainingError) {
        guard config.algorithm == .sacLagrangian else {
            throw .invalidConfig("\(config.algorithm.rawValue) is trained by OnPolicyTrainer")
        }
        self.config = config
        collector = try RolloutCollector(config: config, make: make)
        let h = config.hyperparameters
        rolloutSteps = collector.rolloutSteps(h)
        stepsPerEpoch = rolloutSteps * config.environments
        rng = Xoshiro256StarStar(seed: config.seed)
        policy = TanhGaussianPolicy(layout: collector.layout, hidden: h.hidden, using: &rng)
        critics = SACCritics(layout: collector.layout, hidden: h.hidden, constraints: config.constraints.count, using: &rng)
        update = SACUpdate(policy: policy, critics: critics, hyperparameters: h)
        replay = ReplayBuffer(capacity: h.bufferSize, observationLength: collector.vector.singleObservationSpace.flatCount,
                              actionLength: collector.low.count, constraints: max(config.constraints.count, 1))
        multipliers = config.lagrangeMultipliers
    }

    public var componentNames: [String] { collector.componentNames }
    /// The temperature α.
    public var alpha: Double { update.alpha }

    public func runEpoch() throws(TrainingError) -> EpochReport {
        let h = config.hyperparameters
        let vector = collector.vector, count = vector.count
        var observations: [[Double]]
        do { observations = try vector.reset(seed: episodeSeed(run: config.seed, epoch: epoch)).observations } catch { throw .environment("reset: \(error)") }
        var tracker = EpisodeTracker(environments: count, components: componentNames.count)
        var episodes: [EpisodeResult] = []
        var resetting = [Bool](repeating: false, count: count)
        var sums = SACUpdate.Losses(), updates = 0
        let lambdas = multipliers.map(\.value)
        for t in 0..<rolloutSteps {
            let taken = totalSteps + t * count
            var actions: [[Double]] = []
            if taken < h.warmupSteps {
                for _ in 0..<count { actions.append(collector.low.indices.map { _ in rng.nextUniform(in: -1, 1) }) }
            } else {
                actions = try policy.act(observations, deterministic: false, using: &rng)
            }
            let transitions: [Transition]
            do { transitions = try vector.step(actions.map(collector.environmentAction)) } catch { throw .environment("step: \(error)") }
            for (e, tr) in transitions.enumerated() {
                // The step after an episode's end only resets the sub-environment: not a transition.
                if resetting[e] { resetting[e] = false; continue }
                let c = collector.constraintCosts(tr.costs)
                replay.append(observation: observations[e], action: actions[e], reward: tr.reward, costs: c.isEmpty ? [0] : c,
                              nextObservation: tr.observation, terminated: tr.terminated)
                if let episode = tracker.record(e, tr, constraintCosts: collector.constraintCosts) { episodes.append(episode) }
                resetting[e] = tr.done
            }
            observations = transitions.map(\.observation)
            guard taken + count >= h.warmupSteps else { continue }
            updateCredit += h.updatesPerStep * Double(count)
            while updateCredit >= 1 {
                updateCredit -= 1
                let batch = replay.sample(h.batchSize, using: &rng)
                let l = try update.step(policy: &policy, critics: &critics, batch: batch, multipliers: lambdas, h: h, using: &rng)
                sums.q += l.q; sums.cost += l.cost; sums.actor += l.actor; sums.entropy += l.entropy
                updates += 1
            }
        }
        gradientSteps += updates
        let meanCosts = constraintNames.indices.map { j in
            episodes.isEmpty ? Double.nan : episodes.map { $0.constraintCosts[j] }.reduce(0, +) / Double(episodes.count)
        }
        for j in multipliers.indices { multipliers[j].observe(cost: meanCosts[j]) }
        epoch += 1
        totalSteps += stepsPerEpoch
        var report: [(name: String, value: Double)] = [("epoch", Double(epoch)), ("env_steps", Double(totalSteps)),
                                                       ("episodes", Double(episodes.count))]
        report += EpisodeSummary.metrics(episodes, constraints: constraintNames, components: componentNames)
        for (j, m) in multipliers.enumerated() { report.append(("lambda_\(constraintNames[j])", m.value)) }
        // Loss means over the epoch's gradient steps (NaN while warming up).
        let n = updates > 0 ? Double(updates) : .nan
        report += [("alpha", update.alpha), ("q_loss", sums.q / n), ("cost_q_loss", sums.cost / n),
                   ("actor_loss", sums.actor / n), ("entropy", sums.entropy / n), ("gradient_steps", Double(updates))]
        return EpochReport(metrics: report, episodes: episodes)
    }

    public func evaluate(episodes: Int, seed: UInt64) throws(TrainingError) -> [EpisodeResult] {
        try collector.evaluate(policy: .tanhGaussian(policy), episodes: episodes, seed: seed)
    }
}
