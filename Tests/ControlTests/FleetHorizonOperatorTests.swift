import Testing
import LinearAlgebra
import SeededRandom
@testable import Control

@Suite("Fleet horizon operator")
struct FleetHorizonOperatorTests {
    /// A random operator with N packs and horizon H.
    static func make(packs n: Int, horizon h: Int, seed: UInt64) -> FleetHorizonOperator {
        var rng = Xoshiro256StarStar(seed: seed)
        let raw = (0..<n).map { _ in rng.nextUniform(in: 0.5, 2) }
        let shares = raw.map { $0 / raw.reduce(0, +) }
        var maps = [Double](repeating: 0, count: n * h * h)
        for i in 0..<n { for t in 0..<h { let v = -rng.nextUniform(in: 0.001, 0.02); for later in t..<h { maps[i * h * h + later * h + t] = v } } }
        return FleetHorizonOperator(shares: shares, losses: (0..<n).map { _ in rng.nextUniform(in: 0.01, 1) }, tracking: 50,
                                    socMaps: maps, horizon: h)
    }

    @Test("products and the Woodbury solve agree with the dense matrices", arguments: [(1, 1), (3, 4), (7, 24)])
    func againstDense(_ size: (Int, Int)) throws {
        let (n, h) = size
        var op = Self.make(packs: n, horizon: h, seed: UInt64(n * 100 + h))
        let nv = op.variableCount, m = op.constraintCount
        var rng = Xoshiro256StarStar(seed: 9)
        let rho = (0..<m).map { _ in rng.nextUniform(in: 0.05, 5) }, sigma = 1e-6
        try rho.withUnsafeBufferPointer { r in try op.factor(sigma: sigma, rho: r) }
        // Dense K column by column from the products: K e_j = P e_j + σ e_j + Aᵀ diag(ρ) A e_j.
        var k = Matrix<Double>(rows: nv, columns: nv)
        var e = [Double](repeating: 0, count: nv), pe = e, ae = [Double](repeating: 0, count: m), ate = e
        for j in 0..<nv {
            for i in 0..<nv { e[i] = i == j ? 1 : 0 }
            e.withUnsafeBufferPointer { x in pe.withUnsafeMutableBufferPointer { op.multiplyP(x, into: $0) } }
            e.withUnsafeBufferPointer { x in ae.withUnsafeMutableBufferPointer { op.multiplyA(x, into: $0) } }
            for r in 0..<m { ae[r] *= rho[r] }
            ae.withUnsafeBufferPointer { y in ate.withUnsafeMutableBufferPointer { op.multiplyAT(y, into: $0) } }
            for i in 0..<nv { k[i, j] = pe[i] + (i == j ? sigma : 0) + ate[i] }
        }
        for i in 0..<nv { for j in 0..<i { #expect(abs(k[i, j] - k[j, i]) <= 1e-12 * max(1, abs(k[i, j]))) } }
        // A = [I; L] per pack: check one SoC row against the map directly.
        let x = (0..<nv).map { _ in rng.nextUniform(in: -1, 1) }
        var r = (0..<nv).map { i in (0..<nv).reduce(0) { $0 + k[i, $1] * x[$1] } }
        r.withUnsafeMutableBufferPointer { op.solve($0) }
        for i in 0..<nv { #expect(abs(r[i] - x[i]) <= 1e-8 * max(1, abs(x[i])), "x[\(i)]: \(r[i]) vs \(x[i])") }
    }
}
