import FleetProtocol
import Foundation
import MQTT
import SeededRandom
import Synchronization

/// Births and telemetry on behalf of many devices over a few MQTT connections: the load test of a coordinator
/// (`pulse loadgen`, `bench fleet`).
///
/// Devices are ``SyntheticFleet`` packs whose current follows a seeded random walk within their limits, with SoC
/// by coulomb counting and the terminal voltage from the cell window and the pack resistance — so the load is the
/// protocol's, not the physics'. They are spread over `connections` clients, each on its own thread; each device
/// publishes once per 1/`rate` s at an even offset within the period, so the broker sees a steady stream. Every
/// device announces itself with a retained birth first and leaves with a retained `shutdown` death at the end.
public final class TelemetryLoadGenerator: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1", port = 1883
        public var site = "site"
        public var devices = 10_000, connections = 8
        /// Telemetry messages per device per second, and seconds to publish for.
        public var rate = 1.0, duration = 30.0
        public var qos = QoS.atLeastOnce
        public var seed: UInt64 = 1
        public var prefix = "dev"
        public init() {}
    }

    /// What was sent. (What arrived is the coordinator's to count.)
    public struct Report: Sendable, Codable {
        public var devices: Int, connections: Int, rate_hz: Double, duration_s: Double, qos: Int
        /// Telemetry handed to the clients, and publish calls that failed.
        public var sent: Int, publish_errors: Int
        /// QoS-1 messages the broker had not acknowledged when the run ended (after a 30 s flush).
        public var unacknowledged: Int
        /// Telemetry sent over the send window [msgs/s].
        public var sent_per_s: Double
        /// Largest delay of a publication behind its schedule [ms].
        public var max_schedule_lag_ms: Double
    }

    public let configuration: Configuration
    private let clients: [MQTTClient]

    public init(_ configuration: Configuration) throws(CoordinatorError) {
        let c = configuration
        guard c.devices > 0, c.connections > 0, c.rate >= 0.01, c.rate <= 1000, c.duration > 0, c.duration <= 86_400 else {
            throw .invalidConfiguration("devices and connections must be positive, the rate in [0.01, 1000] Hz and the duration in (0, 86400] s")
        }
        guard FleetTopic.isValidName(c.site) else { throw .invalidConfiguration("invalid site name \"\(c.site)\"") }
        guard FleetTopic.isValidDevice(SyntheticFleet.name(c.devices - 1, prefix: c.prefix)) else {
            throw .invalidConfiguration("prefix \"\(c.prefix)\" does not make valid device names")
        }
        self.configuration = c
        let run = UUID().uuidString.prefix(8)
        var clients: [MQTTClient] = []
        for k in 0..<min(c.connections, c.devices) {
            var options = MQTTOptions(host: c.host, port: c.port, clientID: "pulse-loadgen-\(run)-\(k)")
            options.maxInflight = 65_535
            do { clients.append(try MQTTClient(options: options)) } catch { throw .mqtt(error) }
        }
        self.clients = clients
    }

    /// Connects, announces the devices, publishes for `duration` seconds, waits for the broker's acknowledgements,
    /// retires the devices and reports. `progress` gets a line every 5 s.
    public func run(progress: @Sendable (String) -> Void = { _ in }) throws(CoordinatorError) -> Report {
        let c = configuration
        do {
            for client in clients { try client.connect() }
        } catch { throw .mqtt(error) }
        let connectDeadline = Date().addingTimeInterval(10)
        while !clients.allSatisfy(\.isConnected) {
            guard Date() < connectDeadline else { throw .mqtt(.timeout("the load generator's connections to \(c.host):\(c.port)")) }
            usleep(10_000)
        }
        let groups = clients.indices.map { k in
            stride(from: k, to: c.devices, by: clients.count).map { LoadDevice(index: $0, configuration: c) }
        }
        var statusErrors = announce(groups) { $0.birth() }
        waitForAcknowledgements(seconds: 30)
        let ticks = max(1, Int((c.duration * c.rate).rounded()))
        let start = Date().addingTimeInterval(0.2)
        let results = Mutex<[(sent: Int, errors: Int, lag: Double)]>(Array(repeating: (0, 0, 0), count: clients.count))
        let group = DispatchGroup()
        for (k, client) in clients.enumerated() {
            group.enter()
            let devices = groups[k]
            let thread = Thread {
                var devices = devices
                let r = Self.publish(&devices, on: client, configuration: c, ticks: ticks, start: start) { sent in
                    results.withLock { $0[k].sent = sent }
                }
                results.withLock { $0[k] = r }
                group.leave()
            }
            thread.start()
        }
        while group.wait(timeout: .now() + 5) == .timedOut {
            let sent = results.withLock { $0.reduce(0) { $0 + $1.sent } }
            progress(String(format: "loadgen: %.0f s, %d messages sent", Date().timeIntervalSince(start), sent))
        }
        let window = Date().timeIntervalSince(start)
        waitForAcknowledgements(seconds: 30)
        let totals = results.withLock { $0.reduce((0, 0, 0.0)) { ($0.0 + $1.sent, $0.1 + $1.errors, max($0.2, $1.lag)) } }
        var report = Report(devices: c.devices, connections: clients.count, rate_hz: c.rate, duration_s: c.duration,
                            qos: Int(c.qos.rawValue), sent: totals.0, publish_errors: totals.1 + statusErrors,
                            unacknowledged: clients.reduce(0) { $0 + $1.unacknowledged },
                            sent_per_s: Double(totals.0) / max(window, 1e-9), max_schedule_lag_ms: totals.2 * 1000)
        statusErrors = announce(groups) { $0.death() }
        report.publish_errors += statusErrors
        waitForAcknowledgements(seconds: 10)
        for client in clients { client.disconnect() }
        return report
    }

    /// Publishes every device's retained status; returns the failed publications.
    private func announce(_ groups: [[LoadDevice]], _ payload: (LoadDevice) -> [UInt8]) -> Int {
        var errors = 0
        for (k, devices) in groups.enumerated() {
            for d in devices {
                do { try clients[k].publish(d.statusTopic, payload(d), retain: true) } catch { errors += 1 }
            }
        }
        return errors
    }

    private func waitForAcknowledgements(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while clients.contains(where: { $0.unacknowledged > 0 }) && Date() < deadline { usleep(5_000) }
    }

    /// One connection's loop: every device once per period, at its offset within the period.
    private static func publish(_ devices: inout [LoadDevice], on client: MQTTClient, configuration c: Configuration, ticks: Int,
                                start: Date, progress: (Int) -> Void) -> (sent: Int, errors: Int, lag: Double) {
        var sent = 0, errors = 0, lag = 0.0
        let period = 1 / c.rate
        for tick in 0..<ticks {
            for j in devices.indices {
                let ahead = start.addingTimeInterval((Double(tick) + Double(j) / Double(devices.count)) * period).timeIntervalSinceNow
                if ahead > 0.001 { usleep(UInt32(min(ahead, 100) * 1e6)) } else { lag = max(lag, -ahead) }
                do {
                    try client.publish(devices[j].telemetryTopic, devices[j].step(dt: period), qos: c.qos)
                    sent += 1
                } catch {
                    errors += 1
                }
            }
            progress(sent)
        }
        return (sent, errors, lag)
    }
}

/// One load-test device: a ``SyntheticFleet`` pack with a random-walk current.
struct LoadDevice {
    let telemetryTopic: String, statusTopic: String
    private let pack: DeviceStatus.PackInfo
    private var telemetry: Telemetry
    private var random: Xoshiro256StarStar
    private var seq: UInt64 = 0

    init(index: Int, configuration c: TelemetryLoadGenerator.Configuration) {
        let name = SyntheticFleet.name(index, prefix: c.prefix)
        telemetryTopic = FleetTopic.telemetry(site: c.site, device: name).string
        statusTopic = FleetTopic.status(site: c.site, device: name).string
        (pack, telemetry) = SyntheticFleet.device(index, seed: c.seed)
        random = Xoshiro256StarStar(seed: c.seed ^ (0xA5A5_0000 &+ UInt64(index)))
    }

    func birth() -> [UInt8] {
        DeviceStatus(header: MessageHeader(seq: 0, timestampMs: epochMilliseconds()), state: .online, pack: pack).encoded()
    }

    func death() -> [UInt8] {
        DeviceStatus(header: MessageHeader(seq: seq + 1, timestampMs: epochMilliseconds()), state: .offline, reason: "shutdown").encoded()
    }

    /// Advances `dt` seconds and returns the telemetry payload.
    mutating func step(dt: Double) -> [UInt8] {
        seq += 1
        var t = telemetry
        let limit = 0.5 * t.limits.dischargeCurrent
        var current = min(max(t.current + random.nextNormal(standardDeviation: 0.1 * limit), -limit), limit)
        if t.stateOfCharge < t.limits.socMin + 0.05 { current = -abs(current) }
        if t.stateOfCharge > t.limits.socMax - 0.05 { current = abs(current) }
        let capacity = pack.capacity * t.stateOfHealth
        t.stateOfCharge = min(max(t.stateOfCharge - current * dt / 3600 / capacity, 0), 1)
        let cell = pack.cellVoltageMin + (pack.cellVoltageMax - pack.cellVoltageMin) * (0.15 + 0.7 * t.stateOfCharge)
            - pack.resistance * current / Double(pack.series)
        t.voltage = cell * Double(pack.series)
        t.current = current
        t.power = t.voltage * current
        t.cellVoltageMin = cell - 0.01; t.cellVoltageMax = cell + 0.01
        t.header = MessageHeader(seq: seq, timestampMs: epochMilliseconds())
        telemetry = t
        return t.encoded()
    }
}
