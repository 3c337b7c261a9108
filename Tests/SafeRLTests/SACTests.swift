import Foundation
import Gym
import BatteryGym
import NeuralNetworks
import SeededRandom
import Testing
@testable import SafeRL

@Suite("Replay buffer")
struct ReplayBufferTests {
    static func filled(_ n: Int, capacity: Int) -> ReplayBuffer {
        var buffer = ReplayBuffer(capacity: capacity, observationLength: 2, actionLength: 1, constraints: 2)
        for i in 0..<n {
            let x = Double(i)
            buffer.append(observation: [x, -x], action: [x / 10], reward: x, costs: [x, 2 * x],
                          nextObservation: [x + 1, -x - 1], terminated: i % 2 == 1)
        }
        return buffer
    }

    @Test("a full buffer overwrites its oldest transitions and keeps every field of a slot together")
    func ring() {
        let buffer = Self.filled(5, capacity: 3)
        #expect(buffer.count == 3 && buffer.next == 2)
        let b = buffer.batch([0, 1, 2])
        #expect(b.rewards.scalars == [3, 4, 2])
        #expect(b.observations.scalars == [3, -3, 4, -4, 2, -2] && b.nextObservations.scalars == [4, -4, 5, -5, 3, -3])
        #expect(b.actions.scalars == [0.3, 0.4, 0.2] && b.costs.scalars == [3, 6, 4, 8, 2, 4])
        #expect(b.terminated.scalars == [1, 0, 0])
    }

    @Test("uniform sampling from the seeded generator: only stored transitions, each about equally often, repeatable")
    func sampling() {
        let buffer = Self.filled(7, capacity: 4)
        var rng = Xoshiro256StarStar(seed: 5), again = Xoshiro256StarStar(seed: 5)
        let rewards = buffer.sample(4000, using: &rng).rewards.scalars
        #expect(rewards == buffer.sample(4000, using: &again).rewards.scalars)
        let counts = Dictionary(grouping: rewards, by: { $0 }).mapValues(\.count)
        #expect(Set(counts.keys) == [3, 4, 5, 6])
        #expect(counts.values.allSatisfy { (900...1100).contains($0) }, "\(counts)")
    }

    @Test("the contents survive a checkpoint round trip; a bad cursor or a missing tensor is refused")
    func checkpoint() throws {
        let buffer = Self.filled(5, capacity: 3)
        let bytes = WeightsFile.encode(buffer.tensors(prefix: "replay"), metadata: ["replay.cursor": buffer.cursor])
        let contents = try WeightsFile.decodeContents(bytes, as: Float.self)
        var restored = ReplayBuffer(capacity: 3, observationLength: 2, actionLength: 1, constraints: 2)
        try restored.restore(contents, prefix: "replay", cursor: contents.metadata["replay.cursor"])
        #expect(restored.count == 3 && restored.next == 2)
        var rng = Xoshiro256StarStar(seed: 1), same = rng
        #expect(restored.sample(16, using: &rng).observations == buffer.sample(16, using: &same).observations)
        restored.append(observation: [9, 9], action: [0], reward: 9, costs: [0, 0], nextObservation: [9, 9], terminated: false)
        #expect(restored.batch([2]).rewards.scalars == [9])
        var other = ReplayBuffer(capacity: 3, observationLength: 2, actionLength: 1, constraints: 2)
        #expect(throws: TrainingError.self) { try other.restore(contents, prefix: "replay", cursor: "3,3") }
        #expect(throws: TrainingError.self) { try other.restore(contents, prefix: "replay", cursor: "2,2") }
        #expect(throws: TrainingError.self) { try other.restore(contents, prefix: "buffer", cursor: "3,2") }
    }
}

@Suite("SAC-Lagrangian on a small fleet")
struct SACTests {
    static func config(_ extra: String = "", constraints: String = #"[{"limit": 1}]"#) throws -> TrainingConfig {
        let json = """
        {"env": {"id": "PulseBMS/FleetDispatch-v0", "options": {"packs": 2, "episode_hours": 1, "fidelity": "ecm"}},
         "algorithm": "sac_lagrangian", "seed": 3, "steps": 480, "environments": 2,
         "hyperparameters": {"hidden": [16, 16], "batch_size": 32, "warmup_steps": 40, "buffer_size": 150,
                             "learning_rate": 0.001\(extra)},
         "constraints": \(constraints)}
        """
        return try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
    }

    static func trainer(_ config: TrainingConfig) throws -> any Trainer {
        try makeTrainer(config: config, make: TrainerTests.make(config))
    }

    static func bits(_ rows: [[Double]]) -> [[UInt64]] { rows.map { $0.map(\.bitPattern) } }

    @Test("two epochs with finite metrics and the OnPolicyTrainer's leading columns; a rerun is bit-identical; α falls toward −|A|")
    func runsAndRepeats() throws {
        let config = try Self.config()
        let a = try Self.trainer(config)
        #expect(a is SACLagrangianTrainer && a.stepsPerEpoch == 120)
        let first = try TrainerTests.run(a, epochs: 1)
        let report = try a.runEpoch()
        #expect(Array(report.metrics.prefix(3).map(\.name)) == ["epoch", "env_steps", "episodes"])
        #expect(report["episodes"] == 2 && report["episode_length"] == 60 && report["gradient_steps"] == 120)
        for name in ["lambda_total", "alpha", "q_loss", "cost_q_loss", "actor_loss", "entropy", "return_mean"] {
            #expect(report[name]?.isFinite == true, "\(name) = \(String(describing: report[name]))")
        }
        // 2 actions per observation: the target entropy is −2; the policy starts far above it, so α falls.
        #expect(report["entropy"]! > -2 && report["alpha"]! < 0.2)
        let b = try Self.trainer(config)
        let second = try TrainerTests.run(b, epochs: 2)
        #expect(Self.bits(first + [report.metrics.map(\.value)]) == Self.bits(second))
        let evaluation = try a.evaluate(episodes: 2, seed: 9)
        #expect(evaluation.count == 2 && evaluation.allSatisfy { $0.length == 60 && $0.reward.isFinite })
    }

    @Test("a run resumed from a checkpoint (networks, targets, optimisers, α, λ, replay, generator) continues bit for bit")
    func resume() throws {
        // 70 steps per epoch: each sub-environment finishes its 60-step episode and goes on after an autoreset.
        let config = try Self.config(#", "pid": {"kp": 0.1}, "updates_per_step": 0.75, "rollout_steps": 70"#)
        let straight = try Self.trainer(config)
        let all = try TrainerTests.run(straight, epochs: 3)
        let first = try Self.trainer(config)
        _ = try TrainerTests.run(first, epochs: 2)
        let saved = first.checkpoint()
        let resumed = try Self.trainer(config)
        try resumed.restore(saved)
        #expect(resumed.epoch == 2 && resumed.totalSteps == 280)
        #expect(Self.bits([try resumed.runEpoch().metrics.map(\.value)]) == Self.bits([all[2]]))
        let sameCheckpoint = resumed.checkpoint() == straight.checkpoint()
        #expect(sameCheckpoint, "the resumed run's checkpoint differs from the uninterrupted run's")
        var damaged = saved
        damaged[damaged.count / 2] ^= 0xFF
        #expect(throws: TrainingError.self) { try resumed.restore(damaged) }
        let ppo = try TrainerTests.config("ppo_lagrangian")
        #expect(throws: TrainingError.self) { try makeTrainer(config: ppo, make: TrainerTests.make(ppo)).restore(saved) }
    }

    @Test("several constraints: one cost-critic output and one multiplier each; autoreset steps are not stored")
    func constraints() throws {
        let config = try Self.config(#", "rollout_steps": 70"#,
                                     constraints: #"[{"costs": ["voltage", "current"], "limit": 0}, {"costs": ["soc"], "limit": 0.5}]"#)
        let trainer = try #require(try Self.trainer(config) as? SACLagrangianTrainer)
        #expect(trainer.critics.cost.outputSize == 2 && trainer.multipliers.count == 2)
        let report = try trainer.runEpoch()
        // Per sub-environment: 60 steps of the episode, the autoreset step (dropped), 9 steps of the next one.
        #expect(trainer.replay.count == 2 * 69 && report["episodes"] == 2)
        #expect(report["lambda_voltage+current"] != nil && report["lambda_soc"] != nil)
        #expect(report["cost_q_loss"]?.isFinite == true)
    }

    @Test("the policy file loads as a tanh-Gaussian whose deterministic action is tanh μ; on-policy files load as Gaussians")
    func policyFile() throws {
        let config = try Self.config()
        let trainer = try #require(try Self.trainer(config) as? SACLagrangianTrainer)
        _ = try trainer.runEpoch()
        let loaded = try PolicyNetwork.load(weights: trainer.policyWeights())
        guard case let .tanhGaussian(policy) = loaded else { Issue.record("loaded \(loaded)"); return }
        #expect(policy.network.parameters == trainer.policy.network.parameters && loaded.layout == trainer.policy.layout)
        let env = try BatteryGym.make(config.environment.id, options: config.environment.options)
        let observations = [try env.reset(seed: 4, options: [:]).observation, try env.reset(seed: 5, options: [:]).observation]
        var rng = Xoshiro256StarStar(seed: 0)
        let deterministic = try loaded.act(observations, deterministic: true, using: &rng)
        #expect(rng == Xoshiro256StarStar(seed: 0) && deterministic.count == 2 && deterministic.allSatisfy { $0.count == 2 })
        let mean = policy.network(policy.layout.input(observations)).scalars
        #expect(deterministic.flatMap { $0 } == [0, 2, 4, 6].map { Foundation.tanh(Double(mean[$0])) })
        let sampled = try loaded.act(observations, deterministic: false, using: &rng)
        #expect(sampled != deterministic && sampled.joined().allSatisfy { abs($0) <= 1 })
        #expect(throws: TrainingError.self) { try PolicyNetwork.load(weights: Array(trainer.policyWeights().dropLast())) }
        let ppo = try TrainerTests.config("ppo")
        guard case .gaussian = try PolicyNetwork.load(weights: try makeTrainer(config: ppo, make: TrainerTests.make(ppo)).policyWeights()) else {
            Issue.record("an ActorCritic file did not load as a Gaussian"); return
        }
    }
}
