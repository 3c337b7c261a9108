import Testing
import Gym
@testable import BatteryGym

@Suite("FastCharge-v0")
struct FastChargeTests {
    /// Runs one episode with `controller`; returns (return, summed costs per component, steps, final SoC).
    static func episode(_ env: any Environment, _ controller: any Controller, seed: UInt64)
        throws -> (ret: Double, costs: [Double], steps: Int, soc: Double) {
        var (o, info) = try env.reset(seed: seed)
        controller.reset(observation: o, info: info)
        var ret = 0.0, costs = [Double](repeating: 0, count: env.costNames.count), steps = 0
        while true {
            let t = try env.step(controller.action(for: o))
            ret += t.reward; steps += 1
            for i in costs.indices { costs[i] += t.costs[i] }
            o = t.observation
            info = t.info
            if t.done { break }
        }
        return (ret, costs, steps, o[0])
    }

    @Test("passes the environment checker", arguments: ["spm", "spme"])
    func checker(_ fidelity: String) {
        let report = EnvironmentChecker.check(steps: 60) { () throws(GymError) in
            try BatteryGym.make("PulseBMS/FastCharge-v0", options: ["fidelity": .string(fidelity)])
        }
        #expect(report.ok, "\(report)")
    }

    @Test("CC-CV at 1C reaches 80 % SoC without any cost; 4C constant current violates the limits")
    func baselineAndAggressive() throws {
        let env = try BatteryGym.make("PulseBMS/FastCharge-v0")
        let cccv = try BatteryGym.baseline(for: "PulseBMS/FastCharge-v0", environment: env)
        let safe = try Self.episode(env, cccv, seed: 1)
        #expect(safe.soc >= 0.8 && safe.costs.allSatisfy { $0 == 0 }, "\(safe)")
        final class Constant: Controller {
            func reset(observation: [Double], info: Info) {}
            func action(for observation: [Double]) -> [Double] { [4] }
        }
        let fast = try Self.episode(env, Constant(), seed: 1)
        #expect(fast.steps < safe.steps)
        #expect(fast.costs.reduce(0, +) > 0, "\(fast)")
    }

    @Test("options are checked: ecm is refused, unknown options named")
    func options() {
        #expect(throws: GymError.self) { try BatteryGym.make("PulseBMS/FastCharge-v0", options: ["fidelity": "ecm"]) }
        #expect(throws: GymError.self) { try BatteryGym.make("PulseBMS/FastCharge-v0", options: ["target": 0.9]) }
        #expect(throws: GymError.self) { try BatteryGym.make("PulseBMS/FastCharge-v0", options: ["parameters": "nope"]) }
    }
}
