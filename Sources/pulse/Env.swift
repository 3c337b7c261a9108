import ArgumentParser
import BatteryGym
import Foundation
import Gym

/// `pulse env`: list, check and roll out the PulseBMS environments.
struct Env: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, check and roll out the safe-RL environments.",
        subcommands: [EnvList.self, EnvCheck.self, EnvRollout.self])
}

/// Options shared by `check` and `rollout`: the id and its environment options.
struct EnvironmentChoice: ParsableArguments {
    @Argument(help: "The environment id, e.g. PulseBMS/FastCharge-v0 (see `pulse env list`).")
    var id: String

    @Option(help: "Number of packs (fleet environments).")
    var packs: Int?

    @Option(help: "Model fidelity: ecm, spm, spme (and dfn for single-cell environments).")
    var fidelity: String?

    @Option(name: .customLong("option"), help: ArgumentHelp("Any environment option, repeatable.", valueName: "KEY=VALUE"))
    var extra: [String] = []

    func options() throws -> Options {
        var o: Options = [:]
        if let packs { o["packs"] = .int(packs) }
        if let fidelity { o["fidelity"] = .string(fidelity) }
        o.merge(try Self.parse(extra)) { _, new in new }
        return o
    }

    /// `KEY=VALUE` items of `--option` as environment options.
    static func parse(_ items: [String]) throws -> Options {
        var o: Options = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("--option needs KEY=VALUE, got '\(item)'")
            }
            o[String(item[..<eq])] = OptionValue(parsing: String(item[item.index(after: eq)...]))
        }
        return o
    }

    func make() throws -> any Environment {
        try BatteryGym.make(id, options: try options())
    }
}

struct EnvList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered environments.")

    func run() {
        for id in BatteryGym.registry.ids {
            let spec = BatteryGym.registry.specs[id]!
            let limit = spec.maxEpisodeSteps.map { "\($0) steps" } ?? "no limit"
            print("\(id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(limit.padding(toLength: 10, withPad: " ", startingAt: 0)) \(spec.summary)")
        }
    }
}

struct EnvCheck: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check",
                                                    abstract: "Run the environment checker on an environment.")
    @OptionGroup var choice: EnvironmentChoice
    @Option(help: "Seed of the checker's resets and random actions.") var seed: UInt64 = 0

    func run() throws {
        let options = try choice.options()
        let id = choice.id
        let report = EnvironmentChecker.check(seed: seed) { () throws(GymError) in try BatteryGym.make(id, options: options) }
        print(report)
        if !report.ok { throw ExitCode(1) }
    }
}
