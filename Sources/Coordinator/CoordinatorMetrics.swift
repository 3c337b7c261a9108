import FleetProtocol

/// A snapshot of the coordinator's counters and gauges (``FleetCoordinator/metrics``), also served in the
/// Prometheus text format (``prometheusText()``).
public struct CoordinatorMetrics: Sendable, Equatable {
    /// MQTT messages received on any subscribed topic, and telemetry accepted (duplicates included).
    public var received = 0, ingested = 0
    /// Telemetry accepted per second over the last allocation period.
    public var ingestRate = 0.0
    /// Telemetry-to-state latency [ms]: receive time − the telemetry's `ts`.
    public var latencyP50Ms = 0.0, latencyP99Ms = 0.0
    public var latency = LatencyHistogram()
    /// The last allocation's compute time [ms] (snapshot, allocator and projection), its p99 over the run, and the
    /// last whole cycle [ms] (compute, encoding and publishing every command and the site allocation).
    public var lastAllocationMs = 0.0, allocationP99Ms = 0.0, lastCycleMs = 0.0
    public var allocationTimes = LatencyHistogram()
    /// The whole cycle's p99 over the run [ms] and its histogram: allocation end to end.
    public var cycleP99Ms = 0.0
    public var cycleTimes = LatencyHistogram()
    public var allocations = 0
    /// Periods whose allocation started a full period late (the loop could not keep up).
    public var overruns = 0
    /// Allocations that failed outright (nothing published that period).
    public var allocationFailures = 0
    /// MPC plans that fell back to the exact one-step allocation.
    public var mpcFallbacks = 0
    /// Sum of the gaps in the devices' telemetry sequence numbers; QoS-1 duplicates; sequence restarts.
    public var lostMessages = 0, duplicates = 0, restarts = 0
    /// Telemetry from devices whose death had arrived.
    public var telemetryWhileOffline = 0
    /// Refused messages in total and by reason.
    public var rejections = 0
    public var rejectionsByReason: [RejectionReason: Int] = [:]
    /// Devices by state (and online devices with an active supervisor flag).
    public var devices = DeviceRegistry.Counts()
    /// Supervisor flags raised so far and active now, by flag name (``SupervisorFlags/all``).
    public var flagsRaised: [String: Int] = [:], flagsActive: [String: Int] = [:]
    /// Setpoint commands and policy files published, births and deaths heard.
    public var commandsPublished = 0, policiesPublished = 0, births = 0, deaths = 0
    /// Periods whose commands were not sent because the previous periods' were still unacknowledged.
    public var commandPeriodsSkipped = 0
    /// The last period's demand and allocated power [W], whether the demand was met, and devices allocated.
    public var demand = 0.0, allocated = 0.0
    public var demandMet = true
    public var devicesAllocated = 0
    /// Telemetry rows written to the archive, and its last write error.
    public var archiveRows = 0
    public var archiveError: String?
    /// Whether the MQTT connection is up, and connections made (reconnects add one each).
    public var connected = false
    public var connections = 0

    public init() {}
}
