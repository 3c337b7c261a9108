import ArgumentParser
import Foundation
import PulseBMS

/// Telemetry on behalf of many devices over a few MQTT connections, for load tests of a coordinator.
///
/// Each device is a cheap synthetic pack — an energy reservoir with a seeded random-walk current, a linear OCV
/// and a first-order temperature — so that the load is the protocol's, not the physics'. Devices are spread over
/// `connections` clients, each on its own thread, and each device publishes once per 1/`rate` seconds at an even
/// offset within the period, so the broker sees a steady stream rather than bursts.
final class LoadGenerator: @unchecked Sendable {
    struct Configuration {
        var host = "127.0.0.1", port = 1883
        var site = "site"
        var devices = 10_000, connections = 8
        var rate = 1.0, duration = 30.0
        var qos = QoS.atLeastOnce
        var seed: UInt64 = 1
        var devicePrefix = "load"
    }

    struct Report: Codable {
        var devices: Int, connections: Int, rate_hz: Double, duration_s: Double, qos: Int
        /// Messages handed to the clients, and publish calls that failed.
        var sent: Int, publish_errors: Int
        /// QoS-1 messages the broker had not acknowledged when the run ended (after a 30 s flush).
        var unacknowledged: Int
        /// Sent messages over the send window [msgs/s].
        var sent_per_s: Double
        /// Largest delay of a publication behind its schedule [ms].
        var max_schedule_lag_ms: Double
    }

    let configuration: Configuration
    private let clients: [MQTTClient]

    init(_ configuration: Configuration) throws {
        guard configuration.devices > 0, configuration.connections > 0, configuration.rate > 0, configuration.duration > 0 else {
            throw ValidationError("devices, connections, rate and duration must be positive")
        }
        guard FleetTopic.isValidName(configuration.site) else { throw ValidationError("invalid site name \"\(configuration.site)\"") }
        self.configuration = configuration
        let run = UUID().uuidString.prefix(8)
        clients = try (0..<min(configuration.connections, configuration.devices)).map { c in
            var options = MQTTOptions(host: configuration.host, port: configuration.port, clientID: "pulse-loadgen-\(run)-\(c)")
            options.maxInflight = 65535
            return try MQTTClient(options: options)
        }
    }

    /// Connects, publishes for `duration` seconds, waits for the broker's acknowledgements and reports.
    func run(progress: (String) -> Void) throws -> Report {
        let c = configuration
        for client in clients { try client.connect() }
        let connectDeadline = Date().addingTimeInterval(10)
        while !clients.allSatisfy(\.isConnected) {
            guard Date() < connectDeadline else { throw MQTTError.timeout("the load generator's connections to \(c.host):\(c.port)") }
            usleep(10_000)
        }
        let ticks = max(1, Int((c.duration * c.rate).rounded()))
        let start = Date().addingTimeInterval(0.2)
        let results = LockedResults(count: clients.count)
        let group = DispatchGroup()
        for (index, client) in clients.enumerated() {
            let devices = stride(from: index, to: c.devices, by: clients.count).map { i in
                SyntheticPack(name: "\(c.devicePrefix)\(i)", seed: c.seed &+ UInt64(i))
            }
            group.enter()
            let thread = Thread { [c] in
                results.set(index, LoadGenerator.publish(devices, on: client, configuration: c, ticks: ticks, start: start))
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        while group.wait(timeout: .now() + 5) == .timedOut {
            progress(String(format: "loadgen: %.0f s, %d messages sent", Date().timeIntervalSince(start), results.sentSoFar))
        }
        let sendWindow = Date().timeIntervalSince(start)
        let flushDeadline = Date().addingTimeInterval(30)
        while clients.contains(where: { $0.unacknowledged > 0 }) && Date() < flushDeadline { usleep(10_000) }
        let totals = results.totals
        let report = Report(devices: c.devices, connections: clients.count, rate_hz: c.rate, duration_s: c.duration, qos: Int(c.qos.rawValue),
                            sent: totals.sent, publish_errors: totals.errors,
                            unacknowledged: clients.reduce(0) { $0 + $1.unacknowledged },
                            sent_per_s: Double(totals.sent) / max(sendWindow, 1e-9), max_schedule_lag_ms: totals.lag * 1000)
        for client in clients { client.disconnect() }
        return report
    }

    /// One connection's loop: every device once per period, at its offset within the period.
    private static func publish(_ devices: [SyntheticPack], on client: MQTTClient, configuration c: Configuration,
                                ticks: Int, start: Date) -> (sent: Int, errors: Int, lag: Double) {
        var devices = devices
        var sent = 0, errors = 0, lag = 0.0
        let period = 1 / c.rate
        for tick in 0..<ticks {
            for j in devices.indices {
                let due = start.addingTimeInterval((Double(tick) + Double(j) / Double(devices.count)) * period)
                let ahead = due.timeIntervalSinceNow
                if ahead > 0.001 { usleep(UInt32(ahead * 1e6)) } else { lag = max(lag, -ahead) }
                let telemetry = devices[j].step(dt: period, seq: UInt64(tick))
                do {
                    try client.publish(FleetTopic.telemetry(site: c.site, device: devices[j].name).string,
                                       telemetry.encoded(), qos: c.qos)
                    sent += 1
                } catch {
                    errors += 1
                }
            }
        }
        return (sent, errors, lag)
    }
}

/// Per-connection results, written by the worker threads.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(sent: Int, errors: Int, lag: Double)?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: (sent: Int, errors: Int, lag: Double)) { lock.lock(); results[i] = r; lock.unlock() }
    var sentSoFar: Int { lock.lock(); defer { lock.unlock() }; return results.reduce(0) { $0 + ($1?.sent ?? 0) } }
    var totals: (sent: Int, errors: Int, lag: Double) {
        lock.lock(); defer { lock.unlock() }
        return results.reduce((0, 0, 0.0)) { ($0.0 + ($1?.sent ?? 0), $0.1 + ($1?.errors ?? 0), max($0.2, $1?.lag ?? 0)) }
    }
}
