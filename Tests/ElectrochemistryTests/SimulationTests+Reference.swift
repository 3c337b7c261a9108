import Foundation
import Testing
@testable import Electrochemistry

/// The runner end to end on a real model against a PyBaMM 26.10 reference (Fixtures/cases/chen2020_spm_1C).
@Suite("Simulation runner vs PyBaMM")
struct SimulationReferenceTests {
    /// The reference rows: the CSV's columns by header name, and the case's JSON.
    struct Case {
        var columns: [String: [Double]] = [:]
        var steps: [String] = []
        var stoN = 0.0, stoP = 0.0
    }

    static func load(_ id: String) throws -> Case {
        func url(_ ext: String) throws -> URL {
            try #require(Bundle.module.url(forResource: "Fixtures/cases/\(id)", withExtension: ext))
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url("json"))) as? [String: Any])
        var result = Case()
        result.steps = try #require(json["steps"] as? [String])
        result.stoN = try #require(json["initial_sto_n"] as? Double)
        result.stoP = try #require(json["initial_sto_p"] as? Double)
        let lines = try String(contentsOf: url("csv"), encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        for line in lines.dropFirst() {
            for (name, field) in zip(header, line.split(separator: ",")) {
                result.columns[name, default: []].append(try #require(Double(field)))
            }
        }
        return result
    }

    /// Runs the case's experiment on `variant` from the case's initial stoichiometries and compares every row:
    /// t and I exactly (the last row, at an event, within 0.5 s), the discharge capacity to 1e-6 A.h; returns
    /// the V RMSE [V].
    static func compare(_ id: String, variant: SingleParticleModel.Variant) throws -> (SimulationResult, Double) {
        let reference = try load(id)
        let model = try SingleParticleModel(parameters: .chen2020, variant: variant,
                                           stoN: reference.stoN, stoP: reference.stoP)
        let result = try Simulation(experiment: Experiment(reference.steps)).run(model)
        let t = try #require(reference.columns["t [s]"]), v = try #require(reference.columns["V [V]"])
        let capacity = try #require(reference.columns["discharge capacity [A.h]"])
        let current = try #require(reference.columns["I [A]"])
        #expect(result.rows.count == t.count)
        guard result.rows.count == t.count else { return (result, .infinity) }
        var sum = 0.0
        for (k, row) in result.rows.enumerated() {
            let tolerance = k == t.count - 1 ? 0.5 : 1e-9
            #expect(abs(row.time - t[k]) < tolerance, "row \(k): t \(row.time) vs \(t[k])")
            #expect(abs(row.current - current[k]) < 1e-12, "row \(k): I \(row.current) vs \(current[k])")
            #expect(abs(row.dischargeCapacity - capacity[k]) < 1e-6)
            sum += (row.voltage - v[k]) * (row.voltage - v[k])
        }
        let rmse = (sum / Double(t.count)).squareRoot()
        print("\(id) via Simulation: \(result.rows.count) rows, V RMSE \(rmse * 1e3) mV, "
              + "t_end \(result.rows.last!.time) vs \(t.last!) s")
        return (result, rmse)
    }

    @Test("SPM Chen2020 1C through the runner: PyBaMM's rows, V within 1 mV RMSE")
    func spmChen2020() throws {
        let (result, rmse) = try Self.compare("chen2020_spm_1C", variant: .spm)
        #expect(rmse < 1e-3, "V RMSE \(rmse * 1e3) mV")
        #expect(result.steps.map(\.ending) == [.event(.voltageBelow(volts: 2.5))])
    }

    @Test("SPMe Chen2020, 120 current steps of 30 s: shared boundary rows, V within 1 mV RMSE")
    func spmeDynamic() throws {
        let (result, rmse) = try Self.compare("chen2020_spme_dynamic", variant: .spme)
        #expect(rmse < 1e-3, "V RMSE \(rmse * 1e3) mV")
        #expect(result.steps.count == 120 && result.steps.allSatisfy { $0.ending == .duration && $0.rows.count == 4 })
    }
}
