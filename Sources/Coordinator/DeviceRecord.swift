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
    /// Bit k set: sequence number `lastSeq − k` has arrived (k < 64), to tell a late message from a repeated one.
    var seenMask: UInt64 = 0
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

    /// Takes one telemetry: sequence bookkeeping, state, supervisor. A number at or below the last one that the
    /// device sent no later than the newest (its `ts`), within the last 64, is a duplicate (a QoS-1 redelivery) if
    /// seen before, else a late arrival that fills the gap it had opened; both change nothing else. A smaller
    /// number sent later is a restart of the device's counter (not a loss).
    mutating func ingest(_ t: Telemetry, receivedMs: Double, supervisor: SupervisorConfiguration) -> TelemetryEffect {
        var effect = TelemetryEffect()
        let seq = t.header.seq
        if let last = lastSeq {
            let sentEarlier = t.header.timestampMs <= (telemetry?.header.timestampMs ?? Int64.min)
            if seq <= last, last - seq < 64, sentEarlier {
                let bit = UInt64(1) << (last - seq)
                if seenMask & bit != 0 {
                    duplicates += 1
                    effect.duplicate = true
                } else {
                    seenMask |= bit
                    lostMessages = max(0, lostMessages - 1)
                    effect.lost = -1
                }
                return effect
            }
            if seq > last {
                effect.lost = Int(min(seq - last - 1, UInt64(Int32.max)))
                lostMessages += effect.lost
                seenMask = seq - last >= 64 ? 1 : (seenMask << (seq - last)) | 1
            } else {
                restarts += 1
                effect.restarted = true
                track.reset()
                seenMask = ~0   // numbers before a (re)start were never counted as lost: none can fill a gap
            }
        } else {
            seenMask = ~0
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
