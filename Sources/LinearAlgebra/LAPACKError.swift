/// A failure reported by a LAPACK routine (or by the Thomas solver), carrying its `info` code.
///
/// `info < 0`: argument −info had an illegal value (a bug in the caller; the wrappers
/// check shapes first, so this should not happen). `info > 0`: the routine's own
/// numerical failure, 1-based as LAPACK reports it —
///
/// | routine | `info = i > 0` means |
/// | --- | --- |
/// | `gesv`, `getrf`, `gbtrf` | U[i,i] is exactly zero: A is singular |
/// | `potrf` | the leading minor of order i is not positive: A is not positive definite |
/// | `syevd` | the divide-and-conquer eigen-solver did not converge |
/// | `gels` | diagonal element i of the triangular factor is (numerically) zero: A is rank deficient |
/// | `gtsv`, `tridiagonal` | a zero pivot at row i |
public struct LAPACKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The routine that failed, without its type prefix, e.g. `gesv`.
    public let routine: String
    /// LAPACK's `info`: negative for an illegal argument, positive for a numerical failure.
    public let info: Int

    /// An error from `routine` with LAPACK's `info` (nonzero).
    public init(routine: String, info: Int) {
        self.routine = routine
        self.info = info
    }

    /// Whether LAPACK rejected an argument (`info < 0`) rather than failing numerically.
    public var isIllegalArgument: Bool { info < 0 }

    /// A one-line message naming the routine, the failure and `info`.
    public var description: String {
        if info < 0 { return "\(routine): argument \(-info) had an illegal value (info = \(info))" }
        let i = info
        switch routine {
        case "gesv", "getrf", "gbtrf", "gbsv":
            return "\(routine): matrix is singular (U[\(i),\(i)] is exactly zero, info = \(i))"
        case "potrf":
            return "\(routine): matrix is not positive definite (the leading minor of order \(i) is not positive, info = \(i))"
        case "syevd":
            return "\(routine): the eigenvalue algorithm failed to converge (\(i) off-diagonal elements did not reach zero, info = \(i))"
        case "gels":
            return "\(routine): matrix does not have full rank (diagonal element \(i) of the triangular factor is zero or negligible, info = \(i))"
        case "gtsv", "tridiagonal":
            return "\(routine): zero pivot at row \(i); the tridiagonal system is singular or needs pivoting (info = \(i))"
        default:
            return "\(routine): failed with info = \(i)"
        }
    }

    /// Throws a `LAPACKError` for `routine` unless `info` is 0.
    @inlinable
    static func check(_ info: Int32, _ routine: String) throws(LAPACKError) {
        if info != 0 { throw LAPACKError(routine: routine, info: Int(info)) }
    }
}
