import ArgumentParser
import BatteryGym
import Foundation
import Gym
import NeuralNetworks
import RunLog
import SafeRL
import Yams

/// `pulse evaluate RUN|WEIGHTS`: the mean and standard deviation of a trained policy's return and costs.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained policy (a run directory or a policy.weights file) over N episodes.",
        discussion: """
        The policy's deterministic action (the Gaussian's mean; tanh of the mean for SAC) runs for N episodes from seeds S + k. A run directory supplies the environment, its \
        options and the constraints (cost_limit: the first constraint's limit); --env, --packs and --option override \
        them, so a per-pack policy trained on one fleet size runs on another. --json prints the object of \
        `pulse env rollout --json` plus "cost_limit" (null when a bare weights file gives none).
        """)

    @Argument(help: "A run directory (from `train`) or a policy weights file.") var source: String
    @Option(help: "Number of episodes.") var episodes: Int = 10
    @Option(help: "Seed of the first episode.") var seed: UInt64 = 0
    @Option(help: "Environment id (default: the run's, or the weights file's).") var env: String?
    @Option(help: "Number of packs (fleet environments).") var packs: Int?
    @Option(name: .customLong("option"), help: ArgumentHelp("Any environment option, repeatable.", valueName: "KEY=VALUE"))
    var extra: [String] = []
    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Flag(help: "With a run directory: its best feasible evaluated policy (policy_best.weights), not the final one.")
    var best = false

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes must be positive, not \(episodes)") }
    }

    func run() throws {
        let policy = try PolicySource(path: source, best: best, env: env)
        let constraints = policy.constraints.flatMap { $0.isEmpty ? nil : $0 } ?? [ConstraintConfig(costs: nil, limit: 0)]
        let limit = policy.constraints?.first?.limit
        let envID = policy.environmentID, weightsPath = policy.weightsPath
        var options = policy.options
        if let packs { options["packs"] = .int(packs) }
        options.merge(try EnvironmentChoice.parse(extra)) { _, new in new }
        let environment = try BatteryGym.make(envID, options: options)
        let indices = try constraints.map { try $0.componentIndices(in: environment.costNames) }
        let results = try PolicyEvaluation.run(policy.model, in: environment, episodes: episodes, seed: seed, constraintIndices: indices)
        var report = EpisodeReport(env: envID, controller: "policy", seed: seed, costNames: environment.costNames,
                                   returns: results.map(\.reward), totals: results.map { $0.components.reduce(0, +) },
                                   lengths: results.map { Double($0.length) },
                                   components: environment.costNames.indices.map { j in results.map { $0.components[j] } })
        report.extraNumbers = ["policy": weightsPath, "cost_limit": limit.map { $0 as Any } ?? NSNull()]
        report.title = "\(envID), policy \(weightsPath), \(episodes) episodes from seed \(seed)"
        if let limit { report.notes.append("cost limit \(limit)") }
        try report.print(json: json)
    }
}
