import FleetProtocol
import Foundation
import MQTT

/// Everything a ``FleetCoordinator`` needs: the broker and site, the allocator and its period, the demand, and the
/// optional archive, metrics endpoint and policy distribution.
public struct CoordinatorConfiguration: Sendable {
    /// `mqtt://host[:port]` or `mqtts://host[:port]`.
    public var broker: String
    /// The site name (`[A-Za-z0-9_-]{1,64}`).
    public var site: String
    /// The MQTT client id (unique on the broker) of the subscribing connection; the publishing one adds `-pub`.
    public var clientID: String
    public var allocator: AllocatorChoice
    /// Seconds between allocations (default 1).
    public var period = 1.0
    public var demand: DemandSignal = .constant(watts: 0)
    /// A device with nothing heard for this many periods is stale and excluded (default 3).
    public var staleAfterPeriods = 3.0
    /// Commands expire this many periods after they are sent (default 3): a device that stops hearing from the
    /// coordinator falls back within that time.
    public var commandExpiryPeriods = 3.0
    /// The HDF5 telemetry archive to write, if any.
    public var archivePath: String?
    /// Seconds between the archive writer's batches.
    public var archiveFlushInterval = 0.5
    /// Port of the Prometheus endpoint on 127.0.0.1 (0: any free port; nil: none).
    public var metricsPort: Int?
    /// A `.pbp` policy to publish (retained) to every device's policy topic from the start.
    public var distributePolicy: [UInt8]?
    public var supervisor = SupervisorConfiguration()
    /// Whether devices the supervisor flags are left out of the allocation (default: no; the flags are advisory).
    public var excludeFlagged = false
    public var prices = AllocationPrices()
    /// The step Δt [s] of the policy's headroom features (nil: the period).
    public var policyFeatureStep: Double?
    /// Offset of the site's local time from UTC [s], for the policy's hour-of-day features and the daily profile.
    public var utcOffsetSeconds = TimeZone.current.secondsFromGMT()
    /// QoS of the telemetry subscription (1: every QoS-1 telemetry is delivered).
    public var telemetryQoS: QoS = .atLeastOnce
    /// MQTT keepalive [s].
    public var keepAlive = 10
    /// Called with one line per refused message and per notable event (e.g. the MPC's fallback).
    public var log: (@Sendable (String) -> Void)?
    /// Called after every allocation with what was published and the metrics.
    public var onPeriod: (@Sendable (SiteAllocation, CoordinatorMetrics) -> Void)?

    public init(broker: String, site: String, allocator: AllocatorChoice = .proportional, clientID: String? = nil) {
        self.broker = broker; self.site = site; self.allocator = allocator
        self.clientID = clientID ?? "pulsebms-coordinator-\(site)"
    }

    func validate() throws(CoordinatorError) {
        guard FleetTopic.isValidName(site) else {
            throw .invalidConfiguration("site \"\(site)\" is not 1–64 characters of [A-Za-z0-9_-]")
        }
        guard period >= 1e-3, period <= 86_400 else { throw .invalidConfiguration("period \(period) s is not in [0.001, 86400]") }
        // Both become millisecond counts: bounded to a year, so that no conversion can overflow.
        guard staleAfterPeriods > 0, staleAfterPeriods * period <= 3.2e7 else {
            throw .invalidConfiguration("stale time \(staleAfterPeriods) periods must be positive and at most a year")
        }
        guard commandExpiryPeriods > 0, commandExpiryPeriods * period <= 3.2e7 else {
            throw .invalidConfiguration("command expiry \(commandExpiryPeriods) periods must be positive and at most a year")
        }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw .invalidConfiguration("metrics port \(metricsPort) is not in 0...65535")
        }
        if let policyFeatureStep, !(policyFeatureStep > 0) {
            throw .invalidConfiguration("policy feature step \(policyFeatureStep) s must be positive")
        }
        let prices = [("tracking", self.prices.tracking), ("energy", self.prices.energy), ("degradation", self.prices.degradationPerWh)]
        for (name, value) in prices where !(value >= 0 && value.isFinite) {
            throw .invalidConfiguration("the \(name) price \(value) must be finite and not negative")
        }
        if case let .mpc(horizon) = allocator, !(1...1000).contains(horizon) {
            throw .invalidConfiguration("the MPC horizon \(horizon) is not in 1...1000 periods")
        }
        try supervisor.validate()
    }

    /// Local hour of day [0, 24) at `ms` since the epoch.
    func hourOfDay(atMs ms: Int64) -> Double {
        let seconds = (ms / 1000 + Int64(utcOffsetSeconds)) % 86_400
        return Double(seconds < 0 ? seconds + 86_400 : seconds) / 3600
    }
}
