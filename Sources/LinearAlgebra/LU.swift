/// Dense LU with partial pivoting: one-shot solves (`gesv`) and a reusable
/// factorisation (`getrf`, then `getrs` per right-hand side).
///
/// ```
/// A = P·L·U,   A·X = B  ⇔  L·U·X = Pᵀ·B
/// ```
/// A singular A (an exactly zero pivot U[i,i]) throws `LAPACKError` with `info = i`.
public enum LU {
    /// Solves A·X = B by LU with partial pivoting (`gesv`); A is n×n, B is n×k.
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        checkPrecondition(a.rows == a.columns, "LU.solve: A must be square, got \(a.rows)×\(a.columns)")
        checkPrecondition(b.rows == a.rows, "LU.solve: shape mismatch A \(a.rows)×\(a.columns) vs B \(b.rows)×\(b.columns)")
        if a.rows == 0 || b.columns == 0 { return b }
        var factors = a.elements, x = b.elements
        var pivots = [Int32](repeating: 0, count: a.rows)
        let info = T.lapack_gesv(rowMajor, Int32(a.rows), Int32(b.columns), &factors, Int32(a.columns),
                                 &pivots, &x, Int32(b.columns))
        try LAPACKError.check(info, "gesv")
        return Matrix(rows: b.rows, columns: b.columns, elements: x)
    }

    /// Solves A·x = b for one right-hand side (`gesv`).
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: [T]) throws(LAPACKError) -> [T] {
        try solve(a, Matrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// The LU factors of a square matrix (`getrf`), reusable for many right-hand sides.
    public struct Factorization<T: LAPACKScalar>: Sendable {
        /// The order of A.
        public let n: Int
        /// L (unit diagonal, below) and U (on and above the diagonal), row-major.
        var factors: [T]
        /// LAPACK's 1-based row interchanges: row i was swapped with row pivots[i].
        var pivots: [Int32]

        /// Factors A = P·L·U (`getrf`); throws if U has an exactly zero pivot.
        public init(_ a: Matrix<T>) throws(LAPACKError) {
            checkPrecondition(a.rows == a.columns, "LU.Factorization: A must be square, got \(a.rows)×\(a.columns)")
            n = a.rows
            factors = a.elements
            pivots = [Int32](repeating: 0, count: n)
            if n == 0 { return }
            let info = T.lapack_getrf(rowMajor, Int32(n), Int32(n), &factors, Int32(n), &pivots)
            try LAPACKError.check(info, "getrf")
        }

        /// Solves A·X = B, or Aᵀ·X = B when `transposed`, with the stored factors (`getrs`).
        public func solve(_ b: Matrix<T>, transposed: Bool = false) throws(LAPACKError) -> Matrix<T> {
            checkPrecondition(b.rows == n, "LU.Factorization.solve: B has \(b.rows) rows, A is \(n)×\(n)")
            if n == 0 || b.columns == 0 { return b }
            var x = b.elements
            let info = T.lapack_getrs(rowMajor, lapackCode(transposed ? "T" : "N"), Int32(n), Int32(b.columns),
                                      factors, Int32(n), pivots, &x, Int32(b.columns))
            try LAPACKError.check(info, "getrs")
            return Matrix(rows: b.rows, columns: b.columns, elements: x)
        }

        /// Solves A·x = b, or Aᵀ·x = b when `transposed`, for one right-hand side (`getrs`).
        public func solve(_ b: [T], transposed: Bool = false) throws(LAPACKError) -> [T] {
            try solve(Matrix(rows: b.count, columns: 1, elements: b), transposed: transposed).elements
        }
    }
}
