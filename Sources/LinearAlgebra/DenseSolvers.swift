/// Dense LU (`gesv`, `getrf`/`getrs`) and Cholesky (`potrf`/`potrs`) solves.
public enum LU {
    /// Solves A·X = B by LU with partial pivoting (`gesv`). A is n×n, B is n×k.
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        checkPrecondition(a.rows == a.columns, "LU.solve: A must be square, got \(a.rows)×\(a.columns)")
        checkPrecondition(b.rows == a.rows, "LU.solve: shape mismatch A \(a.rows)×\(a.columns) vs B \(b.rows)×\(b.columns)")
        if a.rows == 0 { return b }
        var factors = a.elements, x = b.elements
        var pivots = [Int32](repeating: 0, count: a.rows)
        let info = T.lapack_gesv(rowMajor, Int32(a.rows), Int32(b.columns), &factors, Int32(max(1, a.columns)),
                                 &pivots, &x, Int32(max(1, b.columns)))
        try LAPACKError.check(info, "gesv")
        return Matrix(rows: b.rows, columns: b.columns, elements: x)
    }

    /// Solves A·x = b for one right-hand side.
    public static func solve<T: LAPACKScalar>(_ a: Matrix<T>, _ b: [T]) throws(LAPACKError) -> [T] {
        try solve(a, Matrix(rows: b.count, columns: 1, elements: b)).elements
    }

    /// The LU factors of a square matrix (`getrf`), reusable for many right-hand sides.
    public struct Factorization<T: LAPACKScalar>: Sendable {
        public let n: Int
        var factors: [T]
        var pivots: [Int32]

        /// Factors A = P·L·U; throws if U has an exactly zero pivot.
        public init(_ a: Matrix<T>) throws(LAPACKError) {
            checkPrecondition(a.rows == a.columns, "LU.Factorization: A must be square, got \(a.rows)×\(a.columns)")
            n = a.rows
            factors = a.elements
            pivots = [Int32](repeating: 0, count: n)
            if n == 0 { return }
            let info = T.lapack_getrf(rowMajor, Int32(n), Int32(n), &factors, Int32(n), &pivots)
            try LAPACKError.check(info, "getrf")
        }

        /// Solves A·X = B (or Aᵀ·X = B) with the stored factors (`getrs`).
        public func solve(_ b: Matrix<T>, transposed: Bool = false) throws(LAPACKError) -> Matrix<T> {
            checkPrecondition(b.rows == n, "LU.Factorization.solve: B has \(b.rows) rows, A is \(n)×\(n)")
            if n == 0 { return b }
            var x = b.elements
            let info = T.lapack_getrs(rowMajor, lapackCode(transposed ? "T" : "N"), Int32(n), Int32(b.columns),
                                      factors, Int32(n), pivots, &x, Int32(max(1, b.columns)))
            try LAPACKError.check(info, "getrs")
            return Matrix(rows: b.rows, columns: b.columns, elements: x)
        }
    }
}

/// Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix.
public struct Cholesky<T: LAPACKScalar>: Sendable {
    public let n: Int
    var factor: [T]

    /// Factors A (`potrf`, lower triangle); throws if A is not positive definite.
    public init(_ a: Matrix<T>) throws(LAPACKError) {
        checkPrecondition(a.rows == a.columns, "Cholesky: A must be square, got \(a.rows)×\(a.columns)")
        n = a.rows
        factor = a.elements
        if n == 0 { return }
        let info = T.lapack_potrf(rowMajor, lapackCode("L"), Int32(n), &factor, Int32(n))
        try LAPACKError.check(info, "potrf")
    }

    /// The lower-triangular factor L.
    public var lower: Matrix<T> {
        var l = Matrix(rows: n, columns: n, elements: factor)
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { l[i, j] = 0 } }
        return l
    }

    /// Solves A·X = B with the factor (`potrs`).
    public func solve(_ b: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        checkPrecondition(b.rows == n, "Cholesky.solve: B has \(b.rows) rows, A is \(n)×\(n)")
        if n == 0 { return b }
        var x = b.elements
        let info = T.lapack_potrs(rowMajor, lapackCode("L"), Int32(n), Int32(b.columns), factor, Int32(n),
                                  &x, Int32(max(1, b.columns)))
        try LAPACKError.check(info, "potrs")
        return Matrix(rows: b.rows, columns: b.columns, elements: x)
    }
}
