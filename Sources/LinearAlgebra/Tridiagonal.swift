/// Tridiagonal systems: the Thomas algorithm, and LAPACK's pivoting `gtsv`.
///
/// Row i reads `lower[i-1]·x[i-1] + diagonal[i]·x[i] + upper[i]·x[i+1] = rhs[i]`,
/// with `lower` and `upper` of length n − 1.
public enum Tridiagonal {
    /// Solves in place by the Thomas algorithm (Gaussian elimination without pivoting):
    /// O(n), no allocation — `rhs` becomes x and `scratch` (n − 1 values) holds the
    /// modified super-diagonal. Stable for diagonally dominant or symmetric
    /// positive-definite matrices, which finite-volume diffusion gives; throws on a zero
    /// pivot (use `solvePivoting` for general matrices).
    public static func solve<T: BLASScalar>(lower: UnsafeBufferPointer<T>, diagonal: UnsafeBufferPointer<T>,
                                            upper: UnsafeBufferPointer<T>, rhs: UnsafeMutableBufferPointer<T>,
                                            scratch: UnsafeMutableBufferPointer<T>) throws(LAPACKError) {
        let n = diagonal.count
        checkPrecondition(rhs.count == n && lower.count == max(0, n - 1) && upper.count == max(0, n - 1)
                          && scratch.count >= max(0, n - 1),
                          "Tridiagonal.solve: sizes lower \(lower.count), diagonal \(n), upper \(upper.count), rhs \(rhs.count), scratch \(scratch.count)")
        if n == 0 { return }
        var pivot = diagonal[0]
        if pivot == 0 { throw LAPACKError(routine: "tridiagonal", info: 1) }
        rhs[0] /= pivot
        for i in 1..<n {
            scratch[i - 1] = upper[i - 1] / pivot
            pivot = diagonal[i] - lower[i - 1] * scratch[i - 1]
            if pivot == 0 { throw LAPACKError(routine: "tridiagonal", info: i + 1) }
            rhs[i] = (rhs[i] - lower[i - 1] * rhs[i - 1]) / pivot
        }
        for i in stride(from: n - 2, through: 0, by: -1) { rhs[i] -= scratch[i] * rhs[i + 1] }
    }

    /// Solves by the Thomas algorithm, returning x.
    public static func solve<T: BLASScalar>(lower: [T], diagonal: [T], upper: [T], rhs: [T]) throws(LAPACKError) -> [T] {
        var x = rhs
        var scratch = [T](repeating: 0, count: max(0, diagonal.count - 1))
        try lower.withUnsafeBufferPointer { (l) throws(LAPACKError) in
            try diagonal.withUnsafeBufferPointer { (d) throws(LAPACKError) in
                try upper.withUnsafeBufferPointer { (u) throws(LAPACKError) in
                    try x.withUnsafeMutableBufferPointer { (xb: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
                        try scratch.withUnsafeMutableBufferPointer { (s: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
                            try solve(lower: l, diagonal: d, upper: u, rhs: xb, scratch: s)
                        }
                    }
                }
            }
        }
        return x
    }

    /// Solves with partial pivoting (`gtsv`), for matrices that are not diagonally dominant.
    public static func solvePivoting<T: LAPACKScalar>(lower: [T], diagonal: [T], upper: [T], rhs: [T]) throws(LAPACKError) -> [T] {
        let n = diagonal.count
        checkPrecondition(rhs.count == n && lower.count == max(0, n - 1) && upper.count == max(0, n - 1),
                          "Tridiagonal.solvePivoting: sizes lower \(lower.count), diagonal \(n), upper \(upper.count), rhs \(rhs.count)")
        if n == 0 { return [] }
        var (dl, d, du, x) = (lower, diagonal, upper, rhs)
        if n == 1 { dl = [0]; du = [0] }  // LAPACKE reads these even when n = 1
        try LAPACKError.check(T.lapack_gtsv(columnMajor, Int32(n), 1, &dl, &d, &du, &x, Int32(n)), "gtsv")
        return x
    }
}
