import NeuralNetworks
import SeededRandom
import Tensors

/// Checkpoints and policy files of ``SACLagrangianTrainer``.
///
/// A checkpoint is one float weights file holding everything a resumed run needs to repeat an uninterrupted one
/// bit for bit: the MLPs `policy`, `q1`, `q2`, `cost_q` and their targets `q1_target`, `q2_target`,
/// `cost_q_target`; the tensor `sac.log_alpha`; the Adam moments `adam.actor.*`, `adam.critic.*`, `adam.alpha.*`
/// (step counts as metadata); the replay buffer's contents `replay.*` (cursor `replay.cursor`); and as metadata
/// the multipliers' states, the generator, the epoch, step and gradient-step counts and the update credit.
extension SACLagrangianTrainer {
    /// The policy file `pulse evaluate` runs (``PolicyNetwork/load(weights:)``): the tanh-Gaussian `policy` with
    /// `policy.distribution` and `policy.layout`, and the online critics `q1`, `q2`, `cost_q`.
    public func policyWeights() -> [UInt8] {
        policy.weightsFile(metadata: ["algorithm": config.algorithm.rawValue, "env": config.environment.id],
                           models: Array(critics.named.prefix(3)))
    }

    public func checkpoint() -> [UInt8] {
        var metadata = ["algorithm": config.algorithm.rawValue, "env": config.environment.id,
                        "trainer.epoch": "\(epoch)", "trainer.steps": "\(totalSteps)",
                        "trainer.gradient_steps": "\(gradientSteps)", "trainer.update_credit": "\(updateCredit)",
                        "trainer.rng": CheckpointCoding.encode(rng: rng), "replay.cursor": replay.cursor,
                        "adam.actor.steps": "\(update.actorOptimizer.state.stepCount)",
                        "adam.critic.steps": "\(update.criticOptimizer.state.stepCount)",
                        "adam.alpha.steps": "\(update.alphaOptimizer.state.stepCount)"]
        for (j, m) in multipliers.enumerated() { metadata["trainer.lambda.\(j)"] = CheckpointCoding.numbers(m.state) }
        let tensors = [("sac.log_alpha", update.logAlpha)]
            + CheckpointCoding.adamTensors(update.actorOptimizer.state, name: "adam.actor")
            + CheckpointCoding.adamTensors(update.criticOptimizer.state, name: "adam.critic")
            + CheckpointCoding.adamTensors(update.alphaOptimizer.state, name: "adam.alpha")
            + replay.tensors(prefix: "replay")
        return policy.weightsFile(metadata: metadata, models: critics.named, tensors: tensors)
    }

    public func restore(_ bytes: [UInt8]) throws(TrainingError) {
        let contents: WeightsFile.Contents<Float>
        do { contents = try WeightsFile.decodeContents(bytes, as: Float.self) } catch { throw .checkpoint("\(error)") }
        guard contents.metadata["algorithm"] == config.algorithm.rawValue, contents.metadata["env"] == config.environment.id else {
            throw .checkpoint("it was written by \(contents.metadata["algorithm"] ?? "?") on \(contents.metadata["env"] ?? "?"), this run is \(config.algorithm.rawValue) on \(config.environment.id)")
        }
        let restoredPolicy = try TanhGaussianPolicy(weights: contents)
        guard restoredPolicy.layout == policy.layout, restoredPolicy.network.sizes == policy.network.sizes else {
            throw .checkpoint("its policy does not match this config's")
        }
        var restoredCritics = critics
        try restoredCritics.restore(contents)
        guard let e = Int(contents.metadata["trainer.epoch"] ?? ""), let s = Int(contents.metadata["trainer.steps"] ?? ""),
              let g = Int(contents.metadata["trainer.gradient_steps"] ?? ""),
              let credit = Double(contents.metadata["trainer.update_credit"] ?? "") else {
            throw .checkpoint("epoch, step or gradient-step count or update credit missing")
        }
        guard let logAlpha = contents.tensor(named: "sac.log_alpha"), logAlpha.shape == [1] else {
            throw .checkpoint("sac.log_alpha is missing or not [1]")
        }
        var restoredUpdate = update
        restoredUpdate.logAlpha = logAlpha
        restoredUpdate.actorOptimizer.state = try CheckpointCoding.adamState(contents, name: "adam.actor", like: update.actorOptimizer.state)
        restoredUpdate.criticOptimizer.state = try CheckpointCoding.adamState(contents, name: "adam.critic", like: update.criticOptimizer.state)
        restoredUpdate.alphaOptimizer.state = try CheckpointCoding.adamState(contents, name: "adam.alpha", like: update.alphaOptimizer.state)
        var restoredReplay = replay
        try restoredReplay.restore(contents, prefix: "replay", cursor: contents.metadata["replay.cursor"])
        var restoredMultipliers = multipliers
        for j in restoredMultipliers.indices {
            restoredMultipliers[j].state = try CheckpointCoding.decodeNumbers(contents.metadata["trainer.lambda.\(j)"])
        }
        rng = try CheckpointCoding.decodeGenerator(contents.metadata["trainer.rng"])
        policy = restoredPolicy; critics = restoredCritics; update = restoredUpdate; replay = restoredReplay
        multipliers = restoredMultipliers
        epoch = e; totalSteps = s; gradientSteps = g; updateCredit = credit
    }
}
