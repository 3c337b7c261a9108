#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

extension SingleParticleModel {
    /// One x-averaged spherical particle: finite volumes on a uniform r-mesh (spec §2.1–2.2),
    ///
    /// ```
    /// ∂c/∂t = (1/r²) ∂/∂r (r² D_s ∂c/∂r),   ∂c/∂r|₀ = 0,   −D_s ∂c/∂r|_R = j/F
    /// ```
    ///
    /// with constant D_s (evaluated once at the initial stoichiometry and the cell temperature).
    final class Particle {
        let count: Int
        let maxConcentration: Double
        let specificArea: Double
        let diffusivity: Double
        /// Shell volumes / 4π and the squared outer radius divided by the last shell volume.
        let volume: UnsafeMutableBufferPointer<Double>
        let surfaceFactor: Double
        let totalVolume: Double
        /// The operator A of c′ = A c + g (tridiagonal).
        let aLower, aDiagonal, aUpper: UnsafeMutableBufferPointer<Double>
        /// State and work buffers.
        let c, saved, stage, lower, diagonal, upper, scratch: UnsafeMutableBufferPointer<Double>

        init(parameters: ParameterSet, electrode: String, temperature: Double, stoichiometry: Double,
             volumes n: Int) throws(ParameterError) {
            count = n
            let radius = try parameters.scalar("\(electrode) particle radius [m]")
            maxConcentration = try parameters.scalar("Maximum concentration in \(electrode.lowercased()) electrode [mol.m-3]")
            let fraction = try parameters.scalar("\(electrode) electrode active material volume fraction")
            specificArea = 3 * fraction / radius
            let sto = min(max(stoichiometry, 1e-10), 1 - 1e-10)
            diffusivity = try parameters.binaryFunction("\(electrode) particle diffusivity [m2.s-1]")(sto, temperature)
            func buffer(_ m: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(m, 1))
                b.initialize(repeating: 0)
                return b
            }
            volume = buffer(n)
            aLower = buffer(n - 1); aDiagonal = buffer(n); aUpper = buffer(n - 1)
            c = buffer(n); saved = buffer(n); stage = buffer(n)
            lower = buffer(n - 1); diagonal = buffer(n); upper = buffer(n - 1); scratch = buffer(n)
            let h = radius / Double(n)
            var total = 0.0
            for k in 0..<n {
                let (a, b) = (Double(k) * h, Double(k + 1) * h)
                volume[k] = (b * b * b - a * a * a) / 3
                total += volume[k]
            }
            totalVolume = total
            surfaceFactor = radius * radius / volume[n - 1]
            for k in 0..<(n - 1) {
                let edge = Double(k + 1) * h
                let conductance = diffusivity * edge * edge / h
                aUpper[k] = conductance / volume[k]
                aLower[k] = conductance / volume[k + 1]
                aDiagonal[k] -= conductance / volume[k]
                aDiagonal[k + 1] -= conductance / volume[k + 1]
            }
            let c0 = stoichiometry * maxConcentration
            for k in 0..<n { c[k] = c0 }
        }

        deinit {
            for b in [volume, aLower, aDiagonal, aUpper, c, saved, stage, lower, diagonal, upper, scratch] {
                b.deallocate()
            }
        }

        /// c_surf = 1.5 c_N − 0.5 c_{N−1} (PyBaMM's linear extrapolation).
        var surface: Double { 1.5 * c[count - 1] - 0.5 * c[count - 2] }

        /// Volume-weighted average concentration.
        var average: Double {
            var s = 0.0
            for k in 0..<count { s += c[k] * volume[k] }
            return s / totalVolume
        }

        func save() { for k in 0..<count { saved[k] = c[k] } }
        func restore() { for k in 0..<count { c[k] = saved[k] } }

        /// One TR-BDF2 step of length `h` [s] with outward molar flux `flux` [mol.m-2.s-1] at r = R.
        func advance(flux: Double, h: Double, t: Double) throws(ModelError) {
            let n = count
            let a = TRBDF2.gamma * h / 2
            let g = -surfaceFactor * flux  // source in the last cell
            for k in 0..<n { diagonal[k] = 1 - a * aDiagonal[k] }
            for k in 0..<(n - 1) { lower[k] = -a * aLower[k]; upper[k] = -a * aUpper[k] }
            // Stage 1 (trapezoidal rule to t + γh).
            for k in 0..<n {
                var v = aDiagonal[k] * c[k]
                if k > 0 { v += aLower[k - 1] * c[k - 1] }
                if k < n - 1 { v += aUpper[k] * c[k + 1] }
                stage[k] = c[k] + a * v
            }
            stage[n - 1] += 2 * a * g
            try solve(stage, t: t)
            // Stage 2 (BDF2 to t + h).
            for k in 0..<n { c[k] = TRBDF2.c1 * stage[k] - TRBDF2.c2 * c[k] }
            c[n - 1] += a * g
            try solve(c, t: t)
        }

        private func solve(_ x: UnsafeMutableBufferPointer<Double>, t: Double) throws(ModelError) {
            do {
                try Tridiagonal.solve(lower: UnsafeBufferPointer(lower), diagonal: UnsafeBufferPointer(diagonal),
                                      upper: UnsafeBufferPointer(upper), rhs: x, scratch: scratch)
            } catch {
                throw .linearSolveFailed(t: t)
            }
        }
    }
}
