import Foundation
import MQTT
import Testing

/// The client against a real mosquitto broker, started by the test on a free loopback port.
@Suite(.serialized) struct MQTTClientTests {
    @Test func brokerURLsParse() throws {
        let plain = try MQTTOptions(broker: "mqtt://127.0.0.1:18830", clientID: "x")
        #expect(plain.host == "127.0.0.1" && plain.port == 18830 && plain.tls == nil)
        let secure = try MQTTOptions(broker: "mqtts://broker.example", clientID: "x")
        #expect(secure.port == 8883 && secure.tls != nil)
        for bad in ["tcp://h:1", "mqtt://", "mqtt://h:0", "mqtt://h:70000", "mqtt://h:x", "127.0.0.1:1883"] {
            #expect(throws: MQTTError.invalidBrokerURL(bad)) { try MQTTOptions(broker: bad, clientID: "x") }
        }
        var options = MQTTOptions(clientID: "x")
        options.keepAlive = 0
        #expect(throws: MQTTError.self) { try MQTTClient(options: options) }
    }

    @Test func publishSubscribeRoundTripAtBothQoS() async throws {
        let broker = try MosquittoBroker()
        let client = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "rt-\(UUID().uuidString)"))
        try client.connect()
        try await client.waitUntilConnected(timeout: 5)
        try client.subscribe("pulsebms/test/#")
        try await Task.sleep(for: .milliseconds(100))
        try client.publish("pulsebms/test/a", Array("one".utf8), qos: .atLeastOnce)
        try client.publish("pulsebms/test/b", Array("two".utf8), qos: .atMostOnce)
        var received: [MQTTMessage] = []
        for await message in client.messages {
            received.append(message)
            if received.count == 2 { break }
        }
        #expect(Set(received.map(\.topic)) == ["pulsebms/test/a", "pulsebms/test/b"])
        #expect(Set(received.map { String(decoding: $0.payload, as: UTF8.self) }) == ["one", "two"])
        try await client.flush(timeout: 5)
        #expect(client.unacknowledged == 0)
        #expect(throws: MQTTError.invalidTopic("a/#/b")) { try client.subscribe("a/#/b") }
        #expect(throws: MQTTError.invalidTopic("a/+")) { try client.publish("a/+", []) }
        client.disconnect()
    }

    /// The will is for vanishing, not leaving: a clean disconnect must not publish it.
    @Test func cleanDisconnectDoesNotPublishTheWill() async throws {
        let broker = try MosquittoBroker()
        let watcher = try await Self.statusWatcher(broker)
        var doomed: MQTTClient? = try MQTTClient(options: Self.optionsWithWill(broker, clientID: "doomed"))
        try doomed?.connect()
        try await doomed?.waitUntilConnected(timeout: 5)
        doomed?.disconnect()
        doomed = nil
        let clean = await Self.first(of: watcher, within: 1.5)
        #expect(clean == nil, "a clean disconnect published the will")
        _ = broker
    }

    @Test func reconnectsAndResubscribesAfterABrokerRestart() async throws {
        let broker = try MosquittoBroker()
        let client = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "survivor"))
        try client.connect()
        try await client.waitUntilConnected(timeout: 5)
        try client.subscribe("pulsebms/r/#")
        broker.stop()
        try await MQTTClient.waitUntil(timeout: 5) { !client.isConnected }
        try broker.start()
        try await client.waitUntilConnected(timeout: 20)
        #expect(client.connectionCount >= 2)
        try await Task.sleep(for: .milliseconds(200))
        let other = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "other"))
        try other.connect()
        try await other.waitUntilConnected(timeout: 5)
        try other.publish("pulsebms/r/x", Array("after restart".utf8))
        let message = await Self.first(of: client, within: 5)
        #expect(message?.payload == Array("after restart".utf8))
    }

    @Test func connectsOnceTheBrokerComesUp() async throws {
        let broker = try MosquittoBroker()
        broker.stop()
        let client = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "early"))
        try client.connect()
        try await Task.sleep(for: .milliseconds(300))
        #expect(!client.isConnected)
        try broker.start()
        try await client.waitUntilConnected(timeout: 20)
    }

    @Test func willIsPublishedWhenAClientVanishes() async throws {
        let broker = try MosquittoBroker()
        let watcher = try await Self.statusWatcher(broker)
        let crashing = try MQTTClient(options: Self.optionsWithWill(broker, clientID: "crashing"))
        try crashing.connect()
        try await crashing.waitUntilConnected(timeout: 5)
        crashing.abandon()
        let will = await Self.first(of: watcher, within: 3)
        #expect(will?.payload == Array("offline".utf8))
        #expect(will?.topic == "pulsebms/s/d/status")
    }

    /// A client subscribed to `pulsebms/s/d/status`, where the clients under test put their will.
    static func statusWatcher(_ broker: MosquittoBroker) async throws -> MQTTClient {
        let watcher = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "watcher"))
        try watcher.connect()
        try await watcher.waitUntilConnected(timeout: 5)
        try watcher.subscribe("pulsebms/s/d/status")
        try await Task.sleep(for: .milliseconds(100))
        return watcher
    }

    static func optionsWithWill(_ broker: MosquittoBroker, clientID: String) -> MQTTOptions {
        var options = MQTTOptions(port: broker.port, clientID: clientID)
        options.will = MQTTMessage(topic: "pulsebms/s/d/status", payload: Array("offline".utf8), qos: .atLeastOnce, retain: true)
        return options
    }

    static func first(of client: MQTTClient, within seconds: Double) async -> MQTTMessage? {
        await withTaskGroup(of: MQTTMessage?.self) { group in
            group.addTask { for await m in client.messages { return m }; return nil }
            group.addTask { try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000))); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
