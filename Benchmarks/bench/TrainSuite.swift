import Foundation
import PulseBMS

/// Suite `train` (issue 7): training throughput, environment plus learning, in environment steps per second of
/// wall time.
///
/// - `ppolag_fleet16_ecm_steps_per_s`: PPO-Lagrangian on `PulseBMS/FleetDispatch-v0`, 16 packs at ECM fidelity,
///   the settings of `Experiments/ppo_lagrangian_fleetdispatch16_ecm.yaml` (8 sub-environments on 2 threads, one
///   day per epoch = 11,520 steps, hidden [64, 64], 5 update passes), timed over 3 epochs after one warm-up epoch,
///   with OpenBLAS on one thread, as `train` runs it: the second core steps half the environments during collection
///   and fits the critics beside the policy during the update.
/// - `ppolag_fleet16_ecm_collect_share`: the share of that time spent collecting experience (the rest: updates).
/// - `ppolag_fleet16_ecm_blas2_steps_per_s`: the same with OpenBLAS on two threads — the evidence for `train`'s
///   choice of one (its threads then compete with the critics' for the two cores).
enum TrainSuite {
    static func run(timer: Timer, into report: inout Report, progress: Bool) throws {
        guard report.wants("ppolag_fleet16_ecm_steps_per_s") else { return }
        let json = """
        {"env": {"id": "PulseBMS/FleetDispatch-v0", "options": {"packs": 16, "fidelity": "ecm"}},
         "algorithm": "ppo_lagrangian", "seed": 0, "environments": 8, "threads": 2,
         "hyperparameters": {"hidden": [64, 64], "update_epochs": 5, "minibatches": 8, "learning_rate": 0.001,
                             "initial_log_std": -1.0, "lagrange_learning_rate": 0.002},
         "constraints": [{"limit": 5}]}
        """
        let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        for blasThreads in [1, 2] {
            let threads = blasThreads == 2 ? 2 : report.useThreads(natural: 1)
            OpenBLAS.threadCount = threads
            let (stepsPerSecond, collectShare) = try measure(config, progress: progress)
            if blasThreads == 2 {
                report.add("ppolag_fleet16_ecm_blas2_steps_per_s", stepsPerSecond, threads: threads)
            } else {
                report.add("ppolag_fleet16_ecm_steps_per_s", stepsPerSecond, threads: threads)
                report.add("ppolag_fleet16_ecm_collect_share", collectShare, threads: threads)
            }
        }
    }

    /// Steps per second and the collection's share of the time, over 3 epochs after a warm-up epoch.
    private static func measure(_ config: TrainingConfig, progress: Bool) throws -> (Double, Double) {
        let trainer = try makeTrainer(config: config) { _ throws(GymError) in
            try BatteryGym.make(config.environment.id, options: config.environment.options)
        }
        _ = try trainer.runEpoch()
        let epochs = 3
        let start = Date()
        var collect = 0.0
        for k in 0..<epochs {
            _ = try trainer.runEpoch()
            collect += (trainer as? OnPolicyTrainer)?.lastTiming.collect ?? 0
            if progress { FileHandle.standardError.write("\r  train: epoch \(k + 1)/\(epochs)".data(using: .utf8)!) }
        }
        let seconds = Date().timeIntervalSince(start)
        if progress { FileHandle.standardError.write("\n".data(using: .utf8)!) }
        return (Double(epochs * trainer.stepsPerEpoch) / seconds, collect / seconds)
    }
}
