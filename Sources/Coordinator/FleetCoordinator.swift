import FleetProtocol
import MQTT
import PolicyFormat
import Synchronization

/// The cloud side of a PulseBMS site: it keeps the device registry from births, deaths and telemetry, allocates
/// the site demand every period with the configured allocator, and publishes the result as the retained site
/// allocation and as one expiring setpoint command per device (QoS 1). Around that loop: the cloud safety
/// supervisor (``SupervisorConfiguration``), the HDF5 telemetry archive, policy distribution and a Prometheus endpoint.
///
///     let coordinator = try FleetCoordinator(configuration: configuration)
///     Task { try await coordinator.run() }      // until stop() or cancellation
///     … coordinator.metrics …                   // thread-safe snapshot at any time
///     coordinator.stop()
///
/// Messages are handled on the MQTT library's thread (``MessageIngest``); the allocation loop runs in `run()`.
/// A coordinator runs once.
public final class FleetCoordinator: Sendable {
    public let configuration: CoordinatorConfiguration
    public let registry: DeviceRegistry
    /// Refused messages by reason.
    public let rejections: RejectionCounter
    /// The telemetry archive, when configured.
    public let archive: TelemetryArchive?
    /// The subscribing connection: its network thread runs the message handler and does nothing else.
    let client: MQTTClient
    /// The publishing connection (commands, allocations, policies), so that writing 10,000 commands a period does not
    /// hold up the reading of telemetry on the other connection's thread.
    let publisher: MQTTClient
    let ingest: MessageIngest
    let metricsServer: MetricsServer?

    /// The run loop's state and the counters it keeps.
    struct RunState {
        var started = false, stopRequested = false, finished = false
        var metrics = CoordinatorMetrics()
        var lastAllocation: SiteAllocation?
        /// The validated policy to distribute, its CRC, and how many registry devices (by index) have it.
        var policy: (bytes: [UInt8], crc: UInt32)?
        var policySentTo = 0
        /// Telemetry count and time [ms] at the last rate sample.
        var rateSample: (count: Int, ms: Double)?
        /// Devices whose next command asks them to clear their latched faults.
        var faultResets = Set<String>()
    }

    let state = Mutex(RunState())

    /// Checks the configuration, loads the policy (if any), creates the MQTT client, the archive file and the
    /// metrics endpoint. Nothing is connected until ``run()``.
    public init(configuration: CoordinatorConfiguration) throws(CoordinatorError) {
        try configuration.validate()
        self.configuration = configuration
        if case let .policy(bytes) = configuration.allocator { _ = try PolicyAllocator(bytes: bytes) }
        let distribute = try configuration.distributePolicy.map { bytes throws(CoordinatorError) in (bytes, try Self.validatePolicy(bytes)) }
        registry = DeviceRegistry(period: configuration.period, staleAfterPeriods: configuration.staleAfterPeriods,
                                  supervisor: configuration.supervisor)
        rejections = RejectionCounter(log: configuration.log)
        var options: MQTTOptions
        do {
            options = try MQTTOptions(broker: configuration.broker, clientID: configuration.clientID)
        } catch {
            throw .invalidConfiguration("\(error)")
        }
        options.keepAlive = configuration.keepAlive
        let server: MetricsServer?
        let box = WeakCoordinator()
        if let port = configuration.metricsPort {
            server = try MetricsServer(port: port) { box.coordinator?.metrics.prometheusText() ?? "" }
        } else {
            server = nil
        }
        do {
            archive = try configuration.archivePath.map { path throws(CoordinatorError) in
                try TelemetryArchive(path: path, flushInterval: configuration.archiveFlushInterval)
            }
        } catch {
            server?.stop()
            throw error
        }
        metricsServer = server
        ingest = MessageIngest(site: configuration.site, registry: registry, rejections: rejections, archive: archive,
                               demand: DemandInbox())
        let ingest = ingest
        var publishing = options
        publishing.clientID = configuration.clientID + "-pub"
        do {
            client = try MQTTClient(options: options) { message in ingest.handle(message) }
            publisher = try MQTTClient(options: publishing)
        } catch {
            server?.stop(); archive?.stop()
            throw .invalidConfiguration("\(error)")
        }
        if let distribute { state.withLock { $0.policy = (distribute.0, distribute.1) } }
        box.coordinator = self
    }

    deinit {
        metricsServer?.stop()
        archive?.stop()
    }

    /// The port of the metrics endpoint, if one was configured.
    public var metricsPort: Int? { metricsServer?.port }

    /// Asks ``run()`` to return after the present period (and releases its resources); idempotent.
    public func stop() { state.withLock { $0.stopRequested = true } }

    /// The last site allocation published.
    public var lastAllocation: SiteAllocation? { state.withLock { $0.lastAllocation } }

    /// Asks `devices` to clear their latched faults whose condition is gone (an operator's acknowledgement): their
    /// next setpoint command carries `reset_faults`. A device excluded from the allocation (a fault makes it so) gets
    /// a 0 W command with the request.
    public func requestFaultReset(_ devices: [String]) {
        state.withLock { $0.faultResets.formUnion(devices) }
    }

    /// Publishes `bytes` (a `.pbp` policy, checked by the edge runtime first) retained at QoS 1 on every known
    /// device's policy topic, and on the topic of every device that appears later. Sent by the allocation loop
    /// within one period; replaces a policy distributed before.
    public func distribute(policy bytes: [UInt8]) throws(CoordinatorError) {
        let crc = try Self.validatePolicy(bytes)
        state.withLock { s in s.policy = (bytes, crc); s.policySentTo = 0 }
    }

    /// Loads `bytes` with the edge runtime (CRC, version, structure); returns its CRC-32.
    static func validatePolicy(_ bytes: [UInt8]) throws(CoordinatorError) -> UInt32 {
        guard bytes.count <= FleetProtocolVersion.maxPolicyBytes else {
            throw .invalidPolicy("\(bytes.count) bytes exceed the protocol's limit of \(FleetProtocolVersion.maxPolicyBytes)")
        }
        do {
            return try EdgePolicy(bytes: bytes).crc32
        } catch {
            throw .invalidPolicy("\(error)")
        }
    }

    /// A snapshot of the counters and gauges (thread-safe).
    public var metrics: CoordinatorMetrics {
        let nowMs = MessageIngest.nowMs()
        var m = state.withLock { $0.metrics }
        let counters = registry.counters, latency = registry.latency
        m.received = ingest.received.load(ordering: .relaxed)
        m.ingested = counters.telemetry
        m.latency = latency
        m.latencyP50Ms = latency.percentile(0.5); m.latencyP99Ms = latency.percentile(0.99)
        m.allocationP99Ms = m.allocationTimes.percentile(0.99)
        m.cycleP99Ms = m.cycleTimes.percentile(0.99)
        m.lostMessages = counters.lostMessages; m.duplicates = counters.duplicates; m.restarts = counters.restarts
        m.telemetryWhileOffline = counters.telemetryWhileOffline
        m.births = counters.births; m.deaths = counters.deaths
        m.rejections = rejections.total
        m.rejectionsByReason = Dictionary(uniqueKeysWithValues: rejections.counts.map { ($0.reason, $0.count) })
        m.devices = registry.counts(atMs: nowMs)
        for (k, entry) in SupervisorFlags.all.enumerated() {
            m.flagsRaised[entry.name] = counters.flagsRaised[k]
            m.flagsActive[entry.name] = m.devices.flags[k]
        }
        m.archiveRows = archive?.rowsWritten ?? 0
        m.archiveError = archive?.lastError
        m.connected = client.isConnected && publisher.isConnected
        m.connections = client.connectionCount
        return m
    }
}

/// A weak reference to the coordinator for the metrics endpoint's renderer (which the coordinator owns).
final class WeakCoordinator: Sendable {
    private struct Reference { weak var coordinator: FleetCoordinator? }
    private let reference = Mutex(Reference())

    var coordinator: FleetCoordinator? {
        get { reference.withLock { $0.coordinator } }
        set { reference.withLock { $0.coordinator = newValue } }
    }
}
