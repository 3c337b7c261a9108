#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

extension SingleParticleModel {
    /// The SPMe electrolyte on the 20 + 20 + 20 finite volumes of n, s and p (spec §1.4, §2.2):
    ///
    /// ```
    /// ∂(ε c_e)/∂t = −∂N_e/∂x + s_e/F,   N_e = −tor·D_e(c_e) ∂c_e/∂x + t⁺ i_e/F,   N_e = 0 at x = 0, L_x
    /// ```
    ///
    /// with the prescribed i_e profile and uniform reaction s_e = i/L_n, 0, −i/L_p. The nonlinear
    /// D_e(c_e) is handled by fixed-point (Picard) iteration inside each implicit stage.
    final class Electrolyte {
        let count: Int
        let diffusivity: @Sendable (Double, Double) -> Double
        let temperature: Double
        let width, porosity, tortuosity, nodes: UnsafeMutableBufferPointer<Double>
        /// Node distances and harmonic-mean weights β on the interior edges.
        let distance, beta: UnsafeMutableBufferPointer<Double>
        /// d(ε c_e)/dt per unit current density [A.m-2] from migration and reaction.
        let sourcePerCurrent: UnsafeMutableBufferPointer<Double>
        let u, saved, start, stage, target, iterate, conductance, lower, diagonal, upper, scratch: UnsafeMutableBufferPointer<Double>
        /// PyBaMM 26.10's "X-averaged electrolyte concentration" ⟨ε c_e⟩⟨1/ε⟩ (constant in time).
        let averageConcentration: Double

        init(parameters: ParameterSet, constants k: CellConstants, volumes m: Int) throws(ParameterError) {
            let n = 3 * m
            count = n
            temperature = k.temperature
            diffusivity = try parameters.binaryFunction("Electrolyte diffusivity [m2.s-1]")
            let eps = [try parameters.scalar("Negative electrode porosity"), try parameters.scalar("Separator porosity"),
                       try parameters.scalar("Positive electrode porosity")]
            let brug = [try parameters.scalar("Negative electrode Bruggeman coefficient (electrolyte)"),
                        try parameters.scalar("Separator Bruggeman coefficient (electrolyte)"),
                        try parameters.scalar("Positive electrode Bruggeman coefficient (electrolyte)")]
            let lengths = [k.lengthN, k.lengthS, k.lengthP]
            func buffer(_ c: Int) -> UnsafeMutableBufferPointer<Double> {
                let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: c)
                b.initialize(repeating: 0)
                return b
            }
            width = buffer(n); porosity = buffer(n); tortuosity = buffer(n); nodes = buffer(n)
            distance = buffer(n - 1); beta = buffer(n - 1); sourcePerCurrent = buffer(n)
            u = buffer(n); saved = buffer(n); start = buffer(n); stage = buffer(n); target = buffer(n)
            iterate = buffer(n); conductance = buffer(n - 1)
            lower = buffer(n - 1); diagonal = buffer(n); upper = buffer(n - 1); scratch = buffer(n)
            var x = 0.0
            for d in 0..<3 {
                let h = lengths[d] / Double(m)
                for j in 0..<m {
                    let idx = d * m + j
                    width[idx] = h; porosity[idx] = eps[d]; tortuosity[idx] = pow(eps[d], brug[d])
                    nodes[idx] = x + (Double(j) + 0.5) * h
                }
                x += lengths[d]
            }
            for e in 0..<(n - 1) {
                distance[e] = nodes[e + 1] - nodes[e]
                beta[e] = width[e] / (width[e] + width[e + 1])
            }
            // Migration t⁺ i_e/F on nodes (per unit i), moved to edges by distance-weighted interpolation.
            let lx = k.lengthX
            var m0 = [Double](repeating: 0, count: n)
            for idx in 0..<n {
                let xi = nodes[idx]
                let ie = idx < m ? xi / k.lengthN : (idx < 2 * m ? 1 : (lx - xi) / k.lengthP)
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
                let reaction = idx < m ? 1 / k.lengthN : (idx < 2 * m ? 0 : -1 / k.lengthP)
                sourcePerCurrent[idx] = -(edge[idx + 1] - edge[idx]) / width[idx] + reaction / PhysicalConstants.faraday
                u[idx] = porosity[idx] * k.initialElectrolyte
                sumEpsC += u[idx] * width[idx]
                sumInvEps += width[idx] / porosity[idx]
            }
            averageConcentration = (sumEpsC / lx) * (sumInvEps / lx)
        }

        deinit {
            for b in [width, porosity, tortuosity, nodes, distance, beta, sourcePerCurrent, u, saved, start, stage,
                      target, iterate, conductance, lower, diagonal, upper, scratch] { b.deallocate() }
        }

        /// c_e at node `k` [mol.m-3].
        @inline(__always) func concentration(_ k: Int) -> Double { u[k] / porosity[k] }

        func save() { for k in 0..<count { saved[k] = u[k] } }
        func restore() { for k in 0..<count { u[k] = saved[k] } }

        /// Edge conductances tor·D_e (harmonic mean) / node distance, at the state `y` (ε c_e).
        private func updateConductance(_ y: UnsafeMutableBufferPointer<Double>) {
            var left = tortuosity[0] * diffusivity(max(y[0] / porosity[0], 10), temperature)
            for e in 0..<(count - 1) {
                let right = tortuosity[e + 1] * diffusivity(max(y[e + 1] / porosity[e + 1], 10), temperature)
                conductance[e] = 1 / (beta[e] / left + (1 - beta[e]) / right) / distance[e]
                left = right
            }
        }

        /// (L y)_k, the diffusion part of d(ε c_e)/dt, with the current conductances.
        @inline(__always) private func diffusion(_ y: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
            var v = 0.0
            if k < count - 1 { v += conductance[k] * (y[k + 1] / porosity[k + 1] - y[k] / porosity[k]) }
            if k > 0 { v -= conductance[k - 1] * (y[k] / porosity[k] - y[k - 1] / porosity[k - 1]) }
            return v / width[k]
        }

        /// One TR-BDF2 step of length `h` [s] at current density `i` [A.m-2].
        func advance(currentDensity i: Double, h: Double, t: Double) throws(ModelError) {
            let n = count
            let a = TRBDF2.gamma * h / 2
            updateConductance(u)
            for k in 0..<n {
                start[k] = u[k]
                target[k] = u[k] + a * diffusion(u, k) + 2 * a * i * sourcePerCurrent[k]
                stage[k] = u[k]
            }
            try implicitSolve(into: stage, a: a, t: t)
            for k in 0..<n {
                target[k] = TRBDF2.c1 * stage[k] - TRBDF2.c2 * start[k] + a * i * sourcePerCurrent[k]
                u[k] = stage[k]
            }
            try implicitSolve(into: u, a: a, t: t)
        }

        /// Solves y − a·L(y)·y = target by Picard iteration, starting from `y`.
        private func implicitSolve(into y: UnsafeMutableBufferPointer<Double>, a: Double, t: Double) throws(ModelError) {
            let n = count
            for _ in 0..<50 {
                updateConductance(y)
                for k in 0..<n {
                    var d = 0.0
                    if k < n - 1 {
                        let g = a * conductance[k] / width[k]
                        upper[k] = -g / porosity[k + 1]
                        d += g / porosity[k]
                    }
                    if k > 0 {
                        let g = a * conductance[k - 1] / width[k]
                        lower[k - 1] = -g / porosity[k - 1]
                        d += g / porosity[k]
                    }
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
                    change = max(change, abs(iterate[k] - y[k]))
                    size = max(size, abs(iterate[k]))
                    y[k] = iterate[k]
                }
                guard change.isFinite else { throw .nonFinite(variable: "electrolyte concentration", t: t) }
                if change <= 1e-12 * size { return }
            }
            throw .electrolyteIterationDiverged(t: t)
        }
    }
}
