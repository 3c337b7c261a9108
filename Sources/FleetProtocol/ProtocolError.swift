/// Why a message of the fleet protocol was refused. Every case names the bad value.
public enum ProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload is not a JSON object.
    case malformedJSON(String)
    /// `"v"` is a version this build does not speak.
    case unsupportedVersion(Int)
    /// A required field is absent.
    case missingField(String)
    /// A field holds the wrong JSON type (or null).
    case wrongType(field: String, expected: String)
    /// A number outside its allowed range.
    case outOfRange(field: String, value: Double, allowed: String)
    /// A field's value is not one of the allowed words, or fields contradict each other.
    case invalidValue(field: String, reason: String)
    /// The topic is not one of the contract's.
    case badTopic(String)
    /// The payload is larger than the protocol allows.
    case tooLarge(bytes: Int, limit: Int)

    /// The counter this error is tallied under.
    public var reason: RejectionReason {
        switch self {
        case .malformedJSON: .malformed
        case .unsupportedVersion: .version
        case .missingField: .missingField
        case .wrongType: .wrongType
        case .outOfRange: .outOfRange
        case .invalidValue: .invalidValue
        case .badTopic: .badTopic
        case .tooLarge: .tooLarge
        }
    }

    public var description: String {
        switch self {
        case let .malformedJSON(detail): "malformed JSON: \(detail)"
        case let .unsupportedVersion(v): "unsupported protocol version \(v) (this build speaks \(FleetProtocolVersion.current))"
        case let .missingField(field): "missing field \"\(field)\""
        case let .wrongType(field, expected): "field \"\(field)\" is not \(expected)"
        case let .outOfRange(field, value, allowed): "field \"\(field)\" = \(value) is outside \(allowed)"
        case let .invalidValue(field, reason): "field \"\(field)\": \(reason)"
        case let .badTopic(topic): "topic \"\(topic)\" is not a PulseBMS v1 topic"
        case let .tooLarge(bytes, limit): "payload of \(bytes) bytes exceeds the limit of \(limit)"
        }
    }
}

/// The rejection counters: one per kind of refusal.
public enum RejectionReason: String, Sendable, CaseIterable, Hashable {
    case malformed, version, missingField = "missing_field", wrongType = "wrong_type", outOfRange = "out_of_range"
    case invalidValue = "invalid_value", badTopic = "bad_topic", tooLarge = "too_large"
}

/// The protocol version and its limits.
public enum FleetProtocolVersion {
    /// The `"v"` every payload of this build carries and accepts.
    public static let current = 1
    /// Largest JSON payload accepted [bytes] (an allocation for 10,000 devices is ≈ 300 kB).
    public static let maxJSONBytes = 4 << 20
    /// Largest `.pbp` policy payload accepted [bytes].
    public static let maxPolicyBytes = 4 << 20
}
