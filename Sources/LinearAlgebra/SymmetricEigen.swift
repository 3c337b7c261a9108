/// Eigendecomposition of a real symmetric matrix by divide and conquer (`syevd`).
///
/// ```
/// A = V·diag(λ)·Vᵀ,   VᵀV = I,   λ₁ ≤ λ₂ ≤ … ≤ λₙ
/// ```
public enum SymmetricEigen {
    /// The eigenvalues in ascending order, and the matching orthonormal eigenvectors
    /// as the columns of `vectors` (`syevd`). Only `triangle` of `a` is read.
    ///
    /// Each eigenvector's sign is LAPACK's choice. Throws if the algorithm does not converge.
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

    /// The eigenvalues alone, in ascending order (`syevd` without vectors).
    public static func eigenvalues<T: LAPACKScalar>(_ a: Matrix<T>, triangle: Triangle = .upper)
        throws(LAPACKError) -> [T] {
        checkPrecondition(a.rows == a.columns, "SymmetricEigen: A must be square, got \(a.rows)×\(a.columns)")
        let n = a.rows
        if n == 0 { return [] }
        var v = a.elements
        var w = [T](repeating: 0, count: n)
        let info = T.lapack_syevd(rowMajor, lapackCode("N"), triangle.lapackCode, Int32(n), &v, Int32(n), &w)
        try LAPACKError.check(info, "syevd")
        return w
    }
}
