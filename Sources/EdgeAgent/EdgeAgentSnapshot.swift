import FleetProtocol
import PolicyFormat

/// A consistent view of a running agent, for tests, the CLI's status line and monitoring.
public struct EdgeAgentSnapshot: Sendable, Equatable {
    /// The last control step (outputs, mode, requested and applied current, monitor report, faults).
    public var last: EdgeStepRecord
    /// What the device runs.
    public var mode: Telemetry.Mode { last.mode }
    /// Latched faults (monitor bits 0–7, ``EdgeController/packModelFault``) and active warnings.
    public var faults: UInt32 { last.faults }
    public var warnings: UInt32 { last.report.warnings }
    /// Control steps taken, pack-model failures, local-policy inference failures.
    public var steps: Int, packFailures: Int, policyFailures: Int
    /// Commands accepted by the guard and refused as expired, invalid, or older than the last accepted one.
    public var commands: EdgeCommandGuard.Counters
    /// Messages refused by the decoders (malformed, out of range, wrong version, …): ``EdgeAgent/rejections``.
    public var rejections: Int
    /// Policies swapped in and refused; the loaded policy's CRC-32 and whether it can run locally.
    public var policySwaps: Int, policyRefusals: Int
    public var policyCRC: UInt32?
    public var localPolicyUsable: Bool
    /// Telemetry messages published, and skipped while the broker was unreachable.
    public var telemetrySent: Int, telemetrySkipped: Int
    /// Births published (one per connection, plus one per policy swap).
    public var birthsSent: Int
    /// Whether the broker connection is up, and connections made so far.
    public var connected: Bool, connections: Int
}
