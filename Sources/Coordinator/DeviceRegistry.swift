import FleetProtocol
import Synchronization

/// The coordinator's view of the site's devices, fed from births and deaths (`status`, the death being the MQTT
/// will) and from telemetry. Thread-safe: the MQTT library thread ingests while the allocation loop reads.
///
/// - A device appears on its first birth or its first telemetry, and keeps its index for the life of the registry.
/// - **Stale**: nothing heard for more than `staleAfterPeriods` × `period` (3 periods by default); excluded from
///   allocation until it is heard again.
/// - **Offline**: its death arrived; excluded at once and until its next birth. Telemetry from an offline device is
///   recorded but does not bring it back: a device that reconnects publishes a birth first (as in Sparkplug B).
/// - **Lost messages**: the sum of the gaps in each device's telemetry sequence numbers. A repeated number is a
///   QoS-1 duplicate; a smaller number, or a birth, restarts the sequence and is not a loss.
/// - **Latency**: receive time − the telemetry's `ts`, in a ``LatencyHistogram``.
public final class DeviceRegistry: Sendable {
    /// Totals since the registry was made.
    public struct Counters: Sendable, Equatable {
        /// Telemetry accepted (duplicates included), births and deaths.
        public var telemetry = 0, births = 0, deaths = 0
        public var duplicates = 0, restarts = 0, lostMessages = 0
        /// Telemetry from devices whose death had arrived (recorded, not allocated).
        public var telemetryWhileOffline = 0
        /// Rising edges of each supervisor flag, in the order of ``SupervisorFlags/all``.
        public var flagsRaised = [Int](repeating: 0, count: SupervisorFlags.all.count)
    }

    /// Device counts by state.
    public struct Counts: Sendable, Equatable {
        public var online = 0, stale = 0, offline = 0
        /// Online devices with at least one active supervisor flag, and with each flag (``SupervisorFlags/all``).
        public var flagged = 0
        public var flags = [Int](repeating: 0, count: SupervisorFlags.all.count)
        public var total: Int { online + stale + offline }

        public init(online: Int = 0, stale: Int = 0, offline: Int = 0) {
            self.online = online; self.stale = stale; self.offline = offline
        }
    }

    struct State {
        var index: [String: Int] = [:]
        var records: [DeviceRecord] = []
        var counters = Counters()
        var latency = LatencyHistogram()
    }

    /// The allocation period [s]; a device is stale after `staleAfterPeriods` of them without a message.
    public let period: Double
    public let staleAfterPeriods: Double
    public let supervisor: SupervisorConfiguration
    let state = Mutex(State())

    public init(period: Double, staleAfterPeriods: Double = 3, supervisor: SupervisorConfiguration = SupervisorConfiguration()) {
        precondition(period > 0 && staleAfterPeriods > 0, "the period and the stale time must be positive")
        self.period = period; self.staleAfterPeriods = staleAfterPeriods; self.supervisor = supervisor
    }

    /// The stale time [ms].
    public var staleMilliseconds: Double { staleAfterPeriods * period * 1000 }

    private static func register(_ device: String, in s: inout State, heardMs: Double) -> Int {
        if let i = s.index[device] { return i }
        let i = s.records.count
        s.records.append(DeviceRecord(name: device, index: i, heardMs: heardMs))
        s.index[device] = i
        return i
    }

    /// What one telemetry message did.
    public struct IngestOutcome: Sendable, Equatable {
        /// The device's index.
        public var index: Int
        /// Whether it repeated one of the device's last 64 sequence numbers (then nothing changed).
        public var duplicate: Bool
        /// Messages missing before it; −1 when it arrived late and filled a gap counted earlier.
        public var lost: Int
        /// Supervisor flags it raised.
        public var raised: SupervisorFlags
    }

    /// Takes one decoded telemetry from `device`, received at `receivedMs` [ms since the epoch].
    @discardableResult
    public func ingest(telemetry: Telemetry, from device: String, receivedMs: Double) -> IngestOutcome {
        let supervisor = supervisor
        return state.withLock { s in
            let i = Self.register(device, in: &s, heardMs: receivedMs)
            let effect = s.records[i].ingest(telemetry, receivedMs: receivedMs, supervisor: supervisor)
            s.counters.telemetry += 1
            if s.records[i].offline { s.counters.telemetryWhileOffline += 1 }
            let outcome = IngestOutcome(index: i, duplicate: effect.duplicate, lost: effect.lost, raised: effect.raised)
            if effect.duplicate { s.counters.duplicates += 1; return outcome }
            if effect.restarted { s.counters.restarts += 1 }
            s.counters.lostMessages += effect.lost
            for (k, entry) in SupervisorFlags.all.enumerated() where effect.raised.contains(entry.flag) { s.counters.flagsRaised[k] += 1 }
            s.latency.record(receivedMs - Double(telemetry.header.timestampMs))
            return outcome
        }
    }

    /// Takes a birth or a death of `device`.
    public func ingest(status: DeviceStatus, from device: String, receivedMs: Double) {
        state.withLock { s in
            let i = Self.register(device, in: &s, heardMs: receivedMs)
            s.records[i].ingest(status, receivedMs: receivedMs)
            if status.state == .online { s.counters.births += 1 } else { s.counters.deaths += 1 }
        }
    }

    /// Every device at `nowMs`, by index.
    public func snapshot(atMs nowMs: Double) -> [DeviceSnapshot] {
        let staleMs = staleMilliseconds
        return state.withLock { s in s.records.map { $0.snapshot(nowMs: nowMs, staleMs: staleMs) } }
    }

    /// One device at `nowMs`, if known.
    public func device(_ name: String, atMs nowMs: Double) -> DeviceSnapshot? {
        let staleMs = staleMilliseconds
        return state.withLock { s in s.index[name].map { s.records[$0].snapshot(nowMs: nowMs, staleMs: staleMs) } }
    }

    /// The devices known so far, by index.
    public var names: [String] { state.withLock { s in s.records.map(\.name) } }

    /// The number of devices known so far.
    public var count: Int { state.withLock { $0.records.count } }

    /// Device counts by state at `nowMs`.
    public func counts(atMs nowMs: Double) -> Counts {
        let staleMs = staleMilliseconds
        return state.withLock { s in
            var c = Counts()
            for r in s.records {
                switch r.state(nowMs: nowMs, staleMs: staleMs) {
                case .online:
                    c.online += 1
                    let flags = r.track.flags
                    guard !flags.isEmpty else { continue }
                    c.flagged += 1
                    for (k, entry) in SupervisorFlags.all.enumerated() where flags.contains(entry.flag) { c.flags[k] += 1 }
                case .stale: c.stale += 1
                case .offline: c.offline += 1
                }
            }
            return c
        }
    }

    public var counters: Counters { state.withLock { $0.counters } }

    /// The telemetry-to-state latency histogram [ms].
    public var latency: LatencyHistogram { state.withLock { $0.latency } }
}
