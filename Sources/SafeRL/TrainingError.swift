/// Why a training run could not start or go on.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The config is malformed: an unknown key, a value out of range, a missing required entry.
    case invalidConfig(String)
    /// The policy and the environment do not fit together (observation or action sizes).
    case incompatible(String)
    /// The environment failed during a rollout.
    case environment(String)
    /// A checkpoint could not be read or does not belong to this run.
    case checkpoint(String)
    /// The update produced non-finite numbers.
    case diverged(String)

    public var description: String {
        switch self {
        case let .invalidConfig(m): "invalid config: \(m)"
        case let .incompatible(m): "policy and environment do not fit: \(m)"
        case let .environment(m): "environment error: \(m)"
        case let .checkpoint(m): "checkpoint: \(m)"
        case let .diverged(m): "training diverged: \(m)"
        }
    }
}
