import Control
import MQTT
import PolicyFormat
import RunLog

/// Why the coordinator could not start or could not do what it was asked. Every case names the bad value.
public enum CoordinatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value out of range or malformed (names the setting and the value).
    case invalidConfiguration(String)
    /// A `.pbp` file the edge runtime refuses, or one made for another environment or observation layout.
    case invalidPolicy(String)
    /// The MQTT client failed (connect, subscribe, publish).
    case mqtt(MQTTError)
    /// The HDF5 archive could not be created or written.
    case archive(String)
    /// The metrics endpoint could not listen (names the port and the system's reason).
    case metricsServer(String)
    /// An allocator failed on the present fleet (names the allocator and the solver's message).
    case allocation(String)

    public var description: String {
        switch self {
        case let .invalidConfiguration(detail): "invalid coordinator configuration: \(detail)"
        case let .invalidPolicy(detail): "unusable policy: \(detail)"
        case let .mqtt(error): "MQTT: \(error)"
        case let .archive(detail): "telemetry archive: \(detail)"
        case let .metricsServer(detail): "metrics endpoint: \(detail)"
        case let .allocation(detail): "allocation failed: \(detail)"
        }
    }

    init(_ error: RunLogError) { self = .archive("\(error)") }
    init(_ error: ControlError, allocator: String) { self = .allocation("\(allocator): \(error)") }
}
