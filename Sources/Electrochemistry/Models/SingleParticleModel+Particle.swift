#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

extension SingleParticleModel {
    /// One x-averaged spherical particle on a uniform r-mesh of finite volumes (spec §2.1–2.2),
    ///
    /// ```
    /// ∂c/∂t = (1/r²) ∂/∂r (r² D_s ∂c/∂r),   ∂c/∂r|₀ = 0,   −D_s ∂c/∂r|_R = j/F
    /// ```
    ///
    /// Two integrators, chosen at init (spec §8.2):
    /// - **modal** when D_s does not depend on the stoichiometry: c′ = D·V⁻¹K c + b·flux with V the shell
    ///   volumes and K symmetric; S = V^{-½}KV^{-½} = ΦΛΦᵀ is diagonalised once, and q = ΦᵀV^{½}c evolves as
    ///   q_m ← e^{Dλ_m h} q_m + β_m·flux·(e^{Dλ_m h} − 1)/(Dλ_m): exact for piecewise-constant flux and D.
    /// - **implicit** when D_s = D_s(sto, T) (Ecker2015): TR-BDF2 with edge diffusivities as harmonic means of
    ///   the nodal values, the nonlinearity resolved by Picard iteration in each stage.
    final class Particle {
        let count: Int
        let modal: Bool
        let diffusivityFunction: @Sendable (Double, Double) -> Double
        var maxConcentration = 0.0, specificArea = 0.0, radius = 0.0, totalVolume = 0.0
        /// Shell volumes / 4π.
        let volume: UnsafeMutableBufferPointer<Double>
        /// Modal data: eigenvalues λ_m of S, eigenvectors Φ (row-major), input β_m, surface and average functionals.
        let lambda, phi, beta, surfaceWeight, averageWeight, decay, gain, work: UnsafeMutableBufferPointer<Double>
        /// State (q when modal, c when implicit) with the user snapshot and the sub-step mark.
        let x, saved, marked: UnsafeMutableBufferPointer<Double>
        /// Implicit-path work buffers.
        let stage, target, iterate, conductance, lower, diagonal, upper, scratch: UnsafeMutableBufferPointer<Double>
        private var cachedRate = Double.nan, cachedStep = Double.nan

        init(parameters: ParameterSet, electrode: String, stoichiometry: Double, volumes n: Int) throws(ParameterError) {
            count = n
            diffusivityFunction = try parameters.binaryFunction("\(electrode) particle diffusivity [m2.s-1]")
            let f = diffusivityFunction, t0 = 298.15
            modal = f(0.2, t0) == f(0.5, t0) && f(0.5, t0) == f(0.8, t0)
            volume = zeroedBuffer(n)
            lambda = zeroedBuffer(n); phi = zeroedBuffer(n * n); beta = zeroedBuffer(n); surfaceWeight = zeroedBuffer(n)
            averageWeight = zeroedBuffer(n); decay = zeroedBuffer(n); gain = zeroedBuffer(n); work = zeroedBuffer(n * n)
            x = zeroedBuffer(n); saved = zeroedBuffer(n); marked = zeroedBuffer(n)
            stage = zeroedBuffer(n); target = zeroedBuffer(n); iterate = zeroedBuffer(n); conductance = zeroedBuffer(n - 1)
            lower = zeroedBuffer(n - 1); diagonal = zeroedBuffer(n); upper = zeroedBuffer(n - 1); scratch = zeroedBuffer(n)
            try compile(parameters: parameters, electrode: electrode)
            setUniform(stoichiometry)
        }

        deinit {
            for b in [volume, lambda, phi, beta, surfaceWeight, averageWeight, decay, gain, work, x, saved, marked,
                      stage, target, iterate, conductance, lower, diagonal, upper, scratch] { b.deallocate() }
        }

        /// Reads the geometry from `parameters` and, when the radius changed, re-diagonalises S (no allocation).
        /// The concentration profile is kept (converted through the old basis when modal).
        func compile(parameters: ParameterSet, electrode: String) throws(ParameterError) {
            let newRadius = try parameters.scalar("\(electrode) particle radius [m]")
            maxConcentration = try parameters.scalar("Maximum concentration in \(electrode.lowercased()) electrode [mol.m-3]")
            specificArea = 3 * (try parameters.scalar("\(electrode) electrode active material volume fraction")) / newRadius
            guard newRadius != radius else { return }
            let hadState = modal && radius > 0
            if hadState { for k in 0..<count { scratch[k] = concentration(k) } }
            radius = newRadius
            let n = count, h = radius / Double(n)
            totalVolume = 0
            for k in 0..<n {
                let (a, b) = (Double(k) * h, Double(k + 1) * h)
                volume[k] = (b * b * b - a * a * a) / 3
                totalVolume += volume[k]
            }
            cachedRate = .nan
            if modal {
                for k in 0..<(n * n) { work[k] = 0 }
                for e in 0..<(n - 1) {
                    let g = Double(e + 1) * h * Double(e + 1) * h / h
                    let s = 1 / (volume[e] * volume[e + 1]).squareRoot()
                    work[e * n + e] -= g / volume[e]; work[(e + 1) * n + e + 1] -= g / volume[e + 1]
                    work[e * n + e + 1] = g * s; work[(e + 1) * n + e] = g * s
                }
                SymmetricEigen.jacobi(work, vectors: phi, n: n)
                var massMode = 0
                for m in 0..<n {
                    lambda[m] = min(work[m * n + m], 0)
                    if abs(lambda[m]) < abs(lambda[massMode]) { massMode = m }
                }
                lambda[massMode] = 0
                let r2 = radius * radius
                for m in 0..<n {
                    beta[m] = -phi[(n - 1) * n + m] * r2 / volume[n - 1].squareRoot()
                    surfaceWeight[m] = 1.5 * phi[(n - 1) * n + m] / volume[n - 1].squareRoot()
                        - 0.5 * phi[(n - 2) * n + m] / volume[n - 2].squareRoot()
                    var s = 0.0
                    for k in 0..<n { s += volume[k].squareRoot() * phi[k * n + m] }
                    averageWeight[m] = s / totalVolume
                }
                if hadState { setProfile(scratch) }
            }
        }

        /// Sets c ≡ sto·c_max.
        func setUniform(_ sto: Double) {
            for k in 0..<count { scratch[k] = sto * maxConcentration }
            setProfile(scratch)
        }

        private func setProfile(_ c: UnsafeMutableBufferPointer<Double>) {
            let n = count
            if !modal { for k in 0..<n { x[k] = c[k] }; return }
            for m in 0..<n {
                var s = 0.0
                for k in 0..<n { s += phi[k * n + m] * volume[k].squareRoot() * c[k] }
                x[m] = s
            }
        }

        /// c at node `k` [mol.m-3].
        func concentration(_ k: Int) -> Double {
            guard modal else { return x[k] }
            var s = 0.0
            for m in 0..<count { s += phi[k * count + m] * x[m] }
            return s / volume[k].squareRoot()
        }

        /// c_surf = 1.5 c_N − 0.5 c_{N−1} (PyBaMM's linear extrapolation).
        @inline(__always) var surface: Double {
            if !modal { return 1.5 * x[count - 1] - 0.5 * x[count - 2] }
            var s = 0.0
            for m in 0..<count { s += surfaceWeight[m] * x[m] }
            return s
        }

        /// Volume-weighted average concentration.
        var average: Double {
            var s = 0.0
            if modal { for m in 0..<count { s += averageWeight[m] * x[m] } } else {
                for k in 0..<count { s += x[k] * volume[k] }
                s /= totalVolume
            }
            return s
        }

        func save() { for k in 0..<count { saved[k] = x[k] } }
        func restore() { for k in 0..<count { x[k] = saved[k] } }
        func mark() { for k in 0..<count { marked[k] = x[k] } }
        func rewind() { for k in 0..<count { x[k] = marked[k] } }

        /// After ``advance(flux:h:temperature:t:)`` over `h` [s], adds the state change of an extra constant flux
        /// `delta` [mol.m-2.s-1] over that step: exact for the modal integrator (linear in the flux, same step
        /// gains); for the implicit one, the same lithium taken from the outer shell.
        func addFlux(_ delta: Double, h: Double) {
            if modal {
                for m in 0..<count { x[m] += gain[m] * delta }
            } else {
                x[count - 1] -= h * radius * radius / volume[count - 1] * delta
            }
        }

        /// Advances by `h` [s] with outward molar flux `flux` [mol.m-2.s-1] at temperature `temperature` [K].
        @inline(__always)
        func advance(flux: Double, h: Double, temperature: Double, t: Double) throws(ModelError) {
            if modal {
                let rate = diffusivityFunction(0.5, temperature)
                if rate != cachedRate || h != cachedStep {
                    cachedRate = rate; cachedStep = h
                    for m in 0..<count {
                        let z = rate * lambda[m]
                        decay[m] = exp(z * h)
                        gain[m] = beta[m] * (z == 0 ? h : expm1(z * h) / z)
                    }
                }
                for m in 0..<count { x[m] = decay[m] * x[m] + gain[m] * flux }
            } else {
                try implicitStep(flux: flux, h: h, temperature: temperature, t: t)
            }
        }
    }
}
