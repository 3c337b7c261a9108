import BatteryGym
import Coordinator
import FleetProtocol
import SeededRandom
import Testing

/// Every allocator meets a feasible demand within each device's safe bounds, and saturates an infeasible one.
@Suite struct AllocatorTests {
    /// Twelve devices: varied SoC (two at the edges of their window), power and current limits.
    static let devices: [AllocatableDevice] = {
        var rng = Xoshiro256StarStar(seed: 11)
        var out = (0..<10).map { i in
            Fixture.device(i, telemetry: Fixture.telemetry(seq: 1, soc: rng.nextUniform(in: 0.2, 0.85),
                                                           energy: rng.nextUniform(in: 5_000, 30_000),
                                                           dischargePower: rng.nextUniform(in: 2_000, 20_000),
                                                           chargePower: rng.nextUniform(in: 2_000, 20_000)),
                           pack: Fixture.pack(chemistry: ["LFP", "NMC", "LMO"][i % 3]))
        }
        out.append(Fixture.device(10, telemetry: Fixture.telemetry(soc: 0.1)))            // empty: cannot discharge
        out.append(Fixture.device(11, telemetry: Fixture.telemetry(soc: 0.95)))           // full: cannot charge
        out.append(Fixture.device(12, telemetry: Fixture.telemetry(dischargeCurrent: 10))) // current-limited: ≈ 3.7 kW
        return out
    }()

    static func allocators() throws -> [any FleetAllocator] {
        [try makeAllocator(.proportional), try makeAllocator(.mpc(horizon: 3)), try makeAllocator(.policy(bytes: try Fixture.policy()))]
    }

    /// Checks the result's sum, bounds, sign, and the bounds against the telemetry limits.
    func check(_ r: AllocationResult, _ problem: AllocationProblem, met: Bool, _ name: String) {
        #expect(r.powers.count == problem.devices.count)
        #expect(r.demandMet == met, "\(name)")
        if met { #expect(abs(r.allocated - problem.demand) <= 1e-6 * abs(problem.demand) + 1e-6, "\(name): \(r.allocated) for \(problem.demand)") }
        for (k, device) in problem.devices.enumerated() {
            let t = device.telemetry, p = r.powers[k]
            #expect(r.lower[k] <= p && p <= r.upper[k], "\(name) device \(k)")
            #expect(problem.demand >= 0 ? p >= 0 : p <= 0, "\(name): device \(k) against the demand's direction")
            #expect(p <= t.limits.dischargePower + 1e-9 && -p <= t.limits.chargePower + 1e-9)
            #expect(p <= t.voltage * t.limits.dischargeCurrent + 1e-9 && -p <= t.voltage * t.limits.chargeCurrent + 1e-9)
            // The SoC window over one period.
            let energyOut = p * problem.period / 3600
            #expect(t.stateOfCharge - energyOut / t.energy >= t.limits.socMin - 1e-9, "\(name) device \(k) below its window")
            #expect(t.stateOfCharge - energyOut / t.energy <= t.limits.socMax + 1e-9, "\(name) device \(k) above its window")
        }
    }

    @Test func feasibleDemandsAreMetWithinBoundsInBothDirections() throws {
        for allocator in try Self.allocators() {
            for demand in [40_000.0, -35_000, 1_000, 0] {
                let problem = AllocationProblem(devices: Self.devices, demand: demand, forecast: [demand], period: 60)
                let r = try allocator.allocate(problem)
                check(r, problem, met: true, "\(allocator.name) at \(demand) W")
                #expect(r.fallback == nil, "\(allocator.name): \(r.fallback ?? "")")
            }
        }
    }

    @Test func edgeDevicesGetNothingInTheDirectionTheyCannotGo() throws {
        for allocator in try Self.allocators() {
            let discharge = try allocator.allocate(AllocationProblem(devices: Self.devices, demand: 30_000, period: 60))
            #expect(discharge.powers[10] == 0, "\(allocator.name): the empty pack discharged")
            #expect(discharge.powers[12] <= 370 * 10 + 1e-9, "\(allocator.name): the current limit")
            let charge = try allocator.allocate(AllocationProblem(devices: Self.devices, demand: -30_000, period: 60))
            #expect(charge.powers[11] == 0, "\(allocator.name): the full pack charged")
        }
    }

    @Test func anInfeasibleDemandSaturatesEveryDeviceAtItsBound() throws {
        for allocator in try Self.allocators() {
            for demand in [1e7, -1e7] {
                let problem = AllocationProblem(devices: Self.devices, demand: demand, period: 60)
                let r = try allocator.allocate(problem)
                check(r, problem, met: false, "\(allocator.name) at \(demand) W")
                #expect(r.powers == (demand > 0 ? r.upper : r.lower), "\(allocator.name): not saturated at \(demand) W")
            }
        }
    }

    @Test func noDevicesMeetOnlyAZeroDemand() throws {
        for allocator in try Self.allocators() {
            #expect(try allocator.allocate(AllocationProblem(devices: [], demand: 0, period: 1)).demandMet)
            #expect(try !allocator.allocate(AllocationProblem(devices: [], demand: 5, period: 1)).demandMet)
        }
    }

    @Test func proportionalSplitsByAvailablePower() throws {
        let a = Fixture.device(0, telemetry: Fixture.telemetry(dischargePower: 10_000))
        let b = Fixture.device(1, telemetry: Fixture.telemetry(dischargePower: 30_000, dischargeCurrent: 200))
        let r = try ProportionalAllocator().allocate(AllocationProblem(devices: [a, b], demand: 8_000, period: 1))
        #expect(abs(r.powers[0] - 2_000) < 1e-6 && abs(r.powers[1] - 6_000) < 1e-6)
    }

    @Test func policiesForAnotherEnvironmentOrLayoutAreRefused() throws {
        #expect(throws: CoordinatorError.self) { try PolicyAllocator(bytes: try Fixture.policy(environment: "PulseBMS/FleetArbitrage-v0")) }
        #expect(throws: CoordinatorError.self) { try PolicyAllocator(bytes: try Fixture.policy(layout: "flat:14,1")) }
        #expect(throws: CoordinatorError.self) { try PolicyAllocator(bytes: try Fixture.policy(layout: nil)) }
        #expect(throws: CoordinatorError.self) { try PolicyAllocator(bytes: try Fixture.policy(inputs: 15)) }
        var corrupt = try Fixture.policy()
        corrupt[corrupt.count - 5] ^= 0xFF
        #expect(throws: CoordinatorError.self) { try PolicyAllocator(bytes: corrupt) }
        do {
            _ = try PolicyAllocator(bytes: try Fixture.policy(environment: "Other-v0"))
        } catch {
            #expect("\(error)".contains("Other-v0") && "\(error)".contains(PolicyObservation.environment))
        }
    }

    @Test func theMPCHorizonIsChecked() {
        #expect(throws: CoordinatorError.self) { try MPCAllocator(horizon: 0) }
    }
}
