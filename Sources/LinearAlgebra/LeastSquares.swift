/// Linear least squares by QR or LQ (`gels`), for A of full rank.
///
/// ```
/// m ≥ n:  x = argmin ‖A·x − b‖₂          (QR; the normal equations AᵀA·x = Aᵀb)
/// m < n:  x = argmin ‖x‖₂ s.t. A·x = b   (LQ; x = Aᵀ(AAᵀ)⁻¹b)
/// ```
/// A rank-deficient A throws `LAPACKError` from `gels` with `info = i` when diagonal
/// element i of the triangular factor R (or L) is zero — exactly, as LAPACK checks, or
/// negligible next to the largest one, since roundoff rarely leaves an exact zero:
/// ```
/// |rᵢᵢ| ≤ max(m, n) · ε · ‖A‖_F        (‖A‖_F ≥ σ_max, the scale of A)
/// ```
/// This is a cheap test on an unpivoted factorisation, not a rank-revealing one: an A
/// that passes it may still be ill-conditioned enough to make x unreliable.
public enum LeastSquares {
    /// The x minimising ‖A·x − b‖₂ for an m×n A with m ≥ n, or the minimum-norm
    /// solution of A·x = b when m < n (`gels`). `b` is m×k; the result is n×k.
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        checkPrecondition(b.rows == a.rows, "LeastSquares: shape mismatch A \(a.rows)×\(a.columns) vs B \(b.rows)×\(b.columns)")
        let (m, n, k) = (a.rows, a.columns, b.columns)
        if m == 0 || n == 0 || k == 0 { return Matrix(rows: n, columns: k) }
        var factors = a.elements
        let scale = factors.withUnsafeBufferPointer { BLAS.nrm2(m * n, $0.baseAddress!) }
        // gels overwrites a max(m, n)×k right-hand side with the solution in its first n rows.
        let rows = max(m, n)
        var x = [T](repeating: 0, count: rows * k)
        for i in 0..<m { for j in 0..<k { x[i * k + j] = b.elements[i * k + j] } }
        let info = T.lapack_gels(rowMajor, lapackCode("N"), Int32(m), Int32(n), Int32(k), &factors, Int32(n),
                                 &x, Int32(k))
        try LAPACKError.check(info, "gels")
        try checkNumericalRank(factors, rows: m, columns: n, scale: scale)
        return Matrix(rows: n, columns: k, elements: Array(x[..<(n * k)]))
    }

    /// Throws `gels`' rank-deficiency error for the first negligible diagonal element of
    /// the triangular factor that `gels` left in `factors` (R for m ≥ n, L for m < n),
    /// relative to `scale` = ‖A‖_F.
    static func checkNumericalRank<T: LAPACKScalar>(_ factors: [T], rows m: Int, columns n: Int,
                                                    scale: T) throws(LAPACKError) {
        let threshold = T(max(m, n)) * T.ulpOfOne * scale
        for i in 0..<min(m, n) where abs(factors[i * n + i]) <= threshold {
            throw LAPACKError(routine: "gels", info: i + 1)
        }
    }

    /// The least-squares (or minimum-norm) solution for one right-hand side (`gels`).
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: [T]) throws(LAPACKError) -> [T] {
        try solve(a, Matrix(rows: b.count, columns: 1, elements: b)).elements
    }
}
