/// Errors of the `Control` module.
public enum ControlError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Array or matrix sizes that do not fit together.
    case dimensionMismatch(String)
    /// Data the problem cannot have: non-finite values, empty bounds, a matrix that is not positive semidefinite.
    case invalidProblem(String)
    /// No point satisfies the constraints (a primal infeasibility certificate was found).
    case primalInfeasible(String)
    /// The objective is unbounded below on the feasible set (a dual infeasibility certificate was found).
    case dualInfeasible(String)
    /// The solver stopped at its iteration limit before the residuals met the tolerances.
    case notConverged(iterations: Int, primalResidual: Double, dualResidual: Double)
    /// The linear system of the solver could not be factored.
    case factorizationFailed(String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(m): "dimension mismatch: \(m)"
        case let .invalidProblem(m): "invalid problem: \(m)"
        case let .primalInfeasible(m): "primal infeasible: \(m)"
        case let .dualInfeasible(m): "dual infeasible (unbounded): \(m)"
        case let .notConverged(k, p, d): "not converged after \(k) iterations (primal residual \(p), dual residual \(d))"
        case let .factorizationFailed(m): "factorization failed: \(m)"
        }
    }
}
