/// Errors raised while building or integrating a cell model.
public enum ModelError: Error, Sendable, Equatable {
    /// A parameter needed by the model is missing, non-finite or of the wrong kind.
    case parameter(ParameterError)
    /// An initial stoichiometry outside (0, 1).
    case invalidStoichiometry(name: String, value: Double)
    /// A non-positive or non-finite time step [s].
    case invalidTimeStep(dt: Double)
    /// A state or output became NaN or infinite at time `t` [s].
    case nonFinite(variable: String, t: Double)
    /// The tridiagonal solve inside an implicit stage hit a zero pivot at time `t` [s].
    case linearSolveFailed(t: Double)
    /// The fixed-point iteration for the nonlinear electrolyte diffusivity did not converge at time `t` [s].
    case electrolyteIterationDiverged(t: Double)
    /// Newton's method on the implicit or algebraic equations did not converge at time `t` [s].
    case newtonDiverged(t: Double, residualNorm: Double)
    /// Error control shrank the step below the smallest allowed `h` [s] at time `t` [s].
    case stepSizeTooSmall(t: Double, h: Double)
    /// The drive cannot be met by the cell at time `t` [s] (a power above the cell's maximum, a voltage
    /// that needs an unbounded current, a stoichiometry driven out of [0, 1]); `reason` says which.
    case infeasibleDrive(t: Double, reason: String)
    /// A mesh domain with fewer than 2 finite volumes.
    case invalidMesh(domain: String, volumes: Int)
}

extension ModelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .parameter(error): return "model parameter error: \(error)"
        case let .invalidStoichiometry(name, value): return "initial \(name) stoichiometry \(value) is not in (0, 1)"
        case let .invalidTimeStep(dt): return "time step \(dt) s must be positive and finite"
        case let .nonFinite(variable, t): return "\(variable) became non-finite at t = \(t) s"
        case let .linearSolveFailed(t): return "tridiagonal solve failed (zero pivot) at t = \(t) s"
        case let .electrolyteIterationDiverged(t): return "electrolyte fixed-point iteration did not converge at t = \(t) s"
        case let .newtonDiverged(t, norm): return "Newton iteration diverged at t = \(t) s (residual norm \(norm))"
        case let .stepSizeTooSmall(t, h): return "time step fell to \(h) s at t = \(t) s"
        case let .infeasibleDrive(t, reason): return "the drive cannot be met at t = \(t) s: \(reason)"
        case let .invalidMesh(domain, volumes): return "the \(domain) mesh needs at least 2 volumes, not \(volumes)"
        }
    }
}
