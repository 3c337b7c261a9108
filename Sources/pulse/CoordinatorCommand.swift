import ArgumentParser
import Coordinator
import Dispatch
import FleetProtocol
import Foundation
import Synchronization

/// `pulse coordinator --broker mqtt://127.0.0.1:PORT --site S --allocator proportional|mpc|policy …`: the cloud
/// coordinator of one site until SIGINT/SIGTERM or `--duration`.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a site's fleet coordinator: registry, allocation every period, supervisor, archive, metrics.",
        discussion: """
        Devices appear from their births (pulsebms/S/+/status) and telemetry (pulsebms/S/+/telemetry); a device \
        silent for --stale-periods periods is stale, one whose death (its MQTT will) arrived is offline, and both \
        are left out. Every --period seconds the demand is split over the rest by the allocator and published as \
        the retained site allocation and as one setpoint command per device, expiring after --expiry-periods \
        periods. --demand: constant:W, sine:AMPLITUDE_W:PERIOD_S, daily:PEAK_W, or topic (DemandMessage on \
        pulsebms/S/coordinator/demand). --allocator policy runs --policy FILE.pbp (a PulseBMS/FleetDispatch-v0 \
        per-pack policy) per device. One status line per period goes to stdout; refused messages to stderr. \
        `swift run -c release bench fleet` measures it under a 10,000-device load.
        """)

    enum AllocatorName: String, ExpressibleByArgument, CaseIterable { case proportional, mpc, policy }

    @Option(help: "The broker: mqtt://host[:port] or mqtts://host[:port].") var broker: String?
    @Option(help: "The site name ([A-Za-z0-9_-], 1–64 characters).") var site: String?
    @Option(help: "proportional, mpc or policy.") var allocator: AllocatorName = .proportional
    @Option(help: "The .pbp policy of --allocator policy.") var policy: String?
    @Option(help: "The MPC's horizon in periods.") var horizon: Int = MPCAllocator.defaultHorizon
    @Option(help: "The step [s] of the policy's headroom features (default: the period; FleetDispatch-v0 trains at 60).")
    var policyFeatureStep: Double?
    @Option(help: "Seconds between allocations.") var period: Double = 1
    @Option(help: "constant:W | sine:AMPLITUDE_W:PERIOD_S | daily:PEAK_W | topic.") var demand: String = "constant:0"
    @Option(help: "Write the telemetry archive to this HDF5 file.") var archive: String?
    @Option(help: "Serve Prometheus metrics on 127.0.0.1:N/metrics (0: any free port).") var metricsPort: Int?
    @Option(help: "Publish this .pbp policy to every device's policy topic (retained).") var distribute: String?
    @Option(help: "Stop after this many seconds (default: until SIGINT/SIGTERM).") var duration: Double?
    @Option(help: "Periods of silence after which a device is stale.") var stalePeriods: Double = 3
    @Option(help: "Periods after which a command expires.") var expiryPeriods: Double = 3
    @Flag(help: "Leave devices flagged by the safety supervisor out of the allocation.") var excludeFlagged = false
    @Option(help: "MQTT client id (default pulsebms-coordinator-SITE).") var clientId: String?

    func validate() throws {
        guard period > 0, period.isFinite else { throw ValidationError("--period must be positive, not \(period)") }
        if let duration, !(duration > 0 && duration <= 3.2e7) {
            throw ValidationError("--duration must be positive and at most a year (3.2e7 s), not \(duration)")
        }
        guard broker != nil && site != nil else { throw ValidationError("--broker and --site are required") }
        if allocator == .policy, policy == nil { throw ValidationError("--allocator policy needs --policy FILE.pbp") }
        if allocator != .policy, policy != nil {
            throw ValidationError("--policy is only used with --allocator policy (use --distribute to send a policy to the devices)")
        }
    }

    func run() async throws {
        let coordinator = try FleetCoordinator(configuration: try makeConfiguration())
        if let port = coordinator.metricsPort { print("metrics on http://127.0.0.1:\(port)/metrics") }
        print("coordinating site \(site!) on \(broker!) with the \(allocator.rawValue) allocator every \(period) s")
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { coordinator.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        if let duration {
            Task.detached {
                try? await Task.sleep(for: .milliseconds(Int64(duration * 1000)))
                coordinator.stop()
            }
        }
        try await coordinator.run()
        let m = coordinator.metrics
        print("stopped: \(m.allocations) allocations, \(m.ingested) telemetry ingested, \(m.lostMessages) lost, "
              + "\(m.rejections) rejected, \(m.commandsPublished) commands published")
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CoordinatorError.invalidConfiguration("cannot read \(path)") }
        return Array(data)
    }

    func makeConfiguration() throws -> CoordinatorConfiguration {
        let choice: AllocatorChoice = switch allocator {
        case .proportional: .proportional
        case .mpc: .mpc(horizon: horizon)
        case .policy: .policy(bytes: try Self.read(policy!))
        }
        var c = CoordinatorConfiguration(broker: broker!, site: site!, allocator: choice, clientID: clientId)
        c.period = period
        c.demand = try DemandSignal(parsing: demand)
        c.staleAfterPeriods = stalePeriods
        c.commandExpiryPeriods = expiryPeriods
        c.archivePath = archive
        c.metricsPort = metricsPort
        c.distributePolicy = try distribute.map(Self.read)
        c.excludeFlagged = excludeFlagged
        c.policyFeatureStep = policyFeatureStep
        let log = StderrLog()
        c.log = { log.write($0) }
        c.onPeriod = { allocation, metrics in print(Self.statusLine(allocation, metrics)) }
        return c
    }

    /// One period's status: devices, demand against allocation, allocation time, ingest.
    static func statusLine(_ a: SiteAllocation, _ m: CoordinatorMetrics) -> String {
        func kw(_ w: Double) -> String { String(format: "%.1f", abs(w) < 50 ? 0 : w / 1000) }
        return "devices \(m.devices.online) online \(m.devices.stale) stale \(m.devices.offline) offline "
            + "(\(a.devices.count) allocated, \(m.devices.flagged) flagged) | demand \(kw(a.demand)) kW allocated \(kw(a.allocated)) kW"
            + (a.demandMet ? "" : " (not met)") + " | allocation \(String(format: "%.1f", m.lastAllocationMs)) ms"
            + " | ingest \(String(format: "%.0f", m.ingestRate)) msg/s, p99 \(String(format: "%.1f", m.latencyP99Ms)) ms"
            + " | rejected \(m.rejections) lost \(m.lostMessages)" + (m.connected ? "" : " | broker not connected")
    }
}

/// Lines to stderr: the first 20, then one in every 1000 (a flood of bad messages must not drown the status).
final class StderrLog: Sendable {
    private let count = Mutex(0)

    func write(_ line: String) {
        let n = count.withLock { c -> Int in c += 1; return c }
        guard n <= 20 || n % 1000 == 0 else { return }
        FileHandle.standardError.write(Data(((n > 20 ? "[\(n) log lines so far] " : "") + line + "\n").utf8))
    }
}
