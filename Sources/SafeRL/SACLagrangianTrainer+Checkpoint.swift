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
    public func startFromWeights(_ bytes: [UInt8]) throws(TrainingError) {
        throw .invalidConfig("init_weights is for the on-policy algorithms (ppo, ppo_lagrangian, cpo)")
    }

    public func policyWeights() -> [UInt8] {
        policy.weightsFile(metadata: ["algorithm": config.algorithm.rawValue, "env": config.environment.id],
                           models: Array(critics.named.prefix(3)))
    }

    public func checkpoint() -> [UInt8] {
        var metadata = CheckpointCoding.header(config: config, epoch: epoch, steps: totalSteps, rng: rng, multipliers: multipliers)
        metadata.merge(["trainer.gradient_steps": "\(gradientSteps)", "trainer.update_credit": "\(updateCredit)",
                        "replay.cursor": replay.cursor,
                        "adam.actor.steps": "\(update.actorOptimizer.state.stepCount)",
                        "adam.critic.steps": "\(update.criticOptimizer.state.stepCount)",
                        "adam.alpha.steps": "\(update.alphaOptimizer.state.stepCount)"]) { _, new in new }
        let tensors = [("sac.log_alpha", update.logAlpha)]
            + CheckpointCoding.adamTensors(update.actorOptimizer.state, name: "adam.actor")
            + CheckpointCoding.adamTensors(update.criticOptimizer.state, name: "adam.critic")
            + CheckpointCoding.adamTensors(update.alphaOptimizer.state, name: "adam.alpha")
            + replay.tensors(prefix: "replay")
        return policy.weightsFile(metadata: metadata, models: critics.named, tensors: tensors)
    }

    public func restore(_ bytes: [UInt8]) throws(TrainingError) {
        let contents = try CheckpointCoding.open(bytes, for: config)
        let restoredPolicy = try TanhGaussianPolicy(weights: contents)
        guard restoredPolicy.layout == policy.layout, restoredPolicy.network.sizes == policy.network.sizes else {
            throw .checkpoint("its policy does not match this config's")
        }
        var restoredCritics = critics
        try restoredCritics.restore(contents)
        let header = try CheckpointCoding.readHeader(contents, multipliers: multipliers)
        guard let g = Int(contents.metadata["trainer.gradient_steps"] ?? ""),
              let credit = Double(contents.metadata["trainer.update_credit"] ?? "") else {
            throw .checkpoint("gradient-step count or update credit missing")
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
        policy = restoredPolicy; critics = restoredCritics; update = restoredUpdate; replay = restoredReplay
        (epoch, totalSteps, rng, multipliers) = header
        gradientSteps = g; updateCredit = credit
    }
}
