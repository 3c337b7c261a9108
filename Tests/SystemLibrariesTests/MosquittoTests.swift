import CMosquitto
import Foundation
import Testing

/// libmosquitto links, and — with a broker on loopback — a message makes the round trip.
@Suite(.serialized) struct MosquittoTests {
    @Test func libraryVersionIsTwoDotSomething() {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        let number = mosquitto_lib_version(&major, &minor, &revision)
        #expect(major == 2, "expected libmosquitto 2.x, got \(major).\(minor).\(revision)")
        #expect(number == major * 1_000_000 + minor * 1_000 + revision)
    }

    @Test func clientCanBeCreatedAndDestroyed() throws {
        #expect(mosquitto_lib_init() == pulse_mosq_err_success())
        defer { _ = mosquitto_lib_cleanup() }
        let client = try #require(mosquitto_new(nil, true, nil), "mosquitto_new returned NULL")
        mosquitto_destroy(client)
    }

    static let brokerPort = ProcessInfo.processInfo.environment["PULSEBMS_MQTT_PORT"]
    static let onCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false

    /// Publishes at QoS 1 to a broker on 127.0.0.1:$PULSEBMS_MQTT_PORT and receives it back.
    ///
    /// `.ci/run` starts that broker. Without the variable the test is skipped locally, and
    /// fails on CI, where a missing broker means the round trip was never checked.
    @Test(.enabled(if: brokerPort != nil || onCI,
                   "set PULSEBMS_MQTT_PORT to a local mosquitto's port (.ci/run starts one)"))
    func publishAndReceiveThroughBroker() throws {
        guard let portText = Self.brokerPort else {
            Issue.record("CI is set but PULSEBMS_MQTT_PORT is not: start a broker on 127.0.0.1 and export its port")
            return
        }
        let port = try #require(Int32(portText), "PULSEBMS_MQTT_PORT is not a port number: \(portText)")

        #expect(mosquitto_lib_init() == pulse_mosq_err_success())
        defer { _ = mosquitto_lib_cleanup() }
        let state = RoundTripState()
        let userdata = Unmanaged.passUnretained(state).toOpaque()
        let client = try #require(mosquitto_new(nil, true, userdata), "mosquitto_new returned NULL")
        defer { mosquitto_destroy(client) }

        mosquitto_connect_callback_set(client) { _, userdata, rc in
            let state = Unmanaged<RoundTripState>.fromOpaque(userdata!).takeUnretainedValue()
            state.connectResult = rc
        }
        mosquitto_subscribe_callback_set(client) { _, userdata, _, count, granted in
            let state = Unmanaged<RoundTripState>.fromOpaque(userdata!).takeUnretainedValue()
            state.grantedQoS = count > 0 ? granted?[0] : nil
        }
        mosquitto_message_callback_set(client) { _, userdata, message in
            let state = Unmanaged<RoundTripState>.fromOpaque(userdata!).takeUnretainedValue()
            guard let message = message?.pointee, let topic = message.topic else { return }
            let bytes = message.payload.map {
                Array(UnsafeRawBufferPointer(start: $0, count: Int(message.payloadlen)))
            } ?? []
            state.received.append((String(cString: topic), bytes, message.qos))
        }

        let connect = mosquitto_connect(client, "127.0.0.1", port, 10)
        try #require(connect == pulse_mosq_err_success(),
                     "cannot connect to 127.0.0.1:\(port): \(String(cString: mosquitto_strerror(connect)))")
        try pump(client, until: "CONNACK") { state.connectResult != nil }
        try #require(state.connectResult == 0, "broker refused the connection: \(state.connectResult ?? -1)")

        let topic = "pulsebms/test/\(UUID().uuidString)/roundtrip"
        #expect(mosquitto_subscribe(client, nil, topic, 1) == pulse_mosq_err_success())
        try pump(client, until: "SUBACK") { state.grantedQoS != nil }
        #expect(state.grantedQoS == 1)

        let payload = Array("{\"v\":1,\"seq\":7}".utf8)
        var messageID: Int32 = 0
        let publish = mosquitto_publish(client, &messageID, topic, Int32(payload.count), payload, 1, false)
        #expect(publish == pulse_mosq_err_success())
        try pump(client, until: "the published message") { !state.received.isEmpty }

        try #require(state.received.count == 1)
        #expect(state.received[0].topic == topic)
        #expect(state.received[0].payload == payload)
        #expect(state.received[0].qos == 1)
        #expect(mosquitto_disconnect(client) == pulse_mosq_err_success())
    }

    /// Runs the client's network loop on this thread until `done` or 10 s have passed.
    private func pump(_ client: OpaquePointer, until what: String, _ done: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while !done() {
            let rc = mosquitto_loop(client, 100, 1)
            try #require(rc == pulse_mosq_err_success(),
                         "mosquitto_loop failed waiting for \(what): \(String(cString: mosquitto_strerror(rc)))")
            try #require(Date() < deadline, "timed out after 10 s waiting for \(what)")
        }
    }
}

/// What the callbacks saw; touched only on the test's thread, inside `mosquitto_loop`.
private final class RoundTripState: @unchecked Sendable {
    var connectResult: Int32?
    var grantedQoS: Int32?
    var received: [(topic: String, payload: [UInt8], qos: Int32)] = []
}
