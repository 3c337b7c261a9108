/// A square band matrix with `lower` sub- and `upper` super-diagonals, and its LU
/// factorisation with partial pivoting (`gbtrf`/`gbtrs`).
///
/// Storage is LAPACK's column-major band layout with `lower` extra rows for the
/// fill-in of pivoting: A[i, j] lives at `band[(lower + upper + i − j) + j·ldab]`,
/// with `ldab = 2·lower + upper + 1`. Column-major is LAPACK's native order, so no
/// transposition happens per call. Factor once, then solve any number of right-hand
/// sides; refill and refactor in place without allocating (as a Newton solver does).
public struct BandedMatrix<T: LAPACKScalar>: Sendable {
    public let n: Int
    public let lower: Int
    public let upper: Int
    /// Leading dimension of the band storage.
    public var ldab: Int { 2 * lower + upper + 1 }
    var band: [T]
    var pivots: [Int32]
    /// Whether `band` holds LU factors (after `factor()`) rather than A.
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

    /// Whether (i, j) is inside the band.
    public func contains(_ i: Int, _ j: Int) -> Bool { i - j <= lower && j - i <= upper && i >= 0 && j >= 0 && i < n && j < n }

    /// The element A[i, j] (zero outside the band); settable only inside the band.
    public subscript(i: Int, j: Int) -> T {
        get { contains(i, j) ? band[(lower + upper + i - j) + j * ldab] : 0 }
        set {
            checkPrecondition(contains(i, j), "BandedMatrix: [\(i), \(j)] is outside the band (lower \(lower), upper \(upper), n \(n))")
            band[(lower + upper + i - j) + j * ldab] = newValue
        }
    }

    /// Sets every element to zero, ready to be refilled (no allocation).
    public mutating func zero() {
        for k in band.indices { band[k] = 0 }
        isFactored = false
    }

    /// Factors in place, A = P·L·U (`gbtrf`); throws on an exactly zero pivot.
    public mutating func factor() throws(LAPACKError) {
        checkPrecondition(!isFactored, "BandedMatrix.factor: already factored; refill it first")
        if n == 0 { isFactored = true; return }
        let (n32, kl, ku, ld) = (Int32(n), Int32(lower), Int32(upper), Int32(ldab))
        let info = band.withUnsafeMutableBufferPointer { ab in
            pivots.withUnsafeMutableBufferPointer { p in
                T.lapack_gbtrf(columnMajor, n32, n32, kl, ku, ab.baseAddress!, ld, p.baseAddress!)
            }
        }
        try LAPACKError.check(info, "gbtrf")
        isFactored = true
    }

    /// Solves A·x = b in place with the factors (`gbtrs`); `b` holds n values.
    public func solve(_ b: UnsafeMutableBufferPointer<T>) throws(LAPACKError) {
        checkPrecondition(isFactored, "BandedMatrix.solve: call factor() first")
        checkPrecondition(b.count == n, "BandedMatrix.solve: right-hand side has \(b.count) values, matrix is \(n)×\(n)")
        if n == 0 { return }
        let info = band.withUnsafeBufferPointer { ab in
            pivots.withUnsafeBufferPointer { p in
                T.lapack_gbtrs(columnMajor, lapackCode("N"), Int32(n), Int32(lower), Int32(upper), 1,
                               ab.baseAddress!, Int32(ldab), p.baseAddress!, b.baseAddress!, Int32(n))
            }
        }
        try LAPACKError.check(info, "gbtrs")
    }

    /// Solves A·x = b, returning x.
    public func solve(_ b: [T]) throws(LAPACKError) -> [T] {
        var x = b
        try x.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
            try solve(p)
        }
        return x
    }
}
