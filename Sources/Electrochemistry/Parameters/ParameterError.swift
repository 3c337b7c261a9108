/// An error in a parameter set: a missing, non-finite or out-of-range value, or a file that could not be read
/// or parsed. Every case names the offending parameter, file or byte offset, so that a command-line tool can
/// print ``description`` and exit.
public enum ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The parameter `name` is not in the set.
    case missing(name: String)
    /// The parameter `name` is NaN or infinite.
    case nonFinite(name: String, value: Double)
    /// The parameter `name` has `value` outside the physically sensible range described by `expected`.
    case outOfRange(name: String, value: Double, expected: String)
    /// The parameter `name` has the wrong kind: e.g. a function where a number was expected, or a function
    /// with the wrong number of arguments.
    case wrongKind(name: String, expected: String)
    /// A JSON document (`source` is a path or a description) is malformed at byte `offset`.
    case invalidJSON(source: String, offset: Int, reason: String)
    /// A JSON document is well formed but does not have the expected structure; `path` locates the bad value.
    case invalidFormat(source: String, path: String, reason: String)
    /// A function of `x` given as an expression string could not be parsed.
    case invalidExpression(name: String, expression: String, offset: Int, reason: String)
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// No built-in parameter set has this name.
    case unknownParameterSet(name: String, known: [String])

    public var description: String {
        switch self {
        case let .missing(name):
            return "parameter \"\(name)\" is missing"
        case let .nonFinite(name, value):
            return "parameter \"\(name)\" is not finite (\(value))"
        case let .outOfRange(name, value, expected):
            return "parameter \"\(name)\" = \(value) is out of range: expected \(expected)"
        case let .wrongKind(name, expected):
            return "parameter \"\(name)\" has the wrong kind: expected \(expected)"
        case let .invalidJSON(source, offset, reason):
            return "\(source): malformed JSON at byte \(offset): \(reason)"
        case let .invalidFormat(source, path, reason):
            return "\(source): \(path): \(reason)"
        case let .invalidExpression(name, expression, offset, reason):
            return "parameter \"\(name)\": cannot parse expression \"\(expression)\" at offset \(offset): \(reason)"
        case let .unreadableFile(path, reason):
            return "cannot read \"\(path)\": \(reason)"
        case let .unknownParameterSet(name, known):
            return "unknown parameter set \"\(name)\" (known: \(known.joined(separator: ", ")))"
        }
    }
}
