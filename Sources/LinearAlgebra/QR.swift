/// The thin QR factorisation A = Q·R (`geqrf` for Householder reflectors, `orgqr`
/// for the explicit Q).
///
/// ```
/// A (m×n) = Q (m×k) · R (k×n),   k = min(m, n),   QᵀQ = I,   R upper triangular
/// ```
/// R's diagonal may have either sign. For a Haar-distributed orthogonal matrix, as
/// orthogonal initialisation needs (Saxe, McClelland & Ganguli 2014, arXiv:1312.6120),
/// factor a Gaussian matrix and multiply each column of Q by the sign of R[j,j]
/// (Mezzadri 2007, arXiv:math-ph/0609050).
public enum QR {
    /// Q with orthonormal columns (m×min(m, n)) and upper-triangular R (min(m, n)×n)
    /// such that Q·R = A.
    ///
    /// Throws only on an illegal argument, which the shape checks rule out; a
    /// rank-deficient A still factors (R then has a zero on its diagonal).
    public static func factor<T: LAPACKScalar>(_ a: Matrix<T>) throws(LAPACKError) -> (q: Matrix<T>, r: Matrix<T>) {
        let (m, n) = (a.rows, a.columns)
        let k = min(m, n)
        if k == 0 { return (Matrix(rows: m, columns: 0), Matrix(rows: 0, columns: n)) }
        var factors = a.elements
        var tau = [T](repeating: 0, count: k)
        try LAPACKError.check(T.lapack_geqrf(rowMajor, Int32(m), Int32(n), &factors, Int32(n), &tau), "geqrf")
        var r = Matrix<T>(rows: k, columns: n)
        for i in 0..<k { for j in i..<n { r.elements[i * n + j] = factors[i * n + j] } }
        // orgqr builds Q from the reflectors stored below the diagonal of the first k columns.
        var q = [T](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { q[i * k + j] = factors[i * n + j] } }
        try LAPACKError.check(T.lapack_orgqr(rowMajor, Int32(m), Int32(k), Int32(k), &q, Int32(k), tau), "orgqr")
        return (Matrix(rows: m, columns: k, elements: q), r)
    }

    /// A matrix with orthonormal columns (m ≥ n) or rows (m < n) spanning the same
    /// space as `a`'s columns or rows, signs fixed so that R's diagonal is non-negative.
    ///
    /// With a standard-normal `a` this is a Haar-distributed (semi-)orthogonal matrix.
    public static func orthonormalized<T: LAPACKScalar>(_ a: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        let wide = a.rows < a.columns
        var (q, r) = try factor(wide ? a.transposed : a)
        for j in 0..<q.columns where r.elements[j * r.columns + j] < 0 {
            for i in 0..<q.rows { q.elements[i * q.columns + j] = -q.elements[i * q.columns + j] }
        }
        return wide ? q.transposed : q
    }
}
