import Foundation
import Testing
@testable import Electrochemistry

/// The closed forms the SPM/SPMe voltage uses in place of per-node transcendental calls, against those calls.
@Suite("Single-particle models: voltage numerics")
struct SPMNumericsTests {
    /// Σ asinh(j·w_q) as one logarithm of a product equals the per-node sum, for both signs of j, tiny and
    /// large arguments, mixed signs (fallback) and products beyond the floating-point range (fallback).
    @Test func asinhSumMatchesPerNodeAsinh() {
        let count = 20
        let w = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        defer { w.deallocate() }
        let cases: [(Double, (Int) -> Double)] = [
            (3.7, { 0.01 * Double($0 + 1) }), (-3.7, { 0.01 * Double($0 + 1) }), (1e-9, { 1 + Double($0) }),
            (2.0, { Double($0) - 9.5 }), (1e30, { 1e10 * Double($0 + 1) }), (0, { Double($0) }),
        ]
        for (j, weight) in cases {
            var expected = 0.0, expectedSlope = 0.0
            for q in 0..<count {
                w[q] = weight(q)
                expected += asinh(j * w[q])
                expectedSlope += w[q] / (1 + j * w[q] * j * w[q]).squareRoot()
            }
            let (sum, slope) = SingleParticleModel.asinhSum(j, w, count)
            #expect(abs(sum - expected) <= 1e-13 * max(1, abs(expected)), "j = \(j): \(sum) vs \(expected)")
            #expect(abs(slope - expectedSlope) <= 1e-13 * max(1, abs(expectedSlope)))
        }
    }

    /// ln c_e from series increments matches log(c_e) node by node, for smooth and steep profiles and a
    /// concentration at the floor.
    @Test func logConcentrationMatchesLog() throws {
        let cell = try SingleParticleModel(parameters: .chen2020, variant: .spme, stoN: 0.8, stoP: 0.3)
        let e = try #require(cell.electrolyte)
        let profiles: [(Int) -> Double] = [
            { 1000 + 3 * Double($0) }, { 1000 * exp(0.2 * Double($0 % 7)) }, { $0 == 30 ? 0 : 500 + 40 * Double($0) },
        ]
        for profile in profiles {
            for q in 0..<e.count { e.u[q] = e.porosity[q] * profile(q) }
            let floor = 1e-15 * e.averageConcentration
            e.fillLogConcentration(floor: floor)
            for q in 0..<e.count {
                let exact = log(max(e.concentration(q), floor))
                #expect(abs(e.logConcentration[q] - exact) <= 1e-13 * max(1, abs(exact)), "node \(q)")
            }
        }
    }
}
