import FleetProtocol
import MQTT
import PolicyFormat
import Synchronization

/// The device side of PulseBMS: one simulated pack behind an ``EdgeController``, on MQTT.
///
/// On connect the broker holds the device's will (its offline status, reason `will`, retained, QoS 1) and the
/// agent publishes its birth (online status with ``DeviceStatus/PackInfo`` and the policy CRC, retained, QoS 1),
/// again after every reconnect and after every policy swap. It subscribes to `pulsebms/{site}/{device}/commands`
/// (setpoints with expiry) and `…/policy` (raw `.pbp` bytes). Every control step runs the controller on the
/// agent's clock; every telemetry period it publishes ``Telemetry`` (QoS 1 by default; skipped while the broker
/// is unreachable). Commands that expire — because the coordinator or the broker is gone — put the device in
/// its offline mode (safe idle, or the local policy). Malformed messages are refused and counted in
/// ``rejections``.
///
///     let agent = try EdgeAgent(configuration: configuration, log: { print($0) })
///     Task { try await agent.run() }
///     …
///     agent.stop()   // run() publishes the offline status (reason `shutdown`) and returns
public final class EdgeAgent: Sendable {
    public let configuration: EdgeAgentConfiguration
    /// Refused commands and other malformed messages, by reason.
    public let rejections: RejectionCounter
    /// The device's topics.
    public let telemetryTopic: String, commandsTopic: String, statusTopic: String, policyTopic: String

    let core: Mutex<EdgeController>
    let clock: DeviceClock
    let state = Mutex(RunState())
    let sequence = Atomic<UInt64>(0)
    let log: @Sendable (String) -> Void

    struct RunState {
        var running = false, stopRequested = false
        var client: MQTTClient?
        var telemetrySent = 0, telemetrySkipped = 0, birthsSent = 0
        var birthDue = false
    }

    /// Builds the pack, monitor and guard (and loads the initial policy); nothing is sent until ``run(onTelemetry:)``.
    /// `log` receives one line per notable event (connection changes, mode changes, refusals, model failures).
    public init(configuration: EdgeAgentConfiguration, log: @escaping @Sendable (String) -> Void = { _ in }) throws(EdgeAgentError) {
        let clock = DeviceClock()
        let controller = try EdgeController(configuration: configuration, nowMs: clock.nowMs())
        self.clock = clock
        self.configuration = configuration
        self.log = log
        core = Mutex(controller)
        rejections = RejectionCounter(log: log)
        let (site, device) = (configuration.site, configuration.device)
        telemetryTopic = FleetTopic.telemetry(site: site, device: device).string
        commandsTopic = FleetTopic.commands(site: site, device: device).string
        statusTopic = FleetTopic.status(site: site, device: device).string
        policyTopic = FleetTopic.policy(site: site, device: device).string
    }

    /// Connects and runs the control loop until ``stop()``, task cancellation or the configured duration; then
    /// publishes the offline status (reason `shutdown`), waits up to 2 s for it to be acknowledged, and
    /// disconnects cleanly. `onTelemetry` sees every telemetry message, published or not.
    public func run(onTelemetry: (@Sendable (Telemetry) -> Void)? = nil) async throws(EdgeAgentError) {
        let started = state.withLock { s in
            if s.running { return false }
            s.running = true; s.stopRequested = false
            return true
        }
        guard started else { throw .alreadyRunning }
        defer { state.withLock { $0.running = false; $0.client = nil } }
        let client: MQTTClient
        do { client = try connect() } catch { throw .mqtt(error) }
        state.withLock { $0.client = client }
        let events = Task { [weak self] in
            for await event in client.events { self?.handle(event, client) }
        }
        await loop(client, onTelemetry)
        events.cancel()
        await shutdown(client)
    }

    /// Asks ``run(onTelemetry:)`` to finish after the present step (thread-safe, returns at once).
    public func stop() { state.withLock { $0.stopRequested = true } }

    /// Vanishes as a killed process would: the connection drops without a goodbye, so the broker publishes the
    /// will, and the loop ends without the shutdown status. For fault drills and tests.
    public func crash() {
        let client = state.withLock { s in
            s.stopRequested = true
            return s.client
        }
        client?.abandon()
    }

    /// The agent now: last step, counters, policy, connection.
    public var snapshot: EdgeAgentSnapshot {
        let s = state.withLock { s in (s.client, s.telemetrySent, s.telemetrySkipped, s.birthsSent) }
        let rejected = rejections.total
        return core.withLock { c in
            EdgeAgentSnapshot(last: c.last, steps: c.steps, packFailures: c.packFailures, policyFailures: c.policyFailures,
                              commands: c.commandCounters, rejections: rejected, policySwaps: c.policySwaps,
                              policyRefusals: c.policyRefusals, policyCRC: c.policyCRC, localPolicyUsable: c.localPolicyUsable,
                              telemetrySent: s.1, telemetrySkipped: s.2, birthsSent: s.3,
                              connected: s.0?.isConnected ?? false, connections: s.0?.connectionCount ?? 0)
        }
    }

    /// The pack as the birth describes it.
    public var packInfo: DeviceStatus.PackInfo { core.withLock { $0.packInfo } }

    private var stopRequested: Bool { state.withLock { $0.stopRequested } }

    /// The next sequence number of this device's messages.
    func nextHeader() -> MessageHeader {
        MessageHeader(seq: sequence.add(1, ordering: .relaxed).newValue, timestampMs: epochMilliseconds())
    }

    private func connect() throws(MQTTError) -> MQTTClient {
        var options = configuration.mqtt
        let will = DeviceStatus(header: nextHeader(), state: .offline, reason: "will")
        options.will = MQTTMessage(topic: statusTopic, payload: will.encoded(), qos: .atLeastOnce, retain: true)
        let client = try MQTTClient(options: options) { [weak self] message in self?.receive(message) }
        try client.subscribe(commandsTopic, qos: .atLeastOnce)
        try client.subscribe(policyTopic, qos: .atLeastOnce)
        try client.connect()
        return client
    }

    /// Steps on the schedule of the clock speed; publishes telemetry every ``EdgeAgentConfiguration/stepsPerTelemetry``.
    private func loop(_ client: MQTTClient, _ onTelemetry: (@Sendable (Telemetry) -> Void)?) async {
        let c = configuration, every = c.stepsPerTelemetry
        let wallStep = Duration.nanoseconds(Int64((c.controlStep / c.speed * 1e9).rounded()))
        let wall = ContinuousClock()
        var next = wall.now, stepIndex = 0
        var mode = core.withLock { $0.last.mode }
        while !stopRequested && !Task.isCancelled {
            if let duration = c.duration, Double(stepIndex) * c.controlStep >= duration - 1e-9 { break }
            // Step k ends at k wall steps after the start, as the simulated time it reports.
            next += wallStep
            let now = wall.now
            if next < now - .seconds(1) { next = now }  // fell behind by more than a second: do not race to catch up
            await sleep(until: next, on: wall)
            if stopRequested || Task.isCancelled { break }
            stepIndex += 1
            let due = stepIndex % every == 0
            let (record, problem, telemetry) = core.withLock { controller in
                let record = controller.step(nowMs: clock.nowMs())
                let problem = controller.lastProblem
                controller.lastProblem = nil
                return (record, problem, due ? controller.telemetry(seq: 0, timestampMs: 0) : nil)
            }
            if let problem { log(problem) }
            if record.mode != mode {
                log("mode \(mode.rawValue) → \(record.mode.rawValue) at t = \(record.time) s")
                mode = record.mode
            }
            if var telemetry {
                telemetry.header = nextHeader()
                publish(telemetry, on: client)
                onTelemetry?(telemetry)
            }
            if state.withLock({ s in defer { s.birthDue = false }; return s.birthDue }) { publishBirth(on: client) }
        }
    }

    /// Sleeps until `deadline` in slices of at most 50 ms, returning early on ``stop()`` or cancellation; a
    /// deadline already past still yields, so that a loop at full speed leaves the executor to other tasks.
    private func sleep(until deadline: ContinuousClock.Instant, on wall: ContinuousClock) async {
        while !stopRequested {
            let left = deadline - wall.now
            guard left > .zero else {
                await Task.yield()
                return
            }
            do { try await Task.sleep(for: min(left, .milliseconds(50))) } catch { return }
        }
    }

    private func publish(_ telemetry: Telemetry, on client: MQTTClient) {
        var sent = false
        if client.isConnected {
            do {
                try client.publish(telemetryTopic, telemetry.encoded(), qos: configuration.telemetryQoS)
                sent = true
            } catch {
                log("telemetry seq \(telemetry.header.seq) not published: \(error)")
            }
        }
        state.withLock { s in if sent { s.telemetrySent += 1 } else { s.telemetrySkipped += 1 } }
    }

    /// Publishes the birth: online, the pack, the policy CRC (retained, QoS 1).
    func publishBirth(on client: MQTTClient) {
        let header = nextHeader()
        let birth = core.withLock { DeviceStatus(header: header, state: .online, pack: $0.packInfo, policyCRC: $0.policyCRC) }
        do {
            try client.publish(statusTopic, birth.encoded(), qos: .atLeastOnce, retain: true)
            state.withLock { $0.birthsSent += 1 }
        } catch {
            log("birth not published: \(error)")
        }
    }

    /// The clean goodbye: the offline status (reason `shutdown`, retained), then a clean disconnect (no will).
    private func shutdown(_ client: MQTTClient) async {
        if client.isConnected {
            let status = DeviceStatus(header: nextHeader(), state: .offline, reason: "shutdown")
            do {
                try client.publish(statusTopic, status.encoded(), qos: .atLeastOnce, retain: true)
                try await client.flush(timeout: 2)
            } catch {
                log("offline status not confirmed: \(error)")
            }
        }
        client.disconnect()
    }
}
