import Gym
import NeuralNetworks
import SeededRandom
import Tensors

/// PPO, PPO-Lagrangian and CPO: each epoch collects `rollout_steps` steps from every sub-environment with the
/// present policy, computes GAE for the reward and each constraint's cost, updates the Lagrange multipliers with
/// the epoch's mean episode costs (PPO-Lagrangian), then runs the algorithm's update (``PPOUpdate``,
/// ``CPOUpdate``). With `threads ≥ 2` the critics are fitted beside the policy update, with the same result.
public final class OnPolicyTrainer: Trainer {
    public let config: TrainingConfig
    public private(set) var epoch = 0, totalSteps = 0
    public let stepsPerEpoch: Int
    let rolloutSteps: Int
    let collector: RolloutCollector
    var model: ActorCritic
    var ppo: PPOUpdate
    var cpo: CPOUpdate
    public private(set) var multipliers: [LagrangeMultiplier]
    var rng: Xoshiro256StarStar
    /// Wall-clock seconds of the last epoch's collection and update (not part of the deterministic metrics).
    public private(set) var lastTiming = (collect: 0.0, update: 0.0)

    public init(config: TrainingConfig, make: (Int) throws(GymError) -> any Environment) throws(TrainingError) {
        self.config = config
        collector = try RolloutCollector(config: config, make: make)
        let h = config.hyperparameters
        rolloutSteps = collector.rolloutSteps(h)
        stepsPerEpoch = rolloutSteps * config.environments
        rng = Xoshiro256StarStar(seed: config.seed)
        model = ActorCritic(layout: collector.layout, hidden: h.hidden, constraints: max(config.constraints.count, 1),
                            initialLogStd: Float(h.initialLogStd), costPerRow: h.packCostCredit && collector.costsPerRow
                                && config.algorithm != .ppo, using: &rng)
        ppo = PPOUpdate(model: model, hyperparameters: h)
        cpo = CPOUpdate(model: model, hyperparameters: h)
        multipliers = config.lagrangeMultipliers
    }

    public var componentNames: [String] { collector.componentNames }

    public func runEpoch() throws(TrainingError) -> EpochReport {
        let h = config.hyperparameters
        if h.annealLearningRate {
            let epochs = max(1, (config.steps + stepsPerEpoch - 1) / stepsPerEpoch)
            let fraction = Float(max(0, 1 - Double(epoch) / Double(epochs)))
            ppo.policyOptimizer.learningRate = Float(h.learningRate) * fraction
            ppo.critics.optimizer.learningRate = Float(h.criticLearningRate) * fraction
            cpo.critics.optimizer.learningRate = Float(h.criticLearningRate) * fraction
        }
        let clock = ContinuousClock(), started = clock.now
        let k = config.constraints.count
        var (buffer, episodes) = try collector.collect(model: model, steps: rolloutSteps,
                                                       seed: episodeSeed(run: config.seed, epoch: epoch), using: &rng)
        buffer.finish(gamma: h.gamma, lambda: h.lambda, costGamma: h.costGamma, costLambda: h.costLambda)
        let batch = try OnPolicyBatch(buffer, layout: model.layout, constraints: max(k, 1), costPerRow: model.costPerRow)
        let collected = clock.now
        let meanCosts = (0..<k).map { j in episodes.isEmpty ? Double.nan : episodes.map { $0.constraintCosts[j] }.reduce(0, +) / Double(episodes.count) }
        var metrics: [(String, Double)]
        switch config.algorithm {
        case .ppo:
            metrics = try ppo.update(&model, batch: batch, multipliers: [], h: h, concurrently: config.threads > 1, using: &rng)
        case .ppoLagrangian:
            for j in 0..<k { multipliers[j].observe(cost: meanCosts[j]) }
            metrics = try ppo.update(&model, batch: batch, multipliers: multipliers.map(\.value), h: h, concurrently: config.threads > 1, using: &rng)
        case .cpo:
            // Without a finished episode, the cost rate of the rollout stands in for the episode mean.
            let length = episodes.isEmpty ? Double(rolloutSteps) : Double(episodes.map(\.length).reduce(0, +)) / Double(episodes.count)
            let rolloutRate = buffer.costs.reduce(0) { $0 + $1.reduce(0, +) } / Double(max(batch.count, 1))
            let episodeCost = meanCosts[0].isNaN ? rolloutRate * length : meanCosts[0]
            let c = (episodeCost - config.constraints[0].limit) / max(length, 1)
            metrics = try cpo.update(&model, batch: batch, constraintExcessPerStep: c, h: h, concurrently: config.threads > 1, using: &rng)
        case .sacLagrangian:
            throw .invalidConfig("sac_lagrangian is trained by SACLagrangianTrainer")
        }
        lastTiming = (Self.seconds(collected - started), Self.seconds(clock.now - collected))
        epoch += 1
        totalSteps += stepsPerEpoch
        var report: [(name: String, value: Double)] = [("epoch", Double(epoch)), ("env_steps", Double(totalSteps)),
                                                       ("episodes", Double(episodes.count))]
        report += EpisodeSummary.metrics(episodes, constraints: constraintNames, components: componentNames)
        for (j, m) in multipliers.enumerated() where config.algorithm == .ppoLagrangian {
            report.append(("lambda_\(constraintNames[j])", m.value))
        }
        report.append(("policy_std", Double(model.logStd.scalars.map { Float.exp($0) }.reduce(0, +)) / Double(model.logStd.count)))
        report += metrics.map { (name: $0.0, value: $0.1) }
        return EpochReport(metrics: report, episodes: episodes)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    public func evaluate(episodes: Int, seed: UInt64) throws(TrainingError) -> [EpisodeResult] {
        try collector.evaluate(policy: .gaussian(model), episodes: episodes, seed: seed)
    }

    public func policyWeights() -> [UInt8] {
        model.weightsFile(metadata: ["algorithm": config.algorithm.rawValue, "env": config.environment.id])
    }

    public func startFromWeights(_ bytes: [UInt8]) throws(TrainingError) {
        guard epoch == 0 else { throw .invalidConfig("init_weights applies before the first epoch only") }
        let contents: WeightsFile.Contents<Float>
        do { contents = try WeightsFile.decodeContents(bytes, as: Float.self) } catch { throw .checkpoint("init_weights: \(error)") }
        let loaded = try ActorCritic(weights: contents)
        guard loaded.layout == model.layout, loaded.policy.sizes == model.policy.sizes, loaded.value.sizes == model.value.sizes,
              loaded.costValue.sizes == model.costValue.sizes, loaded.costPerRow == model.costPerRow else {
            throw .invalidConfig("init_weights: its networks (policy \(loaded.policy.sizes), cost critic \(loaded.costValue.sizes)\(loaded.costPerRow ? " per pack" : "")) do not match this config's (policy \(model.policy.sizes), cost critic \(model.costValue.sizes)\(model.costPerRow ? " per pack" : ""))")
        }
        model = loaded
        ppo = PPOUpdate(model: model, hyperparameters: config.hyperparameters)
        cpo = CPOUpdate(model: model, hyperparameters: config.hyperparameters)
    }

    public func checkpoint() -> [UInt8] {
        var metadata = CheckpointCoding.header(config: config, epoch: epoch, steps: totalSteps, rng: rng, multipliers: multipliers)
        metadata["adam.policy.steps"] = "\(ppo.policyOptimizer.state.stepCount)"
        metadata["adam.critic.steps"] = "\(ppo.critics.optimizer.state.stepCount)"
        metadata["adam.cpo_critic.steps"] = "\(cpo.critics.optimizer.state.stepCount)"
        let tensors = CheckpointCoding.adamTensors(ppo.policyOptimizer.state, name: "adam.policy")
            + CheckpointCoding.adamTensors(ppo.critics.optimizer.state, name: "adam.critic")
            + CheckpointCoding.adamTensors(cpo.critics.optimizer.state, name: "adam.cpo_critic")
        return model.weightsFile(metadata: metadata, tensors: tensors)
    }

    public func restore(_ bytes: [UInt8]) throws(TrainingError) {
        let contents = try CheckpointCoding.open(bytes, for: config)
        let restored = try ActorCritic(weights: contents)
        guard restored.layout == model.layout, restored.policy.sizes == model.policy.sizes,
              restored.value.sizes == model.value.sizes, restored.costValue.sizes == model.costValue.sizes else {
            throw .checkpoint("its networks do not match this config's")
        }
        let header = try CheckpointCoding.readHeader(contents, multipliers: multipliers)
        let policyState = try CheckpointCoding.adamState(contents, name: "adam.policy", like: ppo.policyOptimizer.state)
        let criticState = try CheckpointCoding.adamState(contents, name: "adam.critic", like: ppo.critics.optimizer.state)
        let cpoState = try CheckpointCoding.adamState(contents, name: "adam.cpo_critic", like: cpo.critics.optimizer.state)
        model = restored
        ppo.policyOptimizer.state = policyState; ppo.critics.optimizer.state = criticState; cpo.critics.optimizer.state = cpoState
        (epoch, totalSteps, rng, multipliers) = header
    }
}
