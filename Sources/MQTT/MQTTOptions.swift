/// Delivery guarantee of a publication or subscription.
public enum QoS: Int32, Sendable, Comparable {
    /// At most once: fire and forget.
    case atMostOnce = 0
    /// At least once: acknowledged by the broker, resent until it is.
    case atLeastOnce = 1

    public static func < (a: QoS, b: QoS) -> Bool { a.rawValue < b.rawValue }
}

/// One MQTT message, as published or as received.
public struct MQTTMessage: Sendable, Equatable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: QoS
    public var retain: Bool

    public init(topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = false) {
        self.topic = topic; self.payload = payload; self.qos = qos; self.retain = retain
    }
}

/// TLS settings, passed through to libmosquitto (`mosquitto_tls_set`).
public struct MQTTTLSOptions: Sendable, Equatable {
    /// PEM file of trusted CAs, or a directory of them (at least one).
    public var caFile: String?, caDirectory: String?
    /// Client certificate and key (PEM), for brokers that require them.
    public var certificateFile: String?, keyFile: String?
    /// Skip the check of the broker's host name against its certificate (testing only).
    public var insecure: Bool

    public init(caFile: String? = nil, caDirectory: String? = nil, certificateFile: String? = nil,
                keyFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile; self.caDirectory = caDirectory; self.certificateFile = certificateFile
        self.keyFile = keyFile; self.insecure = insecure
    }
}

/// How to reach the broker and behave on the connection.
public struct MQTTOptions: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Unique per connection; the broker drops an older connection with the same id.
    public var clientID: String
    /// Seconds between keepalive pings (5 or more); the broker publishes the will after 1.5 × this of silence.
    public var keepAlive: Int = 10
    /// Published by the broker when this client vanishes without a clean disconnect.
    public var will: MQTTMessage?
    public var username: String?, password: String?
    public var tls: MQTTTLSOptions?
    /// Reconnect backoff [whole seconds, libmosquitto's unit]: the first retry after `reconnectDelay`, then
    /// exponentially longer up to `maxReconnectDelay`.
    public var reconnectDelay: Int = 1, maxReconnectDelay: Int = 8
    /// Unacknowledged QoS-1 publications in flight at once; later ones queue in the client (none are dropped).
    public var maxInflight: Int = 1000
    /// Send small packets at once rather than batching them (Nagle's algorithm off): telemetry and commands are
    /// small and latency matters more than packet count.
    public var tcpNoDelay = true

    public init(host: String = "127.0.0.1", port: Int = 1883, clientID: String) {
        self.host = host; self.port = port; self.clientID = clientID
    }

    /// Options for a broker given as `mqtt://host[:port]` (port 1883) or `mqtts://host[:port]` (port 8883, TLS
    /// with the system's CAs unless `tls` is set later).
    public init(broker url: String, clientID: String) throws(MQTTError) {
        let secure: Bool, rest: Substring
        if url.hasPrefix("mqtt://") { secure = false; rest = url.dropFirst(7) }
        else if url.hasPrefix("mqtts://") { secure = true; rest = url.dropFirst(8) }
        else { throw .invalidBrokerURL(url) }
        let hostPort = rest.hasSuffix("/") ? rest.dropLast() : rest
        var host = String(hostPort), port = secure ? 8883 : 1883
        if let colon = hostPort.lastIndex(of: ":") {
            guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else {
                throw .invalidBrokerURL(url)
            }
            host = String(hostPort[..<colon]); port = p
        }
        guard !host.isEmpty, !host.contains("/") else { throw .invalidBrokerURL(url) }
        self.init(host: host, port: port, clientID: clientID)
        if secure { tls = MQTTTLSOptions(caDirectory: "/etc/ssl/certs") }
    }

    func validate() throws(MQTTError) {
        guard !host.isEmpty else { throw .invalidOption("host is empty") }
        guard (1...65535).contains(port) else { throw .invalidOption("port \(port) is not in 1...65535") }
        guard (5...65535).contains(keepAlive) else { throw .invalidOption("keepalive \(keepAlive) s is not in 5...65535 (libmosquitto's range)") }
        guard !clientID.isEmpty, clientID.utf8.count <= 65535 else { throw .invalidOption("client id must be 1–65535 bytes") }
        guard reconnectDelay > 0, maxReconnectDelay >= reconnectDelay else {
            throw .invalidOption("reconnect delays \(reconnectDelay)…\(maxReconnectDelay) s must be positive and ordered")
        }
        guard (1...65535).contains(maxInflight) else { throw .invalidOption("max in-flight \(maxInflight) is not in 1...65535") }
        if let tls, tls.caFile == nil, tls.caDirectory == nil { throw .invalidOption("TLS needs a CA file or directory") }
    }
}
