@testable import EdgeAgent
import Electrochemistry
import FleetProtocol
import PolicyFormat
import Testing

/// The control step without a broker: guard, conversion, clamp, pack, monitor, policy swaps.
@Suite struct EdgeControllerTests {
    /// The guard's clock at the start (epoch-like milliseconds; commands use the same frame, offset 0).
    static let t0: UInt64 = 1_700_000_000_000

    static func controller(_ configuration: EdgeAgentConfiguration = testConfiguration()) throws -> EdgeController {
        try EdgeController(configuration: configuration, nowMs: t0)
    }

    /// A command issued at `t0 + offset` that stays valid for `lifetime` ms.
    static func submit(_ c: EdgeController, _ setpoint: SetpointCommand.Setpoint, at offset: UInt64 = 0, lifetime: Int64 = 5000,
                       seq: UInt64 = 1) -> EdgeCommandGuard.Verdict {
        let ts = Int64(t0 + offset)
        return c.submit(command(setpoint, seq: seq, tsMs: ts, expiresMs: ts + lifetime), nowMs: t0 + offset)
    }

    @Test func packAndTelemetryAtRest() throws {
        let c = try Self.controller()
        let info = c.packInfo
        #expect(info.series == 4 && info.parallel == 2 && info.maxDischargePower > 0 && info.maxChargePower > 0)
        #expect(info.cellVoltageMin < info.cellVoltageMax && info.resistance > 0)
        let t = c.telemetry(seq: 7, timestampMs: 1234)
        #expect(try Telemetry.decode(t.encoded()) == t)
        #expect(t.mode == .safeIdle && t.current == 0 && t.limits.dischargeCurrent > 0 && t.limits.chargeCurrent > 0)
        #expect(t.stateOfHealth > 0.5 && t.stateOfHealth <= 1 && t.energy > 0 && t.policyCRC == nil)
    }

    @Test func commandsAreClampedToTheMonitorsLimits() throws {
        let c = try Self.controller()
        let limit = c.last.report.dischargeLimit
        #expect(Self.submit(c, .current(1000)) == .accepted)
        let r = c.step(nowMs: Self.t0 + 1000)
        #expect(r.mode == .online && r.requestedCurrent == 1000)
        #expect(abs(r.clampedCurrent - limit) < 1e-4 && abs(r.current - limit) < 1e-3, "clamped to \(limit) A")
        #expect(Self.submit(c, .current(-1000), at: 1000, seq: 2) == .accepted)
        let chargeLimit = c.last.report.chargeLimit
        let charge = c.step(nowMs: Self.t0 + 2000)
        #expect(abs(charge.clampedCurrent + chargeLimit) < 1e-4 && charge.current < 0)
    }

    @Test func powerCommandIsConvertedAtThePresentVoltage() throws {
        let c = try Self.controller()
        #expect(Self.submit(c, .power(60)) == .accepted)
        let r = c.step(nowMs: Self.t0 + 1000)
        #expect(abs(r.power - 60) < 60 * 0.03, "power \(r.power) W for a 60 W command")
        let t = c.telemetry(seq: 1, timestampMs: 0)
        #expect(t.mode == .online && abs(t.power - r.power) < 1e-9)
    }

    @Test func expiredCommandIsNeverExecuted() throws {
        let c = try Self.controller()
        let ts = Int64(Self.t0) - 3000
        #expect(c.submit(command(.power(80), tsMs: ts, expiresMs: ts + 2000), nowMs: Self.t0 + 10) == .rejectedExpired)
        let r = c.step(nowMs: Self.t0 + 1000)
        #expect(r.mode == .safeIdle && r.requestedCurrent == 0 && abs(r.current) < 1e-9)
        #expect(c.commandCounters.rejectedExpired == 1 && c.commandCounters.accepted == 0)
        // A command that expires between steps is not executed at the next one.
        #expect(Self.submit(c, .power(80), at: 1000, lifetime: 500, seq: 2) == .accepted)
        #expect(c.step(nowMs: Self.t0 + 1500).mode == .safeIdle)
    }

    @Test func fallsBackToSafeIdleOrToTheLocalPolicyWhenCommandsExpire() throws {
        let idle = try Self.controller()
        #expect(Self.submit(idle, .current(2), lifetime: 3000) == .accepted)
        #expect(idle.step(nowMs: Self.t0 + 1000).mode == .online)
        let after = idle.step(nowMs: Self.t0 + 3000)
        #expect(after.mode == .safeIdle && after.clampedCurrent == 0 && abs(after.current) < 1e-9)

        let local = try Self.controller(testConfiguration(offline: .localPolicy))
        #expect(local.step(nowMs: Self.t0 + 1000).mode == .safeIdle, "no policy loaded: safe idle")
        #expect(local.offerPolicy(constantPolicy(action: 0.5)) == .swapped(crc: try EdgePolicy(bytes: constantPolicy(action: 0.5)).crc32))
        let running = local.step(nowMs: Self.t0 + 2000)
        let expected = 0.5 * local.packInfo.maxDischargePower
        #expect(running.mode == .localPolicy && abs(running.power - expected) < 0.05 * expected, "\(running.power) W vs \(expected) W")
        #expect(Self.submit(local, .current(0), at: 2000) == .accepted)
        #expect(local.step(nowMs: Self.t0 + 3000).mode == .online, "a new command takes over")
        // A per-pack policy with site features runs too; a policy of another width is held but not run.
        #expect(local.offerPolicy(constantPolicy(action: -0.25, inputs: 14, layout: "per_pack:4,10")).isSwap)
        #expect(local.localPolicyUsable)
        #expect(local.step(nowMs: Self.t0 + 8000).power < 0, "a negative action charges")
        #expect(local.offerPolicy(constantPolicy(action: 0.5, inputs: 7)).isSwap && !local.localPolicyUsable)
        #expect(local.step(nowMs: Self.t0 + 9000).mode == .safeIdle)
    }

    @Test func localPolicyFeaturesDescribeThePack() throws {
        #expect(LocalPolicyFeatures(layout: nil, inputs: 10, actions: 1)?.siteFeatures == 0)
        #expect(LocalPolicyFeatures(layout: "per_pack:4,10", inputs: 14, actions: 1)?.siteFeatures == 4)
        #expect(LocalPolicyFeatures(layout: "per_pack:4,10", inputs: 15, actions: 1) == nil)
        // A layout from a received file that would overflow the arithmetic is refused, not a trap.
        #expect(LocalPolicyFeatures(layout: "per_pack:\(Int.max),10", inputs: 14, actions: 1) == nil)
        #expect(LocalPolicyFeatures(layout: "per_pack:4,9", inputs: 13, actions: 1) == nil)
        #expect(LocalPolicyFeatures(layout: "flat:14,1", inputs: 14, actions: 1) == nil)
        let c = try Self.controller()
        let features = try #require(LocalPolicyFeatures(layout: "per_pack:4,10", inputs: 14, actions: 1))
        let o = features.observation(pack: c.pack, socWindow: 0.05...0.95, ratedDischargePower: c.packInfo.maxDischargePower)
        #expect(o.count == 14 && o[0..<4].allSatisfy { $0 == 0 })
        #expect(abs(Double(o[4]) - c.pack.outputs.stateOfCharge) < 1e-6 && abs(Double(o[5]) - c.pack.stateOfHealth) < 1e-6)
        let chemistry = c.pack.sampled.chemistry
        #expect(Array(o[10...12]) == [chemistry == .lfp ? 1 : 0, chemistry == .nmc ? 1 : 0, chemistry == .lmo ? 1 : 0] && o[13] == 1)
        #expect(o[8] > 0 && o[8] <= 1 && o[9] > 0 && o[9] <= 1, "headroom both ways at SoC \(o[4])")
    }

    @Test func policySwapKeepsTheOldOneOnABadCRCAndFollowsItsLimits() throws {
        let c = try Self.controller()
        let defaultLimit = c.last.report.dischargeLimit
        let first = constantPolicy(action: 0.1)
        let crc = try EdgePolicy(bytes: first).crc32
        #expect(c.offerPolicy(first) == .swapped(crc: crc))
        #expect(c.offerPolicy(first) == .unchanged(crc: crc))
        guard case .refused = c.offerPolicy(corrupted(first)) else { Issue.record("a corrupt policy was accepted"); return }
        guard case .refused = c.offerPolicy(Array(first.prefix(40))) else { Issue.record("a truncated policy was accepted"); return }
        guard case .refused = c.offerPolicy([]) else { Issue.record("an empty policy was accepted"); return }
        #expect(c.policyCRC == crc && c.policySwaps == 1 && c.policyRefusals == 3)
        #expect(c.telemetry(seq: 1, timestampMs: 0).policyCRC == crc)

        // Limits in the file reconfigure the monitor: 2 A discharge at 1 A.h.
        let limited = constantPolicy(action: 0.1, limits: .conservativeNMC(capacityAh: 1))
        #expect(c.offerPolicy(limited).isSwap)
        #expect(Self.submit(c, .current(50)) == .accepted)
        #expect(abs(c.step(nowMs: Self.t0 + 1000).current - 2) < 1e-3)
        #expect(c.packInfo.maxDischargePower < 3 * c.packInfo.nominalVoltage)
        // A policy without limits puts the pack's defaults back.
        #expect(c.offerPolicy(first).isSwap)
        #expect(abs(c.step(nowMs: Self.t0 + 2000).current - defaultLimit) < 0.05 * defaultLimit)
    }

    @Test func faultsLatchAndAreReportedInTelemetry() throws {
        let c = try Self.controller()
        // Limits whose SoC window starts above the pack's SoC (about 0.5): a SoC-low fault after 3 checks.
        var limits = SafetyLimits.conservativeNMC(capacityAh: 5)
        limits.socLow = .init(warning: 0.8, fault: 0.7)
        #expect(c.offerPolicy(constantPolicy(action: 0, limits: limits)).isSwap)
        #expect(Self.submit(c, .current(3), lifetime: 10_000) == .accepted)
        for k in 1...3 { c.step(nowMs: Self.t0 + UInt64(k) * 1000) }
        let t = c.telemetry(seq: 1, timestampMs: 0)
        #expect(t.faults & SafetyCheck.socLow.bit != 0 && t.warnings & SafetyCheck.socLow.bit != 0)
        #expect(t.limits.dischargeCurrent == 0 && t.limits.dischargePower == 0 && t.limits.socMin == Double(Float(0.8)))
        #expect(abs(c.step(nowMs: Self.t0 + 4000).current) < 1e-9, "discharge blocked by the latched fault")
        #expect(c.offerPolicy(constantPolicy(action: 0)).isSwap)
        #expect(c.step(nowMs: Self.t0 + 5000).faults & SafetyCheck.socLow.bit != 0, "still latched under the default limits")
        // An expired command asking for a reset changes nothing; an accepted one clears the fault, whose condition is gone.
        var stale = command(.current(3), seq: 2, tsMs: Int64(Self.t0), expiresMs: Int64(Self.t0) + 1000)
        stale.resetFaults = true
        #expect(c.submit(stale, nowMs: Self.t0 + 5500) == .rejectedExpired)
        #expect(c.step(nowMs: Self.t0 + 6000).faults & SafetyCheck.socLow.bit != 0)
        var reset = command(.current(3), seq: 3, tsMs: Int64(Self.t0 + 6000), expiresMs: Int64(Self.t0 + 16_000))
        reset.resetFaults = true
        #expect(try SetpointCommand.decode(reset.encoded()).resetFaults)
        #expect(c.submit(reset, nowMs: Self.t0 + 6000) == .accepted)
        #expect(c.step(nowMs: Self.t0 + 7000).faults & SafetyCheck.socLow.bit == 0)
        // The safe limits are the monitor's from its check after the reset: discharge resumes from the next step.
        #expect(c.step(nowMs: Self.t0 + 8000).current > 2.9, "the cleared fault no longer blocks discharge")
    }

    @Test func packModelFailureIsAStepAtZeroAndAReportedFault() throws {
        let c = try Self.controller()
        c.pack.pack.tolerance = -1  // no string solve can converge: every step of this 2-string pack fails
        #expect(Self.submit(c, .current(3)) == .accepted)
        let r = c.step(nowMs: Self.t0 + 1000)
        #expect(r.current == 0 && r.power == 0 && r.appliedCurrent == 0 && r.faults & EdgeController.packModelFault != 0)
        #expect(c.packFailures == 1 && c.lastProblem != nil)
        c.pack.pack.tolerance = 1e-4
        let recovered = c.step(nowMs: Self.t0 + 2000)
        #expect(recovered.current > 2.9 && recovered.faults & EdgeController.packModelFault != 0, "the fault stays latched")
        #expect(try Telemetry.decode(c.telemetry(seq: 1, timestampMs: 0).encoded()).faults & EdgeController.packModelFault != 0)
    }

    @Test func badConfigurationsAreRefusedByName() {
        var c = testConfiguration()
        c.site = "a/b"
        #expect(throws: EdgeAgentError.invalidName(field: "site", value: "a/b")) { try Self.controller(c) }
        c = testConfiguration(device: "coordinator")
        #expect(throws: EdgeAgentError.invalidName(field: "device", value: "coordinator")) { try Self.controller(c) }
        c = testConfiguration(index: 4)
        #expect(throws: EdgeAgentError.self) { try Self.controller(c) }
        c = testConfiguration()
        c.pack = .preset(name: "no-such-fleet", index: 0)
        #expect(throws: EdgeAgentError.self) { try Self.controller(c) }
        c = testConfiguration()
        c.telemetryPeriod = 0.5
        #expect(throws: EdgeAgentError.self) { try Self.controller(c) }
        c = testConfiguration()
        c.initialPolicyFile = "/nonexistent/policy.pbp"
        #expect(throws: EdgeAgentError.policy(path: "/nonexistent/policy.pbp", reason: "cannot read the file")) { try Self.controller(c) }
    }
}

extension PolicyOffer {
    var isSwap: Bool { if case .swapped = self { true } else { false } }
}
