/// Errors of the Gym API: bad actions and options, misuse of an environment, unknown ids. Every case names
/// the offending value so that a command-line tool can print ``description`` and exit.
public enum GymError: Error, Sendable, Equatable {
    /// An action that is not in the action space (wrong length, non-finite, out of bounds, not an integer).
    case invalidAction(String)
    /// An option that is unknown, of the wrong type or out of range.
    case invalidOption(name: String, reason: String)
    /// `step` before the first `reset`, or after the episode ended without a `reset`.
    case needsReset(String)
    /// No environment is registered under `id`; `known` lists the registered ids.
    case unknownEnvironment(id: String, known: [String])
    /// An id that is not of the form `Namespace/Name-vN` or `Name-vN`.
    case malformedID(String)
    /// A failure inside the environment's simulation (model error, infeasible drive, …).
    case simulation(String)
    /// A space that cannot exist (low > high, non-finite shape, n ≤ 0).
    case invalidSpace(String)
}

extension GymError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidAction(reason): return "invalid action: \(reason)"
        case let .invalidOption(name, reason): return "invalid option '\(name)': \(reason)"
        case let .needsReset(reason): return "reset needed: \(reason)"
        case let .unknownEnvironment(id, known):
            return "no environment '\(id)'; registered: \(known.joined(separator: ", "))"
        case let .malformedID(id): return "malformed environment id '\(id)' (expected Namespace/Name-vN)"
        case let .simulation(reason): return "simulation failed: \(reason)"
        case let .invalidSpace(reason): return "invalid space: \(reason)"
        }
    }
}
