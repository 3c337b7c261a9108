import Foundation
import Testing

/// `pulse env` end to end, on the built executable (see ``SimulateCommandTests/executable()``).
@Suite("pulse env command")
struct EnvCommandTests {
    typealias Run = SimulateCommandTests.Run

    static func run(_ arguments: [String]) throws -> Run { try SimulateCommandTests.run(["env"] + arguments) }

    static func json(_ run: Run) throws -> [String: Any] {
        try #require(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test("list names every registered environment with its episode limit")
    func list() throws {
        let r = try Self.run(["list"])
        #expect(r.status == 0)
        for id in ["PulseBMS/FastCharge-v0", "PulseBMS/FleetDispatch-v0", "PulseBMS/FleetArbitrage-v0"] {
            #expect(r.stdout.contains(id), "\(r.stdout)")
        }
        #expect(r.stdout.contains("240 steps"))
    }

    @Test("check passes a fleet environment and reports its checks")
    func check() throws {
        let r = try Self.run(["check", "PulseBMS/FleetDispatch-v0", "--packs", "3", "--option", "episode_hours=1"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.isEmpty)
    }

    @Test("rollout --json has the issue's keys, one mean per cost component, and is reproducible by seed")
    func rolloutJSON() throws {
        let arguments = ["rollout", "PulseBMS/FleetDispatch-v0", "--packs", "4", "--episodes", "2",
                         "--option", "episode_hours=2", "--json"]
        let a = try Self.json(try Self.run(arguments + ["--seed", "3"]))
        for key in ["return_mean", "return_std", "cost_mean", "cost_std"] { #expect(a[key] is Double || a[key] is Int, "\(key)") }
        let costs = try #require(a["costs"] as? [String: Double])
        #expect(Set(costs.keys) == ["voltage", "current", "temperature", "soc", "degradation"])
        #expect(abs(costs.values.reduce(0, +) - ((a["cost_mean"] as? Double) ?? Double(a["cost_mean"] as? Int ?? -1))) < 1e-9)
        #expect((a["return_mean"] as? Double ?? 0) < 0)
        let b = try Self.json(try Self.run(arguments + ["--seed", "3"]))
        let c = try Self.json(try Self.run(arguments + ["--seed", "4"]))
        #expect(a["return_mean"] as? Double == b["return_mean"] as? Double)
        #expect(a["return_mean"] as? Double != c["return_mean"] as? Double)
    }

    @Test("rollout prints a table: return, cost and each component with mean ± deviation; random is a controller")
    func rolloutTable() throws {
        let r = try Self.run(["rollout", "PulseBMS/FastCharge-v0", "--controller", "random", "--episodes", "2",
                              "--fidelity", "spm", "--seed", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        for row in ["return", "cost", "cost/voltage", "cost/temperature", "cost/plating"] {
            #expect(r.stdout.contains("  \(row) "), "\(row): \(r.stdout)")
        }
        #expect(r.stdout.contains("±"))
    }

    @Test("--controller mpc dispatches at zero cost and beats the baseline; arbitrage reports its optimum")
    func mpcAndOptimum() throws {
        let common = ["rollout", "PulseBMS/FleetDispatch-v0", "--packs", "4", "--episodes", "1", "--option", "episode_hours=4", "--json"]
        let mpc = try Self.json(try Self.run(common + ["--controller", "mpc", "--horizon", "12"]))
        let baseline = try Self.json(try Self.run(common))
        #expect((mpc["cost_mean"] as? Double ?? Double(mpc["cost_mean"] as? Int ?? -1)) == 0)
        #expect((mpc["return_mean"] as? Double ?? -.infinity) >= (baseline["return_mean"] as? Double ?? .infinity))
        let arbitrage = try Self.json(try Self.run(["rollout", "PulseBMS/FleetArbitrage-v0", "--packs", "4", "--episodes", "1",
                                                    "--option", "preset=small-mixed-4", "--json"]))
        let optimum = try #require(arbitrage["optimum_mean"] as? Double)
        let fraction = try #require(arbitrage["fraction_of_optimum"] as? Double)
        #expect(optimum > 0 && fraction < 1, "optimum \(optimum), fraction \(fraction)")
        let layered = try Self.json(try Self.run(["rollout", "PulseBMS/FleetArbitrage-v0", "--packs", "4", "--episodes", "1",
                                                  "--option", "preset=small-mixed-4", "--option", "episode_hours=3",
                                                  "--controller", "random", "--safety-layer", "--json"]))
        #expect(layered["return_mean"] is Double)
        let refused = try Self.run(["rollout", "PulseBMS/FastCharge-v0", "--controller", "mpc"])
        #expect(refused.status != 0 && refused.stderr.contains("mpc is implemented for PulseBMS/FleetDispatch-v0 only"))
    }

    @Test("bad input is refused with a message naming the problem",
          arguments: [
            (["rollout", "PulseBMS/Nope-v0"], "registered: PulseBMS/FastCharge-v0"),
            (["rollout", "PulseBMS/FleetDispatch-v0", "--option", "bogus=1"], "unknown option; known:"),
            (["rollout", "PulseBMS/FleetDispatch-v0", "--fidelity", "dfn"], "fidelity"),
            (["rollout", "PulseBMS/FleetDispatch-v0", "--episodes", "0"], "--episodes must be positive"),
            (["rollout", "PulseBMS/FleetDispatch-v0", "--option", "novalue"], "KEY=VALUE"),
          ])
    func badInput(_ arguments: [String], _ message: String) throws {
        let r = try Self.run(arguments)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
