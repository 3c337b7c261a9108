import LinearAlgebra

/// The structure of a quadratic program
/// ```
/// minimise ½ xᵀPx + qᵀx   subject to   l ≤ Ax ≤ u
/// ```
/// as the ADMM solver `QPSolver` sees it: products with P, A and Aᵀ, and solves with the reduced KKT matrix
/// ```
/// K = P + σI + Aᵀ diag(ρ) A
/// ```
/// of OSQP's linear system (Stellato et al., "OSQP: an operator splitting solver for quadratic programs",
/// Math. Prog. Comp. 2020, §3.1: the "reduced" or indirect form of equation (24), obtained by eliminating z̃ and ν
/// from the quasi-definite KKT system). K is symmetric positive definite whenever P is PSD and σ > 0.
///
/// The solver never reads matrix entries, so a structured implementation (a fleet MPC's block-diagonal pack
/// dynamics plus a low-rank power coupling, solved by a Schur complement or Woodbury update) slots in for the
/// dense `DenseQuadraticProgram`. Conformers are used through `inout`, so value types work; `factor` is called
/// once per solve and again only when the solver changes ρ (OSQP's adaptive step, §5.2), while `solve` runs
/// in every iteration and must not allocate.
public protocol QuadraticProgramOperator {
    /// n, the number of variables.
    var variableCount: Int { get }
    /// m, the number of constraint rows of A.
    var constraintCount: Int { get }
    /// y = P x (x has n entries, y has n).
    func multiplyP(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>)
    /// y = A x (x has n entries, y has m).
    func multiplyA(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>)
    /// x = Aᵀ y (y has m entries, x has n).
    func multiplyAT(_ y: UnsafeBufferPointer<Double>, into x: UnsafeMutableBufferPointer<Double>)
    /// Prepares solves with K = P + σI + Aᵀ diag(ρ) A; `rho` has one positive entry per constraint row.
    /// Throws `.factorizationFailed` when K is not positive definite (P not PSD).
    mutating func factor(sigma: Double, rho: UnsafeBufferPointer<Double>) throws(ControlError)
    /// r ← K⁻¹ r with the K of the last `factor`.
    func solve(_ r: UnsafeMutableBufferPointer<Double>)
}

/// A quadratic program with dense P (n×n) and A (m×n), factored by a dense Cholesky factorisation of the
/// reduced matrix K = P + σI + Aᵀ diag(ρ) A (O(n²m + n³) per factorisation, O(n² + nm) per iteration).
///
/// Suited to small problems (tens to a few hundred variables) and as the reference against which structured
/// operators are tested.
public struct DenseQuadraticProgram: QuadraticProgramOperator, Sendable {
    /// The cost matrix, symmetric positive semidefinite.
    public let P: Matrix<Double>
    /// The constraint matrix.
    public let A: Matrix<Double>
    /// The Cholesky factor L of the last K, row-major n×n lower triangle (zeros above the diagonal).
    private var lowerFactor: [Double] = []
    /// Scratch for diag(ρ) A while forming K.
    private var scaledA: [Double] = []

    public var variableCount: Int { P.rows }
    public var constraintCount: Int { A.rows }

    /// Checks the data: P square, A with as many columns as P, all entries finite, P symmetric (to 1e-10 relative)
    /// and positive semidefinite (smallest eigenvalue ≥ −1e-9 relative to the largest magnitude).
    public init(P: Matrix<Double>, A: Matrix<Double>) throws(ControlError) {
        guard P.rows == P.columns else { throw .dimensionMismatch("P must be square, got \(P.rows)×\(P.columns)") }
        guard A.columns == P.rows else {
            throw .dimensionMismatch("A has \(A.columns) columns, P is \(P.rows)×\(P.rows)")
        }
        guard P.elements.allSatisfy(\.isFinite) else { throw .invalidProblem("P has non-finite entries") }
        guard A.elements.allSatisfy(\.isFinite) else { throw .invalidProblem("A has non-finite entries") }
        let n = P.rows
        let scale = P.elements.reduce(0.0) { max($0, abs($1)) }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where abs(P[i, j] - P[j, i]) > 1e-10 * max(1, scale) {
                throw .invalidProblem("P is not symmetric: P[\(i), \(j)] = \(P[i, j]), P[\(j), \(i)] = \(P[j, i])")
            }
        }
        if n > 0 && scale > 0 {
            let smallest: Double
            do { smallest = try SymmetricEigen.eigenvalues(P)[0] } catch {
                throw .invalidProblem("the eigenvalues of P could not be computed: \(error)")
            }
            guard smallest >= -1e-9 * scale else {
                throw .invalidProblem("P is not positive semidefinite (smallest eigenvalue \(smallest))")
            }
        }
        self.P = P
        self.A = A
    }

    public func multiplyP(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        let n = P.rows
        guard n > 0 else { return }
        P.elements.withUnsafeBufferPointer { p in
            BLAS.symv(.upper, n: n, p.baseAddress!, x.baseAddress!, y.baseAddress!)
        }
    }

    public func multiplyA(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        let (m, n) = (A.rows, A.columns)
        guard m > 0 else { return }
        guard n > 0 else { for i in 0..<m { y[i] = 0 }; return }
        A.elements.withUnsafeBufferPointer { a in
            BLAS.gemv(.none, rows: m, cols: n, a.baseAddress!, x.baseAddress!, y.baseAddress!)
        }
    }

    public func multiplyAT(_ y: UnsafeBufferPointer<Double>, into x: UnsafeMutableBufferPointer<Double>) {
        let (m, n) = (A.rows, A.columns)
        guard n > 0 else { return }
        guard m > 0 else { for j in 0..<n { x[j] = 0 }; return }
        A.elements.withUnsafeBufferPointer { a in
            BLAS.gemv(.transpose, rows: m, cols: n, a.baseAddress!, y.baseAddress!, x.baseAddress!)
        }
    }

    /// Forms K = P + σI + Aᵀ diag(ρ) A (one `gemm`) and factors it with `Cholesky` (LAPACK `potrf`).
    public mutating func factor(sigma: Double, rho: UnsafeBufferPointer<Double>) throws(ControlError) {
        let (m, n) = (A.rows, A.columns)
        guard rho.count == m else { throw .dimensionMismatch("ρ has \(rho.count) entries, A has \(m) rows") }
        guard sigma >= 0, sigma.isFinite, rho.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidProblem("σ = \(sigma) and every ρᵢ must be finite, σ ≥ 0 and ρᵢ > 0")
        }
        var k = P
        for i in 0..<n { k[i, i] += sigma }
        if m > 0 && n > 0 {
            if scaledA.count != m * n { scaledA = [Double](repeating: 0, count: m * n) }
            for i in 0..<m { for j in 0..<n { scaledA[i * n + j] = rho[i] * A.elements[i * n + j] } }
            A.elements.withUnsafeBufferPointer { a in
                scaledA.withUnsafeBufferPointer { s in
                    k.elements.withUnsafeMutableBufferPointer { c in
                        BLAS.gemm(.transpose, .none, m: n, n: n, k: m, a.baseAddress!, s.baseAddress!,
                                  beta: 1, c.baseAddress!)
                    }
                }
            }
        }
        do { lowerFactor = try Cholesky(k).lower.elements } catch {
            throw .factorizationFailed("K = P + σI + Aᵀdiag(ρ)A is not positive definite (\(error))")
        }
    }

    /// Forward then backward substitution with L and Lᵀ, in place.
    public func solve(_ r: UnsafeMutableBufferPointer<Double>) {
        lowerFactor.withUnsafeBufferPointer { SmallCholesky.solve($0, order: P.rows, r) }
    }
}
