import Coordinator
import FleetProtocol
import Foundation
import MQTT
import Synchronization

/// A device stand-in for the broker tests: a plain MQTT client with its death as the will, a retained birth, and
/// telemetry every `interval` seconds until stopped (not the EdgeAgent).
final class SimulatedDevice: Sendable {
    let name: String, site: String
    let client: MQTTClient
    let publishing = Atomic<Bool>(true)
    let seq = Atomic<UInt64>(0)

    init(broker: MosquittoBroker, site: String, name: String) async throws {
        self.name = name; self.site = site
        var options = MQTTOptions(port: broker.port, clientID: "\(site)-\(name)-\(UUID().uuidString.prefix(8))")
        options.keepAlive = 5
        options.will = MQTTMessage(topic: FleetTopic.status(site: site, device: name).string,
                                   payload: Fixture.death(ts: epochMilliseconds()).encoded(), qos: .atLeastOnce, retain: true)
        client = try MQTTClient(options: options)
        try client.connect()
        try await client.waitUntilConnected(timeout: 10)
        try client.publish(FleetTopic.status(site: site, device: name).string,
                           Fixture.birth(ts: epochMilliseconds()).encoded(), qos: .atLeastOnce, retain: true)
    }

    /// Publishes telemetry every `interval` seconds while ``publishing`` holds.
    func start(interval: Double = 0.1) -> Task<Void, Never> {
        Task.detached { [self] in
            while !Task.isCancelled {
                if publishing.load(ordering: .relaxed) {
                    let seq = seq.add(1, ordering: .relaxed).newValue
                    let t = Fixture.telemetry(seq: seq, ts: epochMilliseconds())
                    _ = try? client.publish(FleetTopic.telemetry(site: site, device: name).string, t.encoded(), qos: .atLeastOnce)
                }
                try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            }
        }
    }
}

/// Everything a client subscribed to `filter` receives, kept for inspection.
final class Recorder: Sendable {
    final class Store: Sendable {
        let messages = Mutex<[MQTTMessage]>([])
    }

    let client: MQTTClient
    let store = Store()

    init(broker: MosquittoBroker, filter: String) async throws {
        let store = store
        client = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "recorder-\(UUID().uuidString.prefix(8))")) { m in
            store.messages.withLock { $0.append(m) }
        }
        try client.subscribe(filter)
        try client.connect()
        try await client.waitUntilConnected(timeout: 10)
    }

    var received: [MQTTMessage] { store.messages.withLock { $0 } }
}

/// Waits up to `seconds` for `condition`; false on timeout.
func eventually(_ seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    (try? await MQTTClient.waitUntil(timeout: seconds, condition)) != nil
}

/// `GET path` on 127.0.0.1:`port`: the status line and the body.
func httpGet(port: Int, path: String) -> (status: String, body: String)? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { return nil }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
    var response = [UInt8](), buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { return nil }
    let status = String(text[..<split.lowerBound]).components(separatedBy: "\r\n")[0]
    return (status, String(text[split.upperBound...]))
}
