import Foundation
import PulseBMS

/// Suite `env` (issue 5, item 5): environment steps per second of `PulseBMS/FleetDispatch-v0` with 16 packs.
///
/// `fleet16_steps_per_s` (JSON: by fidelity, `single_thread` and `vector_2_threads`; table keys
/// `fleet16_steps_per_s_<fidelity>_1thread` and `_2threads`): the environment at its defaults (preset
/// `mixed-lfp-nmc-64`, fleet seed 0, lumped packs, 60 s steps, 24 h episodes, peak shaving, BLAST-Lite aging per
/// pack) driven by its baseline controller (``ProportionalDispatch``, whose time is included, as are the
/// observation, the aging and the episode resets that rebuild the fleet).
/// - `1thread`: one environment, one thread; a timed run is `steps(fidelity)` consecutive steps.
/// - `2threads`: a ``VectorEnvironment`` of 8 environments on 2 threads (next-step autoreset); a timed run is
///   `steps(fidelity) / 4` vector steps, counted as 8 environment steps each.
/// The reference (`Benchmarks/reference/pybamm_fleet.py`) steps the same 16 cells in PyBaMM: one SPMe
/// `Simulation` per pack with its chemistry's set (Chen2020 lumped thermal for NMC and LMO, Prada2013
/// isothermal for LFP), one 60 s `Simulation.step` each per environment step. Ratios are PulseBMS / PyBaMM.
enum EnvSuite {
    static let fidelities = ["ecm", "spm", "spme"]

    /// Environment steps per timed run: enough for a stable median, few enough for 50 repeats.
    static func steps(_ fidelity: String) -> Int { fidelity == "ecm" ? 1440 : 64 }

    static func run(timer: Timer, into report: inout Report, progress: Bool) {
        var nested: [String: [String: Double]] = [:]
        for fidelity in fidelities {
            for threads in [1, 2] {
                let key = "fleet16_steps_per_s_\(fidelity)_\(threads == 1 ? "1thread" : "2threads")"
                guard report.wants(key) else { continue }
                // No BLAS in an environment step: OpenBLAS is left untouched.
                if progress { FileHandle.standardError.write(Data("env: \(key)…\n".utf8)) }
                let rate = threads == 1 ? single(fidelity: fidelity, timer: timer) : vectorised(fidelity: fidelity, timer: timer)
                report.add(key, rate, threads: 1)
                report.referenceKeys[key] = "fleet16_steps_per_s_pybamm_spme"
                nested[fidelity, default: [:]][threads == 1 ? "single_thread" : "vector_2_threads"] = rate
            }
        }
        report.extra["fleet16_steps_per_s"] = nested
    }

    static func options(_ fidelity: String) -> Options { ["packs": 16, "fidelity": .string(fidelity)] }

    /// The chemistry of each of the 16 packs: the reference script mirrors this mix, so it is checked here.
    static func checkMix(_ env: any Environment) {
        let packs = (env.unwrapped as! FleetDispatchEnvironment).packs
        let lfp = packs.filter { $0.chemistry == .lfp }.count
        guard lfp == PyBaMMFleetMix.lfpPacks, packs.count == 16 else {
            FileHandle.standardError.write(Data("env: the default 16-pack fleet is \(packs.map(\.chemistry.rawValue)); update PyBaMMFleetMix and pybamm_fleet.py\n".utf8))
            exit(1)
        }
    }

    static func single(fidelity: String, timer: Timer) -> Double {
        let env = try! BatteryGym.make("PulseBMS/FleetDispatch-v0", options: options(fidelity))
        checkMix(env)
        let controller = try! BatteryGym.baseline(for: "PulseBMS/FleetDispatch-v0", environment: env)
        var (observation, info) = try! env.reset(seed: 0, options: [:])
        controller.reset(observation: observation, info: info)
        let n = steps(fidelity)
        let timing = timer.measure {
            for _ in 0..<n {
                let t = try! env.step(controller.action(for: observation))
                observation = t.observation
                if t.done {
                    (observation, info) = try! env.reset(seed: nil, options: [:])
                    controller.reset(observation: observation, info: info)
                }
            }
        }
        return Double(n) / timing.median
    }

    static func vectorised(fidelity: String, timer: Timer) -> Double {
        let count = 8
        let vector = try! VectorEnvironment(count: count, threads: 2) { _ throws(GymError) in
            try BatteryGym.make("PulseBMS/FleetDispatch-v0", options: options(fidelity))
        }
        let controllers = vector.environments.map { try! BatteryGym.baseline(for: "PulseBMS/FleetDispatch-v0", environment: $0) }
        var observations = try! vector.reset(seed: 0).observations
        let n = steps(fidelity) / 4
        let timing = timer.measure {
            for _ in 0..<n {
                let actions = (0..<count).map { controllers[$0].action(for: observations[$0]) }
                observations = try! vector.step(actions).map(\.observation)
            }
        }
        return Double(n * count) / timing.median
    }
}

/// The fleet the PyBaMM reference mirrors (`pybamm_fleet.py`): of the 16 default packs, this many are LFP.
enum PyBaMMFleetMix {
    static let lfpPacks = 6
}
