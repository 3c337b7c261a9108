import Foundation
import Testing
@testable import Electrochemistry

/// The shipped ECM sets against the SPMe they were fitted to and against PyBaMM's SPMe fixtures.
@Suite("ECMTests accuracy")
struct ECMAccuracyTests {
    /// 1C discharge of the ECM from SoC 1 vs our SPMe and the PyBaMM fixture; returns (RMSE vs SPMe, vs fixture).
    static func compare(_ set: EquivalentCircuitParameters, source: ParameterSet, fixture: String) throws -> (Double, Double) {
        let ref = try ECMSupport.reference(fixture)
        // PyBaMM starts from the set's initial concentrations: the SoC of that negative stoichiometry.
        let stoN = try source.scalar("Initial concentration in negative electrode [mol.m-3]")
            / source.scalar("Maximum concentration in negative electrode [mol.m-3]")
        let window = set.negativeStoichiometry
        let soc = min(max((stoN - window.empty) / (window.full - window.empty), 0), 1)
        let ecm = try EquivalentCircuitModel(parameters: set, initialSoC: soc, ambientTemperature: try source.scalar("Ambient temperature [K]"))
        let run = try ECMSupport.discharge(ecm, current: ref.current, cutoff: set.minimumVoltage)
        let sto = try InitialState.stoichiometries(initialSoC: soc, parameters: source)
        let spme = try SingleParticleModel(parameters: source, variant: .spme, stoN: sto.negative, stoP: sto.positive)
        // Only the SPMe's step(current:dt:) is used (its other API is being rewritten): 10 s steps to the cut-off.
        var rows = [try spme.step(current: ref.current, dt: 1e-6)]
        while rows.last!.voltage > set.minimumVoltage, rows.count < 2000 {
            rows.append(try spme.step(current: ref.current, dt: 10))
        }
        let vsSPMe = ECMSupport.errors(run.t, run.v, against: rows.map(\.time), rows.map(\.voltage))
        let vsFixture = ECMSupport.errors(run.t, run.v, against: ref.t, ref.v)
        if ProcessInfo.processInfo.environment["ECM_DUMP"] != nil {
            for (k, t) in run.t.enumerated() where k % 20 == 0 || k > run.t.count - 12 {
                let vs = SPMTests.interpolate(rows.map(\.time), rows.map(\.voltage), at: t)
                print("  t \(t) ECM \(run.v[k]) SPMe \(vs) diff \((run.v[k] - vs) * 1e3) mV")
            }
        }
        print("\(set.name) 1C: ECM vs SPMe RMSE \(vsSPMe.rmse * 1e3) mV (max \(vsSPMe.max * 1e3) mV); "
              + "vs PyBaMM \(fixture) RMSE \(vsFixture.rmse * 1e3) mV (max \(vsFixture.max * 1e3) mV); "
              + "end \(run.t.last!) s vs \(ref.t.last!) s")
        #expect(abs(run.t.last! - ref.t.last!) < 60, "end of discharge \(run.t.last!) s vs \(ref.t.last!) s")
        return (vsSPMe.rmse, vsFixture.rmse)
    }

    @Test("NMC (Chen2020) 1C discharge within 20 mV RMSE of the SPMe and the PyBaMM fixture")
    func nmcDischarge() throws {
        let (spme, fixture) = try Self.compare(.chen2020, source: .chen2020, fixture: "chen2020_spme_1C")
        #expect(spme < 20e-3)
        #expect(fixture < 20e-3)
    }

    @Test("LFP (Prada2013) 1C discharge within 20 mV RMSE of the SPMe and the PyBaMM fixture")
    func lfpDischarge() throws {
        let (spme, fixture) = try Self.compare(.prada2013, source: .prada2013, fixture: "prada2013_spme_1C")
        #expect(spme < 20e-3)
        #expect(fixture < 20e-3)
    }

    /// The ECM driven by the same current schedule as an SPMe pulse record; returns the voltage RMSE [V].
    static func pulseError(_ set: EquivalentCircuitParameters, source: ParameterSet, soc: Double, temperature: Double,
                           current: Double) throws -> Double {
        let record = try EquivalentCircuitFit.pulse(source, current: current, stateOfCharge: soc, temperature: temperature,
                                                    capacity: set.capacity, configuration: .standard(pulseDuration: 30))
        let ecm = try EquivalentCircuitModel(parameters: set, initialSoC: soc, ambientTemperature: temperature)
        var previous = 0.0, sum = 0.0, worst = 0.0
        for q in record.time.indices {
            let v = try ecm.step(current: record.current[q], dt: record.time[q] - previous).voltage
            previous = record.time[q]
            sum += (v - record.voltage[q]) * (v - record.voltage[q]); worst = max(worst, abs(v - record.voltage[q]))
        }
        let rmse = (sum / Double(record.time.count)).squareRoot()
        print("\(set.name) pulse \(current) A at SoC \(soc), \(temperature) K: RMSE \(rmse * 1e3) mV, max \(worst * 1e3) mV")
        return rmse
    }

    @Test("30 s pulse responses (off the fit grid, 1C discharge and C/2 charge) within 10 mV RMSE of the SPMe")
    func pulses() throws {
        for (set, source) in [(EquivalentCircuitParameters.chen2020, ParameterSet.chen2020), (.prada2013, .prada2013)] {
            for (soc, t) in [(0.52, 298.15), (0.27, 290.0), (0.83, 305.0)] {
                for c in [1.0, -0.5] {
                    #expect(try Self.pulseError(set, source: source, soc: soc, temperature: t, current: c * set.nominalCapacity) < 10e-3)
                }
            }
        }
    }
}
