import Foundation
import Testing
@testable import Electrochemistry

/// Warm wall times of the DFN (printed; PyBaMM 26.10: full 1C discharge ≈ 38 ms, one 10 s step ≈ 7.4 ms).
@Suite("DFN timing")
struct DFNTimingTests {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    @Test("Full 1C discharge and 10 s random-current steps")
    func timing() throws {
        let model = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: 0.9013973983641684, stoP: 0.2699987322515212)
        model.saveState()
        var best = Double.infinity
        for _ in 0..<3 {
            model.restoreState()
            best = min(best, try Self.seconds {
                try model.begin(.current(5))
                while case .completed = try model.advance(by: 7200, events: [.voltageBelow(volts: 2.5)]) {}
            })
            #expect(abs(model.outputs.time - 3555.4957) < 0.01)
        }
        print("DFN 1C work (3 runs + init): \(model.statistics)")
        print("DFN full 1C discharge: \(best * 1e3) ms warm (PyBaMM ≈ 38 ms)")
        // Random currents in ±2.5 A around 50 % SoC (spec §3 balancing: x = 0.4685, y = 0.5589).
        let cell = try DoyleFullerNewmanModel(parameters: .chen2020, stoN: 0.4684819185, stoP: 0.5589099496)
        var rng = DFNSplitMix64(seed: 2026)
        let steps = 200
        try cell.begin(.current(1))
        _ = try cell.advance(by: 10, events: [])
        cell.statistics = (0, 0, 0, 0, 0)
        let total = try Self.seconds {
            for _ in 0..<steps { try cell.step(current: Double.random(in: -2.5...2.5, using: &rng), dt: 10) }
        }
        print("DFN 10 s random-current step: \(total / Double(steps) * 1e6) µs each (PyBaMM ≈ 7.4 ms)")
        print("DFN random steps work: \(cell.statistics)")
        #expect(cell.outputs.voltage > 3.0 && cell.outputs.voltage < 4.2)
    }
}

/// DFNSplitMix64 (Steele, Lea & Flood 2014, doi:10.1145/2660193.2660195): a reproducible generator for the timing loop.
struct DFNSplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
