import EdgeAgent
import FleetProtocol
import Foundation
import MQTT
import PolicyFormat
import Testing

/// An edge agent against a real mosquitto broker started by the test, on an accelerated clock (20 simulated
/// seconds per wall second, 1 s control steps and telemetry).
@Suite(.serialized) struct EdgeAgentIntegrationTests {
    static func agent(port: Int, device: String) throws -> EdgeAgent {
        var c = testConfiguration(port: port, device: device)
        c.speed = 20
        return try EdgeAgent(configuration: c)
    }

    /// Publishes a command from the watcher, stamped with the wall clock.
    static func send(_ setpoint: SetpointCommand.Setpoint, seq: UInt64, validFor ms: Int64, issuedAgo: Int64 = 0,
                     to topic: String, via watcher: Watcher) throws {
        let ts = epochMilliseconds() - issuedAgo
        try watcher.client.publish(topic, command(setpoint, seq: seq, tsMs: ts, expiresMs: ts + ms).encoded())
    }

    @Test func birthTelemetryCommandsRejectionsAndPolicies() async throws {
        let broker = try MosquittoBroker()
        let agent = try Self.agent(port: broker.port, device: "d1")
        let watcher = try await Watcher(port: broker.port, name: "watch-d1", filters: [agent.statusTopic, agent.telemetryTopic])
        let run = Task { try await agent.run() }

        // Birth (retained, with the pack) and telemetry that decode.
        #expect(await eventually { watcher.statuses(agent.statusTopic).contains { $0.state == .online } })
        let birth = try #require(watcher.statuses(agent.statusTopic).first { $0.state == .online })
        #expect(birth.pack == agent.packInfo && birth.policyCRC == nil)
        #expect(await eventually { watcher.telemetry(agent.telemetryTopic).count >= 3 })
        #expect(watcher.store.all.filter { $0.topic == agent.telemetryTopic }.allSatisfy { (try? Telemetry.decode($0.payload)) != nil })
        #expect(watcher.telemetry(agent.telemetryTopic).allSatisfy { $0.mode == .safeIdle && abs($0.current) < 1e-9 })

        // A command is executed: its power shows in telemetry.
        try Self.send(.power(60), seq: 1, validFor: 4000, to: agent.commandsTopic, via: watcher)
        #expect(await eventually { watcher.telemetry(agent.telemetryTopic).contains { $0.mode == .online && abs($0.power - 60) < 2 } })

        // An expired command is refused and never executed.
        try Self.send(.power(-45), seq: 2, validFor: 1000, issuedAgo: 2000, to: agent.commandsTopic, via: watcher)
        #expect(await eventually { agent.snapshot.commands.rejectedExpired == 1 })
        #expect(agent.snapshot.commands.accepted == 1)

        // Malformed and out-of-range commands are rejected and counted.
        try watcher.client.publish(agent.commandsTopic, Array("{not json".utf8))
        let issued = epochMilliseconds()
        let wild = Array("{\"v\":1,\"seq\":3,\"ts\":\(issued),\"expires\":\(issued + 4000),\"power_w\":1e12}".utf8)
        try watcher.client.publish(agent.commandsTopic, wild)
        #expect(await eventually { agent.rejections.count(.malformed) == 1 && agent.rejections.count(.outOfRange) == 1 })
        #expect(agent.snapshot.rejections == 2 && agent.snapshot.commands.accepted == 1)
        #expect(!watcher.telemetry(agent.telemetryTopic).contains { abs($0.power + 45) < 5 }, "the expired command ran")

        // A corrupt policy is refused (the device keeps none); a valid one is swapped in and reported.
        let policy = constantPolicy(action: 0.2)
        let crc = try EdgePolicy(bytes: policy).crc32
        try watcher.client.publish(agent.policyTopic, corrupted(policy), retain: true)
        #expect(await eventually { agent.snapshot.policyRefusals == 1 })
        #expect(agent.snapshot.policyCRC == nil)
        try watcher.client.publish(agent.policyTopic, policy, retain: true)
        #expect(await eventually { watcher.telemetry(agent.telemetryTopic).contains { $0.policyCRC == crc } })
        #expect(await eventually { watcher.statuses(agent.statusTopic).contains { $0.state == .online && $0.policyCRC == crc } })
        #expect(agent.snapshot.policySwaps == 1 && agent.snapshot.policyRefusals == 1)

        // A clean stop publishes the offline status.
        agent.stop()
        try await run.value
        #expect(await eventually { watcher.statuses(agent.statusTopic).contains { $0.state == .offline && $0.reason == "shutdown" } })
        let s = agent.snapshot
        #expect(s.telemetrySent >= 3 && !s.connected)
        watcher.client.disconnect()
    }

    @Test func fallsBackWhenTheBrokerStopsAndReconnectsWhenItReturns() async throws {
        let broker = try MosquittoBroker()
        let agent = try Self.agent(port: broker.port, device: "d2")
        let run = Task { try await agent.run() }
        var watcher: Watcher? = try await Watcher(port: broker.port, name: "watch-d2", filters: [agent.telemetryTopic])
        #expect(await eventually { agent.snapshot.connected && agent.snapshot.birthsSent >= 1 })
        try Self.send(.current(1.5), seq: 1, validFor: 1500, to: agent.commandsTopic, via: watcher!)
        #expect(await eventually { agent.snapshot.mode == .online })
        watcher?.client.disconnect()
        watcher = nil

        broker.stop()
        #expect(await eventually { !agent.snapshot.connected })
        #expect(await eventually(5) { agent.snapshot.mode == .safeIdle }, "falls back once the command expires")
        #expect(abs(agent.snapshot.last.current) < 1e-9)
        let skipped = agent.snapshot.telemetrySkipped
        #expect(await eventually { agent.snapshot.telemetrySkipped > skipped }, "telemetry is skipped while offline")

        try broker.start()
        #expect(await eventually(20) { agent.snapshot.connected && agent.snapshot.connections >= 2 })
        let after = try await Watcher(port: broker.port, name: "watch-d2-after", filters: [agent.statusTopic, agent.telemetryTopic])
        #expect(await eventually { after.statuses(agent.statusTopic).contains { $0.state == .online && $0.pack != nil } },
                "the birth is re-published after the reconnect")
        #expect(await eventually { after.telemetry(agent.telemetryTopic).contains { $0.mode == .safeIdle } })
        #expect(agent.snapshot.birthsSent >= 2)
        agent.stop()
        try await run.value
        after.client.disconnect()
    }
}
