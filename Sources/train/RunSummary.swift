import Foundation
import PulseBMS
import RunLog

/// Evaluation columns of the per-epoch metrics: NaN in epochs without an evaluation.
enum EvaluationColumns {
    static func values(_ episodes: [EpisodeResult], constraintNames: [String]) -> [(name: String, value: Double)] {
        func stats(_ x: [Double]) -> (Double, Double) {
            guard !x.isEmpty else { return (.nan, .nan) }
            let m = x.reduce(0, +) / Double(x.count)
            return (m, (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot())
        }
        let r = stats(episodes.map(\.reward)), c = stats(episodes.map { $0.components.reduce(0, +) })
        var out: [(name: String, value: Double)] = [("eval_return_mean", r.0), ("eval_return_std", r.1),
                                                    ("eval_cost_mean", c.0), ("eval_cost_std", c.1)]
        for (j, name) in constraintNames.enumerated() {
            out.append(("eval_cost_\(name)_mean", stats(episodes.map { $0.constraintCosts[j] }).0))
        }
        return out
    }
}

/// summary.json: what the run was, how long it took, and where it ended (last epoch's training episodes and the
/// final evaluation of the mean action).
struct RunSummary: Encodable {
    let algorithm: String, env: String, seed: UInt64
    let steps: Int, epochs: Int
    let wallSeconds: Double, envStepsPerSecond: Double
    let costLimit: Double?
    let constraints: [String: Double]
    let final: [String: Double]
    let evaluation: [String: Double]
    /// The epoch and evaluation return of `policy_best.weights`, if an evaluation met every constraint.
    let bestFeasible: [String: Double]?

    enum CodingKeys: String, CodingKey {
        case algorithm, env, seed, steps, epochs, constraints, final, evaluation, bestFeasible = "best_feasible"
        case wallSeconds = "wall_seconds", envStepsPerSecond = "env_steps_per_s", costLimit = "cost_limit"
    }

    init(session: TrainingSession, metrics: MetricsTable, limit: Double?, seconds: Double) {
        let config = session.config, trainer = session.trainer
        algorithm = config.algorithm.rawValue; env = config.environment.id; seed = config.seed
        steps = trainer.totalSteps; epochs = trainer.epoch
        wallSeconds = seconds; envStepsPerSecond = Double(trainer.totalSteps) / max(seconds, 1e-9)
        costLimit = limit
        var constraints: [String: Double] = [:]
        for (name, c) in zip(trainer.constraintNames, config.constraints) { constraints[name] = c.limit }
        self.constraints = constraints
        var final: [String: Double] = [:], evaluation: [String: Double] = [:]
        if let last = metrics.rows.last {
            for (name, value) in zip(metrics.columns, last) where value.isFinite {
                if name.hasPrefix("eval_") { evaluation[String(name.dropFirst(5))] = value } else { final[name] = value }
            }
        }
        self.final = final; self.evaluation = evaluation
        bestFeasible = session.best.map { ["epoch": Double($0.epoch), "eval_return_mean": $0.reward] }
    }
}
