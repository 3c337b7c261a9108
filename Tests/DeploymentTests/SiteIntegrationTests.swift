import Coordinator
import EdgeAgent
import FleetProtocol
import Foundation
import MQTT
import Testing

/// A whole site on a real mosquitto: a coordinator and edge agents (simulated packs behind the C runtime's
/// monitor and command guard), as deployed — steady state, a killed agent, a broker restart, bad input.
@Suite(.serialized) struct SiteIntegrationTests {
    static let site = "it"

    /// Agents for the packs of the `small-mixed-4` preset, reporting every 0.25 s of real time.
    static func agents(_ count: Int, broker: MosquittoBroker, site: String = site) throws -> [EdgeAgent] {
        try (0..<count).map { i in
            var c = try EdgeAgentConfiguration(site: site, device: "pack\(i)", broker: broker.url,
                                               pack: .preset(name: "small-mixed-4", index: i))
            c.controlStep = 0.25
            c.telemetryPeriod = 0.25
            return try EdgeAgent(configuration: c)
        }
    }

    static func coordinator(broker: MosquittoBroker, demand: Double, site: String = site) throws -> FleetCoordinator {
        var c = CoordinatorConfiguration(broker: broker.url, site: site, allocator: .proportional)
        c.period = 0.5
        c.demand = .constant(watts: demand)
        return try FleetCoordinator(configuration: c)
    }

    /// Waits (polling) until `condition` holds, failing with `what` after `seconds`.
    static func eventually(_ what: String, within seconds: Double = 10, _ condition: () -> Bool) async throws {
        do {
            try await MQTTClient.waitUntil(timeout: seconds, condition)
        } catch {
            Issue.record("not within \(seconds) s: \(what)")
            throw error
        }
    }

    /// The latest allocation covers exactly `devices`, meets `demand` and keeps every device within the power
    /// limits its telemetry reports.
    static func allocationIsSound(_ coordinator: FleetCoordinator, devices: Set<String>, demand: Double) -> Bool {
        guard let a = coordinator.lastAllocation, Set(a.devices.keys) == devices, a.demandMet else { return false }
        let total = a.devices.values.reduce(0, +)
        guard abs(total - demand) <= 1e-6 * demand else { return false }
        let now = CoordinatorClock.nowMs
        return a.devices.allSatisfy { name, power in
            guard let t = coordinator.registry.device(name, atMs: now)?.telemetry else { return false }
            return power <= t.limits.dischargePower * (1 + 1e-9) + 1e-9 && power >= -t.limits.chargePower * (1 + 1e-9) - 1e-9
        }
    }

    @Test func steadyStateThenAKilledAgentThenABrokerRestart() async throws {
        let broker = try MosquittoBroker()
        let agents = try Self.agents(4, broker: broker)
        // A demand the three agents that survive can carry: 30 % of their rated discharge power.
        let demand = 0.3 * agents.prefix(3).map(\.packInfo.maxDischargePower).reduce(0, +)
        let coordinator = try Self.coordinator(broker: broker, demand: demand)
        let runs = agents.map { agent in Task { try await agent.run() } }
        let coordinating = Task { try await coordinator.run() }
        defer {
            coordinator.stop(); agents.forEach { $0.stop() }
            runs.forEach { $0.cancel() }; coordinating.cancel()
        }
        let names = Set(agents.map(\.configuration.device))

        // Steady state: allocations over all four meet the demand within limits, and the agents run them.
        try await Self.eventually("an allocation over all four agents that meets the demand") {
            Self.allocationIsSound(coordinator, devices: names, demand: demand)
        }
        try await Self.eventually("every agent online, running the coordinator's commands") {
            agents.allSatisfy { $0.snapshot.mode == .online && $0.snapshot.commands.accepted >= 2 }
        }
        let allocated = try #require(coordinator.lastAllocation)
        try await Task.sleep(for: .milliseconds(600))
        for agent in agents {
            let last = agent.snapshot.last
            let command = allocated.devices[agent.configuration.device] ?? 0
            // The pack delivers its share (the command of a later period may differ slightly; the monitor may clamp).
            #expect(last.power * command >= 0, "\(agent.configuration.device) runs against its command")
        }

        // A killed agent: its will marks it offline within 3 s, and its share goes to the others.
        let killed = agents[3]
        let killedAt = ContinuousClock.now
        killed.crash()
        try await Self.eventually("the killed agent marked offline", within: 3) {
            coordinator.registry.device(killed.configuration.device, atMs: CoordinatorClock.nowMs)?.state == .offline
        }
        let offlineAfter = ContinuousClock.now - killedAt
        #expect(offlineAfter < .seconds(3))
        let survivors = names.subtracting([killed.configuration.device])
        try await Self.eventually("the demand redistributed over the three survivors") {
            Self.allocationIsSound(coordinator, devices: survivors, demand: demand)
        }

        // A broker restart: everyone reconnects and the allocations resume over the survivors.
        let before = try #require(coordinator.lastAllocation).header.seq
        broker.stop()
        try await Self.eventually("the coordinator noticing the broker is gone", within: 5) { !coordinator.metrics.connected }
        try await Task.sleep(for: .milliseconds(500))
        try broker.start()
        try await Self.eventually("the coordinator and the agents reconnected", within: 20) {
            coordinator.metrics.connected && coordinator.metrics.connections >= 2
                && agents.prefix(3).allSatisfy { $0.snapshot.connected && $0.snapshot.connections >= 2 }
        }
        try await Self.eventually("allocations resumed over the survivors", within: 10) {
            (coordinator.lastAllocation?.header.seq ?? 0) > before + 2
                && Self.allocationIsSound(coordinator, devices: survivors, demand: demand)
        }
        #expect(agents.prefix(3).allSatisfy { $0.snapshot.packFailures == 0 })
    }

    @Test func badMessagesAreCountedAndExpiredCommandsAreNotExecuted() async throws {
        let broker = try MosquittoBroker()
        let site = "bad"
        let agent = try Self.agents(1, broker: broker, site: site)[0]
        let coordinator = try Self.coordinator(broker: broker, demand: 0, site: site)
        let running = Task { try await agent.run() }
        let coordinating = Task { try await coordinator.run() }
        defer { coordinator.stop(); agent.stop(); running.cancel(); coordinating.cancel() }
        try await Self.eventually("the agent registered") {
            coordinator.registry.device("pack0", atMs: CoordinatorClock.nowMs)?.telemetry != nil
        }
        let rogue = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "rogue"))
        try rogue.connect()
        try await rogue.waitUntilConnected(timeout: 5)

        // Telemetry: not JSON, a wrong version, a SoC out of range — each refused and counted.
        let good = String(decoding: Telemetry(
            header: MessageHeader(seq: 1, timestampMs: epochMilliseconds()), voltage: 13, current: 0, power: 0,
            cellVoltageMin: 3.2, cellVoltageMax: 3.3, temperatureMin: 25, temperatureMax: 26, stateOfCharge: 0.5,
            stateOfHealth: 0.9, energy: 50,
            limits: .init(dischargeCurrent: 5, chargeCurrent: 5, dischargePower: 60, chargePower: 60, socMin: 0.1, socMax: 0.9)
        ).encoded(), as: UTF8.self)
        let telemetryTopic = FleetTopic.telemetry(site: site, device: "rogue1").string
        let before = coordinator.rejections.total
        try rogue.publish(telemetryTopic, Array("not json".utf8))
        try rogue.publish(telemetryTopic, Array(good.replacingOccurrences(of: "\"v\":1", with: "\"v\":7").utf8))
        try rogue.publish(telemetryTopic, Array(good.replacingOccurrences(of: "\"soc\":0.5", with: "\"soc\":1.5").utf8))
        try await Self.eventually("three telemetry refusals counted by the coordinator") { coordinator.rejections.total >= before + 3 }
        #expect(coordinator.rejections.count(.malformed) >= 1)
        #expect(coordinator.rejections.count(.version) >= 1)
        #expect(coordinator.rejections.count(.outOfRange) >= 1)
        #expect(coordinator.registry.device("rogue1", atMs: CoordinatorClock.nowMs)?.telemetry == nil)

        // Commands: malformed and out of range are refused; an expired one is refused and never run.
        let commands = FleetTopic.commands(site: site, device: "pack0").string
        let agentBefore = agent.rejections.total, expiredBefore = agent.snapshot.commands.rejectedExpired
        try rogue.publish(commands, Array("{\"v\":1".utf8))
        try rogue.publish(commands, Array("{\"v\":1,\"seq\":1,\"ts\":1,\"expires\":2,\"power_w\":1e12}".utf8))
        let now = epochMilliseconds()
        let stale = SetpointCommand(header: MessageHeader(seq: 99, timestampMs: now - 5_000), expiresMs: now - 1_000,
                                    setpoint: .current(4.321))
        try rogue.publish(commands, stale.encoded())
        try await Self.eventually("two command refusals and one expired command counted by the agent") {
            agent.rejections.total >= agentBefore + 2 && agent.snapshot.commands.rejectedExpired >= expiredBefore + 1
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(abs(agent.snapshot.last.requestedCurrent - 4.321) > 1e-6, "the expired command was executed")

        // An operator's fault reset rides on the device's next command, once.
        let watcher = try MQTTClient(options: MQTTOptions(port: broker.port, clientID: "command-watcher"))
        try watcher.connect()
        try await watcher.waitUntilConnected(timeout: 5)
        try watcher.subscribe(commands)
        try await Task.sleep(for: .milliseconds(200))
        coordinator.requestFaultReset(["pack0"])
        var seen: [SetpointCommand] = []
        for await message in watcher.messages {
            if let command = try? SetpointCommand.decode(message.payload) { seen.append(command) }
            if seen.count == 4 { break }
        }
        #expect(seen.filter(\.resetFaults).count == 1, "one command asks for the reset")
        watcher.disconnect()
        rogue.disconnect()
    }
}
