/// Environment options (`make(id, options:)`, `reset(seed:options:)`), Gymnasium's kwargs and `options`.
public typealias Options = [String: OptionValue]

/// A value in ``Options``: a number, an integer, a string or a flag.
public enum OptionValue: Sendable, Equatable, CustomStringConvertible, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// Parses a command-line value: an integer, a number, `true`/`false`, else a string.
    public init(parsing text: String) {
        if let i = Int(text) { self = .int(i) }
        else if let d = Double(text) { self = .double(d) }
        else if text == "true" || text == "false" { self = .bool(text == "true") }
        else { self = .string(text) }
    }

    public var description: String {
        switch self {
        case let .int(x): return "\(x)"
        case let .double(x): return "\(x)"
        case let .string(x): return x
        case let .bool(x): return "\(x)"
        }
    }
}

/// Typed reads of options with defaults; an option of the wrong type or range is an error naming it.
extension Dictionary where Key == String, Value == OptionValue {
    public func int(_ name: String, default value: Int, in range: ClosedRange<Int> = Int.min...Int.max)
        throws(GymError) -> Int {
        guard let v = self[name] else { return value }
        guard case let .int(x) = v else { throw .invalidOption(name: name, reason: "expected an integer, got \(v)") }
        guard range.contains(x) else { throw .invalidOption(name: name, reason: "\(x) is outside \(range)") }
        return x
    }

    public func double(_ name: String, default value: Double,
                       in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
        throws(GymError) -> Double {
        guard let v = self[name] else { return value }
        let x: Double
        switch v {
        case let .double(d): x = d
        case let .int(i): x = Double(i)
        default: throw .invalidOption(name: name, reason: "expected a number, got \(v)")
        }
        guard range.contains(x) else { throw .invalidOption(name: name, reason: "\(x) is outside \(range)") }
        return x
    }

    public func string(_ name: String, default value: String, oneOf choices: [String]? = nil) throws(GymError) -> String {
        guard let v = self[name] else { return value }
        guard case let .string(x) = v else { throw .invalidOption(name: name, reason: "expected a string, got \(v)") }
        if let choices, !choices.contains(x) {
            throw .invalidOption(name: name, reason: "'\(x)' is not one of \(choices.joined(separator: ", "))")
        }
        return x
    }

    public func bool(_ name: String, default value: Bool) throws(GymError) -> Bool {
        guard let v = self[name] else { return value }
        guard case let .bool(x) = v else { throw .invalidOption(name: name, reason: "expected true or false, got \(v)") }
        return x
    }

    /// Throws for any key not in `known`, so that a misspelt option is not silently ignored.
    public func checkKnown(_ known: [String]) throws(GymError) {
        for key in keys.sorted() where !known.contains(key) {
            throw .invalidOption(name: key, reason: "unknown option; known: \(known.sorted().joined(separator: ", "))")
        }
    }
}
