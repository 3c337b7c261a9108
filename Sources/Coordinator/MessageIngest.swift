#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FleetProtocol
import MQTT
import Synchronization

/// The coordinator's MQTT message handler, run on libmosquitto's network thread for every message: it parses the
/// topic, decodes the payload (refusals are counted by reason) and updates the registry, the demand inbox and the
/// archive buffer in place — no task per message, so one core keeps up with tens of thousands of messages a second.
final class MessageIngest: Sendable {
    let site: String
    let registry: DeviceRegistry
    let rejections: RejectionCounter
    let archive: TelemetryArchive?
    let demand: DemandInbox
    /// Messages handed to the handler (any topic).
    let received = Atomic<Int>(0)

    init(site: String, registry: DeviceRegistry, rejections: RejectionCounter, archive: TelemetryArchive?, demand: DemandInbox) {
        self.site = site; self.registry = registry; self.rejections = rejections; self.archive = archive; self.demand = demand
    }

    /// Receive time [ms, epoch-anchored and monotonic: ``CoordinatorClock``].
    static func nowMs() -> Double { CoordinatorClock.nowMs }

    func handle(_ message: MQTTMessage) {
        received.add(1, ordering: .relaxed)
        let receivedMs = Self.nowMs()
        let topic: FleetTopic
        do {
            topic = try FleetTopic(parsing: message.topic)
        } catch {
            rejections.record(error, topic: message.topic)
            return
        }
        guard topic.site == site else { return }
        switch topic {
        case let .telemetry(_, device):
            guard let telemetry = rejections.accept(message.topic, message.payload, Telemetry.decode) else { return }
            let outcome = registry.ingest(telemetry: telemetry, from: device, receivedMs: receivedMs)
            if !outcome.duplicate {
                archive?.record(device: outcome.index, name: device, receivedMs: receivedMs, telemetry: telemetry)
            }
        case let .status(_, device):
            // An empty payload clears a retained status: nothing to take.
            guard !message.payload.isEmpty,
                  let status = rejections.accept(message.topic, message.payload, DeviceStatus.decode) else { return }
            registry.ingest(status: status, from: device, receivedMs: receivedMs)
        case .demand:
            guard let request = rejections.accept(message.topic, message.payload, DemandMessage.decode) else { return }
            demand.update(request)
        case .commands, .policy, .allocation:
            return
        }
    }
}
