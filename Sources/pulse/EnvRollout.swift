import ArgumentParser
import BatteryGym
import Foundation
import Gym

/// `pulse env rollout`: runs a controller for N episodes and reports the return and the costs.
struct EnvRollout: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Roll out a controller and print the mean and standard deviation of the return and costs.",
        discussion: """
        Episode k is reset with seed S + k. The standard deviations are over episodes (population, ddof = 0). \
        The cost of an episode is the sum over its steps of the summed cost components; --json also gives the \
        mean of each component's episode sum under "costs". Behind --safety-layer the costs are those of the \
        controller's proposals, and "executed_costs" gives what the projected actions incurred. On FleetArbitrage-v0 each episode's perfect-foresight \
        optimum is computed at its start ("optimum_mean", "fraction_of_optimum").
        """)

    enum ControllerKind: String, ExpressibleByArgument, CaseIterable { case baseline, random, mpc }

    @OptionGroup var choice: EnvironmentChoice
    @Option(help: "baseline (the environment's documented controller), random, or mpc (FleetDispatch: model-predictive allocation).")
    var controller: ControllerKind = .baseline
    @Option(help: "Horizon of the mpc controller [steps].") var horizon: Int = 24
    @Flag(help: "Run the controller behind the safety layer (fleet environments): costs are then those of its proposals.")
    var safetyLayer = false
    @Option(help: "Number of episodes.") var episodes: Int = 10
    @Option(help: "Seed of the first episode.") var seed: UInt64 = 0
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes must be positive, not \(episodes)") }
        guard horizon > 0 else { throw ValidationError("--horizon must be positive, not \(horizon)") }
    }

    func run() throws {
        let env = safetyLayer ? try SafetyLayer(try choice.make()) : try choice.make()
        let policy: any Controller
        switch controller {
        case .baseline: policy = try BatteryGym.baseline(for: choice.id, environment: env)
        case .random: policy = RandomController(actionSpace: env.actionSpace, seed: seed)
        case .mpc: policy = try BatteryGym.modelPredictive(for: choice.id, environment: env, horizon: horizon)
        }
        var returns: [Double] = [], totals: [Double] = [], lengths: [Double] = [], optima: [Double] = []
        let arbitrage = env.unwrapped as? FleetArbitrageEnvironment
        var components = [[Double]](repeating: [], count: env.costNames.count), executed = components
        for k in 0..<episodes {
            var (o, info) = try env.reset(seed: seed &+ UInt64(k))
            policy.reset(observation: o, info: info)
            if let arbitrage { optima.append(try arbitrage.perfectForesight().profit) }
            var ret = 0.0, steps = 0
            var sums = [Double](repeating: 0, count: env.costNames.count), executedSums = sums
            while true {
                let t = try env.step(policy.action(for: o))
                ret += t.reward; steps += 1
                for i in sums.indices { sums[i] += t.costs[i] }
                if case let .vector(e)? = t.info["executed_costs"] { for i in e.indices { executedSums[i] += e[i] } }
                o = t.observation; info = t.info
                if t.done { break }
            }
            returns.append(ret); totals.append(sums.reduce(0, +)); lengths.append(Double(steps))
            for i in sums.indices { components[i].append(sums[i]); executed[i].append(executedSums[i]) }
            if !json { FileHandle.standardError.write("\r  episode \(k + 1)/\(episodes)".data(using: .utf8)!) }
        }
        if !json { FileHandle.standardError.write("\n".data(using: .utf8)!) }
        var report = EpisodeReport(env: choice.id, controller: controller.rawValue, seed: seed, costNames: env.costNames,
                                   returns: returns, totals: totals, lengths: lengths, components: components)
        if safetyLayer { report.extraComponents = ("executed", executed) }
        if !optima.isEmpty {
            report.extraNumbers["optimum_mean"] = Statistics.mean(optima)
            report.extraNumbers["fraction_of_optimum"] = Statistics.mean(returns) / max(Statistics.mean(optima), 1e-12)
            report.extraRows.append(("optimum", optima))
            report.notes.append("return is \(String(format: "%.1f", 100 * Statistics.mean(returns) / max(Statistics.mean(optima), 1e-12))) % of the perfect-foresight optimum")
        }
        try report.print(json: json)
    }
}

/// Mean and population standard deviation.
enum Statistics {
    static func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }
    static func deviation(_ x: [Double]) -> Double {
        let m = mean(x)
        return x.isEmpty ? 0 : (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }
}
