import Testing
import SeededRandom
@testable import Control

@Suite("Safety projection and one-step allocation")
struct SafetyProjectionTests {
    static func pack(soc: Double, rated: Double = 10_000, resistance: Double = 0.05, price: Double = 1e-5) -> FleetPackModel {
        FleetPackModel(energy: 20_000, stateOfCharge: soc, socMin: 0.1, socMax: 0.9, maxDischargePower: rated,
                       maxChargePower: rated, resistance: resistance, nominalVoltage: 50, degradationPrice: price)
    }

    @Test("a safe proposal is returned unchanged; an unsafe one is moved the least that restores every limit and the demand")
    func projection() throws {
        let lower = [0.0, 0, 0], upper = [5.0, 5, 2]
        let same = try SafetyProjection.project([1, 2, 1], lower: lower, upper: upper, demand: 4)
        #expect(same.allocation == [1, 2, 1] && same.change == 0 && same.changedPacks == 0 && same.demandMet)
        // Pack 3 is over its limit by 2 and the sum is short of the demand: with equal weights the excess of
        // pack 3 and the shortfall go to the others equally.
        let moved = try SafetyProjection.project([1, 1, 4], lower: lower, upper: upper, demand: 7, weights: [1, 1, 1])
        #expect(abs(moved.allocation[2] - 2) < 1e-12)
        #expect(abs(moved.allocation[0] - 2.5) < 1e-12 && abs(moved.allocation[1] - 2.5) < 1e-12)
        #expect(abs(moved.change - (1.5 * 1.5 * 2 + 4).squareRoot()) < 1e-12 && moved.changedPacks == 3)
        // Without a demand it clips; with an unreachable one it says so.
        let clipped = try SafetyProjection.project([-1, 9, 1], lower: lower, upper: upper)
        #expect(clipped.allocation == [0, 5, 1] && clipped.demandMet)
        let short = try SafetyProjection.project([1, 1, 1], lower: lower, upper: upper, demand: 20)
        #expect(!short.demandMet && short.allocation == upper)
    }

    @Test("the projection is the nearest point: no random feasible point is closer", arguments: 0..<10)
    func nearest(_ seed: Int) throws {
        var rng = Xoshiro256StarStar(seed: UInt64(seed))
        let n = 8
        let lower = (0..<n).map { _ in rng.nextUniform(in: -5, 0) }, upper = lower.map { $0 + rng.nextUniform(in: 0.5, 6) }
        let demand = rng.nextUniform(in: lower.reduce(0, +), upper.reduce(0, +))
        let proposal = (0..<n).map { _ in rng.nextUniform(in: -8, 8) }
        let r = try SafetyProjection.project(proposal, lower: lower, upper: upper, demand: demand, weights: Array(repeating: 1, count: n))
        for _ in 0..<200 {
            // A random feasible point: a random point in the box, then moved along a free direction onto the sum.
            var x = (0..<n).map { lower[$0] + rng.nextUniform(in: 0, 1) * (upper[$0] - lower[$0]) }
            let s = try SeparableAllocation.solve(a: Array(repeating: 1, count: n), b: x.map { -$0 }, lower: lower, upper: upper, total: demand)
            x = s.x
            let d = zip(x, proposal).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            #expect(d >= r.change - 1e-9)
        }
    }

    @Test("one-step allocation: meets the demand, respects SoC headroom, prefers low-resistance and cheap packs")
    func oneStep() throws {
        let packs = [Self.pack(soc: 0.5, resistance: 0.02), Self.pack(soc: 0.5, resistance: 0.08), Self.pack(soc: 0.105)]
        let s = try OneStepAllocation.allocate(packs, demand: 12_000, dt: 60, energyPrice: 0.1)
        #expect(s.totalMet && abs(s.x.reduce(0, +) - 12_000) < 1e-6)
        #expect(s.x[0] > s.x[1])                 // lower loss first
        let (_, upper) = OneStepAllocation.bounds(packs, demand: 12_000, dt: 60)
        #expect(s.x[2] <= upper[2] + 1e-9 && upper[2] < 10_000)   // 0.5 % SoC left: a small share at most
        let charge = try OneStepAllocation.allocate(packs, demand: -9_000, dt: 60, energyPrice: 0.1)
        #expect(charge.x.allSatisfy { $0 <= 0 } && abs(charge.x.reduce(0, +) + 9_000) < 1e-6)
    }
}
