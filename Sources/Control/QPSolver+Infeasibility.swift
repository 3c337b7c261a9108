/// Infeasibility detection of OSQP (Stellato et al. 2020, §3.4; Banjac, Goulart, Stellato & Boyd, "Infeasibility
/// detection in the alternating direction method of multipliers for convex optimization", JOTA 2019).
///
/// For an infeasible problem the ADMM iterates diverge, but their successive differences δy = yᵏ − yᵏ⁻¹ and
/// δx = xᵏ − xᵏ⁻¹ converge to certificates:
/// - primal infeasibility: δy ≠ 0 with Aᵀδy = 0 and uᵀ(δy)₊ + lᵀ(δy)₋ < 0 (a Farkas certificate: no x has
///   l ≤ Ax ≤ u), tested as ‖Aᵀδy‖∞ ≤ ε‖δy‖∞ and uᵀ(δy)₊ + lᵀ(δy)₋ ≤ −ε‖δy‖∞;
/// - dual infeasibility (unboundedness): δx ≠ 0 with Pδx = 0, qᵀδx < 0 and Aδx in the recession cone of [l, u]
///   (a direction of descent that stays feasible), tested with the same ε‖δx‖∞ slack on every condition.
extension QPSolver {
    /// Throws `.primalInfeasible` when δy = y − y_prev is a certificate; uses `workM` and `workN`.
    func checkPrimalInfeasibility<Op: QuadraticProgramOperator>(_ op: Op, _ w: QPWorkspace, iteration: Int) throws(ControlError) {
        let eps = settings.epsPrimalInfeasible
        var norm = 0.0
        for i in 0..<w.m {
            var d = w.y[i] - w.yPrev[i]
            // Project δy onto the polar of the recession cone of [l, u]: an infinite bound forbids that sign.
            if w.u[i] == .infinity { d = min(d, 0) }
            if w.l[i] == -.infinity { d = max(d, 0) }
            w.workM[i] = d
            norm = max(norm, abs(d))
        }
        guard norm > 1e-30 else { return }
        var support = 0.0
        for i in 0..<w.m {
            let d = w.workM[i]
            if d > 0 { support += w.u[i] * d } else if d < 0 { support += w.l[i] * d }
        }
        guard support <= -eps * norm else { return }
        op.multiplyAT(UnsafeBufferPointer(w.workM), into: w.workN)
        var atNorm = 0.0
        for j in 0..<w.n { atNorm = max(atNorm, abs(w.workN[j])) }
        guard atNorm <= eps * norm else { return }
        throw .primalInfeasible(
            "iteration \(iteration): certificate δy with ‖Aᵀδy‖∞/‖δy‖∞ = \(atNorm / norm), (uᵀδy₊ + lᵀδy₋)/‖δy‖∞ = \(support / norm)")
    }

    /// Throws `.dualInfeasible` when δx = x − x_prev is a certificate; uses `workN`, `workN2` and `workM`.
    func checkDualInfeasibility<Op: QuadraticProgramOperator>(_ op: Op, _ w: QPWorkspace, iteration: Int) throws(ControlError) {
        let eps = settings.epsDualInfeasible
        var norm = 0.0, descent = 0.0
        for j in 0..<w.n {
            let d = w.x[j] - w.xPrev[j]
            w.workN[j] = d
            norm = max(norm, abs(d))
            descent += w.q[j] * d
        }
        guard norm > 1e-30, descent <= -eps * norm else { return }
        op.multiplyP(UnsafeBufferPointer(w.workN), into: w.workN2)
        for j in 0..<w.n where abs(w.workN2[j]) > eps * norm { return }
        op.multiplyA(UnsafeBufferPointer(w.workN), into: w.workM)
        for i in 0..<w.m {
            let a = w.workM[i]
            // Aδx must stay in the recession cone of [l, u]: 0 for a two-sided row, ≤ 0 below a finite u only, …
            if w.u[i] < .infinity && a > eps * norm { return }
            if w.l[i] > -.infinity && a < -eps * norm { return }
        }
        throw .dualInfeasible("iteration \(iteration): certificate δx with qᵀδx/‖δx‖∞ = \(descent / norm), Pδx ≈ 0 and Aδx in the bound cone")
    }
}
