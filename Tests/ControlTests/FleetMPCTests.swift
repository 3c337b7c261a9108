import Foundation
import Testing
import SeededRandom
@testable import Control

@Suite("Fleet MPC and the perfect-foresight optimum")
struct FleetMPCTests {
    static func pack(soc: Double, energy: Double = 20_000, rated: Double = 10_000, resistance: Double = 0.05,
                     price: Double = 1e-5) -> FleetPackModel {
        FleetPackModel(energy: energy, stateOfCharge: soc, socMin: 0.1, socMax: 0.9, maxDischargePower: rated,
                       maxChargePower: rated, resistance: resistance, nominalVoltage: 50, degradationPrice: price)
    }

    /// SoC of pack i after each step of `plan`, by the MPC's own energy model.
    static func trajectory(_ plan: [[Double]], _ packs: [FleetPackModel], dt: Double) -> [[Double]] {
        var soc = packs.map(\.stateOfCharge)
        return plan.map { step in
            for i in packs.indices {
                let factor = step[i] >= 0 ? packs[i].dischargeFactor : packs[i].chargeFactor
                soc[i] -= factor * step[i] * dt / 3600 / packs[i].energy
            }
            return soc
        }
    }

    @Test("a feasible request is followed at every step, within every power limit, by the cheaper packs first")
    func tracksWithinLimits() throws {
        let packs = [Self.pack(soc: 0.6, resistance: 0.02), Self.pack(soc: 0.6, resistance: 0.1), Self.pack(soc: 0.5)]
        let demand = [12_000.0, 15_000, 9_000, -6_000, -12_000, 3_000]
        let mpc = FleetMPC(horizon: 6)
        let plan = try mpc.plan(packs: packs, demand: demand, dt: 60, trackingPrice: 0.5, energyPrice: 0.1)
        for (t, step) in plan.enumerated() {
            #expect(abs(step.reduce(0, +) - demand[t]) < 0.002 * 30_000, "step \(t): \(step) for \(demand[t])")
            for (i, p) in step.enumerated() {
                #expect(p <= packs[i].maxDischargePower + 1e-6 && p >= -packs[i].maxChargePower - 1e-6)
                #expect(demand[t] >= 0 ? p >= -1e-6 : p <= 1e-6)   // no energy shuffled between packs
            }
            #expect(step[0] > step[1] || demand[t] < 0 && step[0] < step[1])
        }
    }

    @Test("a pack near its SoC floor is planned to stop before crossing it; the others take over")
    func socWindow() throws {
        let packs = [Self.pack(soc: 0.115, energy: 5_000), Self.pack(soc: 0.7)]
        let mpc = FleetMPC(horizon: 12)
        let plan = try mpc.plan(packs: packs, demand: Array(repeating: 8_000, count: 12), dt: 60, trackingPrice: 0.5, energyPrice: 0.1)
        let socs = Self.trajectory(plan, packs, dt: 60)
        #expect(socs.allSatisfy { $0[0] >= 0.105 - 1e-4 }, "\(socs.map { $0[0] })")
        #expect(plan.allSatisfy { abs($0.reduce(0, +) - 8_000) < 0.002 * 20_000 })
        // The low pack gives its 50 Wh above the floor and the planning margin (0.115 − 0.1 − 0.005 of 5 kWh),
        // spread over the horizon (losses are quadratic), no more.
        let drawn = plan.reduce(0) { $0 + $1[0] * packs[0].dischargeFactor * 60 / 3600 }
        #expect(drawn <= 0.010 * 5_000 + 0.5 && drawn > 0.9 * 0.010 * 5_000, "drawn \(drawn) Wh")
    }

    @Test("a warm start from the shifted plan takes fewer iterations than a cold start")
    func warmStart() throws {
        var rng = Xoshiro256StarStar(seed: 4)
        let packs = (0..<20).map { _ in Self.pack(soc: rng.nextUniform(in: 0.3, 0.8), resistance: rng.nextUniform(in: 0.02, 0.2)) }
        let demand = (0..<40).map { 60_000 * sin(Double($0) / 6) }
        let mpc = FleetMPC(horizon: 24)
        _ = try mpc.plan(packs: packs, demand: demand, dt: 60, trackingPrice: 0.5, energyPrice: 0.1)
        let cold = mpc.lastIterations
        _ = try mpc.plan(packs: packs, demand: Array(demand.dropFirst()), dt: 60, trackingPrice: 0.5, energyPrice: 0.1)
        #expect(mpc.lastIterations < cold, "warm \(mpc.lastIterations), cold \(cold)")
    }

    @Test("perfect foresight on a two-price day: buy the window cheap, sell it dear, as the LP's hand solution")
    func arbitrageHandSolved() throws {
        // A 10 kWh pack at SoC 0.1 with a 10 kW limit: 2 blocks of 1 h at 20, then 2 at 100 per MWh.
        let pack = FleetPackModel(energy: 10_000, stateOfCharge: 0.1, socMin: 0.1, socMax: 0.9, maxDischargePower: 10_000,
                                  maxChargePower: 10_000, resistance: 0, nominalVoltage: 50, degradationPrice: 0)
        let plan = try PerfectForesightArbitrage.solve(packs: [pack], prices: [20, 20, 100, 100], blockSeconds: 3600)
        // No losses (R = 0): charge 8 kWh, sell 8 kWh: profit 8 × (100 − 20) / 1000 = 0.64.
        #expect(abs(plan.profit - 0.64) < 1e-3, "\(plan.powers)")
        #expect(plan.powers[0][0] + plan.powers[0][1] < -7_990 && plan.powers[0][2] + plan.powers[0][3] > 7_990)
    }

    @Test("the optimum earns at least what a threshold heuristic earns under the same model", arguments: 0..<4)
    func optimumBeatsHeuristic(_ seed: Int) throws {
        var rng = Xoshiro256StarStar(seed: UInt64(seed))
        let prices = (0..<24).map { h in 60 + 30 * sin(2 * Double.pi * Double(h - 6) / 24) + rng.nextUniform(in: -5, 5) }
        let pack = Self.pack(soc: 0.5, energy: 30_000, rated: 10_000, resistance: 0.04, price: 5e-6)
        let best = try PerfectForesightArbitrage.solve(packs: [pack], prices: prices, blockSeconds: 3600)
        // Heuristic: sell at half power in the dearest 6 hours, buy in the cheapest 6, within the SoC window.
        let sorted = prices.sorted()
        var soc = pack.stateOfCharge, profit = 0.0
        for price in prices {
            var p = price >= sorted[18] ? 5_000.0 : price <= sorted[5] ? -5_000 : 0
            let factor = p >= 0 ? pack.dischargeFactor : pack.chargeFactor
            let next = soc - factor * p / pack.energy
            if next < pack.socMin || next > pack.socMax { p = 0 }
            soc -= (p >= 0 ? pack.dischargeFactor : pack.chargeFactor) * p / pack.energy
            profit += price * p / 1e6 - pack.degradationPrice * abs(p)
        }
        #expect(best.profit >= profit - 1e-6, "optimum \(best.profit), heuristic \(profit)")
    }
}
