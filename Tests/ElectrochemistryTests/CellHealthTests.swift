import Testing
@testable import Electrochemistry

/// State of health fed back into the cell models: ECM capacity and resistance, and LLI, LAM and film
/// resistance in the physics models.
@Suite("CellHealth")
struct CellHealthTests {
    /// Charge [A.h] delivered from 100 % SoC to 2.5 V at `current` [A].
    static func dischargeCapacity(_ model: any CellModel, current: Double) throws -> Double {
        try model.begin(.current(current))
        let stop = try model.advance(by: 1e6, events: [.voltageBelow(volts: 2.5)])
        #expect(stop == .event(0))
        return model.outputs.dischargeCapacity
    }

    static func spm(_ p: ParameterSet, soc: Double, variant: SingleParticleModel.Variant = .spm) throws -> SingleParticleModel {
        let s = try InitialState.stoichiometries(initialSoC: soc, parameters: p)
        return try SingleParticleModel(parameters: p, variant: variant, stoN: s.negative, stoP: s.positive)
    }

    @Test("bad health values are refused with the field named")
    func validation() {
        for (q, r, s, field) in [(0.0, 1.0, 0.5, "capacity retention"), (1.2, 1.0, 0.5, "capacity retention"),
                                 (0.9, 0.0, 0.5, "resistance growth"), (0.9, 1.0, 1.5, "lithium inventory share")] {
            #expect(throws: ModelError.self) {
                do { _ = try CellHealth(capacityRetention: q, resistanceGrowth: r, lithiumInventoryShare: s) }
                catch { #expect("\(error)".contains(field)); throw error }
            }
        }
    }

    @Test("ECM: capacity × q for coulomb counting, every resistance × r")
    func equivalentCircuit() throws {
        let fresh = try EquivalentCircuitModel(parameters: .chen2020, initialSoC: 0.6)
        let aged = try EquivalentCircuitModel(parameters: .chen2020, initialSoC: 0.6)
        try aged.applyHealth(CellHealth(capacityRetention: 0.8, resistanceGrowth: 1.5))
        #expect(abs(aged.capacity - 0.8 * fresh.capacity) < 1e-12)
        let rest = (fresh.outputs.voltage, aged.outputs.voltage)
        #expect(abs(rest.0 - rest.1) < 1e-12, "same SoC, same OCV")
        try fresh.step(current: 5, dt: 1); try aged.step(current: 5, dt: 1)
        let drop = (rest.0 - fresh.outputs.voltage, rest.1 - aged.outputs.voltage)
        // Over 1 s the drop is R0·I plus a little RC charging, both × r; the OCV moves 1/q as fast.
        #expect(abs(drop.1 / drop.0 - 1.5) < 0.01, "drop ratio \(drop.1 / drop.0)")
        #expect(abs(aged.stateOfCharge - (0.6 - 5.0 / 3600 / aged.capacity)) < 1e-12)
    }

    @Test("physics: the aged balance holds q Q_new; LLI and LAM move the right parameters",
          arguments: [("chen2020", 0.8, 0.8), ("chen2020", 0.7, 0.0), ("chen2020", 0.9, 1.0), ("prada2013", 0.75, 0.8)])
    func balance(_ set: String, _ q: Double, _ share: Double) throws {
        let p = try ParameterSet.named(set)
        let aged = try p.aged(by: CellHealth(capacityRetention: q, lithiumInventoryShare: share))
        let fresh = try InitialState.window(parameters: p), after = try InitialState.window(parameters: aged)
        #expect(abs(after.capacity / fresh.capacity - q) < 1e-6, "\(after.capacity / fresh.capacity)")
        let eps = "Negative electrode active material volume fraction"
        if share == 1 { #expect(try aged.scalar(eps) == p.scalar(eps)) } else { #expect(try aged.scalar(eps) < p.scalar(eps)) }
        if share > 0 { #expect(after.cyclableLithiumCapacity < fresh.cyclableLithiumCapacity - 1e-6) }
        else { #expect(abs(after.cyclableLithiumCapacity - fresh.cyclableLithiumCapacity) < 1e-9) }
    }

    @Test("an aged SPM delivers q times the charge at C/10 and its resistance is r times the new one")
    func agedSPM() throws {
        let health = try CellHealth(capacityRetention: 0.8, resistanceGrowth: 1.6)
        let p = ParameterSet.chen2020, aged = try p.aged(by: health)
        let q = try Self.dischargeCapacity(Self.spm(aged, soc: 1), current: 0.5)
            / Self.dischargeCapacity(Self.spm(p, soc: 1), current: 0.5)
        #expect(abs(q - 0.8) < 0.01, "C/10 capacity ratio \(q)")
        let ratio = try ParameterSet.instantaneousResistance(aged) / ParameterSet.instantaneousResistance(p)
        #expect(abs(ratio - 1.6) < 1e-9, "resistance ratio \(ratio)")
        #expect(try aged.scalar(ParameterSet.negativeFilmResistanceName) > 0)
        // A short C/10 pulse at 50 % SoC (linear kinetics) drops r times as much (SPMe); at 1C the asinh
        // kinetics are sublinear while the film is ohmic, so the ratio grows above r.
        let fresh = try Self.spm(p, soc: 0.5, variant: .spme), old = try Self.spm(aged, soc: 0.5, variant: .spme)
        let v0 = (fresh.outputs.voltage, old.outputs.voltage)
        let drop = (v0.0 - (try fresh.step(current: 0.5, dt: 0.01).voltage), v0.1 - (try old.step(current: 0.5, dt: 0.01).voltage))
        #expect(abs(drop.1 / drop.0 - 1.6) < 0.02, "pulse drop ratio \(drop.1 / drop.0)")
    }

    @Test("the same aged set in the DFN: q of the charge at C/10, more drop under load, film heat")
    func agedDFN() throws {
        let health = try CellHealth(capacityRetention: 0.85, resistanceGrowth: 1.5)
        let p = ParameterSet.chen2020, aged = try p.aged(by: health)
        func dfn(_ set: ParameterSet, _ soc: Double) throws -> DoyleFullerNewmanModel {
            let s = try InitialState.stoichiometries(initialSoC: soc, parameters: set)
            return try DoyleFullerNewmanModel(parameters: set, stoN: s.negative, stoP: s.positive)
        }
        let q = try Self.dischargeCapacity(dfn(aged, 1), current: 0.5) / Self.dischargeCapacity(dfn(p, 1), current: 0.5)
        #expect(abs(q - 0.85) < 0.015, "C/10 capacity ratio \(q)")
        let fresh = try dfn(p, 0.5), old = try dfn(aged, 0.5)
        let v0 = (fresh.outputs.voltage, old.outputs.voltage)
        let drop = (v0.0 - (try fresh.step(current: 5, dt: 1).voltage), v0.1 - (try old.step(current: 5, dt: 1).voltage))
        #expect(drop.1 > 1.2 * drop.0, "drops \(drop)")
    }

    @Test("health applied in place (updateParameters) equals a model built aged")
    func inPlace() throws {
        let aged = try ParameterSet.chen2020.aged(by: CellHealth(capacityRetention: 0.9, resistanceGrowth: 1.3))
        let s = try InitialState.stoichiometries(initialSoC: 0.7, parameters: .chen2020)
        let built = try SingleParticleModel(parameters: aged, variant: .spme, stoN: s.negative, stoP: s.positive)
        let updated = try SingleParticleModel(parameters: .chen2020, variant: .spme, stoN: s.negative, stoP: s.positive)
        try updated.updateParameters(aged)
        let a = try built.step(current: 5, dt: 60).voltage, b = try updated.step(current: 5, dt: 60).voltage
        #expect(abs(a - b) < 1e-9, "\(a) vs \(b)")
    }

    @Test("a set that cannot be balanced is refused, naming the parameter")
    func unbalanceable() throws {
        var p = ParameterSet.chen2020
        p.setScalar("Initial concentration in negative electrode [mol.m-3]", -1)
        #expect(throws: ModelError.self) {
            do { _ = try p.aged(by: CellHealth(capacityRetention: 0.9)) }
            catch { #expect("\(error)".contains("Initial concentration in negative electrode")); throw error }
        }
    }
}
