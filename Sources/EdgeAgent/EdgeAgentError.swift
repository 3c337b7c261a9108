import MQTT

/// Why an edge agent cannot be built or run. Every case names the bad value.
public enum EdgeAgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A site or device name that is not 1–64 of `[A-Za-z0-9_-]` (or a device called `coordinator`).
    case invalidName(field: String, value: String)
    /// A numeric setting outside its range.
    case invalidSetting(name: String, value: Double, expected: String)
    /// The pack cannot be chosen or built: unknown preset, index beyond the fleet, bad spec, model failure.
    case pack(String)
    /// The initial policy file cannot be read or is refused by the runtime.
    case policy(path: String, reason: String)
    /// The MQTT client failed to start.
    case mqtt(MQTTError)
    /// ``EdgeAgent/run(onTelemetry:)`` was called while the agent is already running.
    case alreadyRunning

    public var description: String {
        switch self {
        case let .invalidName(field, value):
            "invalid \(field) name \"\(value)\": expected 1–64 characters of A–Z, a–z, 0–9, _ and -"
                + (field == "device" && value == "coordinator" ? " (\"coordinator\" is reserved)" : "")
        case let .invalidSetting(name, value, expected): "\(name) = \(value): expected \(expected)"
        case let .pack(detail): "pack: \(detail)"
        case let .policy(path, reason): "policy file \(path): \(reason)"
        case let .mqtt(error): "MQTT: \(error)"
        case .alreadyRunning: "the edge agent is already running"
        }
    }
}
