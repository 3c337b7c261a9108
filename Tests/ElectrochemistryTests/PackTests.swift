import Testing
@testable import Electrochemistry

@Suite("Pack")
struct PackTests {
    static func ecm(_ layout: String, spread: CellSpread = .none, seed: UInt64 = 1, initialSoC: Double = 0.5,
                    balancing: PassiveBalancing? = nil) throws -> Pack {
        try Pack(design: .nmc, layout: PackLayout(layout), spread: spread, seed: seed, initialSoC: initialSoC,
                 balancing: balancing)
    }

    @Test("layout notation and errors")
    func layout() throws {
        let l = try PackLayout("16s4p")
        #expect(l.series == 16 && l.parallel == 4 && l.cellCount == 64 && l.description == "16s4p")
        #expect(try PackLayout("12S").parallel == 1)
        #expect(l.cellIndex(string: 2, position: 3) == 35 && l.string(ofCell: 35) == 2)
        #expect(throws: PackError.invalidLayout("0s2p")) { try PackLayout("0s2p") }
        #expect(throws: PackError.invalidLayout("4x2")) { try PackLayout("4x2") }
    }

    @Test("a 1s1p pack equals its single cell (ECM and SPMe)")
    func singleCell() throws {
        for fidelity in [PackFidelity.ecm, .spme] {
            let pack = try Pack(design: .nmc, layout: PackLayout("1s1p"), fidelity: fidelity, initialSoC: 0.8)
            let (cell, _) = try CellDesign.nmc.makeCell(fidelity: fidelity, health: .pristine, capacityFactor: 1,
                                                       initialSoC: 0.8, thermal: .isothermal, ambientTemperature: 298.15)
            for current in [5.0, -2.5, 0] {
                let o = try pack.step(current: current, dt: 10)
                let c = try cell.step(current: current, dt: 10)
                #expect(abs(o.voltage - c.voltage) < 1e-12, "\(fidelity) at \(current) A")
                #expect(o.current == current)
            }
            let p = try pack.step(power: 10, dt: 10)
            let c = try cell.step(current: p.current, dt: 10)
            #expect(abs(p.voltage - c.voltage) < 1e-9)
        }
    }

    @Test("4s1p of identical cells has 4× the voltage")
    func series() throws {
        let single = try Self.ecm("1s1p"), four = try Self.ecm("4s1p")
        let a = try single.step(current: 3, dt: 30), b = try four.step(current: 3, dt: 30)
        #expect(abs(b.voltage - 4 * a.voltage) < 1e-9)
        #expect(abs(b.stateOfCharge - a.stateOfCharge) < 1e-12)
    }

    @Test("1s4p of identical cells splits the current equally")
    func parallelIdentical() throws {
        let pack = try Self.ecm("1s4p"), single = try Self.ecm("1s1p")
        let o = try pack.step(current: 8, dt: 60)
        let s = try single.step(current: 2, dt: 60)
        for i in pack.stringCurrents { #expect(abs(i - 2) < 1e-6) }
        #expect(abs(o.voltage - s.voltage) < 1e-4)
    }

    @Test("with spread, string currents sum to the pack current and string voltages agree")
    func parallelSpread() throws {
        let pack = try Self.ecm("3s4p", spread: .secondLife, seed: 7)
        for current in [10.0, 20, -15, 0, 5] {
            let o = try pack.step(current: current, dt: 60)
            #expect(abs(pack.stringCurrents.reduce(0, +) - current) < 1e-9)
            let spread = pack.stringVoltages.max()! - pack.stringVoltages.min()!
            #expect(spread <= 3 * pack.tolerance)
            #expect(abs(o.voltage - pack.stringVoltages[0]) <= 3 * pack.tolerance)
            #expect(o.iterations <= 6)
        }
        // The strings are not all equal, so neither are their currents.
        #expect(pack.stringCurrents.max()! - pack.stringCurrents.min()! > 1e-4)
    }

    @Test("a higher-resistance string takes less current")
    func resistanceShare() throws {
        let pack = try Self.ecm("2s2p")
        try pack.updateHealth(CellHealth(resistanceGrowth: 2), cell: 2)
        try pack.updateHealth(CellHealth(resistanceGrowth: 2), cell: 3)
        try pack.step(current: 10, dt: 1)
        #expect(pack.stringCurrents[1] < pack.stringCurrents[0] - 1)
        #expect(abs(pack.stringCurrents[0] + pack.stringCurrents[1] - 10) < 1e-9)
    }

    @Test("seeded spread is reproducible and differs across seeds")
    func seeds() throws {
        let a = try Self.ecm("4s2p", spread: .secondLife, seed: 11)
        let b = try Self.ecm("4s2p", spread: .secondLife, seed: 11)
        let c = try Self.ecm("4s2p", spread: .secondLife, seed: 12)
        #expect(a.variations == b.variations && a.health == b.health)
        #expect(a.variations != c.variations)
        #expect(try a.step(current: 5, dt: 60) == b.step(current: 5, dt: 60))
        let capacities = a.cellCapacities
        #expect(capacities.max()! - capacities.min()! > 0.01 * CellDesign.nmc.nominalCapacity * 0.5)
        for v in a.variations {
            #expect(abs(v.capacityFactor - 1) <= 3 * 0.02 + 1e-12 && abs(v.resistanceFactor - 1) <= 3 * 0.08 + 1e-12)
        }
    }

    @Test("balancing reduces the SoC spread over a rest and reports its energy")
    func balancing() throws {
        let spread = try CellSpread(stateOfCharge: 0.04)
        let plain = try Self.ecm("4s1p", spread: spread, seed: 3, initialSoC: 0.6)
        let balanced = try Self.ecm("4s1p", spread: spread, seed: 3, initialSoC: 0.6,
                                    balancing: PassiveBalancing(resistance: 10, threshold: 0.002))
        let before = balanced.outputs.maximumCellStateOfCharge - balanced.outputs.minimumCellStateOfCharge
        for _ in 0..<24 {
            try plain.step(current: 0, dt: 600)
            try balanced.step(current: 0, dt: 600)
        }
        let after = balanced.outputs.maximumCellStateOfCharge - balanced.outputs.minimumCellStateOfCharge
        let unchanged = plain.outputs.maximumCellStateOfCharge - plain.outputs.minimumCellStateOfCharge
        #expect(abs(unchanged - before) < 1e-9)
        #expect(after < 0.5 * before, "spread \(before) → \(after)")
        #expect(balanced.outputs.balancingEnergy > 0)
        #expect(balanced.outputs.stateOfCharge < plain.outputs.stateOfCharge)
        // No balancing while discharging (default).
        let e = balanced.outputs.balancingEnergy
        try balanced.step(current: 2, dt: 60)
        #expect(balanced.outputs.balancingEnergy == e)
    }

    @Test("a power drive delivers the power, on discharge and charge")
    func power() throws {
        let pack = try Self.ecm("4s3p", spread: .secondLife, seed: 5)
        for watts in [200.0, -150, 400] {
            let o = try pack.step(power: watts, dt: 60)
            #expect(abs(o.power - watts) <= 1e-3 * abs(watts), "\(o.power) vs \(watts)")
            #expect(abs(pack.stringCurrents.reduce(0, +) * o.voltage - watts) <= 1e-3 * abs(watts))
        }
        #expect(throws: PackError.self) { try pack.step(power: 1e7, dt: 60) }
    }

    @Test("limits are flagged per cell and health updates change capacity")
    func limitsAndHealth() throws {
        let pack = try Self.ecm("2s1p", initialSoC: 0.05)
        let o = try pack.step(current: 10, dt: 120)
        #expect(o.limits.belowMinimumVoltage == 2 && o.limits.firstCell == 0)
        let q = pack.cellCapacities[0]
        try pack.updateHealth(CellHealth(capacityRetention: 0.8))
        #expect(abs(pack.cellCapacities[0] - 0.8 * q) < 1e-12)
        #expect(throws: PackError.cellCount(expected: 2, got: 1)) { try pack.updateHealth([.pristine]) }
    }

    @Test("an SPMe 2s2p pack with spread solves within tolerance")
    func physicsPack() throws {
        let pack = try Pack(design: .nmc, layout: PackLayout("2s2p"), fidelity: .spme, spread: .newCells, seed: 9)
        for current in [10.0, -5] {
            let o = try pack.step(current: current, dt: 10)
            #expect(pack.stringVoltages.max()! - pack.stringVoltages.min()! <= 2 * pack.tolerance)
            #expect(o.voltage > 6 && o.voltage < 8.4)
        }
        #expect(abs(pack.cellStateOfCharge(0) - 0.5) < 0.02)
    }

    @Test("a physics cell's health update lowers its capacity and raises its resistance, in place",
          arguments: [PackFidelity.spme, .dfn])
    func physicsHealth(_ fidelity: PackFidelity) throws {
        let pack = try Pack(design: .nmc, layout: PackLayout("1s2p"), fidelity: fidelity, initialSoC: 0.6)
        let q = pack.cellCapacities[0]
        try pack.updateHealth(CellHealth(capacityRetention: 0.8, resistanceGrowth: 1.5), cell: 1)
        #expect(abs(pack.cellCapacities[1] - 0.8 * q) < 1e-3 * q)
        #expect(pack.cellCapacities[0] == q)
        try pack.step(current: 5, dt: 10)
        #expect(pack.stringCurrents[1] < pack.stringCurrents[0])
    }

    @Test("a 16s4p SPMe pack with second-life spread converges on every step of a ±1C sequence")
    func spme16s4p() throws {
        let pack = try Pack(design: .nmc, layout: PackLayout("16s4p"), fidelity: .spme, spread: .secondLife, seed: 2026)
        let currents = [13.0, -17.5, 4.2, 19.0, -8.8, -20, 6.6, 11.1, -2.4, 15.3, -12.9, 0.7]
        for (k, current) in currents.enumerated() {
            let o = try pack.step(current: current, dt: 10)
            #expect(abs(pack.stringCurrents.reduce(0, +) - current) < 1e-9)
            #expect(pack.stringVoltages.max()! - pack.stringVoltages.min()! <= 16 * pack.tolerance, "step \(k)")
            #expect(o.iterations <= 6)
        }
    }
}
