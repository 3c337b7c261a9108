#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

extension SingleParticleModel.Particle {
    /// One TR-BDF2 step (Bank et al. 1985, doi:10.1109/T-ED.1985.22232) of c′ = A(c)c + b·flux for a
    /// stoichiometry-dependent D_s: both stages are solved by Picard iteration on the edge diffusivities
    /// (harmonic means of the nodal D_s(c/c_max, T), spec §2.2).
    func implicitStep(flux: Double, h: Double, temperature: Double, t: Double) throws(ModelError) {
        let n = count
        let a = TRBDF2.gamma * h / 2
        let g = -radius * radius / volume[n - 1] * flux
        updateConductance(x, temperature)
        for k in 0..<n {
            target[k] = x[k] + a * (rate(x, k) + 2 * (k == n - 1 ? g : 0))
            stage[k] = x[k]
        }
        try solve(stage, a: a, temperature: temperature, t: t)
        for k in 0..<n {
            target[k] = TRBDF2.c1 * stage[k] - TRBDF2.c2 * x[k] + (k == n - 1 ? a * g : 0)
            x[k] = stage[k]
        }
        try solve(x, a: a, temperature: temperature, t: t)
    }

    private func updateConductance(_ c: UnsafeMutableBufferPointer<Double>, _ temperature: Double) {
        let h = radius / Double(count)
        let cmax = maxConcentration
        var left = diffusivityFunction(min(max(c[0] / cmax, 1e-10), 1 - 1e-10), temperature)
        for e in 0..<(count - 1) {
            let right = diffusivityFunction(min(max(c[e + 1] / cmax, 1e-10), 1 - 1e-10), temperature)
            let edge = Double(e + 1) * h
            conductance[e] = 2 / (1 / left + 1 / right) * edge * edge / h
            left = right
        }
    }

    /// (A c)_k with the present conductances.
    @inline(__always) private func rate(_ c: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var v = 0.0
        if k < count - 1 { v += conductance[k] * (c[k + 1] - c[k]) }
        if k > 0 { v -= conductance[k - 1] * (c[k] - c[k - 1]) }
        return v / volume[k]
    }

    /// Solves y − a·A(y)·y = target by Picard iteration, starting from `y`.
    private func solve(_ y: UnsafeMutableBufferPointer<Double>, a: Double, temperature: Double, t: Double) throws(ModelError) {
        let n = count
        for _ in 0..<50 {
            updateConductance(y, temperature)
            for k in 0..<n {
                var d = 0.0
                if k < n - 1 { upper[k] = -a * conductance[k] / volume[k]; d += a * conductance[k] / volume[k] }
                if k > 0 { lower[k - 1] = -a * conductance[k - 1] / volume[k]; d += a * conductance[k - 1] / volume[k] }
                diagonal[k] = 1 + d
                iterate[k] = target[k]
            }
            do {
                try Tridiagonal.solve(lower: UnsafeBufferPointer(lower), diagonal: UnsafeBufferPointer(diagonal),
                                      upper: UnsafeBufferPointer(upper), rhs: iterate, scratch: scratch)
            } catch {
                throw .linearSolveFailed(t: t)
            }
            var change = 0.0, size = 0.0
            for k in 0..<n {
                change = max(change, abs(iterate[k] - y[k])); size = max(size, abs(iterate[k]))
                y[k] = iterate[k]
            }
            guard change.isFinite else { throw .nonFinite(variable: "particle concentration", t: t) }
            if change <= 1e-12 * size { return }
        }
        throw .newtonDiverged(t: t, residualNorm: .infinity)
    }
}
