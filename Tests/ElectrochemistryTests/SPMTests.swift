import Foundation
import Testing
@testable import Electrochemistry

/// SPM / SPMe against PyBaMM 26.10 reference discharges (Fixtures/cases, copied from shared/reference/pybamm).
@Suite("Single-particle models vs PyBaMM")
struct SPMTests {
    struct Reference {
        var stoN = 0.0, stoP = 0.0, current = 0.0, cutoff = 0.0, steps: [String] = []
        var t: [Double] = [], v: [Double] = [], stoNSurf: [Double] = [], stoPAvg: [Double] = []
    }

    static func load(_ id: String) throws -> Reference {
        func path(_ ext: String) throws -> String {
            let url = try #require(Bundle.module.url(forResource: "Fixtures/cases/\(id)", withExtension: ext))
            return url.path
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("json"))))
                                as? [String: Any])
        var ref = Reference()
        ref.stoN = try #require(json["initial_sto_n"] as? Double)
        ref.stoP = try #require(json["initial_sto_p"] as? Double)
        ref.steps = try #require(json["steps"] as? [String])
        if ref.steps[0].contains(" until ") {
            ref.cutoff = try #require(Double(ref.steps[0].components(separatedBy: " until ")[1].split(separator: " ")[0]))
        }
        let lines = try String(contentsOfFile: path("csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        for line in lines {
            let f = line.split(separator: ",").map { Double($0)! }
            if ref.t.isEmpty { ref.current = f[1] }
            ref.t.append(f[0]); ref.v.append(f[2]); ref.stoNSurf.append(f[4]); ref.stoPAvg.append(f[7])
        }
        return ref
    }

    /// Linear interpolation of (xs, ys) at x (clamped to the ends).
    static func interpolate(_ xs: [Double], _ ys: [Double], at x: Double) -> Double {
        if x <= xs[0] { return ys[0] }
        guard let k = xs.firstIndex(where: { $0 >= x }) else { return ys[ys.count - 1] }
        let w = (x - xs[k - 1]) / (xs[k] - xs[k - 1])
        return ys[k - 1] + w * (ys[k] - ys[k - 1])
    }

    struct Errors { var rmse: Double; var max: Double; var endTime: Double; var referenceEnd: Double; var stoMax: Double }

    static func compare(_ id: String, parameters: ParameterSet, variant: SingleParticleModel.Variant) throws -> Errors {
        let ref = try load(id)
        let model = try SingleParticleModel(parameters: parameters, variant: variant, stoN: ref.stoN, stoP: ref.stoP)
        let rows = try run(model, ref)
        return summarise(id, variant, ref, rows)
    }

    /// Drives the model through the reference's steps ("Discharge/Charge at X A for 30 seconds", "at X A/W until
    /// V"), reading a row every 10 s.
    static func run(_ model: SingleParticleModel, _ ref: Reference) throws -> [CellOutputs] {
        var rows: [CellOutputs] = []
        for text in ref.steps {
            let words = text.split(separator: " ")
            let sign = words[0] == "Charge" ? -1.0 : 1.0
            let value = words[2].hasSuffix("C") ? ref.current : Double(words[2])!
            let drive: CellDrive = words[3] == "W" ? .power(sign * value) : .current(sign * value)
            try model.begin(drive)
            if rows.isEmpty { rows.append(model.outputs) }
            if text.contains(" until ") {
                while try model.advance(by: 10, events: [.voltageBelow(volts: ref.cutoff)]) == .completed {
                    rows.append(model.outputs)
                }
                rows.append(model.outputs)
            } else {
                for _ in 0..<3 {
                    _ = try model.advance(by: 10, events: [])
                    rows.append(model.outputs)
                }
            }
        }
        return rows
    }

    static func summarise(_ id: String, _ variant: SingleParticleModel.Variant, _ ref: Reference,
                          _ rows: [CellOutputs]) -> Errors {
        let t = rows.map(\.time), v = rows.map(\.voltage)
        var sum = 0.0, worst = 0.0, sto = 0.0, count = 0
        for (k, time) in ref.t.enumerated() where time <= t[t.count - 1] {
            // At a current jump the reference repeats the time: our row there is the end of the earlier step.
            if k > 0 && ref.t[k - 1] == time { continue }
            let e = interpolate(t, v, at: time) - ref.v[k]
            sum += e * e; worst = max(worst, abs(e)); count += 1
            sto = max(sto, abs(interpolate(t, rows.map(\.stoNSurf), at: time) - ref.stoNSurf[k]),
                      abs(interpolate(t, rows.map(\.stoPAvg), at: time) - ref.stoPAvg[k]))
        }
        let errors = Errors(rmse: (sum / Double(count)).squareRoot(), max: worst, endTime: t[t.count - 1],
                            referenceEnd: ref.t[ref.t.count - 1], stoMax: sto)
        print("\(id) \(variant): V RMSE \(errors.rmse * 1e3) mV, max \(errors.max * 1e3) mV, "
              + "t_end \(errors.endTime) / \(errors.referenceEnd) s, max sto err \(sto)")
        return errors
    }

    static func check(_ e: Errors) {
        #expect(e.rmse < 2e-3, "V RMSE \(e.rmse * 1e3) mV exceeds 2 mV")
        #expect(e.max < 10e-3, "V max error \(e.max * 1e3) mV exceeds 10 mV")
        #expect(abs(e.endTime - e.referenceEnd) < 3, "end time \(e.endTime) vs \(e.referenceEnd) s")
        #expect(e.stoMax < 1e-3, "stoichiometry error \(e.stoMax)")
    }

    @Test("SPM Chen2020 1C discharge matches PyBaMM")
    func spmChen() throws {
        Self.check(try Self.compare("chen2020_spm_1C", parameters: .chen2020, variant: .spm))
    }

    @Test("SPMe Chen2020 1C discharge matches PyBaMM")
    func spmeChen() throws {
        Self.check(try Self.compare("chen2020_spme_1C", parameters: .chen2020, variant: .spme))
    }

    @Test("SPMe Prada2013 1C discharge matches PyBaMM")
    func spmePrada() throws {
        Self.check(try Self.compare("prada2013_spme_1C", parameters: .prada2013, variant: .spme))
    }

    @Test("SPMe Chen2020 dynamic current steps match PyBaMM")
    func spmeDynamic() throws {
        Self.check(try Self.compare("chen2020_spme_dynamic", parameters: .chen2020, variant: .spme))
    }

    @Test("SPMe Chen2020 10 W discharge matches PyBaMM, with I·V = 10 W")
    func spmePower() throws {
        let ref = try Self.load("chen2020_spme_power")
        let model = try SingleParticleModel(parameters: .chen2020, variant: .spme, stoN: ref.stoN, stoP: ref.stoP)
        let rows = try Self.run(model, ref)
        for row in rows { #expect(abs(row.current * row.voltage - 10) < 1e-8) }
        Self.check(Self.summarise("chen2020_spme_power", .spme, ref, rows))
    }

    @Test("t = 0 voltages match PyBaMM to 1e-7 V")
    func initialVoltages() throws {
        for (id, set, variant) in [("chen2020_spm_1C", ParameterSet.chen2020, SingleParticleModel.Variant.spm),
                                   ("chen2020_spme_1C", .chen2020, .spme), ("prada2013_spme_1C", .prada2013, .spme)] {
            let ref = try Self.load(id)
            let model = try SingleParticleModel(parameters: set, variant: variant, stoN: ref.stoN, stoP: ref.stoP)
            try model.begin(.current(ref.current))
            let v = model.outputs.voltage
            #expect(abs(v - ref.v[0]) < 1e-7, "\(id): V(0) = \(v), reference \(ref.v[0])")
        }
    }

    @Test("lithium is conserved and invalid inputs throw")
    func conservationAndErrors() throws {
        let model = try SingleParticleModel(parameters: .chen2020, variant: .spme, stoN: 0.8, stoP: 0.3)
        try model.begin(.current(5))
        let start = model.outputs
        let end = try model.step(current: 5, dt: 100)
        #expect(abs(end.dischargeCapacity - 5 * 100 / 3600) < 1e-12)
        // Negative average sto falls by I·t/(F·ε_s L_n A c_max) in a conservative scheme.
        let drop = 5 * 100 / (PhysicalConstants.faraday * 0.75 * 8.52e-5 * 0.065 * 1.58 * 33133)
        #expect(abs((start.stoNAvg - end.stoNAvg) - drop) < 1e-12)
        #expect(throws: ModelError.invalidTimeStep(dt: 0)) { try model.step(current: 5, dt: 0) }
        #expect(throws: ModelError.invalidStoichiometry(name: "negative", value: 1.2)) {
            _ = try SingleParticleModel(parameters: .chen2020, stoN: 1.2, stoP: 0.5)
        }
    }
}
