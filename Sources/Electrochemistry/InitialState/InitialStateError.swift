/// An error in electrode balancing (SoC → stoichiometries): a state of charge outside [0, 1], a parameter
/// problem, an infeasible amount of cyclable lithium, or OCV limits that the open-circuit voltage cannot reach.
/// Every case names the offending values, so that a command-line tool can print ``description`` and exit.
public enum InitialStateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The requested initial state of charge is NaN, infinite or outside [0, 1].
    case stateOfChargeOutOfRange(value: Double)
    /// A parameter needed for balancing is missing, non-finite, of the wrong kind or non-positive.
    case parameter(ParameterError)
    /// The cyclable lithium capacity `capacity` [A.h] lies outside the feasible interval `[lower, upper]` [A.h]
    /// allowed by the electrode capacities and the stoichiometry limits.
    case infeasibleCyclableLithium(capacity: Double, lower: Double, upper: Double)
    /// The OCV equation for `unknown` ("x_100" or "x_0") has no sign change on `[lower, upper]`: the
    /// open-circuit voltage spans `[voltageAtLower, voltageAtUpper]` [V] there and never equals `target` [V].
    case unbracketable(unknown: String, target: Double, lower: Double, upper: Double,
                       voltageAtLower: Double, voltageAtUpper: Double)
    /// The root finder for `unknown` did not converge in `iterations` steps, or met a non-finite OCV at `at`.
    case noConvergence(unknown: String, iterations: Int, at: Double)

    public var description: String {
        switch self {
        case let .stateOfChargeOutOfRange(value):
            return "initial state of charge \(value) is outside [0, 1]"
        case let .parameter(error):
            return "electrode balancing: \(error.description)"
        case let .infeasibleCyclableLithium(capacity, lower, upper):
            return "cyclable lithium capacity \(capacity) A.h is outside the feasible range [\(lower), \(upper)] A.h "
                + "set by the electrode capacities"
        case let .unbracketable(unknown, target, lower, upper, voltageAtLower, voltageAtUpper):
            return "cannot solve for \(unknown): the open-circuit voltage spans [\(voltageAtLower), \(voltageAtUpper)] V "
                + "for \(unknown) in [\(lower), \(upper)] and never reaches the OCV limit \(target) V"
        case let .noConvergence(unknown, iterations, at):
            return "root finder for \(unknown) did not converge after \(iterations) iterations (last iterate \(at))"
        }
    }
}
