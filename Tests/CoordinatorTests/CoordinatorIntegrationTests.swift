import Coordinator
import FleetProtocol
import Foundation
import MQTT
import RunLog
import Testing

/// The coordinator against a real mosquitto broker (started by the test on a free loopback port) and simulated
/// devices publishing births and telemetry.
@Suite(.serialized) struct CoordinatorIntegrationTests {
    static let period = 0.4

    static func configuration(_ broker: MosquittoBroker, site: String, allocator: AllocatorChoice,
                              demand: DemandSignal) -> CoordinatorConfiguration {
        var c = CoordinatorConfiguration(broker: broker.url, site: site, allocator: allocator,
                                         clientID: "coordinator-\(UUID().uuidString.prefix(8))")
        c.period = period
        c.demand = demand
        c.archiveFlushInterval = 0.1
        return c
    }

    /// Commands grouped by their timestamp (one allocation): device → command.
    static func commandsByAllocation(_ messages: [MQTTMessage]) -> [Int64: [String: SetpointCommand]] {
        var out: [Int64: [String: SetpointCommand]] = [:]
        for m in messages {
            guard case let .commands(_, device)? = try? FleetTopic(parsing: m.topic),
                  let command = try? SetpointCommand.decode(m.payload) else { continue }
            out[command.header.timestampMs, default: [:]][device] = command
        }
        return out
    }

    static func power(_ c: SetpointCommand) -> Double {
        if case let .power(p) = c.setpoint { return p }
        return .nan
    }

    @Test func allocatesExcludesRejectsArchivesAndServesMetrics() async throws {
        let broker = try MosquittoBroker()
        let site = "it"
        let archive = FileManager.default.temporaryDirectory.appendingPathComponent("coordinator-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let policy = try Fixture.policy()
        var c = Self.configuration(broker, site: site, allocator: .proportional, demand: .constant(watts: 30_000))
        c.archivePath = archive
        c.metricsPort = 0
        c.distributePolicy = policy
        let coordinator = try FleetCoordinator(configuration: c)
        let run = Task { try await coordinator.run() }
        let commands = try await Recorder(broker: broker, filter: "pulsebms/\(site)/+/commands")
        let policies = try await Recorder(broker: broker, filter: "pulsebms/\(site)/+/policy")

        var devices: [SimulatedDevice] = []
        for k in 0..<4 { devices.append(try await SimulatedDevice(broker: broker, site: site, name: "d\(k)")) }
        let tasks = devices.map { $0.start() }
        defer { tasks.forEach { $0.cancel() } }

        // Steady state: every device allocated; each allocation's commands expire 3 periods later and sum to the demand.
        #expect(await eventually { coordinator.lastAllocation?.devices.count == 4 })
        #expect(await eventually { Self.commandsByAllocation(commands.received).values.contains { $0.count == 4 } })
        for (ts, group) in Self.commandsByAllocation(commands.received) where group.count == 4 {
            #expect(abs(group.values.map(Self.power).reduce(0, +) - 30_000) < 1e-6, "allocation at \(ts)")
            for command in group.values {
                #expect(command.expiresMs - command.header.timestampMs == Int64(3 * Self.period * 1000))
                #expect((0...20_000).contains(Self.power(command)))
            }
        }
        let allocation = try #require(coordinator.lastAllocation)
        #expect(allocation.demandMet && abs(allocation.allocated - 30_000) < 1e-6 && allocation.allocator == "proportional")

        // Refused input is counted by reason and does not disturb the allocation.
        let client = devices[3].client
        try client.publish("pulsebms/\(site)/d9/telemetry", Array("{not json".utf8))
        try client.publish("pulsebms/\(site)/d9/telemetry", Fixture.telemetry(soc: 1.5).encoded())
        let v2 = String(decoding: Fixture.telemetry().encoded(), as: UTF8.self).replacingOccurrences(of: "\"v\":1", with: "\"v\":2")
        try client.publish("pulsebms/\(site)/d9/telemetry", Array(v2.utf8))
        try client.publish("pulsebms/\(site)/bad.name/telemetry", Fixture.telemetry().encoded())
        #expect(await eventually {
            let r = coordinator.metrics.rejectionsByReason
            return r[.malformed] == 1 && r[.outOfRange] == 1 && r[.version] == 1 && r[.badTopic] == 1
        })
        #expect(coordinator.registry.device("d9", atMs: MessageIngestTime.now) == nil)

        // The will of d0 (published here as the broker would): excluded from the next allocation, its share moved.
        try client.publish(FleetTopic.status(site: site, device: "d0").string, Fixture.death().encoded(), retain: true)
        #expect(await eventually(2 * Self.period + 1) {
            guard let a = coordinator.lastAllocation else { return false }
            return a.excluded.contains("d0") && a.devices.count == 3 && abs(a.allocated - 30_000) < 1e-6
        })
        #expect(coordinator.registry.device("d0", atMs: MessageIngestTime.now)?.state == .offline)

        // A silent device: stale after 3 periods, then excluded.
        devices[1].publishing.store(false, ordering: .relaxed)
        #expect(await eventually { coordinator.lastAllocation?.excluded.contains("d1") == true })
        let excludedAt = try #require(coordinator.lastAllocation?.header.timestampMs)
        let lastHeard = try #require(coordinator.registry.device("d1", atMs: MessageIngestTime.now)?.receivedMs)
        #expect(Double(excludedAt) - lastHeard >= 3 * Self.period * 1000 - 1, "excluded before 3 periods of silence")
        #expect(coordinator.registry.device("d1", atMs: MessageIngestTime.now)?.state == .stale)
        #expect(await eventually { coordinator.lastAllocation?.devices.keys.sorted() == ["d2", "d3"] })

        // The policy went to every device, retained, byte for byte.
        #expect(await eventually { Set(policies.received.map(\.topic)).count == 4 })
        #expect(policies.received.allSatisfy { $0.payload == policy })

        // The metrics endpoint answers.
        let port = try #require(coordinator.metricsPort)
        let response = try #require(httpGet(port: port, path: "/metrics"))
        #expect(response.status == "HTTP/1.1 200 OK")
        #expect(response.body.contains("pulsebms_coordinator_devices{state=\"offline\"} 1"))
        #expect(response.body.contains("pulsebms_coordinator_rejections_total{reason=\"out_of_range\"} 1"))
        #expect(httpGet(port: port, path: "/other")?.status == "HTTP/1.1 404 Not Found")
        #expect(await eventually { coordinator.metrics.devices == DeviceRegistry.Counts(online: 2, stale: 1, offline: 1) })
        let m = coordinator.metrics
        #expect(m.ingested > 20 && m.latencyP99Ms > 0 && m.allocations > 4 && m.lostMessages == 0)

        coordinator.stop()
        try await run.value
        // The archive reads back: every accepted telemetry, the device names, the setpoints and the site rows.
        let file = try HDF5File.open(at: archive)
        let telemetry = try file.readTable("telemetry")
        #expect(telemetry.columns == TelemetryArchive.telemetryColumns)
        #expect(telemetry.rowCount == coordinator.metrics.ingested)
        #expect(try file.stringListAttribute("devices", on: "telemetry") == ["d0", "d1", "d2", "d3"])
        let soc = try #require(telemetry.column("soc"))
        #expect(soc.allSatisfy { $0 == 0.5 })
        #expect(try file.rowCount(of: "site") == coordinator.metrics.allocations)
        #expect(try file.rowCount(of: "setpoints") > 0)
        try file.close()
        _ = broker
    }

    @Test func theMPCAndThePolicyFollowADemandTopic() async throws {
        let broker = try MosquittoBroker()
        for (site, allocator) in [("mpc", AllocatorChoice.mpc(horizon: 3)), ("pol", .policy(bytes: try Fixture.policy()))] {
            let coordinator = try FleetCoordinator(configuration: Self.configuration(broker, site: site, allocator: allocator, demand: .topic))
            let run = Task { try await coordinator.run() }
            var devices: [SimulatedDevice] = []
            for k in 0..<3 { devices.append(try await SimulatedDevice(broker: broker, site: site, name: "p\(k)")) }
            let tasks = devices.map { $0.start() }
            #expect(await eventually { coordinator.lastAllocation?.devices.count == 3 })
            let request = DemandMessage(header: MessageHeader(seq: 1, timestampMs: epochMilliseconds()), demand: -12_000,
                                        forecast: [-12_000, -8_000])
            try devices[0].client.publish(FleetTopic.demand(site: site).string, request.encoded())
            #expect(await eventually {
                guard let a = coordinator.lastAllocation else { return false }
                return a.demand == -12_000 && a.demandMet && abs(a.allocated + 12_000) < 1e-6 && a.devices.values.allSatisfy { $0 <= 0 }
            }, "\(site)")
            #expect(coordinator.metrics.mpcFallbacks == 0)
            coordinator.stop()
            try await run.value
            tasks.forEach { $0.cancel() }
        }
        _ = broker
    }

    @Test func badConfigurationsAreRefusedWithTheValue() throws {
        func refused(_ change: (inout CoordinatorConfiguration) -> Void) -> String? {
            var c = CoordinatorConfiguration(broker: "mqtt://127.0.0.1:1", site: "s")
            change(&c)
            do { _ = try FleetCoordinator(configuration: c); return nil } catch { return "\(error)" }
        }
        #expect(refused { $0.site = "no/slash" }?.contains("no/slash") == true)
        #expect(refused { $0.period = 0 }?.contains("period 0") == true)
        #expect(refused { $0.broker = "tcp://x" }?.contains("tcp://x") == true)
        #expect(refused { $0.allocator = .policy(bytes: [1, 2, 3]) } != nil)
        #expect(refused { $0.distributePolicy = [1, 2, 3] } != nil)
        #expect(refused { $0.supervisor.consecutiveSamples = 0 } != nil)
        #expect(throws: CoordinatorError.self) { try DemandSignal(parsing: "sine:5") }
        #expect(throws: CoordinatorError.self) { try DemandSignal(parsing: "constant:abc") }
        #expect(try DemandSignal(parsing: "sine:1000:60") == .sine(amplitude: 1000, period: 60))
        #expect(try DemandSignal(parsing: "daily:5000") == .daily(peak: 5000))
    }
}

/// Wall-clock now [ms since the epoch], for registry queries.
enum MessageIngestTime {
    static var now: Double { CoordinatorClock.nowMs }
}
