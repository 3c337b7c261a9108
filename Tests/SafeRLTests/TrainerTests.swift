import Foundation
import Gym
import BatteryGym
import Testing
@testable import SafeRL

@Suite("Trainers on a small fleet: finite metrics, bit-identical reruns and resumes")
struct TrainerTests {
    static func config(_ algorithm: String, threads: Int = 1, extra: String = "") throws -> TrainingConfig {
        let json = """
        {"env": {"id": "PulseBMS/FleetDispatch-v0", "options": {"packs": 2, "episode_hours": 1, "fidelity": "ecm"}},
         "algorithm": "\(algorithm)", "seed": 3, "steps": 480, "environments": 2, "threads": \(threads),
         "hyperparameters": {"hidden": [16, 16], "update_epochs": 2, "minibatches": 2, "cg_iterations": 5\(extra)},
         "constraints": [{"limit": 1}]}
        """
        return try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
    }

    static func make(_ config: TrainingConfig) -> (Int) throws(GymError) -> any Environment {
        { _ throws(GymError) in try BatteryGym.make(config.environment.id, options: config.environment.options) }
    }

    static func run(_ trainer: any Trainer, epochs: Int) throws -> [[Double]] {
        try (0..<epochs).map { _ in try trainer.runEpoch().metrics.map(\.value) }
    }

    @Test("PPO, PPO-Lagrangian and CPO run two epochs with finite losses; a rerun is bit-identical",
          arguments: ["ppo", "ppo_lagrangian", "cpo"])
    func runsAndRepeats(algorithm: String) throws {
        let config = try Self.config(algorithm)
        let a = try makeTrainer(config: config, make: Self.make(config))
        let first = try Self.run(a, epochs: 2)
        #expect(a.stepsPerEpoch == 120 && a.totalSteps == 240 && a.epoch == 2)
        let report = try a.runEpoch()
        #expect(report["episodes"] == 2 && report["episode_length"] == 60)
        for (name, value) in report.metrics where !name.hasPrefix("cost_") || name.hasSuffix("_mean") {
            #expect(value.isFinite, "\(name) = \(value)")
        }
        let b = try makeTrainer(config: config, make: Self.make(config))
        let second = try Self.run(b, epochs: 2)
        #expect(first.map { $0.map(\.bitPattern) } == second.map { $0.map(\.bitPattern) })
        let evaluation = try a.evaluate(episodes: 2, seed: 9)
        #expect(evaluation.count == 2 && evaluation.allSatisfy { $0.length == 60 && $0.reward.isFinite })
    }

    @Test("a run resumed from a checkpoint continues bit for bit", arguments: ["ppo_lagrangian", "cpo"])
    func resume(algorithm: String) throws {
        let config = try Self.config(algorithm, extra: ", \"pid\": {\"kp\": 0.1}")
        let straight = try makeTrainer(config: config, make: Self.make(config))
        let all = try Self.run(straight, epochs: 3)
        let first = try makeTrainer(config: config, make: Self.make(config))
        _ = try Self.run(first, epochs: 2)
        let saved = first.checkpoint()
        let resumed = try makeTrainer(config: config, make: Self.make(config))
        try resumed.restore(saved)
        #expect(resumed.epoch == 2 && resumed.totalSteps == 240)
        let third = try resumed.runEpoch().metrics.map(\.value)
        #expect(third.map(\.bitPattern) == all[2].map(\.bitPattern))
        // A checkpoint of another algorithm or a damaged one is refused.
        var damaged = saved
        damaged[damaged.count / 2] ^= 0xFF
        #expect(throws: TrainingError.self) { try resumed.restore(damaged) }
        let other = try makeTrainer(config: try Self.config(algorithm == "cpo" ? "ppo" : "cpo"), make: Self.make(config))
        #expect(throws: TrainingError.self) { try other.restore(saved) }
    }

    @Test("two threads give the same metrics as one")
    func threads() throws {
        let one = try makeTrainer(config: try Self.config("ppo_lagrangian", threads: 1), make: Self.make(try Self.config("ppo_lagrangian")))
        let two = try makeTrainer(config: try Self.config("ppo_lagrangian", threads: 2), make: Self.make(try Self.config("ppo_lagrangian")))
        #expect(try Self.run(one, epochs: 1).map { $0.map(\.bitPattern) } == (try Self.run(two, epochs: 1)).map { $0.map(\.bitPattern) })
    }
}

@Suite("Experiment configs")
struct ConfigTests {
    static func decode(_ json: String) throws -> TrainingConfig {
        try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
    }

    @Test("defaults are filled in and per-algorithm defaults differ")
    func defaults() throws {
        let c = try Self.decode(#"{"env": {"id": "PulseBMS/FleetDispatch-v0"}, "algorithm": "cpo"}"#)
        #expect(c.steps == 1_000_000 && c.environments == 8 && c.seed == 0 && c.threads == 1)
        #expect(c.constraints == [ConstraintConfig(costs: nil, limit: 0)] && c.constraints[0].name == "total")
        #expect(c.hyperparameters.targetKL == 0.01 && c.hyperparameters.hidden == [64, 64])
        let p = try Self.decode(#"{"env": {"id": "X-v0", "options": {"packs": 16, "fidelity": "spme"}}, "algorithm": "ppo_lagrangian"}"#)
        #expect(p.hyperparameters.targetKL == 0.02 && p.environment.options["packs"] == .int(16) && p.environment.options["fidelity"] == .string("spme"))
    }

    @Test("typos, bad values and unsupported combinations are refused with the key named")
    func errors() {
        func message(_ json: String) -> String {
            do { _ = try Self.decode(json); return "" } catch { return "\(error)" }
        }
        #expect(message(#"{"env": {"id": "X-v0"}, "algorithm": "ppo", "stpes": 5}"#).contains("stpes"))
        #expect(message(#"{"env": {"id": "X-v0"}, "algorithm": "ppo", "hyperparameters": {"gama": 0.9}}"#).contains("gama"))
        #expect(message(#"{"env": {"id": "X-v0"}, "algorithm": "ppo", "hyperparameters": {"gamma": 1.5}}"#).contains("gamma"))
        #expect(message(#"{"env": {"id": "X-v0"}, "algorithm": "trpo"}"#).contains("trpo"))
        #expect(message(#"{"env": {"id": "X-v0"}, "algorithm": "cpo", "constraints": [{"limit": 1}, {"limit": 2}]}"#).contains("one constraint"))
        #expect(message(#"{"env": {"id": "X-v0"}, "algorithm": "ppo", "steps": 0}"#).contains("steps"))
        #expect(message(#"{"env": {"id": "X-v0"}, "algorithm": "sac_lagrangian", "init_weights": "p.weights"}"#).contains("on-policy"))
    }

    @Test("init_weights: a run starts from another run's networks; mismatched networks are refused")
    func startsFromWeights() throws {
        let config = try TrainerTests.config("ppo_lagrangian")
        let trained = try makeTrainer(config: config, make: TrainerTests.make(config))
        _ = try TrainerTests.run(trained, epochs: 1)
        let fresh = try makeTrainer(config: config, make: TrainerTests.make(config))
        #expect(fresh.policyWeights() != trained.policyWeights())
        try fresh.startFromWeights(trained.policyWeights())
        #expect(fresh.policyWeights() == trained.policyWeights())
        _ = try TrainerTests.run(fresh, epochs: 1)

        // PPO's cost critic sees the fleet summary, PPO-Lagrangian's each pack: the networks differ.
        let ppo = try makeTrainer(config: try TrainerTests.config("ppo"), make: TrainerTests.make(config))
        #expect(throws: TrainingError.self) { try ppo.startFromWeights(trained.policyWeights()) }
        #expect(throws: TrainingError.self) { try ppo.startFromWeights([1, 2, 3]) }
        #expect(throws: TrainingError.self) { try fresh.startFromWeights(trained.policyWeights()) }  // after an epoch
    }
}
