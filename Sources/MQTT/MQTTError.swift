import CMosquitto

/// Why an MQTT operation failed. Library failures carry libmosquitto's code and its message.
public enum MQTTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A broker address that is not `mqtt://host[:port]` or `mqtts://host[:port]`.
    case invalidBrokerURL(String)
    /// An option out of range (names the option and the value).
    case invalidOption(String)
    /// A topic or filter libmosquitto refuses.
    case invalidTopic(String)
    /// No connection to the broker when one was needed.
    case notConnected
    /// A wait ran out (names what was awaited).
    case timeout(String)
    /// The broker refused the connection (CONNACK return code).
    case connectionRefused(code: Int32, reason: String)
    /// libmosquitto returned an error from `operation`.
    case library(operation: String, code: Int32, message: String)

    static func check(_ rc: Int32, _ operation: String) throws(MQTTError) {
        guard rc != MOSQ_ERR_SUCCESS.rawValue else { return }
        if rc == MOSQ_ERR_NO_CONN.rawValue { throw .notConnected }
        throw .library(operation: operation, code: rc, message: String(cString: mosquitto_strerror(rc)))
    }

    public var description: String {
        switch self {
        case let .invalidBrokerURL(url): "broker address \"\(url)\" is not mqtt://host[:port] or mqtts://host[:port]"
        case let .invalidOption(detail): "invalid MQTT option: \(detail)"
        case let .invalidTopic(topic): "invalid MQTT topic \"\(topic)\""
        case .notConnected: "not connected to the MQTT broker"
        case let .timeout(what): "timed out waiting for \(what)"
        case let .connectionRefused(code, reason): "the broker refused the connection (\(code)): \(reason)"
        case let .library(operation, code, message): "\(operation) failed (\(code)): \(message)"
        }
    }
}
