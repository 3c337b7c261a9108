/// A typed error for experiment steps, experiment files and CSV profiles.
///
/// Every message quotes the offending text and, for files, the path and line.
public enum ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A step string could not be parsed: `part` is the fragment that failed.
    case invalidStep(step: String, part: String, reason: String)
    /// A line of an experiment file could not be parsed (lines count from 1).
    case invalidExperimentLine(source: String, line: Int, step: String, part: String, reason: String)
    /// An experiment file holds no steps.
    case emptyExperiment(source: String)
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A CSV profile is malformed; `line` is `nil` for whole-file problems.
    case invalidProfile(source: String, line: Int?, reason: String)
    /// A profile or step was built from invalid values in code.
    case invalidValue(name: String, value: Double, reason: String)

    public var description: String {
        switch self {
        case let .invalidStep(step, part, reason):
            return "cannot parse experiment step \"\(step)\": \(Self.detail(part: part, reason: reason))"
        case let .invalidExperimentLine(source, line, step, part, reason):
            return "\(source):\(line): cannot parse experiment step \"\(step)\": \(Self.detail(part: part, reason: reason))"
        case let .emptyExperiment(source):
            return "\(source): the experiment has no steps"
        case let .unreadableFile(path, reason):
            return "cannot read \"\(path)\": \(reason)"
        case let .invalidProfile(source, line, reason):
            if let line { return "\(source):\(line): invalid profile: \(reason)" }
            return "\(source): invalid profile: \(reason)"
        case let .invalidValue(name, value, reason):
            return "invalid \(name) \(value): \(reason)"
        }
    }

    private static func detail(part: String, reason: String) -> String {
        part.isEmpty ? reason : "in \"\(part)\": \(reason)"
    }

    /// The same error attributed to line `line` of the experiment file `source`.
    func located(source: String, line: Int) -> ExperimentError {
        switch self {
        case let .invalidStep(step, part, reason):
            return .invalidExperimentLine(source: source, line: line, step: step, part: part, reason: reason)
        default:
            return self
        }
    }
}
