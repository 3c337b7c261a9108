import LinearAlgebra

extension QPSolver {
    /// Solves a dense problem with ADMM (``solve(_:q:l:u:warmStart:reuseFactorization:)``), then **polishes** the
    /// result as OSQP does (Stellato et al. 2020, "Solution polishing"): it guesses the active constraints from the
    /// ADMM iterate — row i at its lower bound when zᵢ − lᵢ < −yᵢ, at its upper bound when uᵢ − zᵢ < yᵢ — and solves
    /// the equality-constrained problem on them exactly,
    /// ```
    /// [P + δI   A_aᵀ] [x  ]   [−q ]
    /// [A_a      −δI ] [y_a] = [b_a]       (b_a the active bounds),
    /// ```
    /// with iterative refinement against δ = 0. The polished point is kept when it is primal and dual feasible to
    /// the settings' tolerances with duals of the right sign; otherwise the ADMM solution is returned as it is.
    ///
    /// ADMM on a linear programme converges slowly to high accuracy, and may stop at its iteration limit near the
    /// optimum; a correct active-set guess then gives the vertex to machine precision. So a `.notConverged` ADMM
    /// run is polished too, and only rethrown when polishing fails.
    public mutating func solvePolished(_ op: inout DenseQuadraticProgram, q: [Double], l: [Double], u: [Double],
                                       delta: Double = 1e-6, refinements: Int = 5) throws(ControlError) -> QPSolution {
        var admm: QPSolution?, stopped: ControlError?
        do { admm = try solve(&op, q: q, l: l, u: u) } catch {
            guard case .notConverged = error else { throw error }
            stopped = error
        }
        let w = workspace!
        let guess = (x: Array(w.x), y: Array(w.y), z: Array(w.z))
        if let polished = Self.polish(op, q: q, l: l, u: u, guess: guess, delta: delta, refinements: refinements,
                                      settings: settings, iterations: admm?.iterations ?? settings.maxIterations, rho: rho) {
            return polished
        }
        if let admm { return admm }
        throw stopped!
    }

    private static func polish(_ op: DenseQuadraticProgram, q: [Double], l: [Double], u: [Double],
                               guess: (x: [Double], y: [Double], z: [Double]), delta: Double, refinements: Int,
                               settings: QPSettings, iterations: Int, rho: Double) -> QPSolution? {
        let n = op.variableCount, m = op.constraintCount
        var active: [(row: Int, bound: Double)] = []
        for i in 0..<m {
            if guess.z[i] - l[i] < -guess.y[i] { active.append((i, l[i])) }
            else if u[i] - guess.z[i] < guess.y[i] { active.append((i, u[i])) }
        }
        let size = n + active.count
        // The KKT matrix without and with the regularisation δ.
        var exact = Matrix<Double>(rows: size, columns: size)
        for i in 0..<n { for j in 0..<n { exact[i, j] = op.P[i, j] } }
        for (k, a) in active.enumerated() {
            for j in 0..<n { exact[n + k, j] = op.A[a.row, j]; exact[j, n + k] = op.A[a.row, j] }
        }
        var regularised = exact
        for i in 0..<size { regularised[i, i] += i < n ? delta : -delta }
        let rhs = q.map { -$0 } + active.map(\.bound)
        guard rhs.allSatisfy(\.isFinite), let factor = try? LU.Factorization(regularised),
              var solution = try? factor.solve(rhs) else { return nil }
        for _ in 0..<refinements {
            var residual = rhs
            for i in 0..<size { for j in 0..<size { residual[i] -= exact[i, j] * solution[j] } }
            guard let step = try? factor.solve(residual) else { return nil }
            for i in 0..<size { solution[i] += step[i] }
        }
        let x = Array(solution[0..<n])
        var y = [Double](repeating: 0, count: m)
        for (k, a) in active.enumerated() { y[a.row] = solution[n + k] }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return nil }

        // Feasibility and optimality to the ADMM's tolerances (§3.4), and dual signs.
        var primal = 0.0, primalScale = 0.0, dual = 0.0, dualScale = 0.0, objective = 0.0
        for i in 0..<m {
            var ax = 0.0
            for j in 0..<n { ax += op.A[i, j] * x[j] }
            primal = max(primal, ax - u[i], l[i] - ax)
            primalScale = max(primalScale, abs(ax))
        }
        for j in 0..<n {
            var px = 0.0, aty = 0.0
            for k in 0..<n { px += op.P[j, k] * x[k] }
            for i in 0..<m where y[i] != 0 { aty += op.A[i, j] * y[i] }
            dual = max(dual, abs(px + q[j] + aty))
            dualScale = max(dualScale, abs(px), abs(aty), abs(q[j]))
            objective += 0.5 * x[j] * px + q[j] * x[j]
        }
        // A multiplier of the wrong sign means a wrong guess: that constraint would rather be released.
        let epsDual = settings.epsAbs + settings.epsRel * dualScale
        for (k, a) in active.enumerated() where l[a.row] != u[a.row] {
            let atLower = a.bound == l[a.row], value = solution[n + k]
            if (atLower && value > epsDual) || (!atLower && value < -epsDual) { return nil }
        }
        guard primal <= settings.epsAbs + settings.epsRel * primalScale, dual <= epsDual else { return nil }
        return QPSolution(x: x, y: y, iterations: iterations, primalResidual: max(primal, 0), dualResidual: dual,
                          objective: objective, rho: rho)
    }
}
