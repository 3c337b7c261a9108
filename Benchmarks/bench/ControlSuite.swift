import Foundation
import PulseBMS

/// Suite `control` (issue 6, item 5).
///
/// - `allocate_100_ms`, `allocate_10000_ms`: one step of fleet allocation (``OneStepAllocation``: the least loss and
///   degradation split of a request within every pack's power and SoC limits) for 100 and 10,000 packs drawn
///   with seed 2026 (energy 5–60 kWh, SoC 0.15–0.85, resistance 20–200 mΩ at 50 V-class pack voltage, throughput
///   price 0–3·10⁻⁵ per Wh), request 40 % of the fleet's rated power.
/// - `mpc_h24_100_ms`: one receding-horizon re-plan of ``FleetMPC`` over H = 24 steps of 60 s for 100 such packs,
///   warm-started from the previous plan (the steady state of an MPC loop: the timed runs follow a daily request
///   profile step by step, the SoCs updated from the plan); `mpc_h24_100_cold_ms`: the first plan, no warm start;
///   `mpc_h24_100_iterations`: mean ADMM iterations of the warm re-plans.
/// - `fleetdispatch16_{mpc,baseline}_{return,cost}`: one day of `PulseBMS/FleetDispatch-v0` (16 packs, seed 0) under
///   the MPC controller and under the proportional baseline.
enum ControlSuite {
    static func packs(_ n: Int, seed: UInt64) -> [FleetPackModel] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<n).map { _ in
            let energy = rng.nextUniform(in: 5_000, 60_000)
            return FleetPackModel(energy: energy, stateOfCharge: rng.nextUniform(in: 0.15, 0.85), socMin: 0.1, socMax: 0.9,
                                  maxDischargePower: energy, maxChargePower: energy, resistance: rng.nextUniform(in: 0.02, 0.2),
                                  nominalVoltage: rng.nextUniform(in: 44, 56), degradationPrice: rng.nextUniform(in: 0, 3e-5))
        }
    }

    static func run(timer: Timer, into report: inout Report, progress: Bool) {
        for n in [100, 10_000] where report.wants("allocate_\(n)_ms") {
            let fleet = packs(n, seed: 2026)
            let demand = 0.4 * fleet.reduce(0) { $0 + $1.maxDischargePower }
            var met = true
            let timing = timer.measure {
                met = (try? OneStepAllocation.allocate(fleet, demand: demand, dt: 60, energyPrice: 0.1))?.totalMet ?? false
            }
            precondition(met, "control: the one-step allocation did not meet a reachable request")
            report.add("allocate_\(n)_ms", timing.median * 1e3, threads: 1)
        }
        if report.wants("mpc_h24_100_ms") { mpc(timer: timer, into: &report) }
        if report.wants("fleetdispatch16_mpc_return") { rollouts(into: &report, progress: progress) }
    }

    static func mpc(timer: Timer, into report: inout Report) {
        var fleet = packs(100, seed: 2026)
        let rated = fleet.reduce(0) { $0 + $1.maxDischargePower }
        let profile = (0..<2000).map { k in 0.4 * rated * sin(2 * Double.pi * Double(k) / 1440) }
        let controller = FleetMPC(horizon: 24)
        let cold = timer.measure(setup: { controller.reset() }) {
            _ = try! controller.plan(packs: fleet, demand: Array(profile[0..<24]), dt: 60, trackingPrice: 0.5, energyPrice: 0.1)
        }
        report.add("mpc_h24_100_cold_ms", cold.median * 1e3, threads: 1)
        controller.reset()
        var k = 0, iterations = 0, plans = 0
        let warm = timer.measure {
            let plan = try! controller.plan(packs: fleet, demand: Array(profile[k..<(k + 24)]), dt: 60, trackingPrice: 0.5, energyPrice: 0.1)
            for i in fleet.indices {
                let p = plan[0][i]
                let factor = p >= 0 ? fleet[i].dischargeFactor : fleet[i].chargeFactor
                fleet[i].stateOfCharge -= factor * p * 60 / 3600 / fleet[i].energy
            }
            k = (k + 1) % 1900; iterations += controller.lastIterations; plans += 1
        }
        report.add("mpc_h24_100_ms", warm.median * 1e3, threads: 1)
        report.add("mpc_h24_100_iterations", Double(iterations) / Double(max(plans, 1)), threads: 1)
    }

    static func rollouts(into report: inout Report, progress: Bool) {
        for kind in ["mpc", "baseline"] {
            if progress { FileHandle.standardError.write(Data("control: one day of FleetDispatch-v0 under \(kind)…\n".utf8)) }
            let id = "PulseBMS/FleetDispatch-v0"
            let env = try! BatteryGym.make(id, options: ["packs": 16])
            let controller = kind == "mpc" ? try! BatteryGym.modelPredictive(for: id, environment: env)
                                           : try! BatteryGym.baseline(for: id, environment: env)
            var (o, info) = try! env.reset(seed: 0, options: [:])
            controller.reset(observation: o, info: info)
            var ret = 0.0, cost = 0.0
            while true {
                let t = try! env.step(controller.action(for: o))
                ret += t.reward; cost += t.cost; o = t.observation
                if t.done { break }
            }
            report.add("fleetdispatch16_\(kind)_return", ret, threads: 1)
            report.add("fleetdispatch16_\(kind)_cost", cost, threads: 1)
        }
    }
}
