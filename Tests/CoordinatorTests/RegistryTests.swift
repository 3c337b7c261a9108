import Coordinator
import FleetProtocol
import Testing

/// The registry's bookkeeping without a broker: states, exclusions, sequence gaps, latency.
@Suite struct RegistryTests {
    let t0 = 1_000_000.0

    @Test func aSilentDeviceIsStaleAfterThreePeriods() {
        let registry = DeviceRegistry(period: 1)
        registry.ingest(telemetry: Fixture.telemetry(), from: "a", receivedMs: t0)
        #expect(registry.device("a", atMs: t0 + 2_900)?.state == .online)
        #expect(registry.device("a", atMs: t0 + 3_100)?.state == .stale)
        #expect(registry.allocationSet(atMs: t0 + 3_100, excludeFlagged: false).devices.isEmpty)
        #expect(registry.allocationSet(atMs: t0 + 3_100, excludeFlagged: false).excluded.map(\.reason) == [.stale])
        // Heard again: back in.
        registry.ingest(telemetry: Fixture.telemetry(seq: 2, ts: 1_004_000), from: "a", receivedMs: t0 + 4_000)
        #expect(registry.device("a", atMs: t0 + 4_100)?.state == .online)
        #expect(registry.counts(atMs: t0 + 4_100) == DeviceRegistry.Counts(online: 1, stale: 0, offline: 0))
    }

    @Test func aDeathExcludesAtOnceAndOnlyABirthBringsTheDeviceBack() {
        let registry = DeviceRegistry(period: 1)
        registry.ingest(status: Fixture.birth(), from: "a", receivedMs: t0)
        registry.ingest(telemetry: Fixture.telemetry(seq: 1), from: "a", receivedMs: t0 + 10)
        registry.ingest(telemetry: Fixture.telemetry(seq: 1), from: "b", receivedMs: t0 + 10)
        #expect(registry.allocationSet(atMs: t0 + 20, excludeFlagged: false).devices.map(\.name) == ["a", "b"])
        registry.ingest(status: Fixture.death(), from: "a", receivedMs: t0 + 30)
        let set = registry.allocationSet(atMs: t0 + 31, excludeFlagged: false)
        #expect(set.devices.map(\.name) == ["b"])
        #expect(set.excluded.map(\.name) == ["a"] && set.excluded.map(\.reason) == [.offline])
        #expect(registry.device("a", atMs: t0 + 31)?.offlineReason == "will")
        // Telemetry alone does not revive it; a birth does.
        registry.ingest(telemetry: Fixture.telemetry(seq: 2), from: "a", receivedMs: t0 + 40)
        #expect(registry.device("a", atMs: t0 + 41)?.state == .offline)
        #expect(registry.counters.telemetryWhileOffline == 1)
        registry.ingest(status: Fixture.birth(), from: "a", receivedMs: t0 + 50)
        registry.ingest(telemetry: Fixture.telemetry(seq: 1), from: "a", receivedMs: t0 + 60)
        #expect(registry.allocationSet(atMs: t0 + 70, excludeFlagged: false).devices.map(\.name) == ["a", "b"])
        #expect(registry.counters.births == 2 && registry.counters.deaths == 1)
    }

    @Test func lostMessagesAreTheSumOfSequenceGapsAndRestartsAreNotLosses() {
        let registry = DeviceRegistry(period: 1)
        for seq: UInt64 in [1, 2, 5, 6, 6, 10] {    // gaps of 2 and 3, one duplicate
            registry.ingest(telemetry: Fixture.telemetry(seq: seq, ts: 1_000_000 + Int64(seq) * 1000), from: "a", receivedMs: t0)
        }
        #expect(registry.counters.lostMessages == 5)
        #expect(registry.counters.duplicates == 1)
        // The device restarts: its sequence starts again from 1 (no birth heard) — not a loss.
        for seq: UInt64 in [1, 2, 3] {
            registry.ingest(telemetry: Fixture.telemetry(seq: seq, ts: 2_000_000 + Int64(seq) * 1000), from: "a", receivedMs: t0)
        }
        #expect(registry.counters.lostMessages == 5)
        #expect(registry.counters.restarts == 1)
        // A birth restarts the sequence too: a first number far above the old one is not a gap.
        registry.ingest(status: Fixture.birth(), from: "a", receivedMs: t0)
        registry.ingest(telemetry: Fixture.telemetry(seq: 500, ts: 3_000_000), from: "a", receivedMs: t0)
        registry.ingest(telemetry: Fixture.telemetry(seq: 502, ts: 3_002_000), from: "a", receivedMs: t0)
        #expect(registry.counters.lostMessages == 6)
        #expect(registry.device("a", atMs: t0)?.lostMessages == 6)
        // Another device's gaps add to the total.
        registry.ingest(telemetry: Fixture.telemetry(seq: 1), from: "b", receivedMs: t0)
        registry.ingest(telemetry: Fixture.telemetry(seq: 4, ts: 1_003_000), from: "b", receivedMs: t0)
        #expect(registry.counters.lostMessages == 8)
        #expect(registry.counters.telemetry == 13)
    }

    @Test func lateAndRedeliveredTelemetryIsNeitherALossNorARestart() {
        let registry = DeviceRegistry(period: 1)
        func send(_ seq: UInt64, sentAt ts: Int64) {
            registry.ingest(telemetry: Fixture.telemetry(seq: seq, ts: ts), from: "a", receivedMs: t0)
        }
        send(1, sentAt: 1_001_000); send(2, sentAt: 1_002_000); send(4, sentAt: 1_004_000)
        #expect(registry.counters.lostMessages == 1)
        send(3, sentAt: 1_003_000)   // late: fills the gap
        #expect(registry.counters.lostMessages == 0)
        send(2, sentAt: 1_002_000)   // a QoS-1 redelivery after a reconnect
        send(4, sentAt: 1_004_000)
        #expect(registry.counters.duplicates == 2)
        #expect(registry.counters.restarts == 0)
        #expect(registry.device("a", atMs: t0)?.telemetry?.header.seq == 4)
        send(5, sentAt: 1_005_000)
        #expect(registry.counters.lostMessages == 0)
    }

    @Test func birthsWithoutTelemetryAndFaultedDevicesAreNotAllocated() {
        let registry = DeviceRegistry(period: 1)
        registry.ingest(status: Fixture.birth(), from: "waiting", receivedMs: t0)
        registry.ingest(telemetry: Fixture.telemetry(faults: 1 << 2), from: "faulted", receivedMs: t0)
        registry.ingest(telemetry: Fixture.telemetry(), from: "fine", receivedMs: t0)
        let set = registry.allocationSet(atMs: t0 + 100, excludeFlagged: false)
        #expect(set.devices.map(\.name) == ["fine"])
        #expect(Dictionary(uniqueKeysWithValues: set.excluded.map { ($0.name, $0.reason) })
                == ["waiting": .awaitingTelemetry, "faulted": .faulted])
        // Indices are stable, in order of first appearance.
        #expect(registry.names == ["waiting", "faulted", "fine"])
        #expect(registry.device("fine", atMs: t0)?.index == 2)
        // A birth-only device goes stale like a silent one.
        #expect(registry.device("waiting", atMs: t0 + 3_500)?.state == .stale)
    }

    @Test func latencyIsReceiveTimeMinusTheTelemetryTimestamp() {
        let registry = DeviceRegistry(period: 1)
        for k in 0..<100 {
            let ts = Int64(1_000_000 + k * 1000)
            registry.ingest(telemetry: Fixture.telemetry(seq: UInt64(k + 1), ts: ts), from: "a", receivedMs: Double(ts) + Double(k % 10) + 1)
        }
        let latency = registry.latency
        #expect(latency.count == 100)
        #expect(latency.maximum == 10)
        #expect(abs(latency.percentile(0.5) - 5) <= 0.6)
        #expect(latency.percentile(0.99) > 9 && latency.percentile(0.99) <= 10)
    }
}
