import Coordinator
import FleetProtocol
import Foundation
import MQTT

/// `pulse coordinator --time-ingest RATE`: telemetry of 10,000 synthetic devices published at RATE messages per
/// second (0: as fast as the publishers go) for 5 s over 4 connections at QoS 1, through a private mosquitto, into a
/// coordinator on the same machine; prints the ingest rate, the latency percentiles and the losses as JSON.
/// A quick check of the ingest path; the `fleet` benchmark with `pulse loadgen` is the measurement of record.
struct CoordinatorIngestTiming {
    var rate: Double
    var allocator: AllocatorChoice = .proportional
    var devices = 10_000
    var seconds = 5.0
    var connections = 4

    func run() async throws {
        // Unlimited queues and in-flight windows: a QoS-1 subscriber that lags is queued, not dropped.
        let broker = try MosquittoBroker(extraConfig: ["max_queued_messages 0", "max_inflight_messages 0"])
        let fleet = SyntheticFleet.devices(count: devices, seed: 1)
        var c = CoordinatorConfiguration(broker: broker.url, site: "timing", allocator: allocator)
        c.demand = .constant(watts: 0.3 * fleet.map(\.ratedPower).reduce(0, +))
        let coordinator = try FleetCoordinator(configuration: c)
        let runner = Task { try await coordinator.run() }
        try await MQTTClient.waitUntil(timeout: 10) { coordinator.metrics.connected }
        var publishers: [MQTTClient] = []
        for k in 0..<connections {
            var options = MQTTOptions(port: broker.port, clientID: "timing-publisher-\(k)")
            options.maxInflight = 65_535
            let client = try MQTTClient(options: options)
            try client.connect()
            try await client.waitUntilConnected(timeout: 10)
            publishers.append(client)
        }
        let templates = fleet.map(\.telemetry)
        let topics = (0..<devices).map { FleetTopic.telemetry(site: "timing", device: SyntheticFleet.name($0)).string }
        let total = rate > 0 ? Int(rate * seconds) : devices * Int(seconds)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (k, client) in publishers.enumerated() {
                group.addTask {
                    var sent = 0
                    for n in stride(from: k, to: total, by: connections) {
                        if rate > 0 {
                            let due = start + .milliseconds(Int64(Double(n) / rate * 1000))
                            if ContinuousClock.now < due { try await Task.sleep(until: due) }
                        }
                        var t = templates[n % devices]
                        t.header = MessageHeader(seq: UInt64(n / devices + 1), timestampMs: epochMilliseconds())
                        try client.publish(topics[n % devices], t.encoded(), qos: .atLeastOnce)
                        sent += 1
                    }
                }
            }
            try await group.waitForAll()
        }
        let published = ContinuousClock.now
        try await MQTTClient.waitUntil(timeout: 120) { coordinator.registry.counters.telemetry >= total }
        let done = ContinuousClock.now
        let m = coordinator.metrics
        coordinator.stop()
        try await runner.value
        publishers.forEach { $0.disconnect() }
        broker.stop()
        try CoordinatorTiming.printJSON([
            "measurement": "ingest_broker", "target_rate": rate, "messages": total, "ingested": m.ingested,
            "publish_seconds": CoordinatorTiming.ms(published - start) / 1000,
            "ingest_msgs_per_s": Double(m.ingested) / (CoordinatorTiming.ms(done - start) / 1000),
            "latency_p50_ms": m.latencyP50Ms, "latency_p99_ms": m.latencyP99Ms, "lost_messages": m.lostMessages,
            "rejections": m.rejections, "devices": m.devices.online, "allocator": allocator.name,
            "last_allocation_ms": m.lastAllocationMs, "allocation_p99_ms": m.allocationP99Ms, "last_cycle_ms": m.lastCycleMs,
            "devices_allocated": m.devicesAllocated, "demand_met": m.demandMet,
        ])
    }
}
