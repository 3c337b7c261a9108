/// A failure reported by a LAPACK routine, carrying its `info` code.
///
/// `info < 0`: argument −info had an illegal value (a bug in the caller).
/// `info > 0`: the routine's own numerical failure — a singular pivot, a matrix that
/// is not positive definite, no convergence, or a rank-deficient least-squares problem.
public struct LAPACKError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The routine that failed, e.g. `gesv`.
    public let routine: String
    /// LAPACK's `info`.
    public let info: Int

    public init(routine: String, info: Int) {
        self.routine = routine
        self.info = info
    }

    public var description: String {
        if info < 0 { return "\(routine): argument \(-info) had an illegal value (info = \(info))" }
        let i = info
        switch routine {
        case "gesv", "getrf", "gbtrf", "gbsv":
            return "\(routine): matrix is singular (U[\(i),\(i)] is exactly zero, info = \(i))"
        case "potrf", "potrs":
            return "\(routine): matrix is not positive definite (leading minor of order \(i) is not positive, info = \(i))"
        case "syevd":
            return "\(routine): eigenvalue algorithm failed to converge (info = \(i))"
        case "gels":
            return "\(routine): matrix does not have full rank (diagonal element \(i) of the triangular factor is zero, info = \(i))"
        case "gtsv", "tridiagonal":
            return "\(routine): zero pivot at row \(i); the tridiagonal system is singular or needs pivoting (info = \(i))"
        default:
            return "\(routine): failed with info = \(i)"
        }
    }

    /// Throws unless `info` is 0.
    @inlinable
    static func check(_ info: Int32, _ routine: String) throws(LAPACKError) {
        if info != 0 { throw LAPACKError(routine: routine, info: Int(info)) }
    }
}
