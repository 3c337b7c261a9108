#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SingleParticleModel {
    /// The SPMe electrolyte on the finite volumes of n, s and p (CellMesh; PyBaMM default 20 each) (spec §1.4, §2.2):
    ///
    /// ```
    /// ∂(ε c_e)/∂t = −∂N_e/∂x + s_e/F,   N_e = −tor·D_e(c_e) ∂c_e/∂x + t⁺ i_e/F,   N_e = 0 at x = 0, L_x
    /// ```
    ///
    /// with the prescribed i_e profile and uniform reaction s_e = i/L_n, 0, −i/L_p. One step is TR-BDF2
    /// (Bank et al. 1985) with its embedded error estimate (Hosea & Shampine 1996, doi:10.1016/0168-9274(95)00115-8),
    /// filtered through (I − γh/2·J)⁻¹; the nonlinear D_e(c_e, T) is resolved by a chord iteration in each
    /// implicit stage (one Thomas factorisation per step, re-used by every iterate).
    final class Electrolyte {
        let count: Int
        /// Volumes in the negative and positive electrodes and the index of the first positive one.
        let countN, countP, offsetP: Int
        let diffusivity: @Sendable (Double, Double) -> Double
        var temperature: Double
        /// Relative tolerance of the WRMS error norm on ε c_e / (ε c_e,init). At 3e-3 the local error in c_e is
        /// ~3 mol.m-3, a few µV of concentration overpotential: the five PyBaMM fixtures stay within 0.15 mV
        /// (the same as at 1e-5) at ~3 internal steps per random 10 s step instead of ~30.
        var relativeTolerance = 3e-3
        let initialConcentration: Double
        /// Whether the tridiagonal factors belong to the step under way (the chord iteration and the error filter use them).
        private var factored = false
        let width, porosity, tortuosity, nodes: UnsafeMutableBufferPointer<Double>
        /// Reciprocal node distances and harmonic-mean weights β on the interior edges.
        let inverseDistance, beta: UnsafeMutableBufferPointer<Double>
        /// d(ε c_e)/dt per unit current density [A.m-2] from migration and reaction.
        let sourcePerCurrent: UnsafeMutableBufferPointer<Double>
        let u, saved, start, stage, target, iterate, conductance, lower, diagonal, upper, scratch,
            rateStart, estimate, inverseWidth, inversePorosity, inversePivot: UnsafeMutableBufferPointer<Double>
        /// ln c_e on the nodes, filled by ``SingleParticleModel/prepareVoltage()`` for V and the heat.
        let logConcentration: UnsafeMutableBufferPointer<Double>
        /// PyBaMM 26.10's "X-averaged electrolyte concentration" ⟨ε c_e⟩⟨1/ε⟩ (constant in time).
        let averageConcentration: Double

        init(parameters: ParameterSet, constants k: CellConstants, mesh: CellMesh) throws(ParameterError) {
            let counts = [mesh.negativeElectrode, mesh.separator, mesh.positiveElectrode]
            let n = counts[0] + counts[1] + counts[2]
            countN = counts[0]; countP = counts[2]; offsetP = counts[0] + counts[1]
            count = n
            temperature = k.ambientTemperature
            diffusivity = try parameters.binaryFunction("Electrolyte diffusivity [m2.s-1]")
            let eps = [try parameters.scalar("Negative electrode porosity"), try parameters.scalar("Separator porosity"),
                       try parameters.scalar("Positive electrode porosity")]
            let brug = [try parameters.scalar("Negative electrode Bruggeman coefficient (electrolyte)"),
                        try parameters.scalar("Separator Bruggeman coefficient (electrolyte)"),
                        try parameters.scalar("Positive electrode Bruggeman coefficient (electrolyte)")]
            let lengths = [k.lengthN, k.lengthS, k.lengthP]
            initialConcentration = k.initialElectrolyte
            let buffer = zeroedBuffer
            width = buffer(n); porosity = buffer(n); tortuosity = buffer(n); nodes = buffer(n)
            inverseDistance = buffer(n - 1); beta = buffer(n - 1); sourcePerCurrent = buffer(n)
            u = buffer(n); saved = buffer(n); start = buffer(n); stage = buffer(n); target = buffer(n)
            iterate = buffer(n); conductance = buffer(n - 1)
            lower = buffer(n - 1); diagonal = buffer(n); upper = buffer(n - 1); scratch = buffer(n)
            rateStart = buffer(n); estimate = buffer(n); logConcentration = buffer(n)
            inverseWidth = buffer(n); inversePorosity = buffer(n); inversePivot = buffer(n)
            var x = 0.0
            var idx = 0
            for d in 0..<3 {
                let h = lengths[d] / Double(counts[d])
                for j in 0..<counts[d] {
                    defer { idx += 1 }
                    width[idx] = h; porosity[idx] = eps[d]; tortuosity[idx] = pow(eps[d], brug[d])
                    inverseWidth[idx] = 1 / h; inversePorosity[idx] = 1 / eps[d]
                    nodes[idx] = x + (Double(j) + 0.5) * h
                }
                x += lengths[d]
            }
            for e in 0..<(n - 1) {
                inverseDistance[e] = 1 / (nodes[e + 1] - nodes[e])
                beta[e] = width[e] / (width[e] + width[e + 1])
            }
            // Migration t⁺ i_e/F on nodes (per unit i), moved to edges by distance-weighted interpolation.
            let lx = k.lengthX
            var m0 = [Double](repeating: 0, count: n)
            for idx in 0..<n {
                let xi = nodes[idx]
                let ie = idx < countN ? xi / k.lengthN : (idx < offsetP ? 1 : (lx - xi) / k.lengthP)
                m0[idx] = k.transference * ie / PhysicalConstants.faraday
            }
            var edge = [Double](repeating: 0, count: n + 1)
            for e in 0..<(n - 1) {
                let w = width[e] / (width[e] + width[e + 1])
                edge[e + 1] = (1 - w) * m0[e] + w * m0[e + 1]
            }
            edge[0] = 1.5 * m0[0] - 0.5 * m0[1]
            edge[n] = 1.5 * m0[n - 1] - 0.5 * m0[n - 2]
            var sumEpsC = 0.0, sumInvEps = 0.0
            for idx in 0..<n {
                let reaction = idx < countN ? 1 / k.lengthN : (idx < offsetP ? 0 : -1 / k.lengthP)
                sourcePerCurrent[idx] = -(edge[idx + 1] - edge[idx]) / width[idx] + reaction / PhysicalConstants.faraday
                u[idx] = porosity[idx] * k.initialElectrolyte
                sumEpsC += u[idx] * width[idx]
                sumInvEps += width[idx] / porosity[idx]
            }
            averageConcentration = (sumEpsC / lx) * (sumInvEps / lx)
        }

        deinit {
            for b in [width, porosity, tortuosity, nodes, inverseDistance, beta, sourcePerCurrent, u, saved, start, stage,
                      target, iterate, conductance, lower, diagonal, upper, scratch, rateStart, estimate, logConcentration, inverseWidth,
                      inversePorosity, inversePivot] { b.deallocate() }
        }

        /// c_e at node `k` [mol.m-3].
        @inline(__always) func concentration(_ k: Int) -> Double { u[k] / porosity[k] }

        func save() { for k in 0..<count { saved[k] = u[k] } }
        func restore() { for k in 0..<count { u[k] = saved[k] } }
        /// Returns to the state before the last ``advance(currentDensity:h:t:)``.
        func rewind() { for k in 0..<count { u[k] = start[k] } }

        /// ln c_e on the nodes (c_e floored at `floor`): one logarithm at the first node, then each increment
        /// ln(c_{q+1}/c_q) = 2 atanh(s), s = (c_{q+1} − c_q)/(c_{q+1} + c_q), by its odd series through s¹¹ when
        /// |s| < 0.05 (truncation below 2·10⁻¹⁸), else by a logarithm.
        func fillLogConcentration(floor: Double) {
            var previous = max(concentration(0), floor)
            var value = log(previous)
            logConcentration[0] = value
            for q in 1..<count {
                let c = max(concentration(q), floor)
                let s = (c - previous) / (c + previous)
                if abs(s) < 0.05 {
                    let s2 = s * s
                    let series = 1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11)))))
                    value += 2 * s * series
                } else {
                    value = log(c)
                }
                logConcentration[q] = value
                previous = c
            }
        }

        /// Edge conductances tor·D_e (harmonic mean 1/(β/l + (1−β)/r) = l·r/(β·r + (1−β)·l), one division)
        /// / node distance, at the state `y` (ε c_e).
        private func updateConductance(_ y: UnsafeMutableBufferPointer<Double>) {
            let f = diffusivity, temperature = self.temperature
            var left = tortuosity[0] * f(max(y[0] * inversePorosity[0], 10), temperature)
            for e in 0..<(count - 1) {
                let right = tortuosity[e + 1] * f(max(y[e + 1] * inversePorosity[e + 1], 10), temperature)
                conductance[e] = left * right * inverseDistance[e] / (beta[e] * right + (1 - beta[e]) * left)
                left = right
            }
        }

        /// (L y)_k, the diffusion part of d(ε c_e)/dt, with the current conductances.
        @inline(__always) private func diffusion(_ y: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
            var v = 0.0
            let c = y[k] * inversePorosity[k]
            if k < count - 1 { v += conductance[k] * (y[k + 1] * inversePorosity[k + 1] - c) }
            if k > 0 { v -= conductance[k - 1] * (c - y[k - 1] * inversePorosity[k - 1]) }
            return v * inverseWidth[k]
        }

        /// One TR-BDF2 step of length `h` [s] at current density `i` [A.m-2]; returns the WRMS norm of the
        /// embedded error estimate (accept when ≤ 1). The previous state stays in `start` for ``rewind()``.
        func advance(currentDensity i: Double, h: Double, t: Double) throws(ModelError) -> Double {
            let n = count
            let a = TRBDF2.gamma * h / 2
            updateConductance(u)
            factored = false
            for k in 0..<n {
                start[k] = u[k]
                rateStart[k] = diffusion(u, k) + i * sourcePerCurrent[k]
                target[k] = u[k] + a * rateStart[k] + a * i * sourcePerCurrent[k]
                stage[k] = u[k] + 2 * a * rateStart[k]
            }
            try implicitSolve(into: stage, a: a, t: t)
            for k in 0..<n {
                target[k] = TRBDF2.c1 * stage[k] - TRBDF2.c2 * start[k] + a * i * sourcePerCurrent[k]
                u[k] = stage[k] + (stage[k] - start[k]) * (1 - TRBDF2.gamma) / TRBDF2.gamma
            }
            try implicitSolve(into: u, a: a, t: t)
            // LTE ≈ 2Ch·(f₀/γ − f_γ/(γ(1−γ)) + f₁/(1−γ)), C = (−3γ² + 4γ − 2)/(12(2 − γ)).
            let g = TRBDF2.gamma
            let c = 2 * (-3 * g * g + 4 * g - 2) / (12 * (2 - g)) * h
            let inverseA = 1 / a, w0 = c / g, wg = c / (g * (1 - g)), w1 = c / (1 - g)
            for k in 0..<n {
                let f0 = rateStart[k]
                let fg = (stage[k] - start[k]) * inverseA - f0
                let f1 = (u[k] - TRBDF2.c1 * stage[k] + TRBDF2.c2 * start[k]) * inverseA
                estimate[k] = w0 * f0 - wg * fg + w1 * f1
            }
            if !factored { try factor(a: a, t: t) }
            substitute(estimate)
            let scale = 1 / (relativeTolerance * initialConcentration)
            var sum = 0.0
            for k in 0..<n {
                let e = estimate[k] * inversePorosity[k] * scale
                sum += e * e
            }
            return (sum / Double(n)).squareRoot()
        }

        /// Forward and back substitution with the factors of the last ``factor(a:t:)``.
        @inline(__always)
        private func substitute(_ r: UnsafeMutableBufferPointer<Double>) {
            r[0] *= inversePivot[0]
            for k in 1..<count { r[k] = (r[k] - lower[k - 1] * r[k - 1]) * inversePivot[k] }
            for k in stride(from: count - 2, through: 0, by: -1) { r[k] -= scratch[k] * r[k + 1] }
        }

        /// Solves y − a·L(y)·y = target from `y` by a chord iteration (Hairer & Wanner 1996, §IV.8): with the
        /// residual r = target − M(y)·y, M(y) = I − a·L(y), y ← y + M₀⁻¹r, where M₀ is the matrix factored first
        /// in this step (at the first stage's predictor) — the Picard iteration when M₀ = M(y). The factors
        /// are refreshed when a correction shrinks by less than half. Converged when the max-norm correction
        /// is within 0.3 of the local error tolerance.
        private func implicitSolve(into y: UnsafeMutableBufferPointer<Double>, a: Double, t: Double) throws(ModelError) {
            let n = count, tolerance = 0.3 * relativeTolerance
            var previousChange = Double.infinity
            for _ in 0..<50 {
                updateConductance(y)
                for k in 0..<n { iterate[k] = target[k] - y[k] + a * diffusion(y, k) }
                if !factored { try factor(a: a, t: t) }
                substitute(iterate)
                var change = 0.0, size = 0.0
                for k in 0..<n {
                    y[k] += iterate[k]
                    change = max(change, abs(iterate[k]))
                    size = max(size, abs(y[k]))
                }
                guard change.isFinite else { throw .nonFinite(variable: "electrolyte concentration", t: t) }
                if change <= tolerance * size { return }
                if change > 0.5 * previousChange { factored = false }
                previousChange = change
            }
            throw .electrolyteIterationDiverged(t: t)
        }

        /// Assembles M = I − a·L with the current conductances and factors it by the Thomas algorithm (M is an
        /// M-matrix, so no pivoting), keeping `scratch` and `inversePivot` for ``substitute(_:)``.
        private func factor(a: Double, t: Double) throws(ModelError) {
            let n = count
            for k in 0..<n { diagonal[k] = 1 }
            for e in 0..<(n - 1) {
                let g = a * conductance[e]
                let gl = g * inverseWidth[e], gr = g * inverseWidth[e + 1]
                upper[e] = -gl * inversePorosity[e + 1]
                lower[e] = -gr * inversePorosity[e]
                diagonal[e] += gl * inversePorosity[e]
                diagonal[e + 1] += gr * inversePorosity[e + 1]
            }
            guard diagonal[0] != 0 else { throw .linearSolveFailed(t: t) }
            var inverse = 1 / diagonal[0]
            inversePivot[0] = inverse
            for k in 1..<n {
                scratch[k - 1] = upper[k - 1] * inverse
                let pivot = diagonal[k] - lower[k - 1] * scratch[k - 1]
                guard pivot != 0 else { throw .linearSolveFailed(t: t) }
                inverse = 1 / pivot
                inversePivot[k] = inverse
            }
            factored = true
        }
    }
}
