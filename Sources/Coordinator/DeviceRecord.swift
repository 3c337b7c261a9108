import FleetProtocol

/// Whether a device takes part in the allocation.
public enum DeviceState: String, Sendable, CaseIterable {
    /// Its birth or telemetry has been heard within the stale time, and it has not died since.
    case online
    /// Nothing heard for more than the stale time (3 allocation periods by default): excluded.
    case stale
    /// Its death arrived (the MQTT will, or a clean shutdown): excluded at once, until its next birth.
    case offline
}

/// What the coordinator knows about one device at one moment.
public struct DeviceSnapshot: Sendable, Equatable {
    public var name: String
    /// Stable index in order of first appearance (the archive's device column).
    public var index: Int
    public var state: DeviceState
    /// The pack from the device's latest birth, if one was heard.
    public var pack: DeviceStatus.PackInfo?
    /// The latest accepted telemetry and when it arrived [ms since the epoch].
    public var telemetry: Telemetry?
    public var receivedMs: Double?
    /// Telemetry messages missing from the device's sequence numbers (sum of the gaps).
    public var lostMessages: Int
    /// Telemetry received twice (QoS-1 redelivery), and restarts of its sequence.
    public var duplicates: Int, restarts: Int
    /// The cloud supervisor's active flags and residuals.
    public var flags: SupervisorFlags
    public var residuals: SupervisorResiduals
    /// Why it went offline (`will`, `shutdown`), while offline.
    public var offlineReason: String?
    /// The CRC-32 of the policy it reports running (telemetry, else birth).
    public var policyCRC: UInt32?
}

/// The registry's record of one device (mutated in place under the registry's lock).
struct DeviceRecord: Sendable {
    let name: String
    let index: Int
    var pack: DeviceStatus.PackInfo?
    var telemetry: Telemetry?
    var receivedMs: Double?
    /// Last time anything was heard from the device (birth or telemetry) [ms since the epoch].
    var heardMs: Double
    var offline = false
    var offlineReason: String?
    var birthCRC: UInt32?
    var lastSeq: UInt64?
    var lostMessages = 0, duplicates = 0, restarts = 0
    var track = SupervisorTrack()

    init(name: String, index: Int, heardMs: Double) {
        self.name = name; self.index = index; self.heardMs = heardMs
    }

    /// What one telemetry message did to the record.
    struct TelemetryEffect {
        var lost = 0
        var duplicate = false, restarted = false
        var raised = SupervisorFlags()
    }

    /// Takes one telemetry: sequence bookkeeping, state, supervisor. A repeated sequence number is a duplicate
    /// and changes nothing; a smaller one is a restart of the device's counter (not a loss).
    mutating func ingest(_ t: Telemetry, receivedMs: Double, supervisor: SupervisorConfiguration) -> TelemetryEffect {
        var effect = TelemetryEffect()
        let seq = t.header.seq
        if let last = lastSeq {
            if seq == last {
                duplicates += 1
                effect.duplicate = true
                return effect
            }
            if seq > last {
                effect.lost = Int(min(seq - last - 1, UInt64(Int32.max)))
                lostMessages += effect.lost
            } else {
                restarts += 1
                effect.restarted = true
                track.reset()
            }
        }
        lastSeq = seq
        telemetry = t
        self.receivedMs = receivedMs
        heardMs = max(heardMs, receivedMs)
        effect.raised = track.update(t, pack: pack, configuration: supervisor)
        return effect
    }

    /// Takes a birth or a death. A birth starts a new life: the sequence and the supervisor start again.
    mutating func ingest(_ status: DeviceStatus, receivedMs: Double) {
        switch status.state {
        case .online:
            offline = false; offlineReason = nil
            if let p = status.pack { pack = p }
            birthCRC = status.policyCRC
            lastSeq = nil
            track.reset()
            heardMs = max(heardMs, receivedMs)
        case .offline:
            offline = true
            offlineReason = status.reason ?? "offline"
        }
    }

    /// The state at `nowMs` for a stale time of `staleMs`.
    func state(nowMs: Double, staleMs: Double) -> DeviceState {
        if offline { return .offline }
        return nowMs - heardMs > staleMs ? .stale : .online
    }

    func snapshot(nowMs: Double, staleMs: Double) -> DeviceSnapshot {
        DeviceSnapshot(name: name, index: index, state: state(nowMs: nowMs, staleMs: staleMs), pack: pack,
                       telemetry: telemetry, receivedMs: receivedMs, lostMessages: lostMessages, duplicates: duplicates,
                       restarts: restarts, flags: track.flags, residuals: track.residuals,
                       offlineReason: offline ? offlineReason : nil, policyCRC: telemetry?.policyCRC ?? birthCRC)
    }
}
