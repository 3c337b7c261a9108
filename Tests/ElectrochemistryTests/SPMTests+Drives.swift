import Testing
@testable import Electrochemistry

/// Drives, events, lumped thermal and other parameter sets of the SPM/SPMe ``CellModel``.
@Suite("Single-particle models: drives, events, thermal")
struct SPMDriveTests {
    static func model(_ set: ParameterSet, _ variant: SingleParticleModel.Variant, soc: Double,
                      thermal: ThermalOption = .isothermal) throws -> SingleParticleModel {
        let sto = try InitialState.stoichiometries(initialSoC: soc, parameters: set)
        return try SingleParticleModel(parameters: set, variant: variant, stoN: sto.negative, stoP: sto.positive,
                                       thermal: thermal)
    }

    @Test("CC charge to 4.1 V, then a CV hold: V stays at 4.1 V and |I| decays")
    func constantVoltageHold() throws {
        let cell = try Self.model(.chen2020, .spme, soc: 0.5)
        try cell.begin(.current(-5))
        var stop = AdvanceStop.completed
        while stop == .completed, cell.outputs.time < 7200 {
            stop = try cell.advance(by: 60, events: [.voltageAbove(volts: 4.1)])
        }
        #expect(stop == .event(0))
        #expect(abs(cell.outputs.voltage - 4.1) < 1e-5, "event located at V = \(cell.outputs.voltage)")
        try cell.begin(.voltage(4.1))
        var previous = abs(cell.outputs.current)
        #expect(previous > 1 && previous <= 5.5)
        for _ in 0..<60 {
            #expect(try cell.advance(by: 30, events: []) == .completed)
            let out = cell.outputs
            #expect(abs(out.voltage - 4.1) < 1e-6, "V = \(out.voltage) during the hold")
            #expect(out.current < 0 && abs(out.current) < previous, "|I| = \(abs(out.current)) after \(previous)")
            previous = abs(out.current)
        }
        #expect(previous < 1.5)
    }

    @Test("resistance drive: V = R·I; unreachable power is infeasible")
    func resistanceAndPower() throws {
        let cell = try Self.model(.chen2020, .spme, soc: 0.8)
        try cell.begin(.resistance(1.0))
        _ = try cell.advance(by: 100, events: [])
        let out = cell.outputs
        #expect(abs(out.voltage - 1.0 * out.current) < 1e-9)
        #expect(out.current > 3 && out.current < 4.5)
        #expect(throws: ModelError.self) { try cell.begin(.power(10_000)) }
    }

    @Test("voltage event located to 1e-6 V, capacity counted to the crossing")
    func eventLocation() throws {
        let cell = try Self.model(.chen2020, .spm, soc: 0.9)
        try cell.begin(.current(5))
        let stop = try cell.advance(by: 3600 * 2, events: [.voltageBelow(volts: 3.5)])
        #expect(stop == .event(0))
        let t = cell.outputs.time
        #expect(abs(cell.outputs.voltage - 3.5) < 1e-6)
        #expect(abs(cell.outputs.dischargeCapacity - 5 * t / 3600) < 1e-9)
    }

    @Test("lumped thermal: energy balance, heating in a 2C discharge, relaxation in rest")
    func lumpedThermal() throws {
        let cell = try Self.model(.chen2020, .spme, soc: 1, thermal: .lumped)
        let c = cell.thermal.volumetricHeatCapacity * cell.thermal.cellVolume
        let hA = cell.thermal.coolingConductance, ambient = cell.ambientTemperature
        try cell.begin(.current(10))
        var before = cell.outputs
        #expect(before.heat > 0)
        for _ in 0..<120 {
            _ = try cell.advance(by: 10, events: [])
            let after = cell.outputs
            let lhs = c * (after.temperature - before.temperature) / 10
            let rhs = 0.5 * (before.heat + after.heat) - hA * (0.5 * (before.temperature + after.temperature) - ambient)
            #expect(abs(lhs - rhs) < 0.02 * abs(rhs) + 1e-3, "ρc_pV dT/dt = \(lhs) W vs Q − hAΔT = \(rhs) W")
            before = after
        }
        let hot = cell.outputs.temperature
        #expect(hot > ambient + 1, "T = \(hot) K after 20 min at 2C")
        try cell.begin(.current(0))
        _ = try cell.advance(by: 1800, events: [])
        #expect(cell.outputs.temperature < hot - 0.5 && cell.outputs.temperature > ambient)
        #expect(abs(cell.outputs.heat) < 1e-3)
    }

    @Test("Marquis2019 (entropic heat) and Ecker2015 (D_s(sto)) run a 1C discharge")
    func otherSets() throws {
        for (set, thermal) in [(ParameterSet.marquis2019, ThermalOption.lumped), (.ecker2015, .isothermal)] {
            for variant in [SingleParticleModel.Variant.spm, .spme] {
                let cell = try Self.model(set, variant, soc: 1, thermal: thermal)
                let oneC = try set.scalar("Nominal cell capacity [A.h]")
                let cutoff = try set.scalar("Lower voltage cut-off [V]")
                try cell.begin(.current(oneC))
                var stop = AdvanceStop.completed
                while stop == .completed, cell.outputs.time < 7200 {
                    stop = try cell.advance(by: 10, events: [.voltageBelow(volts: cutoff)])
                    #expect(cell.outputs.voltage.isFinite && cell.outputs.heat.isFinite)
                }
                #expect(stop == .event(0))
                #expect(cell.outputs.time > 1800, "\(variant): 1C ended at \(cell.outputs.time) s")
            }
        }
        // Marquis2019's reversible heat a·j·T·dU/dT is non-zero.
        let cell = try Self.model(.marquis2019, .spm, soc: 0.5)
        let k = cell.constants
        let sn = cell.outputs.stoNSurf, sp = cell.outputs.stoPSurf
        #expect(abs(k.dUdTN(sn) - k.dUdTP(sp)) > 1e-6)
    }

    @Test("updateParameters keeps the state and applies a new capacity")
    func update() throws {
        let cell = try Self.model(.chen2020, .spme, soc: 0.6)
        _ = try cell.step(current: 5, dt: 100)
        let before = cell.outputs
        var set = ParameterSet.chen2020
        set.setScalar("Nominal cell capacity [A.h]", 4.0)
        try cell.updateParameters(set)
        #expect(cell.nominalCapacity == 4)
        #expect(abs(cell.outputs.voltage - before.voltage) < 1e-12 && cell.outputs.time == before.time)
        set.setScalar("Negative particle radius [m]", 2 * (try set.scalar("Negative particle radius [m]")))
        try cell.updateParameters(set)
        #expect(abs(cell.outputs.stoNAvg - before.stoNAvg) < 1e-12)
    }
}
