import CMosquitto

/// libmosquitto's process-wide setup, done once.
enum MQTTLibrary {
    private static let initialised: Bool = {
        _ = mosquitto_lib_init()
        return true
    }()

    static func initialise() { _ = initialised }
}

/// The C callbacks: each recovers the client's shared state from the userdata and bridges into Swift.
enum MQTTCallbacks {
    static func install(on m: OpaquePointer) {
        mosquitto_connect_callback_set(m) { mosq, userdata, rc in
            let shared = MQTTCallbacks.shared(userdata)
            guard rc == 0 else {
                shared.eventContinuation.yield(.refused(code: rc, reason: String(cString: mosquitto_connack_string(rc))))
                return
            }
            let filters = shared.state.withLock { s in
                s.connected = true
                s.connections += 1
                return s.subscriptions
            }
            for (filter, qos) in filters.sorted(by: { $0.key < $1.key }) {
                _ = mosquitto_subscribe(mosq, nil, filter, qos.rawValue)
            }
            shared.eventContinuation.yield(.connected)
        }
        mosquitto_disconnect_callback_set(m) { _, userdata, rc in
            let shared = MQTTCallbacks.shared(userdata)
            let expected = shared.state.withLock { s in
                s.connected = false
                // QoS-0 messages dropped with the connection never get their callback; forget them, so that a
                // later message reusing their id is not mistaken for one.
                s.sentQoS0.removeAll()
                s.earlyCallbacks.removeAll()
                return s.disconnecting
            }
            let reason = rc == 0 ? "disconnected" : String(cString: mosquitto_strerror(rc))
            shared.eventContinuation.yield(.disconnected(expected: expected, reason: reason))
        }
        mosquitto_publish_callback_set(m) { _, userdata, mid in
            MQTTCallbacks.shared(userdata).published(mid)
        }
        mosquitto_message_callback_set(m) { _, userdata, message in
            guard let message = message?.pointee, let topic = message.topic else { return }
            let shared = MQTTCallbacks.shared(userdata)
            let payload = message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(message.payloadlen))) } ?? []
            let received = MQTTMessage(topic: String(cString: topic), payload: payload,
                                       qos: message.qos >= 1 ? .atLeastOnce : .atMostOnce, retain: message.retain)
            if let handler = shared.handler { handler(received) } else { shared.messageContinuation.yield(received) }
        }
    }

    private static func shared(_ userdata: UnsafeMutableRawPointer?) -> MQTTClient.Shared {
        Unmanaged<MQTTClient.Shared>.fromOpaque(userdata!).takeUnretainedValue()
    }
}
