/// Eigendecomposition of a real symmetric matrix by divide and conquer (`syevd`).
public enum SymmetricEigen {
    /// The eigenvalues in ascending order, and the matching orthonormal eigenvectors
    /// as the columns of `vectors`. Only `triangle` of `a` is read.
    public static func decompose<T: LAPACKScalar>(_ a: Matrix<T>, triangle: Triangle = .upper)
        throws(LAPACKError) -> (values: [T], vectors: Matrix<T>) {
        checkPrecondition(a.rows == a.columns, "SymmetricEigen: A must be square, got \(a.rows)×\(a.columns)")
        let n = a.rows
        if n == 0 { return ([], a) }
        var v = a.elements
        var w = [T](repeating: 0, count: n)
        let info = T.lapack_syevd(rowMajor, lapackCode("V"), triangle.lapackCode, Int32(n), &v, Int32(n), &w)
        try LAPACKError.check(info, "syevd")
        return (w, Matrix(rows: n, columns: n, elements: v))
    }
}

/// Linear least squares by QR or LQ (`gels`).
public enum LeastSquares {
    /// The x minimising ‖A·x − b‖₂ for an m×n A of full rank with m ≥ n, or the
    /// minimum-norm solution of A·x = b when m < n. `b` is m×k; the result is n×k.
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        checkPrecondition(b.rows == a.rows, "LeastSquares: shape mismatch A \(a.rows)×\(a.columns) vs B \(b.rows)×\(b.columns)")
        let (m, n, k) = (a.rows, a.columns, b.columns)
        if m == 0 || n == 0 { return Matrix(rows: n, columns: k) }
        var factors = a.elements
        // gels overwrites a max(m, n)×k right-hand side with the solution in its first n rows.
        let rows = max(m, n)
        var x = [T](repeating: 0, count: rows * k)
        for i in 0..<m { for j in 0..<k { x[i * k + j] = b[i, j] } }
        let info = T.lapack_gels(rowMajor, lapackCode("N"), Int32(m), Int32(n), Int32(k), &factors, Int32(n),
                                 &x, Int32(max(1, k)))
        try LAPACKError.check(info, "gels")
        return Matrix(rows: n, columns: k, elements: Array(x[..<(n * k)]))
    }

    /// The least-squares solution for one right-hand side.
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: [T]) throws(LAPACKError) -> [T] {
        try solve(a, Matrix(rows: b.count, columns: 1, elements: b)).elements
    }
}

/// The thin QR factorisation A = Q·R (`geqrf` + `orgqr`).
public enum QR {
    /// For an m×n A: Q is m×min(m, n) with orthonormal columns, R is min(m, n)×n upper
    /// triangular. Used for orthogonal initialisation (Saxe et al. 2014, arXiv:1312.6120).
    public static func factor<T: LAPACKScalar>(_ a: Matrix<T>) throws(LAPACKError) -> (q: Matrix<T>, r: Matrix<T>) {
        let (m, n) = (a.rows, a.columns)
        let k = min(m, n)
        if k == 0 { return (Matrix(rows: m, columns: 0), Matrix(rows: 0, columns: n)) }
        var factors = a.elements
        var tau = [T](repeating: 0, count: k)
        try LAPACKError.check(T.lapack_geqrf(rowMajor, Int32(m), Int32(n), &factors, Int32(n), &tau), "geqrf")
        var r = Matrix<T>(rows: k, columns: n)
        for i in 0..<k { for j in i..<n { r[i, j] = factors[i * n + j] } }
        // orgqr builds Q from the reflectors stored below the diagonal of the first k columns.
        var q = [T](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { q[i * k + j] = factors[i * n + j] } }
        try LAPACKError.check(T.lapack_orgqr(rowMajor, Int32(m), Int32(k), Int32(k), &q, Int32(k), tau), "orgqr")
        return (Matrix(rows: m, columns: k, elements: q), r)
    }
}
