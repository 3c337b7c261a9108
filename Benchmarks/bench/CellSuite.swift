import PulseBMS

/// Suite `cell`: the two ways the fleet simulator drives a cell model (issue 3, item 9).
///
/// (a) `full_discharge_ms_<model>`: the warm wall time of a full 1C discharge of Chen2020
///     (5 A) from the default initial state (stoN 0.9013973983641688, stoP 0.2699987322515213)
///     until 2.5 V, a row (`outputs`) every 10 s (`advance(by:events:)` with the cut-off event, which
///     also locates the crossing). Only the discharge is timed: each run starts
///     from a freshly built model, constructed outside the timed region.
/// (b) `step_us_<model>`: one 10 s `step(current:dt:)` under a random current uniform in
///     ±1C, drawn in advance from a seeded `Xoshiro256StarStar`, per cell, on one core.
///     The cell starts at 50 % SoC (`InitialState`) and its state is restored every
///     ``stepsPerRestore`` steps so it stays inside its voltage window; a timed run is
///     ``stepsPerRestore`` steps plus one restore, divided by the step count.
///
/// Models: `ecm` (`EquivalentCircuitModel`, the shipped Chen2020 Thevenin set with 5 RC pairs; step key
/// only, at 50 % SoC), `spm` and `spme` (`SingleParticleModel`) and `dfn` (`DoyleFullerNewmanModel`).
/// The PyBaMM twin is Benchmarks/reference/pybamm_cell.py (IDAKLU solver, same keys; its ECM is
/// `pybamm.equivalent_circuit.Thevenin` with one RC pair and its "ECM_Example" set, the closest it ships).
/// Everything runs on 1 thread (the models do not call BLAS).
enum CellSuite {
    static let cutoffVoltage = 2.5
    static let period = 10.0
    static let stepsPerRestore = 64
    static let cutoff: [StepTermination] = [.voltageBelow(volts: cutoffVoltage)]
    /// PyBaMM's default Chen2020 initial stoichiometries (the state at 100 % SoC used by its experiments).
    static let initialStoN = 0.9013973983641688
    static let initialStoP = 0.2699987322515213

    /// A model under test: its key suffix, whether it has a full-discharge key, and how to build it at a SoC
    /// (`nil`: the default initial state above).
    struct Subject {
        var name: String
        var fullDischarge: Bool
        var make: (_ stateOfCharge: Double?) throws -> any CellModel
    }

    static func subjects(_ parameters: ParameterSet) -> [Subject] {
        func stoichiometries(_ soc: Double?) throws -> (Double, Double) {
            guard let soc else { return (initialStoN, initialStoP) }
            let window = try InitialState.stoichiometries(initialSoC: soc, parameters: parameters)
            return (window.negative, window.positive)
        }
        return [
            Subject(name: "ecm", fullDischarge: false) { soc in
                try EquivalentCircuitModel(parameters: .chen2020, initialSoC: soc ?? 1)
            },
            Subject(name: "spm", fullDischarge: true) { soc in
                let (n, p) = try stoichiometries(soc)
                return try SingleParticleModel(parameters: parameters, variant: .spm, stoN: n, stoP: p)
            },
            Subject(name: "spme", fullDischarge: true) { soc in
                let (n, p) = try stoichiometries(soc)
                return try SingleParticleModel(parameters: parameters, variant: .spme, stoN: n, stoP: p)
            },
            Subject(name: "dfn", fullDischarge: true) { soc in
                let (n, p) = try stoichiometries(soc)
                return try DoyleFullerNewmanModel(parameters: parameters, stoN: n, stoP: p)
            },
        ]
    }

    static func run(timer: Timer, into report: inout Report, progress: Bool) {
        let parameters = ParameterSet.chen2020
        let oneC = try! parameters.scalar("Nominal cell capacity [A.h]")
        let models = subjects(parameters)
        for model in models where model.fullDischarge {
            let key = "full_discharge_ms_\(model.name)"
            guard report.wants(key) else { continue }
            let threads = report.useThreads(natural: 1)
            var cell: (any CellModel)? = nil
            let timing = timer.measure(setup: { cell = try! model.make(nil) }) {
                let rows = discharge(cell!, current: oneC)
                precondition(rows > 300, "cell: a 1C discharge of Chen2020 should last about an hour")
            }
            report.add(key, timing.median * 1e3, threads: threads)
        }

        var rng = Xoshiro256StarStar(seed: 2026)
        let currents = (0..<4096).map { _ in rng.nextUniform(in: -oneC, oneC) }
        for model in models {
            let key = "step_us_\(model.name)"
            guard report.wants(key) else { continue }
            let threads = report.useThreads(natural: 1)
            let cell = try! model.make(0.5)
            cell.saveState()
            var next = 0
            let timing = timer.measure {
                for _ in 0..<stepsPerRestore {
                    _ = try! cell.step(current: currents[next], dt: period)
                    next = (next + 1) % currents.count
                }
                cell.restoreState()
            }
            precondition((2.5...4.3).contains(cell.outputs.voltage), "cell: the stepped \(model.name) left its window")
            report.add(key, timing.median / Double(stepsPerRestore) * 1e6, threads: threads)
        }
    }

    /// A constant-current discharge until ``cutoffVoltage``, reading the outputs every ``period``; returns the row count.
    static func discharge(_ cell: any CellModel, current: Double) -> Int {
        try! cell.begin(.current(current))
        var rows = 1
        var last = cell.outputs
        while true {
            let stop = try! cell.advance(by: period, events: cutoff)
            last = cell.outputs
            rows += 1
            if stop != .completed || last.time > 24 * 3600 { break }
        }
        precondition(last.voltage.isFinite)
        return rows
    }
}
