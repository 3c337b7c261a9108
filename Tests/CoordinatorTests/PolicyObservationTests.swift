import Coordinator
import FleetProtocol
import Foundation
import PolicyFormat
import Testing

/// The per-pack FleetDispatch observation built from telemetry, feature by feature.
@Suite struct PolicyObservationTests {
    @Test func aRowIsTheSiteFeaturesThenThePackFeatures() {
        // Pack a: NMC, 20 kW rated, window 3.0–4.2 V; pack b: LFP, 40 kW rated.
        let a = Fixture.device(0, telemetry: Fixture.telemetry(soc: 0.5, soh: 0.9, energy: 16_000, temperature: 35,
                                                                socMin: 0.1, socMax: 0.95, cellMax: 3.9),
                               pack: Fixture.pack(chemistry: "NMC", power: 20_000))
        let b = Fixture.device(1, telemetry: Fixture.telemetry(soc: 0.12, energy: 40_000, temperature: 25, cellMax: 3.3),
                               pack: Fixture.pack(chemistry: "lfp", power: 40_000))
        let problem = AllocationProblem(devices: [a, b], demand: 30_000, forecast: [-6_000], period: 60, hourOfDay: 6)
        let rows = PolicyObservation.rows(problem)
        #expect(rows.count == 2 * 14)
        let site: [Double] = [30_000.0 / 60_000, -6_000.0 / 60_000, 1, 0]    // sin, cos of 6 h = π/2
        let perSoC = 16_000.0 * 3600 / 60 / 20_000                             // 48 rated steps per unit of SoC
        let packA: [Double] = [0.5, 0.9, 0.5, 0.75, min(1, (0.5 - 0.1 - 0.02) * perSoC), min(1, (0.95 - 0.02 - 0.5) * perSoC),
                               0, 1, 0, 0.5]
        let expectedA = site + packA
        for (k, x) in expectedA.enumerated() {
            #expect(abs(Double(rows[k]) - x) < 1e-6, "feature \(k) of pack a: \(rows[k]) against \(x)")
        }
        // Pack b: 2 % from the bottom of its window with 0 headroom down; LFP; the largest.
        let headroomDown = min(1, max(0, (0.12 - 0.1 - 0.02) * 40_000 * 3600 / 60 / 40_000))
        #expect(abs(Double(rows[14 + 4 + 4]) - headroomDown) < 1e-6)
        #expect(rows[14 + 4 + 6] == 1 && rows[14 + 4 + 7] == 0 && rows[14 + 4 + 8] == 0)
        #expect(rows[14 + 4 + 9] == 1)
        #expect(abs(Double(rows[14 + 4 + 3]) - 0.25) < 1e-6)   // (3.3 − 3.0) / 1.2
    }

    @Test func valuesAreClippedAndTheFeatureStepScalesTheHeadroom() {
        let d = Fixture.device(0, telemetry: Fixture.telemetry(soc: 0.5, energy: 100, temperature: 400 - 200))
        let problem = AllocationProblem(devices: [d], demand: 1e9, period: 1)
        let rows = PolicyObservation.rows(problem)
        #expect(rows[0] == 10)                              // demand / rated clipped to +10
        #expect(abs(rows[4 + 2] - 8.75) < 1e-6)             // (200 − 25) / 20 not clipped
        // 100 Wh over a 1 s step against 20 kW: (0.5 − 0.12)·100·3600/1/20000 = 6.84 → 1; over 3600 s: 0.0019.
        #expect(rows[4 + 4] == 1)
        let slow = PolicyObservation.rows(problem, step: 3600)
        #expect(abs(Double(slow[4 + 4]) - 0.38 * 100 / 20_000) < 1e-6)
    }

    @Test func thePolicyAllocatorRunsTheRuntimeOnEveryRow() throws {
        let bytes = try Fixture.policy()
        let allocator = try PolicyAllocator(bytes: bytes)
        let devices = AllocatorTests.devices
        let problem = AllocationProblem(devices: devices, demand: 20_000, forecast: [10_000], period: 60, hourOfDay: 18)
        let weights = try allocator.weights(problem)
        let runtime = try EdgePolicy(bytes: bytes)
        let rows = PolicyObservation.rows(problem)
        for i in devices.indices {
            let action = try runtime.infer(Array(rows[(i * 14)..<((i + 1) * 14)]))
            #expect(abs(weights[i] - Double(action[0])) < 1e-9)
            #expect((0...1).contains(weights[i]))
        }
        #expect(Set(weights.map { ($0 * 1000).rounded() }).count > 1, "the rows differ, so should the weights")
    }
}
