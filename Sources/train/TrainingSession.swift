import Foundation
import PulseBMS
import RunLog

/// One training run and its run directory: builds the trainer, writes every epoch's metrics (CSV and HDF5) and
/// evaluation episodes, checkpoints, and at the end the policy, the learning curve and the summary.
///
/// `metrics.csv` and `/metrics` hold only what the seed determines (bit-identical across reruns with the same
/// thread count); wall-clock timing goes to the HDF5 table `/timing` and to summary.json.
final class TrainingSession {
    static let evaluationTable = "/evaluation/episodes"
    static let timingTable = "/timing"

    let run: RunDirectory
    let config: TrainingConfig
    let trainer: any Trainer
    let h5: HDF5File
    var csv: CSVTable?
    var columns: [String]?
    let started = Date()
    var trainingSeconds = 0.0
    /// The evaluated policy that met every constraint with the highest return so far: its epoch and return.
    var best: (epoch: Int, reward: Double)?

    private init(run: RunDirectory, config: TrainingConfig, trainer: any Trainer, h5: HDF5File, csv: CSVTable?, columns: [String]?) {
        self.run = run; self.config = config; self.trainer = trainer; self.h5 = h5; self.csv = csv; self.columns = columns
    }

    static func makeTrainer(_ config: TrainingConfig) throws -> any Trainer {
        let id = config.environment.id, options = config.environment.options
        return try SafeRL.makeTrainer(config: config) { _ throws(GymError) in try BatteryGym.make(id, options: options) }
    }

    /// A new run in `directory`, which must not exist or be empty.
    static func start(config: TrainingConfig, at directory: String) throws -> TrainingSession {
        let trainer = try makeTrainer(config)
        if let path = config.initialWeightsPath { try trainer.startFromWeights(try WeightsFile.readBytes(from: path)) }
        var resolved = config
        resolved.hyperparameters.rolloutSteps = trainer.stepsPerEpoch / config.environments
        let yaml = try ConfigFile.yaml(resolved)
        let run = try RunDirectory.create(at: directory, config: yaml)
        let h5 = try HDF5File.create(at: run.metricsHDF5Path)
        try h5.setAttribute("config", to: yaml)
        try h5.setAttribute("algorithm", to: config.algorithm.rawValue)
        try h5.setAttribute("env", to: config.environment.id)
        try h5.createGroup("/evaluation")
        try h5.createTable(evaluationTable, columns: evaluationColumns(trainer))
        try h5.createTable(timingTable, columns: ["epoch", "wall_seconds", "env_steps_per_s"])
        return TrainingSession(run: run, config: resolved, trainer: trainer, h5: h5, csv: nil, columns: nil)
    }

    /// The run in `directory`, restored from its latest checkpoint; rows written after it are dropped.
    static func resume(at directory: String, steps: Int?) throws -> TrainingSession {
        let run = try RunDirectory.openForResume(at: directory)
        var config = try ConfigFile.parse(try run.readConfig(), source: run.configPath)
        if let steps {
            config.steps = steps
            try run.writeConfig(try ConfigFile.yaml(config))
        }
        let trainer = try makeTrainer(config)
        guard let checkpoint = try run.latestCheckpoint() else { throw ConfigError("\(directory) has no checkpoint to resume from") }
        try trainer.restore(try WeightsFile.readBytes(from: checkpoint.path))
        let h5 = try HDF5File.open(at: run.metricsHDF5Path, mode: .readWrite)
        let metrics = try h5.readTable(RunDirectory.metricsDataset)
        try h5.truncateTable(RunDirectory.metricsDataset, toRows: trainer.epoch)
        try h5.truncateTable(timingTable, toRows: min(trainer.epoch, try h5.rowCount(of: timingTable)))
        let episodes = try h5.readTable(evaluationTable)
        let keep = (episodes.column("epoch") ?? []).filter { $0 <= Double(trainer.epoch) }.count
        try h5.truncateTable(evaluationTable, toRows: keep)
        let csv = try CSVTable.openForAppend(at: run.metricsCSVPath, columns: metrics.columns, keepingRows: trainer.epoch)
        let session = TrainingSession(run: run, config: config, trainer: trainer, h5: h5, csv: csv, columns: metrics.columns)
        // The best policy survives a resume only if it was saved at or before the checkpoint.
        if try h5.hasAttribute("best_feasible", on: evaluationTable) {
            let parts = try h5.stringAttribute("best_feasible", on: evaluationTable).split(separator: " ")
            if parts.count == 2, let e = Int(parts[0]), let r = Double(parts[1]), e <= trainer.epoch {
                session.best = (e, r)
            } else {
                try? FileManager.default.removeItem(atPath: run.file(bestPolicy))
                try h5.setAttribute("best_feasible", to: "none", on: evaluationTable)
            }
        }
        return session
    }

    static func evaluationColumns(_ trainer: any Trainer) -> [String] {
        ["epoch", "env_steps", "episode", "seed", "return", "length", "cost"]
            + trainer.constraintNames.map { "cost_\($0)" } + trainer.componentNames.map { "component_\($0)" }
    }

    var epochs: Int { (config.steps + trainer.stepsPerEpoch - 1) / trainer.stepsPerEpoch }

    func train(progress: ProgressDisplay) throws {
        let limit = config.constraints.first?.limit
        progress.start(title: "\(config.algorithm.rawValue) on \(config.environment.id), seed \(config.seed) → \(run.path)",
                       epochs: epochs, stepsPerEpoch: trainer.stepsPerEpoch, resumedAt: trainer.epoch)
        while trainer.epoch < epochs {
            let clock = Date()
            let report = try trainer.runEpoch()
            var row = report.metrics
            let e = trainer.epoch
            let every = config.evaluation.everyEpochs
            var evaluation: [EpisodeResult] = []
            if (every > 0 && e % every == 0) || e == epochs {
                evaluation = try trainer.evaluate(episodes: config.evaluation.episodes, seed: config.evaluation.seed)
                try record(evaluation)
                try keepIfBest(evaluation)
            }
            row += EvaluationColumns.values(evaluation, constraintNames: trainer.constraintNames)
            try write(row)
            let seconds = Date().timeIntervalSince(clock)
            trainingSeconds += seconds
            try h5.appendRow([Double(e), seconds, Double(trainer.stepsPerEpoch) / max(seconds, 1e-9)], to: Self.timingTable)
            if e % config.checkpointEvery == 0 || e == epochs {
                try RunDirectory.writeAtomically(trainer.checkpoint(), to: run.checkpointPath(epoch: e))
            }
            progress.update(epoch: e, steps: trainer.totalSteps, report: report, evaluation: evaluation,
                            constraint: trainer.constraintNames.first, limit: limit, seconds: seconds)
        }
        try finish(limit: limit)
        progress.finish(run: run.path)
    }

    private func write(_ row: [(name: String, value: Double)]) throws {
        let names = row.map(\.name)
        if columns == nil {
            columns = names
            csv = try CSVTable.create(at: run.metricsCSVPath, columns: names)
            try h5.createTable(RunDirectory.metricsDataset, columns: names)
        }
        guard names == columns else { throw ConfigError("the trainer's metrics changed columns: \(names) vs \(columns!)") }
        try csv!.append(row.map(\.value))
        try h5.appendRow(row.map(\.value), to: RunDirectory.metricsDataset)
    }

    /// Saves the policy as `policy_best.weights` when its evaluation meets every constraint (mean episode cost at
    /// or under the limit) with a higher return than any before.
    private func keepIfBest(_ episodes: [EpisodeResult]) throws {
        guard !episodes.isEmpty else { return }
        let n = Double(episodes.count)
        let feasible = config.constraints.indices.allSatisfy { j in
            episodes.map { $0.constraintCosts[j] }.reduce(0, +) / n <= config.constraints[j].limit
        }
        let reward = episodes.map(\.reward).reduce(0, +) / n
        guard feasible, best.map({ reward > $0.reward }) ?? true else { return }
        best = (trainer.epoch, reward)
        try RunDirectory.writeAtomically(trainer.policyWeights(), to: run.file(Self.bestPolicy))
        try h5.setAttribute("best_feasible", to: "\(trainer.epoch) \(reward)", on: Self.evaluationTable)
    }

    static let bestPolicy = "policy_best.weights"

    private func record(_ episodes: [EpisodeResult]) throws {
        let rows = episodes.enumerated().map { k, ep in
            [Double(trainer.epoch), Double(trainer.totalSteps), Double(k), Double(config.evaluation.seed &+ UInt64(k)),
             ep.reward, Double(ep.length), ep.components.reduce(0, +)] + ep.constraintCosts + ep.components
        }
        try h5.appendRows(rows, to: Self.evaluationTable)
    }

    private func finish(limit: Double?) throws {
        try RunDirectory.writeAtomically(trainer.policyWeights(), to: run.policyWeightsPath)
        let metrics = try h5.readTable(RunDirectory.metricsDataset)
        let constraint = trainer.constraintNames.first.map { "cost_\($0)_mean" } ?? "cost_mean"
        var curve = LearningCurve(title: "\(config.algorithm.rawValue) on \(config.environment.id) (seed \(config.seed))",
                                  costLimit: limit)
        try curve.addSeries(name: "training episodes", from: metrics, costs: constraint, costStd: constraint.replacingOccurrences(of: "_mean", with: "_std"))
        if let steps = metrics.column("env_steps"), let r = metrics.column("eval_return_mean"), let c = metrics.column("eval_cost_mean") {
            let kept = steps.indices.filter { r[$0].isFinite }
            try curve.addSeries(name: "evaluation (mean action)", steps: kept.map { steps[$0] }, returns: kept.map { r[$0] },
                                costs: kept.map { c[$0] })
        }
        try RunDirectory.writeAtomically(curve.svg(), to: run.learningCurvePath)
        let timing = try h5.readTable(Self.timingTable)
        let seconds = (timing.column("wall_seconds") ?? []).reduce(0, +)
        try run.writeSummary(RunSummary(session: self, metrics: metrics, limit: limit, seconds: seconds))
        try csv?.close()
        try h5.close()
    }
}
