import Electrochemistry
import FleetProtocol
import PolicyFormat

/// What one control step did.
public struct EdgeStepRecord: Sendable, Equatable {
    /// Simulated time at the end of the step [s].
    public var time: Double
    public var mode: Telemetry.Mode
    /// The current asked for by the command, the local policy or safe idle [A], before clamping.
    public var requestedCurrent: Double
    /// The current after the monitor's clamp [A], and the current that flowed (0 after a model failure).
    public var clampedCurrent: Double, appliedCurrent: Double
    /// The pack after the step: terminal voltage [V], current [A], power [W], state of charge.
    public var voltage: Double, current: Double, power: Double, stateOfCharge: Double
    /// The monitor's verdict on the pack after the step (its limits hold for the next step).
    public var report: EdgeSafetyReport
    /// Latched faults: the monitor's plus ``EdgeController/packModelFault``.
    public var faults: UInt32
}

/// The device's control logic, without I/O or threads: the command guard (`pe_fallback`) chooses between the
/// coordinator's command, safe idle and the local policy; the setpoint is converted to a current (a power at the
/// pack's present voltage), clamped to the safety monitor's limits (`pe_safety`), applied to the simulated pack
/// for one control step, and the monitor checks the result, latching faults and setting the next step's limits.
///
/// ``EdgeAgent`` drives it from MQTT and a clock; it can also be driven directly (tests, load generators).
/// Times passed in are milliseconds on the guard's monotonic clock. Not thread-safe.
public final class EdgeController {
    /// Telemetry fault bit of a pack-model failure (the asked current could not be simulated; the step ran at
    /// 0 A). Latched like the monitor's faults, which use bits 0–7 (``SafetyCheck``).
    public static let packModelFault: UInt32 = 1 << 16

    public let configuration: EdgeAgentConfiguration
    let pack: EdgePack
    var monitor: EdgeSafetyMonitor
    var commandGuard: EdgeCommandGuard
    var policy: LoadedPolicy?
    /// Faults latched by the controller itself (``packModelFault``).
    var ownFaults: UInt32 = 0

    /// The last step (before the first: the pack at rest).
    public internal(set) var last: EdgeStepRecord
    /// Control steps taken, pack-model failures, local-policy inferences that failed.
    public private(set) var steps = 0, packFailures = 0, policyFailures = 0
    /// Policies swapped in and refused.
    public internal(set) var policySwaps = 0, policyRefusals = 0
    /// The most recent pack-model failure or policy refusal, for the log.
    public internal(set) var lastProblem: String?

    /// Builds the pack and the monitor (the first check runs on the pack at rest), the guard at `nowMs`, and
    /// loads `configuration.initialPolicyFile` if set.
    public init(configuration: EdgeAgentConfiguration, nowMs: UInt64) throws(EdgeAgentError) {
        try configuration.validate()
        self.configuration = configuration
        pack = try EdgePack(source: configuration.pack, seed: configuration.seed, fidelity: configuration.fidelity,
                            thermal: configuration.thermal, ambientTemperature: configuration.ambientTemperature)
        do {
            monitor = try EdgeSafetyMonitor(limits: pack.defaultLimits)
            commandGuard = try EdgeCommandGuard(offlineMode: configuration.offlineMode == .safeIdle ? .safeIdle : .localPolicy,
                                                maxLifetimeMs: UInt64((configuration.commandMaxLifetime * 1000).rounded(.up)), nowMs: nowMs)
        } catch {
            throw .pack("the runtime refused the pack's default monitor or guard config: \(error)")
        }
        let report = monitor.check(pack.measurement)
        let o = pack.outputs
        last = EdgeStepRecord(time: 0, mode: .safeIdle, requestedCurrent: 0, clampedCurrent: 0, appliedCurrent: 0,
                              voltage: o.voltage, current: o.current, power: o.power, stateOfCharge: o.stateOfCharge,
                              report: report, faults: report.faults)
        if let path = configuration.initialPolicyFile { try loadInitialPolicy(path) }
    }

    /// Offers a decoded command received at `nowMs`. Its `ts` and `expires` are epoch milliseconds; the guard's
    /// clock reads `nowMs` when the epoch reads `nowMs + epochOffsetMs`.
    @discardableResult
    public func submit(_ command: SetpointCommand, nowMs: UInt64, epochOffsetMs: Int64 = 0) -> EdgeCommandGuard.Verdict {
        func onGuardClock(_ epochMs: Int64) -> UInt64 {
            let (shifted, overflow) = epochMs.subtractingReportingOverflow(epochOffsetMs)
            return overflow ? (epochOffsetMs < 0 ? .max : 0) : UInt64(max(0, shifted))
        }
        let setpoint: EdgeCommandGuard.Setpoint = switch command.setpoint {
        case let .power(w): .power(w)
        case let .current(a): .current(a)
        }
        let verdict = commandGuard.submit(.init(setpoint: setpoint, timestampMs: onGuardClock(command.header.timestampMs),
                                                expiresMs: onGuardClock(command.expiresMs)), nowMs: nowMs)
        if command.resetFaults, verdict == .accepted { resetFaults() }
        return verdict
    }

    /// Clears the latched faults whose condition is gone: the monitor's (as of its last check) and the pack-model
    /// fault. Faults whose condition persists stay latched.
    public func resetFaults() {
        monitor.reset()
        ownFaults = 0
    }

    /// One control step at `nowMs`: decide, convert, clamp, step the pack by ``EdgeAgentConfiguration/controlStep``
    /// simulated seconds, check.
    @discardableResult
    public func step(nowMs: UInt64) -> EdgeStepRecord {
        let decision = commandGuard.poll(nowMs: nowMs, policyReady: policy?.features != nil)
        let voltage = pack.outputs.voltage
        var requested = 0.0, mode = Telemetry.Mode.safeIdle
        switch decision.mode {
        case .online:
            mode = .online
            switch decision.setpoint {
            case let .current(a): requested = a
            case let .power(w): requested = voltage > 0 ? w / voltage : 0
            }
        case .localPolicy:
            mode = .localPolicy
            if let w = localPolicyPower() { requested = voltage > 0 ? w / voltage : 0 } else { policyFailures += 1 }
        case .safeIdle:
            break
        }
        let clamped = monitor.clamp(requested)
        let outcome = pack.step(current: clamped, dt: configuration.controlStep)
        if let failure = outcome.failure {
            packFailures += 1
            ownFaults |= Self.packModelFault
            lastProblem = "pack model failed at \(clamped) A: \(failure)" + (outcome.stalled ? "; the 0 A step failed too" : "")
        }
        let report = monitor.check(pack.measurement)
        steps += 1
        let o = pack.outputs
        let flowing = outcome.stalled ? 0 : o.current
        last = EdgeStepRecord(time: Double(steps) * configuration.controlStep, mode: mode, requestedCurrent: requested,
                              clampedCurrent: clamped, appliedCurrent: outcome.current, voltage: o.voltage, current: flowing,
                              power: outcome.stalled ? 0 : o.power, stateOfCharge: o.stateOfCharge, report: report,
                              faults: report.faults | ownFaults)
        return last
    }

    /// The commands accepted and refused by the guard.
    public var commandCounters: EdgeCommandGuard.Counters { commandGuard.counters }

    /// CRC-32 of the loaded policy.
    public var policyCRC: UInt32? { policy?.crc }

    /// Whether the loaded policy can run on the pack's own features (see ``LocalPolicyFeatures``).
    public var localPolicyUsable: Bool { policy?.features != nil }

    /// The pack as the birth describes it (the rated powers follow the monitor's present limits).
    public var packInfo: DeviceStatus.PackInfo { pack.info(ratedCurrents: monitor.ratedCurrents) }

    /// The telemetry of the last step, with the limits the monitor allows for the next one.
    public func telemetry(seq: UInt64, timestampMs: Int64) -> Telemetry {
        let o = pack.outputs, r = last.report, window = monitor.socWindow
        let v = max(o.voltage, 0)
        let limits = Telemetry.Limits(dischargeCurrent: r.dischargeLimit, chargeCurrent: r.chargeLimit,
                                      dischargePower: r.dischargeLimit * v, chargePower: r.chargeLimit * v,
                                      socMin: window.lowerBound, socMax: window.upperBound)
        return Telemetry(header: MessageHeader(seq: seq, timestampMs: timestampMs), voltage: v, current: last.current,
                         power: last.power, cellVoltageMin: o.minimumCellVoltage, cellVoltageMax: o.maximumCellVoltage,
                         temperatureMin: o.minimumTemperature - 273.15, temperatureMax: o.maximumTemperature - 273.15,
                         stateOfCharge: min(1, max(0, o.stateOfCharge)), stateOfHealth: pack.stateOfHealth, energy: pack.energy,
                         limits: limits, faults: last.faults, warnings: r.warnings, mode: last.mode, policyCRC: policy?.crc)
    }
}
