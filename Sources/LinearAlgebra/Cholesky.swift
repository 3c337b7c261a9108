/// Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix
/// (`potrf`), reusable for many right-hand sides (`potrs`).
///
/// Only the lower triangle of A is read. A matrix that is not positive definite
/// throws `LAPACKError` from `potrf` with `info` = the order of the first leading
/// minor that is not positive.
public struct Cholesky<T: LAPACKScalar>: Sendable {
    /// The order of A.
    public let n: Int
    /// L in the lower triangle; the strict upper triangle still holds A's entries.
    var factor: [T]

    /// Factors A = L·Lᵀ (`potrf`, lower triangle); throws if A is not positive definite.
    public init(_ a: Matrix<T>) throws(LAPACKError) {
        checkPrecondition(a.rows == a.columns, "Cholesky: A must be square, got \(a.rows)×\(a.columns)")
        n = a.rows
        factor = a.elements
        if n == 0 { return }
        let info = T.lapack_potrf(rowMajor, lapackCode("L"), Int32(n), &factor, Int32(n))
        try LAPACKError.check(info, "potrf")
    }

    /// The lower-triangular factor L, with zeros above the diagonal.
    public var lower: Matrix<T> {
        var l = Matrix(rows: n, columns: n, elements: factor)
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { l[i, j] = 0 } }
        return l
    }

    /// Solves A·X = B with the factor (`potrs`); B is n×k.
    public func solve(_ b: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        checkPrecondition(b.rows == n, "Cholesky.solve: B has \(b.rows) rows, A is \(n)×\(n)")
        if n == 0 || b.columns == 0 { return b }
        var x = b.elements
        let info = T.lapack_potrs(rowMajor, lapackCode("L"), Int32(n), Int32(b.columns), factor, Int32(n),
                                  &x, Int32(b.columns))
        try LAPACKError.check(info, "potrs")
        return Matrix(rows: b.rows, columns: b.columns, elements: x)
    }

    /// Solves A·x = b for one right-hand side (`potrs`).
    public func solve(_ b: [T]) throws(LAPACKError) -> [T] {
        try solve(Matrix(rows: b.count, columns: 1, elements: b)).elements
    }
}
