import Testing
import LinearAlgebra
import SeededRandom
@testable import Control

/// A `QuadraticProgramOperator` that forwards to a dense one and counts factorisations: checks that the solver
/// only uses the protocol, and when it refactors.
struct CountingOperator: QuadraticProgramOperator {
    var base: DenseQuadraticProgram
    var factorizations = 0
    var variableCount: Int { base.variableCount }
    var constraintCount: Int { base.constraintCount }
    func multiplyP(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) { base.multiplyP(x, into: y) }
    func multiplyA(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) { base.multiplyA(x, into: y) }
    func multiplyAT(_ y: UnsafeBufferPointer<Double>, into x: UnsafeMutableBufferPointer<Double>) { base.multiplyAT(y, into: x) }
    mutating func factor(sigma: Double, rho: UnsafeBufferPointer<Double>) throws(ControlError) {
        factorizations += 1
        try base.factor(sigma: sigma, rho: rho)
    }
    func solve(_ r: UnsafeMutableBufferPointer<Double>) { base.solve(r) }
}

/// A structured operator without any matrix: diagonal P and A = I, so K = diag(pᵢ + σ + ρᵢ) is "factored" by
/// storing its inverse diagonal. The shape of the per-pack blocks an MPC operator would use.
struct DiagonalBoxOperator: QuadraticProgramOperator {
    var p: [Double]
    var inverseK: [Double] = []
    var variableCount: Int { p.count }
    var constraintCount: Int { p.count }
    func multiplyP(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) { for i in p.indices { y[i] = p[i] * x[i] } }
    func multiplyA(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) { for i in p.indices { y[i] = x[i] } }
    func multiplyAT(_ y: UnsafeBufferPointer<Double>, into x: UnsafeMutableBufferPointer<Double>) { for i in p.indices { x[i] = y[i] } }
    mutating func factor(sigma: Double, rho: UnsafeBufferPointer<Double>) throws(ControlError) {
        inverseK = p.indices.map { 1 / (p[$0] + sigma + rho[$0]) }
    }
    func solve(_ r: UnsafeMutableBufferPointer<Double>) { for i in p.indices { r[i] *= inverseK[i] } }
}

@Suite("QP solver (OSQP-style ADMM)")
struct QPSolverTests {
    /// Plain-loop products, independent of the BLAS paths of the operator.
    static func product(_ a: Matrix<Double>, _ x: [Double]) -> [Double] {
        (0..<a.rows).map { i in (0..<a.columns).reduce(0.0) { $0 + a[i, $1] * x[$1] } }
    }

    /// The KKT conditions of the returned (x, y): l ≤ Ax ≤ u, Px + q + Aᵀy = 0, and yᵢ > 0 only at uᵢ, yᵢ < 0 only
    /// at lᵢ (complementary slackness), each to `tol` relative to the data's size.
    static func checkKKT(_ s: QPSolution, P: Matrix<Double>, A: Matrix<Double>, q: [Double], l: [Double], u: [Double],
                         tol: Double = 1e-4, sourceLocation: SourceLocation = #_sourceLocation) {
        let ax = product(A, s.x), px = product(P, s.x), aty = product(A.transposed, s.y)
        let scale = max(1, s.x.map(abs).max() ?? 0, s.y.map(abs).max() ?? 0)
        for i in 0..<A.rows {
            #expect(ax[i] >= l[i] - tol * scale && ax[i] <= u[i] + tol * scale,
                    "row \(i): Ax = \(ax[i]) outside [\(l[i]), \(u[i])]", sourceLocation: sourceLocation)
            if s.y[i] > tol * scale { #expect(abs(ax[i] - u[i]) <= tol * scale, "row \(i): y > 0 off the upper bound", sourceLocation: sourceLocation) }
            if s.y[i] < -tol * scale { #expect(abs(ax[i] - l[i]) <= tol * scale, "row \(i): y < 0 off the lower bound", sourceLocation: sourceLocation) }
        }
        for j in 0..<P.rows {
            #expect(abs(px[j] + q[j] + aty[j]) <= tol * scale, "stationarity row \(j): \(px[j] + q[j] + aty[j])",
                    sourceLocation: sourceLocation)
        }
        let objective = zip(s.x, px).reduce(0.0) { $0 + 0.5 * $1.0 * $1.1 } + zip(q, s.x).reduce(0.0) { $0 + $1.0 * $1.1 }
        #expect(abs(objective - s.objective) <= 1e-9 * max(1, abs(objective)), sourceLocation: sourceLocation)
    }

    /// A random symmetric positive-definite n×n matrix MᵀM/n + I·shift.
    static func randomSPD(_ n: Int, shift: Double, _ rng: inout Xoshiro256StarStar) -> Matrix<Double> {
        var m = Matrix<Double>(rows: n, columns: n)
        for i in 0..<n { for j in 0..<n { m[i, j] = rng.nextStandardNormal() } }
        var p = m.transposed.multiplied(by: m)
        for i in 0..<n { for j in 0..<n { p[i, j] /= Double(n) } ; p[i, i] += shift }
        for i in 0..<n { for j in 0..<i { p[i, j] = p[j, i] } }
        return p
    }

    @Test("OSQP's README example: x = (0.3, 0.7), objective 1.88")
    func readmeExample() throws {
        let P = Matrix<Double>([[4, 1], [1, 2]]), A = Matrix<Double>([[1, 1], [1, 0], [0, 1]])
        let q = [1.0, 1], l = [1.0, 0, 0], u = [1.0, 0.7, 0.7]
        var op = try DenseQuadraticProgram(P: P, A: A)
        var solver = QPSolver()
        let s = try solver.solve(&op, q: q, l: l, u: u)
        print("QP README example: \(s.iterations) iterations, x = \(s.x), objective \(s.objective)")
        #expect(abs(s.x[0] - 0.3) < 1e-4 && abs(s.x[1] - 0.7) < 1e-4)
        #expect(abs(s.objective - 1.88) < 1e-4)
        #expect(s.primalResidual <= 1e-4 && s.dualResidual <= 1e-4)
        Self.checkKKT(s, P: P, A: A, q: q, l: l, u: u)
    }

    @Test("equality-constrained QP matches the direct solution of its KKT system", arguments: [1, 2, 3] as [UInt64])
    func equalityConstrained(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        let n = 12, p = 4
        let P = Self.randomSPD(n, shift: 0.5, &rng)
        var A = Matrix<Double>(rows: p, columns: n)
        for i in 0..<p { for j in 0..<n { A[i, j] = rng.nextStandardNormal() } }
        let q = (0..<n).map { _ in rng.nextStandardNormal() }, b = (0..<p).map { _ in rng.nextStandardNormal() }
        // [P Aᵀ; A 0] [x; y] = [−q; b].
        var kkt = Matrix<Double>(rows: n + p, columns: n + p)
        for i in 0..<n { for j in 0..<n { kkt[i, j] = P[i, j] } }
        for i in 0..<p { for j in 0..<n { kkt[n + i, j] = A[i, j]; kkt[j, n + i] = A[i, j] } }
        let direct = try LU.solve(kkt, q.map { -$0 } + b)
        var op = try DenseQuadraticProgram(P: P, A: A)
        var solver = QPSolver()
        let s = try solver.solve(&op, q: q, l: b, u: b)
        print("QP equality-constrained (n = \(n), p = \(p), seed \(seed)): \(s.iterations) iterations")
        for j in 0..<n { #expect(abs(s.x[j] - direct[j]) <= 1e-4 * max(1, abs(direct[j]))) }
        for i in 0..<p { #expect(abs(s.y[i] - direct[n + i]) <= 1e-3 * max(1, abs(direct[n + i]))) }
        Self.checkKKT(s, P: P, A: A, q: q, l: b, u: b)
    }

    @Test("box-constrained QP is a fixed point of the projected gradient step", arguments: [4, 5, 6] as [UInt64])
    func boxConstrained(seed: UInt64) throws {
        var rng = Xoshiro256StarStar(seed: seed)
        let n = 10
        let P = Self.randomSPD(n, shift: 0.1, &rng), A = Matrix<Double>.identity(n)
        let q = (0..<n).map { _ in 3 * rng.nextStandardNormal() }
        let l = [Double](repeating: -1, count: n), u = [Double](repeating: 1, count: n)
        var op = try DenseQuadraticProgram(P: P, A: A)
        var solver = QPSolver()
        let s = try solver.solve(&op, q: q, l: l, u: u)
        print("QP box-constrained (n = \(n), seed \(seed)): \(s.iterations) iterations, \(s.x.filter { abs($0) > 1 - 1e-4 }.count) at a bound")
        let gradient = zip(Self.product(P, s.x), q).map { $0 + $1 }
        for j in 0..<n {
            let step = min(max(s.x[j] - gradient[j], l[j]), u[j])
            #expect(abs(step - s.x[j]) <= 1e-4, "variable \(j): projected gradient moves \(step - s.x[j])")
        }
        #expect(s.x.contains { abs($0) > 1 - 1e-4 }, "the test should have active bounds")
        Self.checkKKT(s, P: P, A: A, q: q, l: l, u: u)
    }

    @Test("LP (P = 0) reaches its vertex: max x₁ + x₂ with x₁ + 2x₂ ≤ 4, 3x₁ + x₂ ≤ 6, x ≥ 0 → (1.6, 1.2)")
    func linearProgram() throws {
        let P = Matrix<Double>(rows: 2, columns: 2), A = Matrix<Double>([[1, 2], [3, 1], [1, 0], [0, 1]])
        let q = [-1.0, -1], l: [Double] = [-.infinity, -.infinity, 0, 0], u = [4.0, 6, .infinity, .infinity]
        var op = try DenseQuadraticProgram(P: P, A: A)
        var solver = QPSolver()
        let s = try solver.solve(&op, q: q, l: l, u: u)
        print("QP LP vertex: \(s.iterations) iterations, x = \(s.x), y = \(s.y)")
        #expect(abs(s.x[0] - 1.6) < 1e-3 && abs(s.x[1] - 1.2) < 1e-3)
        #expect(abs(s.objective + 2.8) < 1e-3)
        // Dual of the two binding rows: y = (0.4, 0.2) solves Aᵀ_B y = −q.
        #expect(abs(s.y[0] - 0.4) < 1e-3 && abs(s.y[1] - 0.2) < 1e-3)
        Self.checkKKT(s, P: P, A: A, q: q, l: l, u: u, tol: 1e-3)
    }

    @Test("polishing takes a stopped LP run to the exact vertex, and keeps the ADMM answer when its guess is wrong")
    func polishedLinearProgram() throws {
        let P = Matrix<Double>(rows: 2, columns: 2), A = Matrix<Double>([[1, 2], [3, 1], [1, 0], [0, 1]])
        let q = [-1.0, -1], l: [Double] = [-.infinity, -.infinity, 0, 0], u = [4.0, 6, .infinity, .infinity]
        var op = try DenseQuadraticProgram(P: P, A: A)
        var settings = QPSettings()
        settings.epsAbs = 1e-10; settings.epsRel = 1e-10; settings.maxIterations = 60
        var plain = QPSolver(settings: settings)
        #expect(throws: ControlError.self) { _ = try plain.solve(&op, q: q, l: l, u: u) }
        var solver = QPSolver(settings: settings)
        let s = try solver.solvePolished(&op, q: q, l: l, u: u)
        #expect(abs(s.x[0] - 1.6) < 1e-9 && abs(s.x[1] - 1.2) < 1e-9, "\(s.x)")
        #expect(abs(s.y[0] - 0.4) < 1e-9 && abs(s.y[1] - 0.2) < 1e-9 && s.y[2] == 0 && s.y[3] == 0, "\(s.y)")
        Self.checkKKT(s, P: P, A: A, q: q, l: l, u: u, tol: 1e-9)
        // Three iterations leave the iterate far from the vertex: no correct guess, so the limit is reported.
        settings.maxIterations = 3
        var early = QPSolver(settings: settings)
        #expect(throws: ControlError.self) { _ = try early.solvePolished(&op, q: q, l: l, u: u) }
    }

    @Test("primal infeasible: x ≥ 1 and x ≤ 0")
    func primalInfeasible() throws {
        var op = try DenseQuadraticProgram(P: Matrix([[1]]), A: Matrix([[1], [1]]))
        var solver = QPSolver()
        #expect {
            _ = try solver.solve(&op, q: [0], l: [1, -.infinity], u: [.infinity, 0])
        } throws: { error in
            guard case let .primalInfeasible(message) = error as? ControlError else { return false }
            print("QP primalInfeasible: \(message)")
            return true
        }
        // Two-sided rows: x₁ + x₂ ∈ [2, 3] and x₁ + x₂ ∈ [−1, 0].
        var op2 = try DenseQuadraticProgram(P: Matrix.identity(2), A: Matrix([[1, 1], [1, 1], [1, 0]]))
        #expect {
            _ = try solver.solve(&op2, q: [1, -1], l: [2, -1, -5], u: [3, 0, 5])
        } throws: { error in
            guard case let .primalInfeasible(message) = error as? ControlError else { return false }
            print("QP primalInfeasible: \(message)")
            return true
        }
    }

    @Test("dual infeasible: an LP unbounded below")
    func dualInfeasible() throws {
        // minimise −x₁ + x₂ with x₁ ≥ 0, x₂ ∈ [0, 1]: x₁ → +∞ drives the cost to −∞.
        var op = try DenseQuadraticProgram(P: Matrix<Double>(rows: 2, columns: 2), A: Matrix([[1, 0], [0, 1]]))
        var solver = QPSolver()
        #expect {
            _ = try solver.solve(&op, q: [-1, 1], l: [0, 0], u: [.infinity, 1])
        } throws: { error in
            guard case let .dualInfeasible(message) = error as? ControlError else { return false }
            print("QP dualInfeasible: \(message)")
            return true
        }
        // A QP whose P is singular along the unbounded direction: ½x₁² − x₂ with x₁ ∈ [−1, 1] and x₂ free.
        var op2 = try DenseQuadraticProgram(P: Matrix([[1, 0], [0, 0]]), A: Matrix([[1, 0]]))
        #expect {
            _ = try solver.solve(&op2, q: [0, -1], l: [-1], u: [1])
        } throws: { error in
            guard case let .dualInfeasible(message) = error as? ControlError else { return false }
            print("QP dualInfeasible: \(message)")
            return true
        }
    }

    @Test("warm start on a perturbed problem needs far fewer iterations and no refactorisation")
    func warmStart() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        let n = 30, mBox = n, mEq = 3
        let P = Self.randomSPD(n, shift: 0.2, &rng)
        var A = Matrix<Double>(rows: mBox + mEq, columns: n)
        for j in 0..<n { A[j, j] = 1 }
        for i in 0..<mEq { for j in 0..<n { A[mBox + i, j] = rng.nextUniform(in: 0, 1) } }
        let q = (0..<n).map { _ in 2 * rng.nextStandardNormal() }
        let l = [Double](repeating: -1, count: mBox) + [1, 0, -1], u = [Double](repeating: 1, count: mBox) + [1, 0, -1]
        var op = CountingOperator(base: try DenseQuadraticProgram(P: P, A: A))
        var solver = QPSolver()
        let first = try solver.solve(&op, q: q, l: l, u: u)
        // The next "MPC step": the cost moves by 1 %.
        let q2 = q.map { $0 * 1.01 + 0.01 * rng.nextStandardNormal() }
        let factorsBefore = op.factorizations
        let warm = try solver.solve(&op, q: q2, l: l, u: u, warmStart: (first.x, first.y), reuseFactorization: true)
        let warmFactors = op.factorizations - factorsBefore
        var coldOp = CountingOperator(base: try DenseQuadraticProgram(P: P, A: A))
        var coldSolver = QPSolver()
        let cold = try coldSolver.solve(&coldOp, q: q2, l: l, u: u)
        print("QP warm start (n = \(n), m = \(mBox + mEq)): first \(first.iterations) iterations (\(factorsBefore) factorisations), cold \(cold.iterations) (\(coldOp.factorizations)), warm \(warm.iterations) (\(warmFactors))")
        #expect(warm.iterations * 2 <= cold.iterations)
        #expect(warmFactors < coldOp.factorizations)
        Self.checkKKT(warm, P: P, A: A, q: q2, l: l, u: u)
        Self.checkKKT(cold, P: P, A: A, q: q2, l: l, u: u)
        for j in 0..<n { #expect(abs(warm.x[j] - cold.x[j]) <= 1e-3) }
    }

    @Test("a structured operator (diagonal K) gives the dense operator's solution, which is the clamped minimiser")
    func structuredOperator() throws {
        var rng = Xoshiro256StarStar(seed: 21)
        let n = 50
        let p = (0..<n).map { _ in rng.nextUniform(in: 0.1, 2) }, q = (0..<n).map { _ in 2 * rng.nextStandardNormal() }
        let l = (0..<n).map { _ in rng.nextUniform(in: -1, 0) }, u = (0..<n).map { _ in rng.nextUniform(in: 0, 1) }
        var diagonal = DiagonalBoxOperator(p: p)
        var solver = QPSolver()
        let s = try solver.solve(&diagonal, q: q, l: l, u: u)
        var P = Matrix<Double>(rows: n, columns: n)
        for i in 0..<n { P[i, i] = p[i] }
        var dense = try DenseQuadraticProgram(P: P, A: Matrix.identity(n))
        var denseSolver = QPSolver()
        let d = try denseSolver.solve(&dense, q: q, l: l, u: u)
        print("QP diagonal operator (n = \(n)): \(s.iterations) iterations, dense \(d.iterations)")
        for i in 0..<n {
            let exact = min(max(-q[i] / p[i], l[i]), u[i])   // separable: each coordinate clamps its own minimiser
            #expect(abs(s.x[i] - exact) <= 1e-4 && abs(d.x[i] - exact) <= 1e-4)
        }
        Self.checkKKT(s, P: P, A: Matrix.identity(n), q: q, l: l, u: u)
    }

    @Test("a larger random QP (n = 200, m = 220): KKT and time per iteration")
    func largerProblem() throws {
        var rng = Xoshiro256StarStar(seed: 31)
        let n = 200, mEq = 20
        let P = Self.randomSPD(n, shift: 0.05, &rng)
        var A = Matrix<Double>(rows: n + mEq, columns: n)
        for j in 0..<n { A[j, j] = 1 }
        for i in 0..<mEq { for j in 0..<n where rng.nextUnitDouble() < 0.2 { A[n + i, j] = rng.nextStandardNormal() } }
        let q = (0..<n).map { _ in 5 * rng.nextStandardNormal() }
        let l = [Double](repeating: -1, count: n) + (0..<mEq).map { _ in rng.nextUniform(in: -0.5, 0.5) }
        let u = [Double](repeating: 1, count: n) + l[n...]
        var op = CountingOperator(base: try DenseQuadraticProgram(P: P, A: A))
        var solver = QPSolver()
        let clock = ContinuousClock()
        var s: QPSolution?
        let elapsed = try clock.measure { s = try solver.solve(&op, q: q, l: l, u: u) }
        let solution = try #require(s)
        print("QP n = \(n), m = \(n + mEq): \(solution.iterations) iterations, \(op.factorizations) factorisations, \(elapsed) in all")
        Self.checkKKT(solution, P: P, A: A, q: q, l: l, u: u, tol: 2e-4)
    }

    @Test("the iteration limit throws notConverged with the last residuals")
    func iterationLimit() throws {
        var op = try DenseQuadraticProgram(P: Matrix([[4, 1], [1, 2]]), A: Matrix([[1, 1], [1, 0], [0, 1]]))
        var settings = QPSettings()
        settings.maxIterations = 3
        var solver = QPSolver(settings: settings)
        #expect {
            _ = try solver.solve(&op, q: [1, 1], l: [1, 0, 0], u: [1, 0.7, 0.7])
        } throws: { error in
            guard case let .notConverged(k, p, d) = error as? ControlError else { return false }
            return k == 3 && p.isFinite && d.isFinite && max(p, d) > 1e-5
        }
    }

    @Test("bad sizes and data throw typed errors")
    func typedErrors() throws {
        #expect(throws: ControlError.self) { try DenseQuadraticProgram(P: Matrix(rows: 2, columns: 3), A: Matrix(rows: 1, columns: 2)) }
        #expect(throws: ControlError.dimensionMismatch("A has 3 columns, P is 2×2")) {
            try DenseQuadraticProgram(P: Matrix.identity(2), A: Matrix(rows: 1, columns: 3))
        }
        #expect(throws: ControlError.invalidProblem("P has non-finite entries")) {
            try DenseQuadraticProgram(P: Matrix([[1, 0], [0, .nan]]), A: Matrix(rows: 1, columns: 2))
        }
        #expect(throws: ControlError.invalidProblem("A has non-finite entries")) {
            try DenseQuadraticProgram(P: Matrix.identity(2), A: Matrix([[1, .infinity]]))
        }
        #expect { try DenseQuadraticProgram(P: Matrix([[1, 1], [0, 1]]), A: Matrix([[1, 0]])) } throws: { error in
            guard case let .invalidProblem(message) = error as? ControlError else { return false }
            return message.contains("symmetric")
        }
        #expect { try DenseQuadraticProgram(P: Matrix([[1, 0], [0, -1]]), A: Matrix([[1, 0]])) } throws: { error in
            guard case let .invalidProblem(message) = error as? ControlError else { return false }
            return message.contains("semidefinite")
        }
        var op = try DenseQuadraticProgram(P: Matrix.identity(2), A: Matrix([[1, 0]]))
        var solver = QPSolver()
        #expect(throws: ControlError.dimensionMismatch("q has 3 entries, the problem 2 variables")) {
            try solver.solve(&op, q: [1, 2, 3], l: [0], u: [1])
        }
        #expect(throws: ControlError.dimensionMismatch("l and u have 2 and 1 entries, A has 1 rows")) {
            try solver.solve(&op, q: [1, 2], l: [0, 0], u: [1])
        }
        #expect(throws: ControlError.invalidProblem("q has non-finite entries")) {
            try solver.solve(&op, q: [1, .nan], l: [0], u: [1])
        }
        #expect(throws: ControlError.self) { try solver.solve(&op, q: [1, 2], l: [2], u: [1]) }
        #expect(throws: ControlError.self) { try solver.solve(&op, q: [1, 2], l: [.nan], u: [1]) }
        #expect(throws: ControlError.self) { try solver.solve(&op, q: [1, 2], l: [0], u: [1], warmStart: ([0], [0])) }
        #expect(throws: ControlError.self) { try solver.solve(&op, q: [1, 2], l: [0], u: [1], warmStart: ([0, .infinity], [0])) }
        var bad = QPSettings()
        bad.alpha = 2
        var badSolver = QPSolver(settings: bad)
        #expect(throws: ControlError.self) { try badSolver.solve(&op, q: [1, 2], l: [0], u: [1]) }
        // After the failures the solver still solves: min ½‖x‖² + x₁ + 2x₂ with 0 ≤ x₁ ≤ 1 → x = (0, −2).
        let s = try solver.solve(&op, q: [1, 2], l: [0], u: [1])
        #expect(abs(s.x[0]) < 1e-4 && abs(s.x[1] + 2) < 1e-4)
    }
}
