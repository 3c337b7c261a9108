import Control
import Electrochemistry
import Testing
import Gym
@testable import BatteryGym

@Suite("Fleet environments")
struct FleetEnvironmentTests {
    static let small: Options = ["packs": 4, "preset": "small-mixed-4", "episode_hours": 3]

    @Test("FleetDispatch and FleetArbitrage pass the environment checker",
          arguments: ["PulseBMS/FleetDispatch-v0", "PulseBMS/FleetArbitrage-v0"])
    func checker(_ id: String) {
        let report = EnvironmentChecker.check(steps: 200) { () throws(GymError) in try BatteryGym.make(id, options: Self.small) }
        #expect(report.ok, "\(report)")
    }

    @Test("allocation: shares by weight, caps respected, excess passed on, sign of the demand")
    func allocation() {
        let p = Allocation.split(demand: 100, weights: [1, 1, 2], caps: [50, 10, 100])
        #expect(abs(p.reduce(0, +) - 100) < 1e-9 && p[1] == 10 && p[2] <= 100)
        #expect(abs(p[2] - 2 * p[0]) < 1e-9)
        let q = Allocation.split(demand: -30, weights: [0, 0, 0], caps: [5, 100, 100])
        #expect(q == [-5, -12.5, -12.5])
        let r = Allocation.split(demand: 500, weights: [1, 1], caps: [100, 50])
        #expect(r == [100, 50])
    }

    /// Mean return and summed cost of `episodes` episodes with `controller`.
    static func rollout(_ id: String, _ options: Options, episodes: Int,
                        controller: (any Environment) throws -> any Controller) throws -> (ret: Double, cost: Double) {
        let env = try BatteryGym.make(id, options: options)
        let c = try controller(env)
        var ret = 0.0, cost = 0.0
        for k in 0..<episodes {
            var (o, info) = try env.reset(seed: UInt64(k))
            c.reset(observation: o, info: info)
            while true {
                let t = try env.step(c.action(for: o))
                ret += t.reward; cost += t.cost; o = t.observation
                if t.done { break }
            }
        }
        return (ret / Double(episodes), cost / Double(episodes))
    }

    @Test("the baselines cost less than random actions; on arbitrage they also earn more, on dispatch as much",
          arguments: ["PulseBMS/FleetDispatch-v0", "PulseBMS/FleetArbitrage-v0"])
    func baselines(_ id: String) throws {
        var options = Self.small
        options["episode_hours"] = 24
        let base = try Self.rollout(id, options, episodes: 2) { env in try BatteryGym.baseline(for: id, environment: env) }
        let random = try Self.rollout(id, options, episodes: 2) { env in RandomController(actionSpace: env.actionSpace, seed: 1) }
        if id.contains("Arbitrage") { #expect(base.ret > random.ret, "baseline \(base), random \(random)") }
        else { #expect(base.ret > random.ret - 0.1 * abs(random.ret), "baseline \(base), random \(random)") }
        #expect(base.cost < random.cost, "baseline \(base), random \(random)")
    }

    @Test("the fleet ages: capacity is lost over a day of cycling and priced into the reward")
    func aging() throws {
        let env = try BatteryGym.make("PulseBMS/FleetArbitrage-v0", options: ["packs": 4, "preset": "small-mixed-4"])
        _ = try env.reset(seed: 3)
        var lost = 0.0, cost = 0.0
        while true {
            let t = try env.step([1, 1, -1, -1])
            lost += t.info["capacity_lost_ah"]?.number ?? 0
            cost += t.info["degradation_cost"]?.number ?? 0
            if t.done { break }
        }
        #expect(lost > 0 && cost > 0, "lost \(lost) A.h, cost \(cost)")
    }

    @Test("the baselines keep every pack inside its voltage, current, temperature and SoC limits over a day",
          arguments: ["PulseBMS/FleetDispatch-v0", "PulseBMS/FleetArbitrage-v0"])
    func baselinesAreSafe(_ id: String) throws {
        let env = try BatteryGym.make(id, options: ["packs": 8])
        let controller = try BatteryGym.baseline(for: id, environment: env)
        var (o, info) = try env.reset(seed: 5)
        controller.reset(observation: o, info: info)
        var sums = [Double](repeating: 0, count: env.costNames.count)
        while true {
            let t = try env.step(controller.action(for: o))
            for k in sums.indices { sums[k] += t.costs[k] }
            o = t.observation
            if t.done { break }
        }
        for name in ["voltage", "current", "temperature", "soc"] {
            #expect(sums[env.costNames.firstIndex(of: name)!] == 0, "\(id): \(zip(env.costNames, sums).map { "\($0) \($1)" })")
        }
    }

    @Test("second-life packs fade at a used cell's rate: the models are aged to the pack's state of health first")
    func secondLifeStart() throws {
        let q0 = 0.8
        let aged = try FleetPackAging.secondLifeModel(named: "Nmc811_GrSi_LGM50_5Ah_Battery", retention: q0)
        #expect(aged.q <= q0 + 0.005 && aged.days > 100, "q \(aged.q) after \(aged.days) days")
        // A day of hourly 20–80 % cycling at 25 °C: the used cell loses far less than a new one would.
        func dayLoss(_ model: any BlastLiteFadeModel) -> Double {
            let pack = FleetPackAging(model: model, initialRetention: q0)
            for k in 0..<(24 * 60) {
                let phase = Double(k % 120) / 60
                _ = pack.advance(dt: 60, soc: phase < 1 ? 0.2 + 0.6 * phase : 0.8 - 0.6 * (phase - 1), celsius: 25,
                                 finish: k == 24 * 60 - 1)
            }
            return q0 - pack.q
        }
        let used = dayLoss(aged)
        let new = dayLoss(try BlastLite.model(named: "Nmc811_GrSi_LGM50_5Ah_Battery"))
        #expect(used > 0 && used < 0.002 && used < new / 3, "loss in a day: used \(used), new \(new)")
        // The second-life LMO model is fitted from the second-life start: it is not pre-aged.
        let lmo = try FleetPackAging.secondLifeModel(named: "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery", retention: 0.7)
        #expect(lmo.days == 0)
    }
}
