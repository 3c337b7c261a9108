/// Settings of `QPSolver`; the defaults are OSQP's (Stellato et al. 2020, §5 and Table 1 of the software
/// paper), except the check interval.
public struct QPSettings: Sendable, Equatable {
    /// The initial ADMM step size ρ of inequality rows.
    public var rho = 0.1
    /// The proximal weight σ on x, which makes K positive definite for PSD P.
    public var sigma = 1e-6
    /// The over-relaxation parameter α ∈ (0, 2) (§3.1; 1.6 as OSQP).
    public var alpha = 1.6
    /// Absolute tolerance of the primal and dual residuals (§3.4).
    public var epsAbs = 1e-5
    /// Relative tolerance of the primal and dual residuals (§3.4).
    public var epsRel = 1e-5
    /// Tolerance of the primal infeasibility certificate (§3.4, conditions (13)).
    public var epsPrimalInfeasible = 1e-6
    /// Tolerance of the dual infeasibility certificate (§3.4, conditions (14)).
    public var epsDualInfeasible = 1e-6
    /// The iteration limit; reaching it throws `.notConverged`.
    public var maxIterations = 4000
    /// Residuals and certificates are checked every `checkInterval` iterations (and at the last one).
    public var checkInterval = 10
    /// Whether ρ adapts to the ratio of the scaled residuals (§5.2).
    public var adaptiveRho = true
    /// ρ is rescaled when the proposed value differs from the current one by more than this factor.
    public var adaptiveRhoTolerance = 5.0
    /// The fewest iterations between two ρ updates (each costs a factorisation).
    public var adaptiveRhoInterval = 25
    /// ρ of equality rows (lᵢ = uᵢ) is ρ times this factor (§5.2: OSQP uses 10³).
    public var equalityRhoScale = 1e3
    /// The bounds of the adaptive ρ; rows with no finite bound use `rhoMin`.
    public var rhoMin = 1e-6
    public var rhoMax = 1e6

    public init() {}

    func validate() throws(ControlError) {
        guard rho > 0, rho.isFinite, sigma > 0, sigma.isFinite, alpha > 0, alpha < 2 else {
            throw .invalidProblem("settings need ρ > 0, σ > 0 and 0 < α < 2 (ρ = \(rho), σ = \(sigma), α = \(alpha))")
        }
        guard epsAbs >= 0, epsRel >= 0, epsAbs + epsRel > 0, epsPrimalInfeasible > 0, epsDualInfeasible > 0 else {
            throw .invalidProblem("settings need non-negative tolerances, not both εabs and εrel zero")
        }
        guard maxIterations >= 1, checkInterval >= 1, adaptiveRhoInterval >= 1, adaptiveRhoTolerance > 1,
              equalityRhoScale > 0, rhoMin > 0, rhoMax >= rhoMin else {
            throw .invalidProblem("settings need positive iteration counts, a ρ tolerance > 1 and 0 < ρmin ≤ ρmax")
        }
    }
}

/// The result of `QPSolver.solve`.
public struct QPSolution: Sendable, Equatable {
    /// The primal solution x.
    public var x: [Double]
    /// The dual solution y, with OSQP's sign convention: Px + q + Aᵀy = 0, yᵢ ≥ 0 when (Ax)ᵢ is at uᵢ,
    /// yᵢ ≤ 0 at lᵢ, yᵢ = 0 when the row is inactive.
    public var y: [Double]
    /// ADMM iterations taken.
    public var iterations: Int
    /// ‖Ax − z‖∞ at the returned iterate (z the projection of Ax onto [l, u]).
    public var primalResidual: Double
    /// ‖Px + q + Aᵀy‖∞ at the returned iterate.
    public var dualResidual: Double
    /// ½ xᵀPx + qᵀx.
    public var objective: Double
    /// The scalar ρ at the end of the solve (after adaptation).
    public var rho: Double
}

/// An OSQP-style ADMM solver (Stellato, Banjac, Goulart, Bemporad & Boyd, "OSQP: an operator splitting solver
/// for quadratic programs", Math. Prog. Comp. 2020) for
/// ```
/// minimise ½ xᵀPx + qᵀx   subject to   l ≤ Ax ≤ u     (P PSD; lᵢ may be −∞, uᵢ +∞; lᵢ = uᵢ an equality)
/// ```
/// Each iteration (Algorithm 1 of the paper) solves the reduced linear system
/// (P + σI + Aᵀ diag(ρ) A) x̃ = σxᵏ − q + Aᵀ(ρ zᵏ − yᵏ), z̃ = A x̃, then over-relaxes with α, projects onto
/// [l, u] and updates the dual:
/// ```
/// xᵏ⁺¹ = αx̃ + (1−α)xᵏ,  zᵏ⁺¹ = Π(αz̃ + (1−α)zᵏ + yᵏ/ρ),  yᵏ⁺¹ = yᵏ + ρ(αz̃ + (1−α)zᵏ − zᵏ⁺¹).
/// ```
/// The linear algebra goes through a `QuadraticProgramOperator`, factored once per ρ. Termination uses the
/// absolute/relative residual test of §3.4; the differences δy, δx of successive iterates give the primal and
/// dual infeasibility certificates of §3.4 (see `QPSolver+Infeasibility.swift`). ρ adapts to the residual
/// ratio (§5.2). No Ruiz scaling and no solution polishing: data should be reasonably scaled by the caller.
///
/// The solver keeps its buffers (allocated on the first solve of a size; iterations allocate nothing) and its
/// adapted ρ between solves, so that a sequence of related problems (MPC steps) can be warm-started and, when
/// the operator's matrices did not change, solved without refactoring (`reuseFactorization`).
public struct QPSolver {
    public var settings: QPSettings
    /// The current scalar ρ: `settings.rho` at first, then as adapted by the last solve.
    public private(set) var rho: Double
    var workspace: QPWorkspace?

    public init(settings: QPSettings = QPSettings()) {
        self.settings = settings
        rho = settings.rho
    }

    /// Forgets the adapted ρ and any factorisation it recorded.
    public mutating func reset() {
        rho = settings.rho
        workspace = nil
    }

    /// Solves the problem of `op` with the vectors q (n), l and u (m).
    ///
    /// - Parameters:
    ///   - warmStart: a starting (x, y), e.g. the previous MPC step's solution shifted; z starts at Ax.
    ///   - reuseFactorization: when true, and `op` holds the factorisation of this solver's last solve for the
    ///     same per-row ρ, it is not factored again. Pass true only if P and A did not change since.
    /// - Throws: `.dimensionMismatch`/`.invalidProblem` for bad data, `.primalInfeasible`/`.dualInfeasible` with a
    ///   certificate, `.notConverged` at the iteration limit, `.factorizationFailed` from the operator.
    public mutating func solve<Op: QuadraticProgramOperator>(
        _ op: inout Op, q: [Double], l: [Double], u: [Double],
        warmStart: (x: [Double], y: [Double])? = nil, reuseFactorization: Bool = false
    ) throws(ControlError) -> QPSolution {
        try settings.validate()
        let n = op.variableCount, m = op.constraintCount
        try Self.validate(n: n, m: m, q: q, l: l, u: u, warmStart: warmStart)
        if workspace == nil || workspace!.n != n || workspace!.m != m || !isKnownUniquelyReferenced(&workspace) {
            workspace = QPWorkspace(n: n, m: m)
        }
        let w = workspace!
        for j in 0..<n { w.q[j] = q[j] }
        for i in 0..<m { (w.l[i], w.u[i]) = (l[i], u[i]) }
        if let start = warmStart {
            for j in 0..<n { w.x[j] = start.x[j] }
            for i in 0..<m { w.y[i] = start.y[i] }
        } else {
            for j in 0..<n { w.x[j] = 0 }
            for i in 0..<m { w.y[i] = 0 }
        }
        op.multiplyA(UnsafeBufferPointer(w.x), into: w.z)
        for i in 0..<m { w.z[i] = min(max(w.z[i], w.l[i]), w.u[i]) }

        setRowRho(w)
        if !(reuseFactorization && w.factoredSigma == settings.sigma && w.rowRhoMatchesFactored()) {
            try refactor(&op, w)
        }
        return try iterate(&op, w)
    }

    /// The ADMM loop of Algorithm 1, with residual, certificate and ρ checks every `checkInterval` iterations.
    private mutating func iterate<Op: QuadraticProgramOperator>(_ op: inout Op, _ w: QPWorkspace)
        throws(ControlError) -> QPSolution {
        let n = w.n, m = w.m, s = settings
        let alpha = s.alpha, sigma = s.sigma
        var lastRhoUpdate = 0
        var residuals = Residuals(primal: .infinity, dual: .infinity, primalScale: 0, dualScale: 0)
        for k in 1...s.maxIterations {
            let check = k % s.checkInterval == 0 || k == s.maxIterations
            if check {
                for j in 0..<n { w.xPrev[j] = w.x[j] }
                for i in 0..<m { w.yPrev[i] = w.y[i] }
            }
            // x̃ = K⁻¹(σxᵏ − q + Aᵀ(ρzᵏ − yᵏ)), z̃ = Ax̃.
            for i in 0..<m { w.workM[i] = w.rowRho[i] * w.z[i] - w.y[i] }
            op.multiplyAT(UnsafeBufferPointer(w.workM), into: w.xTilde)
            for j in 0..<n { w.xTilde[j] += sigma * w.x[j] - w.q[j] }
            op.solve(w.xTilde)
            op.multiplyA(UnsafeBufferPointer(w.xTilde), into: w.zTilde)
            for j in 0..<n { w.x[j] = alpha * w.xTilde[j] + (1 - alpha) * w.x[j] }
            for i in 0..<m {
                let relaxed = alpha * w.zTilde[i] + (1 - alpha) * w.z[i]
                let projected = min(max(relaxed + w.y[i] / w.rowRho[i], w.l[i]), w.u[i])
                w.y[i] += w.rowRho[i] * (relaxed - projected)
                w.z[i] = projected
            }
            guard check else { continue }

            residuals = computeResiduals(op, w)
            let epsPrimal = s.epsAbs + s.epsRel * residuals.primalScale
            let epsDual = s.epsAbs + s.epsRel * residuals.dualScale
            if residuals.primal <= epsPrimal && residuals.dual <= epsDual {
                var objective = 0.0
                for j in 0..<n { objective += 0.5 * w.x[j] * w.px[j] + w.q[j] * w.x[j] }
                return QPSolution(x: Array(w.x), y: Array(w.y), iterations: k, primalResidual: residuals.primal,
                                  dualResidual: residuals.dual, objective: objective, rho: rho)
            }
            try checkPrimalInfeasibility(op, w, iteration: k)
            try checkDualInfeasibility(op, w, iteration: k)

            if s.adaptiveRho && k - lastRhoUpdate >= s.adaptiveRhoInterval && k < s.maxIterations {
                // §5.2: ρ ← ρ √((‖r_prim‖/scale_prim) / (‖r_dual‖/scale_dual)), refactoring on a large change.
                let tiny = 1e-30
                let ratio = (residuals.primal / (residuals.primalScale + tiny))
                    / (residuals.dual / (residuals.dualScale + tiny) + tiny)
                let proposed = min(max(rho * ratio.squareRoot(), s.rhoMin), s.rhoMax)
                if proposed.isFinite && (proposed > rho * s.adaptiveRhoTolerance || proposed < rho / s.adaptiveRhoTolerance) {
                    rho = proposed
                    setRowRho(w)
                    try refactor(&op, w)
                    lastRhoUpdate = k
                }
            }
        }
        throw .notConverged(iterations: s.maxIterations, primalResidual: residuals.primal, dualResidual: residuals.dual)
    }

    /// The residuals of §3.4 and the norms their relative tolerances scale with.
    struct Residuals {
        var primal, dual, primalScale, dualScale: Double
    }

    /// r_prim = ‖Ax − z‖∞, r_dual = ‖Px + q + Aᵀy‖∞; leaves Ax, Px and Aᵀy in the workspace.
    private func computeResiduals<Op: QuadraticProgramOperator>(_ op: Op, _ w: QPWorkspace) -> Residuals {
        op.multiplyA(UnsafeBufferPointer(w.x), into: w.ax)
        op.multiplyP(UnsafeBufferPointer(w.x), into: w.px)
        op.multiplyAT(UnsafeBufferPointer(w.y), into: w.aty)
        var r = Residuals(primal: 0, dual: 0, primalScale: 0, dualScale: 0)
        for i in 0..<w.m {
            r.primal = max(r.primal, abs(w.ax[i] - w.z[i]))
            r.primalScale = max(r.primalScale, abs(w.ax[i]), abs(w.z[i]))
        }
        for j in 0..<w.n {
            r.dual = max(r.dual, abs(w.px[j] + w.q[j] + w.aty[j]))
            r.dualScale = max(r.dualScale, abs(w.px[j]), abs(w.aty[j]), abs(w.q[j]))
        }
        return r
    }

    /// Per-row ρ (§5.2): ρ·`equalityRhoScale` for equalities, `rhoMin` for rows without finite bounds.
    private func setRowRho(_ w: QPWorkspace) {
        for i in 0..<w.m {
            if w.l[i] == w.u[i] { w.rowRho[i] = rho * settings.equalityRhoScale }
            else if w.l[i] == -.infinity && w.u[i] == .infinity { w.rowRho[i] = settings.rhoMin }
            else { w.rowRho[i] = rho }
        }
    }

    private func refactor<Op: QuadraticProgramOperator>(_ op: inout Op, _ w: QPWorkspace) throws(ControlError) {
        w.factoredSigma = .nan
        try op.factor(sigma: settings.sigma, rho: UnsafeBufferPointer(w.rowRho))
        for i in 0..<w.m { w.factoredRho[i] = w.rowRho[i] }
        w.factoredSigma = settings.sigma
    }

    private static func validate(n: Int, m: Int, q: [Double], l: [Double], u: [Double],
                                 warmStart: (x: [Double], y: [Double])?) throws(ControlError) {
        guard n > 0 else { throw .dimensionMismatch("the problem has no variables") }
        guard q.count == n else { throw .dimensionMismatch("q has \(q.count) entries, the problem \(n) variables") }
        guard l.count == m, u.count == m else {
            throw .dimensionMismatch("l and u have \(l.count) and \(u.count) entries, A has \(m) rows")
        }
        guard q.allSatisfy(\.isFinite) else { throw .invalidProblem("q has non-finite entries") }
        for i in 0..<m where l[i].isNaN || u[i].isNaN || l[i] > u[i] || l[i] == .infinity || u[i] == -.infinity {
            throw .invalidProblem("row \(i): bounds [\(l[i]), \(u[i])] are empty or not numbers")
        }
        if let start = warmStart {
            guard start.x.count == n, start.y.count == m else {
                throw .dimensionMismatch("warm start has \(start.x.count) x and \(start.y.count) y entries, need \(n) and \(m)")
            }
            guard start.x.allSatisfy(\.isFinite), start.y.allSatisfy(\.isFinite) else {
                throw .invalidProblem("the warm start has non-finite entries")
            }
        }
    }
}

/// The solver's preallocated vectors, carved from one allocation; freed with the workspace.
final class QPWorkspace {
    let n: Int, m: Int
    private let storage: UnsafeMutableBufferPointer<Double>
    let x, xTilde, xPrev, px, aty, q, workN, workN2: UnsafeMutableBufferPointer<Double>
    let z, zTilde, y, yPrev, ax, l, u, rowRho, factoredRho, workM: UnsafeMutableBufferPointer<Double>
    /// σ of the factorisation the operator holds; NaN when none is known.
    var factoredSigma = Double.nan

    init(n: Int, m: Int) {
        self.n = n
        self.m = m
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, 8 * n + 10 * m))
        buffer.initialize(repeating: 0)
        storage = buffer
        var offset = 0
        func carve(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            defer { offset += count }
            return UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + count)])
        }
        (x, xTilde, xPrev, px, aty, q, workN, workN2) = (carve(n), carve(n), carve(n), carve(n), carve(n), carve(n), carve(n), carve(n))
        (z, zTilde, y, yPrev, ax) = (carve(m), carve(m), carve(m), carve(m), carve(m))
        (l, u, rowRho, factoredRho, workM) = (carve(m), carve(m), carve(m), carve(m), carve(m))
    }

    deinit { storage.deallocate() }

    func rowRhoMatchesFactored() -> Bool {
        for i in 0..<m where rowRho[i] != factoredRho[i] { return false }
        return true
    }
}
