import Foundation
import Testing
@testable import Electrochemistry

/// Shared helpers of the ECM tests: fixtures, interpolation, errors, a hand-made constant-element set.
enum ECMSupport {
    /// A PyBaMM reference discharge: times, voltages and the 1C current.
    struct Reference { var t: [Double] = [], v: [Double] = [], current = 0.0 }

    static func reference(_ id: String) throws -> Reference {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/cases/\(id)", withExtension: "csv"))
        var ref = Reference()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map { Double($0)! }
            ref.t.append(f[0]); ref.current = f[1]; ref.v.append(f[2])
        }
        return ref
    }

    /// RMSE and max |error| of (t, v) against (tRef, vRef) at the reference times within both ranges.
    static func errors(_ t: [Double], _ v: [Double], against tRef: [Double], _ vRef: [Double]) -> (rmse: Double, max: Double) {
        var sum = 0.0, worst = 0.0, count = 0
        for (k, time) in tRef.enumerated() where time <= t[t.count - 1] {
            let e = SPMTests.interpolate(t, v, at: time) - vRef[k]
            sum += e * e; worst = max(worst, abs(e)); count += 1
        }
        return ((sum / Double(max(count, 1))).squareRoot(), worst)
    }

    /// Discharges `model` at `current` until `cutoff` in steps of `period` s; returns times and voltages.
    static func discharge(_ model: EquivalentCircuitModel, current: Double, cutoff: Double,
                          period: Double = 10) throws -> (t: [Double], v: [Double]) {
        try model.begin(.current(current))
        var t = [model.time], v = [model.outputs.voltage]
        while true {
            let stop = try model.advance(by: period, events: [.voltageBelow(volts: cutoff)])
            t.append(model.time); v.append(model.outputs.voltage)
            if stop != .completed { break }
        }
        return (t, v)
    }

    /// Constant elements: OCV 3.7 V, R0 = 10 mΩ, R1 = 5 mΩ (τ 20 s), R2 = 2 mΩ (τ 200 s), 5 A.h.
    static func constantSet() -> EquivalentCircuitParameters {
        EquivalentCircuitParameters(
            name: "constant", citations: ["test"], nominalCapacity: 5,
            openCircuitVoltage: EquivalentCircuitTable(constant: 3.7),
            seriesResistance: EquivalentCircuitTable(constant: 0.01),
            resistances: [EquivalentCircuitTable(constant: 0.005), EquivalentCircuitTable(constant: 0.002)],
            timeConstants: [EquivalentCircuitTable(constant: 20), EquivalentCircuitTable(constant: 200)],
            heatCapacity: 40, heatTransfer: 0.05, minimumVoltage: 2.5, maximumVoltage: 4.2, initialStateOfCharge: 0.5)
    }
}
