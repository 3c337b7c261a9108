import ArgumentParser
import Foundation
import PulseBMS

/// `pulse loadgen`: births and telemetry for thousands of synthetic devices over a few connections.
struct LoadGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadgen",
        abstract: "Publish telemetry on behalf of many devices, to load-test a coordinator.",
        discussion: """
        Devices are seeded synthetic packs named PREFIX-00000, PREFIX-00001, …: each publishes a retained birth, then \
        telemetry once per 1/RATE seconds on pulsebms/SITE/DEVICE/telemetry, then a retained shutdown death. The \
        report counts what was sent and what the broker acknowledged; the coordinator's metrics count what arrived \
        (`bench fleet` runs both and compares).
        """)

    @Option(help: ArgumentHelp("The broker.", valueName: "mqtt://HOST:PORT")) var broker = "mqtt://127.0.0.1:1883"
    @Option(help: "The site name.") var site = "site"
    @Option(help: "Devices to simulate.") var devices = 10_000
    @Option(help: "MQTT connections to spread them over.") var connections = 8
    @Option(help: "Telemetry messages per device per second.") var rate = 1.0
    @Option(help: "Seconds to publish for.") var duration = 30.0
    @Option(help: "QoS of the telemetry: 0 or 1.") var qos = 1
    @Option(help: "Device name prefix.") var prefix = "dev"
    @Option(help: "Seed of the synthetic packs.") var seed: UInt64 = 1
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        guard qos == 0 || qos == 1 else { throw ValidationError("--qos must be 0 or 1, not \(qos)") }
        let options = try MQTTOptions(broker: broker, clientID: "loadgen")
        var c = TelemetryLoadGenerator.Configuration()
        c.host = options.host; c.port = options.port; c.site = site; c.devices = devices; c.connections = connections
        c.rate = rate; c.duration = duration; c.qos = qos == 0 ? .atMostOnce : .atLeastOnce; c.seed = seed; c.prefix = prefix
        let report = try TelemetryLoadGenerator(c).run { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(String(format: "sent %d messages from %d devices over %d connections in %.0f s: %.0f msgs/s, %d publish errors, %d unacknowledged, largest lag %.1f ms",
                         report.sent, report.devices, report.connections, report.duration_s, report.sent_per_s,
                         report.publish_errors, report.unacknowledged, report.max_schedule_lag_ms))
        }
        if report.publish_errors > 0 || report.unacknowledged > 0 { throw ExitCode(1) }
    }
}
