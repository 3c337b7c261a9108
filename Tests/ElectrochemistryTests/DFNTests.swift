import Foundation
import Testing
@testable import Electrochemistry

/// The DFN (P2D) model against PyBaMM 26.10 reference solutions (Fixtures/cases/chen2020_dfn_*).
@Suite("DFN vs PyBaMM")
struct DFNTests {
    struct Case {
        var stoN = 0.0, stoP = 0.0, lumped = false, steps: [String] = []
        /// Rows grouped by experiment step: (t, I, V, T).
        var groups: [[(t: Double, i: Double, v: Double, temperature: Double)]] = []
    }

    static func load(_ id: String) throws -> Case {
        func path(_ ext: String) throws -> String {
            try #require(Bundle.module.url(forResource: "Fixtures/cases/\(id)", withExtension: ext)).path
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("json"))))
                                as? [String: Any])
        var c = Case()
        c.stoN = try #require(json["initial_sto_n"] as? Double)
        c.stoP = try #require(json["initial_sto_p"] as? Double)
        c.steps = try #require(json["steps"] as? [String])
        c.lumped = (json["options"] as? [String: Any])?["thermal"] as? String == "lumped"
        var previous = -1.0
        for line in try String(contentsOfFile: path("csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map { Double($0)! }
            // A repeated time starts the next step (spec §0.1).
            if c.groups.isEmpty || f[0] == previous { c.groups.append([]) }
            c.groups[c.groups.count - 1].append((f[0], f[1], f[2], f[3]))
            previous = f[0]
        }
        return c
    }

    static func drive(_ control: ControlMode, capacity: Double) throws -> CellDrive {
        switch control {
        case .current(let a): return .current(a)
        case .cRate(let c): return .current(c * capacity)
        case .rest: return .current(0)
        case .voltage(let v): return .voltage(v)
        case .power(let p): return .power(p)
        case .resistance(let r): return .resistance(r)
        case .profile: throw ExperimentError.invalidStep(step: "profile", part: "", reason: "not used here")
        }
    }

    struct Errors {
        var rmse: Double, max: Double, temperatureMax: Double, endTime: Double, referenceEnd: Double, eventTime: Double
    }

    /// Drives the model through the case's steps (begin, then 10 s advances with the step's terminations as events)
    /// and compares V and T at the reference rows.
    static func compare(_ id: String) throws -> Errors {
        let c = try load(id)
        let model = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: c.stoN, stoP: c.stoP,
                                               thermal: c.lumped ? .lumped : .isothermal)
        let experiment = try Experiment(c.steps)
        var sum = 0.0, count = 0, worst = 0.0, worstT = 0.0, eventError = 0.0
        func record(_ row: (t: Double, i: Double, v: Double, temperature: Double)) {
            let e = model.outputs.voltage - row.v
            sum += e * e; count += 1; worst = max(worst, abs(e))
            worstT = max(worstT, abs(model.outputs.temperature - row.temperature))
        }
        var stepStart = 0.0
        for (step, rows) in zip(experiment.steps, c.groups) {
            try model.begin(drive(step.control, capacity: model.nominalCapacity))
            record(rows[0])
            stepStart = model.outputs.time
            for (index, row) in rows.enumerated().dropFirst() {
                // The last row of a terminated step is PyBaMM's event row: run past it and let our event stop us.
                let last = index == rows.count - 1 && !step.terminations.isEmpty
                let target = stepStart + (last ? rows[index - 1].t + 10 : row.t) - rows[0].t
                let stop = try model.advance(by: target - model.outputs.time, events: step.terminations)
                record(row)
                if case .event = stop {
                    eventError = max(eventError, abs(model.outputs.time - stepStart - (row.t - rows[0].t)))
                    break
                }
            }
        }
        let end = c.groups.last!.last!.t
        return Errors(rmse: (sum / Double(count)).squareRoot(), max: worst, temperatureMax: worstT,
                      endTime: model.outputs.time, referenceEnd: end, eventTime: eventError)
    }

    @Test("t = 0 voltage of Chen2020 dfn_1C matches PyBaMM's consistent initialisation")
    func initialVoltage() throws {
        let c = try Self.load("chen2020_dfn_1C")
        let model = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: c.stoN, stoP: c.stoP)
        try model.begin(.current(5))
        print("DFN V(0) = \(model.outputs.voltage) (PyBaMM 4.037919459)")
        #expect(abs(model.outputs.voltage - 4.037919459) < 1e-6)
    }

    @Test("Reference cases: V RMSE ≤ 4 mV, max ≤ 20 mV, T ≤ 0.2 K (targets 2 mV, 10 mV, 0.1 K)",
          arguments: ["chen2020_dfn_1C", "chen2020_dfn_2C", "chen2020_dfn_cccv", "chen2020_dfn_lumped_2C"])
    func referenceCase(_ id: String) throws {
        let e = try Self.compare(id)
        print("\(id): V RMSE \(e.rmse * 1e3) mV, max \(e.max * 1e3) mV, T max \(e.temperatureMax) K, "
              + "end \(e.endTime) s (PyBaMM \(e.referenceEnd) s), worst event time error \(e.eventTime) s")
        #expect(e.rmse < 4e-3)
        #expect(e.max < 20e-3)
        #expect(e.temperatureMax < 0.2)
        #expect(abs(e.endTime - e.referenceEnd) < 1)
        #expect(e.eventTime < 1)
    }

    @Test("Bad inputs give typed errors")
    func badInputs() throws {
        #expect(throws: ModelError.invalidStoichiometry(name: "negative", value: 1.2)) {
            try DoyleFullerNewmanModel(parameters: .chen2020, stoN: 1.2, stoP: 0.5)
        }
        #expect(throws: ModelError.invalidMesh(domain: "separator", volumes: 1)) {
            try DoyleFullerNewmanModel(parameters: .chen2020, stoN: 0.5, stoP: 0.5, mesh: CellMesh(separator: 1))
        }
        var missing = ParameterSet.chen2020
        missing.scalars["Separator porosity"] = nil
        #expect(throws: ModelError.parameter(.missing(name: "Separator porosity"))) {
            try DoyleFullerNewmanModel(parameters: missing, stoN: 0.5, stoP: 0.5)
        }
        let model = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: 0.5, stoP: 0.5)
        #expect(throws: ModelError.invalidTimeStep(dt: -1)) { try model.advance(by: -1, events: []) }
        // 5 kW is far beyond the cell's maximum power: the drive cannot be met.
        #expect(throws: ModelError.self) { try model.begin(.power(5000)) }
        // A 20C discharge from nearly empty drains the negative particle surface: a typed infeasible drive.
        let empty = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: 0.03, stoP: 0.85)
        try empty.begin(.current(100))
        #expect {
            _ = try empty.advance(by: 600, events: [])
        } throws: { error in
            guard let e = error as? ModelError else { return false }
            print("DFN drained cell: \(e)")
            if case .infeasibleDrive = e { return true }
            return false
        }
    }

    @Test("Power, voltage and resistance drives hold their constraint")
    func algebraicDrives() throws {
        let model = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: 0.8221908210142331, stoP: 0.3228581695952015)
        try model.begin(.power(10))
        #expect(abs(model.outputs.current * model.outputs.voltage - 10) < 1e-6)
        print("DFN power 10 W: I(0) = \(model.outputs.current) A (PyBaMM SPMe 2.4893 A)")
        _ = try model.advance(by: 600, events: [])
        #expect(abs(model.outputs.current * model.outputs.voltage - 10) < 1e-6)
        try model.begin(.voltage(3.9))
        _ = try model.advance(by: 60, events: [])
        #expect(abs(model.outputs.voltage - 3.9) < 1e-9)
        try model.begin(.resistance(2))
        _ = try model.advance(by: 60, events: [])
        #expect(abs(model.outputs.voltage - 2 * model.outputs.current) < 1e-9)
        #expect(model.outputs.current > 1.5 && model.outputs.current < 2.2)
    }

    @Test("updateParameters: an aged set applied in place behaves as a model built with it")
    func updateParameters() throws {
        // 10 % less electrode area (capacity fade) and a 3× slower negative exchange current (film growth).
        var aged = ParameterSet.chen2020.updating(["Electrode height [m]": 0.065 * 0.9])
        let j0 = try ParameterSet.chen2020.exchangeCurrentDensity("Negative electrode exchange-current density [A.m-2]")
        aged.setFunction("Negative electrode exchange-current density [A.m-2]",
                         .exchangeCurrentDensity("Chen 2020 / 3", { ce, cs, cmax, t in j0(ce, cs, cmax, t) / 3 }))
        let (n, p) = (0.8221908210142331, 0.3228581695952015)
        let original = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: n, stoP: p)
        let before = try original.step(current: 5, dt: 60).voltage
        let updated = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: n, stoP: p)
        try updated.updateParameters(aged)
        let fresh = try DoyleFullerNewmanModel(parameters: aged, stoN: n, stoP: p)
        let after = try updated.step(current: 5, dt: 60).voltage
        #expect(abs(after - (try fresh.step(current: 5, dt: 60).voltage)) < 1e-6)
        // Mid-run: time, charge and concentrations are kept; the potentials follow the new parameters.
        try original.updateParameters(aged)
        #expect(original.outputs.time == 60 && abs(original.outputs.dischargeCapacity - 5 * 60 / 3600) < 1e-9)
        #expect(original.outputs.voltage < before - 0.005)
    }
}
