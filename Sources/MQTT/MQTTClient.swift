import CMosquitto
import Glibc
import Synchronization

/// A connection state change, in order, on ``MQTTClient/events``.
public enum MQTTEvent: Sendable, Equatable {
    /// The broker accepted the connection (after a first connect or a reconnect); subscriptions are renewed.
    case connected
    /// The connection closed: `expected` after ``MQTTClient/disconnect()``, otherwise the library reconnects.
    case disconnected(expected: Bool, reason: String)
    /// The broker refused the connection (bad credentials, protocol).
    case refused(code: Int32, reason: String)
}

/// An MQTT client on libmosquitto's network thread.
///
/// Messages arrive on ``messages`` (an `AsyncStream`), or — for high rates — on a handler called on the
/// library's thread. The client connects in the background and reconnects with exponential backoff after a lost
/// connection or a broker restart, renewing its subscriptions each time. QoS-1 publications made while
/// disconnected are queued by the library and sent on reconnect.
public final class MQTTClient: Sendable {
    public let options: MQTTOptions
    /// Received messages (empty when a handler was given).
    public let messages: AsyncStream<MQTTMessage>
    /// Connection events.
    public let events: AsyncStream<MQTTEvent>

    /// State shared with libmosquitto's callbacks (which get it as their userdata).
    final class Shared: Sendable {
        struct State {
            var connected = false
            var disconnecting = false
            var subscriptions: [String: QoS] = [:]
            /// QoS-1 publications awaiting the broker's acknowledgement.
            var inflight = Set<Int32>()
            /// Publish callbacks that arrived before `publish` had registered their message, and QoS-0 messages
            /// registered before their callback: the two orders of a race between the threads.
            var earlyCallbacks = Set<Int32>(), sentQoS0 = Set<Int32>()
            var connections = 0
        }
        let state = Mutex(State())
        let messageContinuation: AsyncStream<MQTTMessage>.Continuation
        let eventContinuation: AsyncStream<MQTTEvent>.Continuation
        let handler: (@Sendable (MQTTMessage) -> Void)?

        func registerPublication(_ mid: Int32, qos: QoS) {
            state.withLock { s in
                if s.earlyCallbacks.remove(mid) != nil { return }
                if qos == .atLeastOnce { s.inflight.insert(mid) } else { s.sentQoS0.insert(mid) }
            }
        }

        /// The publish callback: QoS 1 acknowledged, or QoS 0 written.
        func published(_ mid: Int32) {
            state.withLock { s in
                if s.inflight.remove(mid) == nil && s.sentQoS0.remove(mid) == nil { s.earlyCallbacks.insert(mid) }
            }
        }

        init(messages: AsyncStream<MQTTMessage>.Continuation, events: AsyncStream<MQTTEvent>.Continuation,
             handler: (@Sendable (MQTTMessage) -> Void)?) {
            messageContinuation = messages; eventContinuation = events; self.handler = handler
        }
    }

    private let shared: Shared
    private let handle: Handle

    /// Wraps the `struct mosquitto *`, which libmosquitto makes safe to use from several threads once its
    /// loop thread runs.
    /// The object is destroyed with the last reference, so a retry task that holds the handle never sees it freed.
    private final class Handle: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { mosquitto_destroy(pointer) }
    }

    /// A client with `options`; nothing is sent until ``connect()``. With `onMessage`, messages are delivered
    /// to it on the library's thread instead of to ``messages``.
    public init(options: MQTTOptions, onMessage: (@Sendable (MQTTMessage) -> Void)? = nil) throws(MQTTError) {
        try options.validate()
        MQTTLibrary.initialise()
        self.options = options
        let (messages, messageContinuation) = AsyncStream<MQTTMessage>.makeStream()
        let (events, eventContinuation) = AsyncStream<MQTTEvent>.makeStream()
        self.messages = messages; self.events = events
        if onMessage != nil { messageContinuation.finish() }
        shared = Shared(messages: messageContinuation, events: eventContinuation, handler: onMessage)
        let userdata = Unmanaged.passUnretained(shared).toOpaque()
        guard let pointer = mosquitto_new(options.clientID, true, userdata) else {
            throw .library(operation: "mosquitto_new", code: -1, message: "out of memory or invalid client id")
        }
        // Configured before `handle` completes the instance: a failure here destroys the library's object once,
        // and deinit (which runs only for a fully initialised instance) does not destroy it again.
        do {
            try Self.configure(pointer, options)
        } catch {
            mosquitto_destroy(pointer)
            throw error
        }
        handle = Handle(pointer)
        MQTTCallbacks.install(on: pointer)
    }

    private static func configure(_ m: OpaquePointer, _ options: MQTTOptions) throws(MQTTError) {
        try MQTTError.check(mosquitto_int_option(m, MOSQ_OPT_SEND_MAXIMUM, Int32(options.maxInflight)), "setting the in-flight maximum")
        try MQTTError.check(mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, options.tcpNoDelay ? 1 : 0), "setting TCP_NODELAY")
        try MQTTError.check(mosquitto_reconnect_delay_set(m, UInt32(options.reconnectDelay), UInt32(options.maxReconnectDelay), true),
                            "setting the reconnect delay")
        if let will = options.will {
            try MQTTError.check(mosquitto_will_set(m, will.topic, Int32(will.payload.count), will.payload, will.qos.rawValue, will.retain),
                                "setting the will on \(will.topic)")
        }
        if let username = options.username {
            try MQTTError.check(mosquitto_username_pw_set(m, username, options.password), "setting the credentials")
        }
        if let tls = options.tls {
            try MQTTError.check(mosquitto_tls_set(m, tls.caFile, tls.caDirectory, tls.certificateFile, tls.keyFile, nil),
                                "setting TLS (CA \(tls.caFile ?? tls.caDirectory ?? "-"))")
            try MQTTError.check(mosquitto_tls_insecure_set(m, tls.insecure), "setting TLS host checking")
        }
    }

    deinit {
        shared.state.withLock { $0.disconnecting = true }
        _ = mosquitto_disconnect(handle.pointer)
        _ = mosquitto_loop_stop(handle.pointer, true)
        shared.messageContinuation.finish()
        shared.eventContinuation.finish()
    }

    /// Starts the network thread and the connection. Returns at once; ``events`` reports `.connected`. A broker
    /// that is not reachable yet is retried with the same backoff as a lost connection.
    public func connect() throws(MQTTError) {
        shared.state.withLock { $0.disconnecting = false }
        let rc = mosquitto_connect_async(handle.pointer, options.host, Int32(options.port), Int32(options.keepAlive))
        if rc == MOSQ_ERR_ERRNO.rawValue {
            // libmosquitto's loop thread only retries connections it has once made: retry the first one here.
            let handle = handle, shared = shared, options = options
            Task.detached {
                var delay = options.reconnectDelay
                while true {
                    try? await Task.sleep(for: .seconds(delay))
                    // Under the lock, so that a disconnect() cannot slip in between the check and the start (no
                    // network thread exists yet, so no callback can wait on the lock meanwhile).
                    let done = shared.state.withLock { s in
                        if s.disconnecting { return true }
                        let rc = mosquitto_connect_async(handle.pointer, options.host, Int32(options.port), Int32(options.keepAlive))
                        guard rc == MOSQ_ERR_SUCCESS.rawValue else { return false }
                        _ = mosquitto_loop_start(handle.pointer)
                        return true
                    }
                    if done { return }
                    delay = min(delay * 2, options.maxReconnectDelay)
                }
            }
            return
        }
        try MQTTError.check(rc, "connecting to \(options.host):\(options.port)")
        try MQTTError.check(mosquitto_loop_start(handle.pointer), "starting the network thread")
    }

    /// Closes the connection cleanly (the broker does not publish the will) and stops the network thread once
    /// queued messages are written.
    public func disconnect() {
        shared.state.withLock { $0.disconnecting = true }
        _ = mosquitto_disconnect(handle.pointer)
        _ = mosquitto_loop_stop(handle.pointer, false)
    }

    /// Drops the connection without a DISCONNECT and stops the network thread for good, as a crash or a cut
    /// cable would: the broker publishes the will. For fault drills and tests; the client cannot be reused.
    public func abandon() {
        shared.state.withLock { $0.disconnecting = true }
        let fd = mosquitto_socket(handle.pointer)
        if fd >= 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        _ = mosquitto_loop_stop(handle.pointer, true)
        shared.state.withLock { $0.connected = false }
    }

    /// Whether the broker has accepted the connection and it has not been lost since.
    public var isConnected: Bool { shared.state.withLock { $0.connected } }

    /// Connections accepted so far (1 after the first, +1 per reconnect).
    public var connectionCount: Int { shared.state.withLock { $0.connections } }

    /// Subscribes to `filter` now (if connected) and after every reconnect.
    public func subscribe(_ filter: String, qos: QoS = .atLeastOnce) throws(MQTTError) {
        guard mosquitto_sub_topic_check(filter) == MOSQ_ERR_SUCCESS.rawValue else { throw .invalidTopic(filter) }
        let connected = shared.state.withLock { s in
            s.subscriptions[filter] = qos
            return s.connected
        }
        guard connected else { return }
        let rc = mosquitto_subscribe(handle.pointer, nil, filter, qos.rawValue)
        if rc != MOSQ_ERR_NO_CONN.rawValue { try MQTTError.check(rc, "subscribing to \(filter)") }
    }

    /// Publishes `payload` on `topic`. QoS-1 messages are resent until acknowledged, across reconnects.
    /// Throws ``MQTTError/notConnected`` for QoS 0 while disconnected (the message would be lost).
    @discardableResult
    public func publish(_ topic: String, _ payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = false) throws(MQTTError) -> Int32 {
        var mid: Int32 = 0
        // libmosquitto's own locks are taken inside the call and around its callbacks: holding ours across the call
        // would invert the lock order against the publish callback.
        let rc = payload.withUnsafeBytes { bytes in
            mosquitto_publish(handle.pointer, &mid, topic, Int32(bytes.count), bytes.baseAddress, qos.rawValue, retain)
        }
        if rc == MOSQ_ERR_SUCCESS.rawValue { shared.registerPublication(mid, qos: qos) }
        if rc == MOSQ_ERR_INVAL.rawValue, mosquitto_pub_topic_check(topic) != MOSQ_ERR_SUCCESS.rawValue { throw .invalidTopic(topic) }
        try MQTTError.check(rc, "publishing on \(topic)")
        return mid
    }

    /// QoS-1 publications not yet acknowledged by the broker.
    public var unacknowledged: Int { shared.state.withLock { $0.inflight.count } }

    /// Waits until every QoS-1 publication so far is acknowledged.
    public func flush(timeout seconds: Double) async throws(MQTTError) {
        try await MQTTClient.poll(timeout: seconds, what: "\(unacknowledged) unacknowledged publications") { unacknowledged == 0 }
    }

    /// Waits until the broker has accepted the connection.
    public func waitUntilConnected(timeout seconds: Double) async throws(MQTTError) {
        try await MQTTClient.poll(timeout: seconds, what: "the connection to \(options.host):\(options.port)") { isConnected }
    }

    /// Polls `done` every 5 ms until it holds; throws ``MQTTError/timeout(_:)`` after `seconds`.
    public static func waitUntil(timeout seconds: Double, _ done: () -> Bool) async throws(MQTTError) {
        try await poll(timeout: seconds, what: "a condition", until: done)
    }

    static func poll(timeout seconds: Double, what: String, until done: () -> Bool) async throws(MQTTError) {
        let clock = ContinuousClock(), deadline = clock.now + .milliseconds(Int64(seconds * 1000))
        while !done() {
            guard clock.now < deadline else { throw .timeout(what) }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
