@testable import EdgeAgent
import FleetProtocol
import MQTT
import PolicyFormat
import Synchronization

/// A `.pbp` policy whose single action is the constant `action` in [−1, 1] (identity layer, zero weights, the
/// bias as output, clip squash onto [−1, 1]), reading `inputs` features; with `limits` when given.
func constantPolicy(action: Float, inputs: Int = 10, limits: SafetyLimits? = nil, layout: String? = nil) -> [UInt8] {
    var metadata = PolicyMetadata.unnamed(environment: "Test-v0", inputs: inputs, actions: 1)
    metadata.layout = layout
    let layer = PolicyLayer(inputs: inputs, outputs: 1, activation: .identity,
                            weights: .f32(weight: [Float](repeating: 0, count: inputs), bias: [action]))
    return PolicyFile(metadata: metadata, normalisation: .identity(inputs: inputs), layers: [layer],
                      action: ActionHead(squash: .clip, low: [-1], high: [1]), safetyLimits: limits).encode()
}

/// `bytes` with one byte in the middle inverted (the CRC-32 no longer matches).
func corrupted(_ bytes: [UInt8]) -> [UInt8] {
    var b = bytes
    b[b.count / 2] ^= 0xFF
    return b
}

/// A configuration for pack `index` of the small-mixed-4 preset (4s2p packs), 1 s control steps.
func testConfiguration(index: Int = 1, port: Int = 1883, device: String = "d1",
                       offline: EdgeAgentConfiguration.OfflineMode = .safeIdle) -> EdgeAgentConfiguration {
    var options = MQTTOptions(port: port, clientID: "edge-test-\(device)-\(port)")
    options.keepAlive = 5
    var c = EdgeAgentConfiguration(site: "s", device: device, mqtt: options, pack: .preset(name: "small-mixed-4", index: index))
    c.offlineMode = offline
    return c
}

/// A command with its header at `tsMs`.
func command(_ setpoint: SetpointCommand.Setpoint, seq: UInt64 = 1, tsMs: Int64, expiresMs: Int64) -> SetpointCommand {
    SetpointCommand(header: MessageHeader(seq: seq, timestampMs: tsMs), expiresMs: expiresMs, setpoint: setpoint)
}

/// Messages collected on a client's network thread.
final class MessageStore: Sendable {
    private let messages = Mutex<[MQTTMessage]>([])
    func append(_ m: MQTTMessage) { messages.withLock { $0.append(m) } }
    var all: [MQTTMessage] { messages.withLock { $0 } }
}

/// A test client: publishes, and collects every message on its filters.
final class Watcher: Sendable {
    let client: MQTTClient
    let store = MessageStore()

    init(port: Int, name: String, filters: [String]) async throws {
        let store = store
        client = try MQTTClient(options: MQTTOptions(port: port, clientID: name)) { store.append($0) }
        for filter in filters { try client.subscribe(filter) }
        try client.connect()
        try await client.waitUntilConnected(timeout: 10)
        try await Task.sleep(for: .milliseconds(150))  // the subscriptions' acknowledgements
    }

    /// Decoded telemetry on `topic`, in arrival order (undecodable messages are skipped).
    func telemetry(_ topic: String) -> [Telemetry] {
        store.all.filter { $0.topic == topic }.compactMap { try? Telemetry.decode($0.payload) }
    }

    /// Decoded status messages on `topic`.
    func statuses(_ topic: String) -> [DeviceStatus] {
        store.all.filter { $0.topic == topic }.compactMap { try? DeviceStatus.decode($0.payload) }
    }
}

/// Waits up to `timeout` seconds for `condition`; false when it never held.
func eventually(_ timeout: Double = 10, _ condition: () -> Bool) async -> Bool {
    (try? await MQTTClient.waitUntil(timeout: timeout, condition)) != nil
}
