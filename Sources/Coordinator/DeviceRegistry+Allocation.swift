import FleetProtocol

/// A device the allocators may use this period: online, fresh, with telemetry, without latched faults.
public struct AllocatableDevice: Sendable, Equatable {
    public var name: String
    public var index: Int
    public var telemetry: Telemetry
    /// The pack from its birth; allocators fall back to the telemetry's limits without one.
    public var pack: DeviceStatus.PackInfo?

    public init(name: String, index: Int, telemetry: Telemetry, pack: DeviceStatus.PackInfo?) {
        self.name = name; self.index = index; self.telemetry = telemetry; self.pack = pack
    }

    /// The pack's rated power [W]: the larger of its birth's discharge and charge ratings, else of its present
    /// telemetry limits.
    public var ratedPower: Double {
        if let pack, max(pack.maxDischargePower, pack.maxChargePower) > 0 { return max(pack.maxDischargePower, pack.maxChargePower) }
        return max(telemetry.limits.dischargePower, telemetry.limits.chargePower)
    }
}

extension DeviceRegistry {
    /// Why a known device is left out of an allocation.
    public enum Exclusion: String, Sendable, CaseIterable {
        case offline, stale
        /// Heard (a birth) but no telemetry yet: no limits to allocate within.
        case awaitingTelemetry = "awaiting_telemetry"
        /// Its telemetry reports latched faults.
        case faulted
        /// Flagged by the cloud supervisor, with exclusion of flagged devices on.
        case flagged
    }

    /// The devices of one allocation and those left out.
    public struct AllocationSet: Sendable {
        public var devices: [AllocatableDevice]
        /// Left-out devices by name, with the reason.
        public var excluded: [(name: String, reason: Exclusion)]
    }

    /// The allocatable devices at `nowMs`, after running the supervisor's peer-temperature comparison over the
    /// fresh ones (call once per allocation period: the comparison is debounced in periods).
    public func allocationSet(atMs nowMs: Double, excludeFlagged: Bool) -> AllocationSet {
        let staleMs = staleMilliseconds, supervisor = supervisor
        return state.withLock { s in
            comparePeers(&s.records, nowMs: nowMs, staleMs: staleMs, supervisor: supervisor, counters: &s.counters)
            var set = AllocationSet(devices: [], excluded: [])
            set.devices.reserveCapacity(s.records.count)
            for r in s.records {
                let reason: Exclusion?
                switch r.state(nowMs: nowMs, staleMs: staleMs) {
                case .offline: reason = .offline
                case .stale: reason = .stale
                case .online:
                    if r.telemetry == nil { reason = .awaitingTelemetry }
                    else if r.telemetry!.faults != 0 { reason = .faulted }
                    else if excludeFlagged && !r.track.flags.isEmpty { reason = .flagged }
                    else { reason = nil }
                }
                if let reason { set.excluded.append((r.name, reason)) } else {
                    set.devices.append(AllocatableDevice(name: r.name, index: r.index, telemetry: r.telemetry!, pack: r.pack))
                }
            }
            return set
        }
    }

    /// Compares each fresh device's hottest sensor with the median of the fresh devices' (when there are enough).
    private func comparePeers(_ records: inout [DeviceRecord], nowMs: Double, staleMs: Double,
                              supervisor: SupervisorConfiguration, counters: inout Counters) {
        var fresh: [Int] = [], temperatures: [Double] = []
        for (i, r) in records.enumerated() where r.state(nowMs: nowMs, staleMs: staleMs) == .online {
            guard let t = r.telemetry else { continue }
            fresh.append(i); temperatures.append(t.temperatureMax)
        }
        guard fresh.count >= supervisor.minimumPeers else { return }
        temperatures.sort()
        let m = temperatures.count
        let median = m % 2 == 1 ? temperatures[m / 2] : (temperatures[m / 2 - 1] + temperatures[m / 2]) / 2
        let k = SupervisorFlags.all.firstIndex { $0.flag == .temperatureAbovePeers }!
        for i in fresh {
            let above = records[i].telemetry!.temperatureMax - median
            if records[i].track.comparePeers(above: above, configuration: supervisor) { counters.flagsRaised[k] += 1 }
        }
    }
}
