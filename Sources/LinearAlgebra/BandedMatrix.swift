/// A square band matrix with `lower` sub- and `upper` super-diagonals, and its LU
/// factorisation with partial pivoting (`gbtrf`/`gbtrs`).
///
/// Storage is LAPACK's column-major band layout with `lower` extra rows for the
/// fill-in of pivoting, `ldab = 2·lower + upper + 1` values per column:
/// ```
/// A[i, j]  at  band[(lower + upper + i − j) + j·ldab]    for  −upper ≤ i − j ≤ lower
/// ```
/// Column-major is LAPACK's native order, so no transposition happens per call.
///
/// Life cycle, as a Newton solver uses it: fill A through the subscript, `factor()`
/// once, `solve` any number of right-hand sides, then `zero()` and refill for the next
/// iterate. Refilling and refactoring reuse the storage and do not allocate.
public struct BandedMatrix<T: LAPACKScalar>: Sendable {
    /// The order of A.
    public let n: Int
    /// The number of sub-diagonals (LAPACK's `kl`).
    public let lower: Int
    /// The number of super-diagonals (LAPACK's `ku`).
    public let upper: Int
    /// Leading dimension of the band storage: values per column, fill-in rows included.
    public var ldab: Int { 2 * lower + upper + 1 }
    var band: [T]
    var pivots: [Int32]
    /// Whether the storage holds LU factors (after `factor()`) rather than A.
    public private(set) var isFactored = false

    /// A zero n×n band matrix.
    public init(n: Int, lower: Int, upper: Int) {
        checkPrecondition(n >= 0 && lower >= 0 && upper >= 0, "BandedMatrix: invalid n = \(n), lower = \(lower), upper = \(upper)")
        self.n = n
        self.lower = lower
        self.upper = upper
        band = [T](repeating: 0, count: (2 * lower + upper + 1) * n)
        pivots = [Int32](repeating: 0, count: n)
    }

    /// The band of a dense square matrix; entries outside the band must be zero.
    public init(_ a: Matrix<T>, lower: Int, upper: Int) {
        checkPrecondition(a.rows == a.columns, "BandedMatrix: A must be square, got \(a.rows)×\(a.columns)")
        self.init(n: a.rows, lower: lower, upper: upper)
        for i in 0..<n {
            for j in 0..<n {
                let v = a.elements[i * n + j]
                if contains(i, j) {
                    self[i, j] = v
                } else {
                    checkPrecondition(v == 0, "BandedMatrix: A[\(i), \(j)] = \(v) lies outside the band (lower \(lower), upper \(upper))")
                }
            }
        }
    }

    /// Whether (i, j) is inside the band and the matrix.
    public func contains(_ i: Int, _ j: Int) -> Bool {
        i >= 0 && j >= 0 && i < n && j < n && i - j <= lower && j - i <= upper
    }

    /// The element A[i, j] (zero outside the band); settable only inside the band and
    /// before `factor()`. After `factor()` the getter reads U and the multipliers of L.
    public subscript(i: Int, j: Int) -> T {
        get { contains(i, j) ? band[(lower + upper + i - j) + j * ldab] : 0 }
        set {
            checkPrecondition(contains(i, j), "BandedMatrix: [\(i), \(j)] is outside the band (lower \(lower), upper \(upper), n \(n))")
            checkPrecondition(!isFactored, "BandedMatrix: [\(i), \(j)] set after factor(); call zero() before refilling")
            band[(lower + upper + i - j) + j * ldab] = newValue
        }
    }

    /// Sets every element to zero, ready to be refilled (no allocation).
    public mutating func zero() {
        band.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        isFactored = false
    }

    /// The dense n×n copy of A; only before `factor()`.
    public var dense: Matrix<T> {
        checkPrecondition(!isFactored, "BandedMatrix.dense: the storage holds LU factors, not A")
        var a = Matrix<T>(rows: n, columns: n)
        for j in 0..<n {
            for i in max(0, j - upper)..<min(n, j + lower + 1) { a.elements[i * n + j] = self[i, j] }
        }
        return a
    }

    /// The product A·x in O(n·(lower + upper)); only before `factor()` (e.g. for a residual).
    public func multiplied(by x: [T]) -> [T] {
        checkPrecondition(!isFactored, "BandedMatrix.multiplied: the storage holds LU factors, not A")
        checkPrecondition(x.count == n, "BandedMatrix.multiplied: x has \(x.count) values, matrix is \(n)×\(n)")
        var y = [T](repeating: 0, count: n)
        for j in 0..<n {
            let xj = x[j], column = (lower + upper - j) + j * ldab
            for i in max(0, j - upper)..<min(n, j + lower + 1) { y[i] += band[column + i] * xj }
        }
        return y
    }

    /// Factors in place, A = P·L·U (`gbtrf`); throws if a pivot U[i,i] is exactly zero.
    public mutating func factor() throws(LAPACKError) {
        checkPrecondition(!isFactored, "BandedMatrix.factor: already factored; zero() and refill it first")
        if n == 0 { isFactored = true; return }
        let (n32, kl, ku, ld) = (Int32(n), Int32(lower), Int32(upper), Int32(ldab))
        let info = band.withUnsafeMutableBufferPointer { ab in
            pivots.withUnsafeMutableBufferPointer { p in
                T.lapack_gbtrf(columnMajor, n32, n32, kl, ku, ab.baseAddress!, ld, p.baseAddress!)
            }
        }
        // U is complete even when singular; keep the state consistent with the storage.
        isFactored = true
        try LAPACKError.check(info, "gbtrf")
    }

    /// Solves A·x = b in place with the factors (`gbtrs`); `b` holds n values and becomes x.
    public func solve(_ b: UnsafeMutableBufferPointer<T>) throws(LAPACKError) {
        checkPrecondition(b.count == n, "BandedMatrix.solve: right-hand side has \(b.count) values, matrix is \(n)×\(n)")
        try solve(b.baseAddress, columns: 1)
    }

    /// Solves A·x = b with the factors (`gbtrs`), returning x.
    public func solve(_ b: [T]) throws(LAPACKError) -> [T] {
        checkPrecondition(b.count == n, "BandedMatrix.solve: right-hand side has \(b.count) values, matrix is \(n)×\(n)")
        var x = b
        try x.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
            try solve(p.baseAddress, columns: 1)
        }
        return x
    }

    /// Solves A·X = B for the k columns of an n×k B with the factors (`gbtrs`).
    public func solve(_ b: Matrix<T>) throws(LAPACKError) -> Matrix<T> {
        checkPrecondition(b.rows == n, "BandedMatrix.solve: B has \(b.rows) rows, matrix is \(n)×\(n)")
        if b.columns == 1 { return Matrix(rows: n, columns: 1, elements: try solve(b.elements)) }
        var x = b.transposed  // k×n row-major is n×k column-major, gbtrs's layout here
        try x.elements.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
            try solve(p.baseAddress, columns: b.columns)
        }
        return x.transposed
    }

    /// `gbtrs` on `columns` column-major right-hand sides of n values each at `b`.
    private func solve(_ b: UnsafeMutablePointer<T>?, columns: Int) throws(LAPACKError) {
        checkPrecondition(isFactored, "BandedMatrix.solve: call factor() first")
        if n == 0 || columns == 0 { return }
        let info = band.withUnsafeBufferPointer { ab in
            pivots.withUnsafeBufferPointer { p in
                T.lapack_gbtrs(columnMajor, lapackCode("N"), Int32(n), Int32(lower), Int32(upper), Int32(columns),
                               ab.baseAddress!, Int32(ldab), p.baseAddress!, b!, Int32(n))
            }
        }
        try LAPACKError.check(info, "gbtrs")
    }
}
