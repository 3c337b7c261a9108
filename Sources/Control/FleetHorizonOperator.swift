/// The structure of the fleet MPC's QP (``FleetHorizonProblem``) for the ADMM solver: N packs × H steps of
/// normalised power uᵢ,ₜ, variables pack-major (x[i·H + t]).
///
/// - P = 2·(diag(ℓ) + W·BᵀB), where (Bx)ₜ = Σᵢ sᵢ xᵢ,ₜ is the fleet's power at step t as a share of its rated
///   power: a diagonal loss term plus the tracking coupling, which is the same H×H identity between every two packs.
/// - A = blockdiag(Aᵢ), Aᵢ = [I; Lᵢ]: each step's power (bounds) and the pack's SoC change up to each step
///   (Lᵢ lower triangular).
///
/// The ADMM's linear system K = P + σI + Aᵀdiag(ρ)A is then block diagonal plus a rank-H coupling:
/// K = blockdiag(Mᵢ) + U Uᵀ with Mᵢ = 2diag(ℓᵢ) + σI + diag(ρᵢ,box) + Lᵢᵀdiag(ρᵢ,soc)Lᵢ and U = √(2W)·[s₁I; …; s_NI].
/// ``factor(sigma:rho:)`` inverts every H×H block Mᵢ (Cholesky) and factors the H×H capacitance matrix
/// S = I + 2W Σᵢ sᵢ² Mᵢ⁻¹; ``solve(_:)`` applies the Sherman–Morrison–Woodbury identity
/// K⁻¹r = M⁻¹r − M⁻¹U S⁻¹ Uᵀ M⁻¹r: O(N·H²) per solve and O(N·H³) per factorisation, against O((NH)³) dense.
public struct FleetHorizonOperator: QuadraticProgramOperator {
    public let packs: Int
    public let horizon: Int
    /// Each pack's share of the fleet's rated power, sᵢ.
    let shares: [Double]
    /// Each pack's loss weight ℓᵢ (per unit² per step).
    let losses: [Double]
    /// Tracking weight W.
    let tracking: Double
    /// Lᵢ, row-major H×H per pack (lower triangle used).
    let socMaps: [Double]
    /// Mᵢ⁻¹ per pack (H×H, row-major), then the Cholesky factor of S (H×H, lower).
    private var inverses: [Double]
    private var capacitance: [Double]
    /// Scratch of the products and solves (H each), so that the solver's iterations do not allocate.
    private final class Workspace {
        var a: [Double], b: [Double]
        init(_ h: Int) { a = Array(repeating: 0, count: h); b = Array(repeating: 0, count: h) }
    }
    private let work: Workspace

    public var variableCount: Int { packs * horizon }
    public var constraintCount: Int { 2 * packs * horizon }

    init(shares: [Double], losses: [Double], tracking: Double, socMaps: [Double], horizon: Int) {
        packs = shares.count
        self.horizon = horizon
        self.shares = shares; self.losses = losses; self.tracking = tracking; self.socMaps = socMaps
        inverses = Array(repeating: 0, count: shares.count * horizon * horizon)
        capacitance = Array(repeating: 0, count: horizon * horizon)
        work = Workspace(horizon)
    }

    public func multiplyP(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        let h = horizon
        for t in 0..<h { work.a[t] = 0 }
        for i in 0..<packs { for t in 0..<h { work.a[t] += shares[i] * x[i * h + t] } }
        for i in 0..<packs {
            for t in 0..<h { y[i * h + t] = 2 * (losses[i] * x[i * h + t] + tracking * shares[i] * work.a[t]) }
        }
    }

    public func multiplyA(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        let h = horizon
        for i in 0..<packs {
            let row = 2 * i * h, map = i * h * h
            for t in 0..<h {
                y[row + t] = x[i * h + t]
                var s = 0.0
                for k in 0...t { s += socMaps[map + t * h + k] * x[i * h + k] }
                y[row + h + t] = s
            }
        }
    }

    public func multiplyAT(_ y: UnsafeBufferPointer<Double>, into x: UnsafeMutableBufferPointer<Double>) {
        let h = horizon
        for i in 0..<packs {
            let row = 2 * i * h, map = i * h * h
            for k in 0..<h {
                var s = y[row + k]
                for t in k..<h { s += socMaps[map + t * h + k] * y[row + h + t] }
                x[i * h + k] = s
            }
        }
    }

    public mutating func factor(sigma: Double, rho: UnsafeBufferPointer<Double>) throws(ControlError) {
        let h = horizon
        var block = [Double](repeating: 0, count: h * h)
        for t in 0..<(h * h) { capacitance[t] = 0 }
        for t in 0..<h { capacitance[t * h + t] = 1 }
        for i in 0..<packs {
            let row = 2 * i * h, map = i * h * h
            // Mᵢ = 2 diag(ℓᵢ) + σI + diag(ρ_box) + Lᵢᵀ diag(ρ_soc) Lᵢ
            for a in 0..<h {
                for b in 0...a {
                    var s = 0.0
                    for t in a..<h { s += socMaps[map + t * h + a] * rho[row + h + t] * socMaps[map + t * h + b] }
                    block[a * h + b] = s; block[b * h + a] = s
                }
                block[a * h + a] += 2 * losses[i] + sigma + rho[row + a]
            }
            guard SmallCholesky.factor(&block, order: h) else {
                throw .factorizationFailed("the horizon block of pack \(i) is not positive definite")
            }
            inverses.withUnsafeMutableBufferPointer { inv in
                SmallCholesky.invert(block, order: h, into: UnsafeMutableBufferPointer(rebasing: inv[(i * h * h)..<((i + 1) * h * h)]))
            }
            let weight = 2 * tracking * shares[i] * shares[i]
            for t in 0..<(h * h) { capacitance[t] += weight * inverses[i * h * h + t] }
        }
        guard SmallCholesky.factor(&capacitance, order: h) else {
            throw .factorizationFailed("the coupling (capacitance) matrix is not positive definite")
        }
    }

    public func solve(_ r: UnsafeMutableBufferPointer<Double>) {
        let h = horizon, root = (2 * tracking).squareRoot()
        for t in 0..<h { work.b[t] = 0 }
        // r ← M⁻¹ r blockwise, g = Uᵀ M⁻¹ r
        for i in 0..<packs {
            let base = i * h * h
            for t in 0..<h { work.a[t] = r[i * h + t] }
            for t in 0..<h {
                var s = 0.0
                for k in 0..<h { s += inverses[base + t * h + k] * work.a[k] }
                r[i * h + t] = s
                work.b[t] += root * shares[i] * s
            }
        }
        SmallCholesky.solve(capacitance, order: h, &work.b)
        let g = work.b
        // r ← r − M⁻¹ U z
        for i in 0..<packs {
            let base = i * h * h, scale = root * shares[i]
            for t in 0..<h {
                var s = 0.0
                for k in 0..<h { s += inverses[base + t * h + k] * g[k] }
                r[i * h + t] -= scale * s
            }
        }
    }
}
