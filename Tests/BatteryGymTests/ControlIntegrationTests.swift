import Testing
import Gym
import Control
@testable import BatteryGym

@Suite("MPC controller, safety layer and arbitrage optimum in the environments")
struct ControlIntegrationTests {
    static func rollout(_ env: any Environment, _ controller: any Controller, seed: UInt64) throws -> (ret: Double, costs: [Double]) {
        var (o, info) = try env.reset(seed: seed)
        controller.reset(observation: o, info: info)
        var ret = 0.0, costs = [Double](repeating: 0, count: env.costNames.count)
        while true {
            let t = try env.step(controller.action(for: o))
            ret += t.reward; o = t.observation
            for k in costs.indices { costs[k] += t.costs[k] }
            if t.done { break }
        }
        return (ret, costs)
    }

    @Test("the MPC dispatches six hours at zero cost and at least the baseline's return")
    func mpcDispatch() throws {
        let id = "PulseBMS/FleetDispatch-v0", options: Options = ["packs": 6, "episode_hours": 6]
        let env = try BatteryGym.make(id, options: options)
        let mpc = try BatteryGym.modelPredictive(for: id, environment: env, horizon: 12)
        let planned = try Self.rollout(env, mpc, seed: 2)
        let baseline = try Self.rollout(env, try BatteryGym.baseline(for: id, environment: env), seed: 2)
        #expect(planned.costs.reduce(0, +) == 0, "\(planned.costs)")
        #expect(planned.ret >= baseline.ret - 1e-9, "mpc \(planned.ret), baseline \(baseline.ret)")
        #expect((mpc as? ModelPredictiveDispatch)?.fallbacks == 0)
        #expect(throws: GymError.self) {
            try BatteryGym.modelPredictive(for: "PulseBMS/FastCharge-v0", environment: try BatteryGym.make("PulseBMS/FastCharge-v0"))
        }
    }

    /// Sells at full power whatever the price: drains every pack through its SoC floor.
    final class FullDischarge: Controller {
        let count: Int
        init(_ count: Int) { self.count = count }
        func reset(observation: [Double], info: Info) {}
        func action(for observation: [Double]) -> [Double] { Array(repeating: 1, count: count) }
    }

    @Test("the safety layer keeps a reckless policy inside the limits and still reports the proposal's cost")
    func safetyLayer() throws {
        let options: Options = ["packs": 4, "preset": "small-mixed-4", "episode_hours": 12]
        let raw = try BatteryGym.make("PulseBMS/FleetArbitrage-v0", options: options)
        let layered = try SafetyLayer(try BatteryGym.make("PulseBMS/FleetArbitrage-v0", options: options))
        let unsafe = try Self.rollout(raw, FullDischarge(4), seed: 1)
        var (o, info) = try layered.reset(seed: 1, options: [:])
        let reckless = FullDischarge(4)
        reckless.reset(observation: o, info: info)
        var executed = [Double](repeating: 0, count: layered.costNames.count), reported = executed, moved = 0.0
        while true {
            let t = try layered.step(reckless.action(for: o))
            o = t.observation
            guard case let .vector(e)? = t.info["executed_costs"] else { Issue.record("no executed_costs"); break }
            for k in executed.indices { executed[k] += e[k]; reported[k] += t.costs[k] }
            moved += t.info["projection_change_w"]?.number ?? 0
            if t.done { break }
        }
        let soc = layered.costNames.firstIndex(of: "soc")!
        #expect(unsafe.costs[soc] > 0, "full discharge should break the SoC window: \(unsafe.costs)")
        #expect(executed[soc] == 0, "executed \(executed)")
        #expect(reported[soc] > 0 && moved > 0, "reported \(reported), moved \(moved)")
        #expect(zip(reported, executed).allSatisfy { $0 >= $1 })
    }

    @Test("the arbitrage optimum bounds the baseline's return from above")
    func arbitrageOptimum() throws {
        let id = "PulseBMS/FleetArbitrage-v0"
        let env = try BatteryGym.make(id, options: ["packs": 4, "preset": "small-mixed-4"])
        _ = try env.reset(seed: 7)
        let plan = try (env.unwrapped as! FleetArbitrageEnvironment).perfectForesight()
        #expect(plan.powers.count == 4 && plan.powers[0].count == 24)
        let baseline = try Self.rollout(env, try BatteryGym.baseline(for: id, environment: env), seed: 7)
        #expect(plan.profit > 0 && baseline.ret < plan.profit, "baseline \(baseline.ret), optimum \(plan.profit)")
    }
}

extension ControlIntegrationTests {
    @Test("behind the safety layer a random policy executes no voltage, current or SoC violation over a day",
          arguments: ["PulseBMS/FleetArbitrage-v0", "PulseBMS/FleetDispatch-v0"], [0, 1, 2] as [UInt64])
    func safetyLayerRandom(id: String, seed: UInt64) throws {
        let env = try SafetyLayer(try BatteryGym.make(id, options: ["packs": 8]))
        let random = RandomController(actionSpace: env.actionSpace, seed: seed)
        var (o, _) = try env.reset(seed: seed, options: [:])
        var executed = [Double](repeating: 0, count: env.costNames.count), proposed = executed
        while true {
            let t = try env.step(random.action(for: o))
            o = t.observation
            if case let .vector(e)? = t.info["executed_costs"] { for k in executed.indices { executed[k] += e[k] } }
            if case let .vector(p)? = t.info["proposal_costs"] { for k in proposed.indices { proposed[k] += p[k] } }
            if t.done { break }
        }
        for name in ["voltage", "soc", "current"] {
            let k = env.costNames.firstIndex(of: name)!
            #expect(executed[k] == 0, "\(name): executed \(executed[k]), proposed \(proposed[k])")
        }
        // The arbitrage proposals push packs past their limits; the layer reports it.
        if id.contains("Arbitrage") { #expect(proposed[env.costNames.firstIndex(of: "current")!] > 0) }
    }
}

extension ControlIntegrationTests {
    @Test("the perfect-foresight optimum solves for short and long episodes at ECM and SPMe fidelity, with a profit",
          arguments: [("ecm", 6), ("spme", 6), ("ecm", 48)] as [(String, Int)])
    func foresightConfigurations(fidelity: String, hours: Int) throws {
        let id = "PulseBMS/FleetArbitrage-v0"
        let env = try BatteryGym.make(id, options: ["packs": 16, "fidelity": .string(fidelity), "episode_hours": .int(hours)])
        _ = try env.reset(seed: 0, options: [:])
        let plan = try (env.unwrapped as! FleetArbitrageEnvironment).perfectForesight()
        #expect(plan.powers.count == 16 && plan.powers[0].count == hours && plan.profit > 0, "\(plan.profit)")
    }
}
