import PolicyFormat
import Testing

/// EdgeSafetyMonitor and EdgeCommandGuard: the Swift faces of pe_safety and pe_fallback.
@Suite struct SafetyMonitorWrapperTests {
    static let nominal = EdgeMeasurement(cellVoltageMin: 3.6, cellVoltageMax: 3.7, current: 0, temperatureMin: 24,
                                         temperatureMax: 26, stateOfCharge: 0.5)

    @Test func limitsFromSafetyLimitsAndClamp() throws {
        var monitor = try EdgeSafetyMonitor(limits: .conservativeNMC(capacityAh: 50))
        #expect(monitor.clamp(10) == 0, "nothing is allowed before the first check")
        let report = monitor.check(Self.nominal)
        #expect(report.measurementValid && report.warnings == 0 && report.faults == 0)
        // Allowed currents are the over-current warnings: 1 C charge, 2 C discharge at 50 A.h.
        #expect(report.chargeLimit == 50 && report.dischargeLimit == 100)
        #expect(monitor.clamp(1000) == 100 && monitor.clamp(-1000) == -50 && monitor.clamp(30) == 30)
        #expect(monitor.clamp(.nan) == 0 && monitor.clamp(.infinity) == 0)
        #expect(abs(monitor.socWindow.lowerBound - 0.05) < 1e-6 && abs(monitor.socWindow.upperBound - 0.95) < 1e-6)
        #expect(monitor.ratedCurrents == (charge: 50, discharge: 100))
    }

    @Test func overvoltageFaultLatchesAfterItsDebounceAndResetsOnlyOnceGone() throws {
        var monitor = try EdgeSafetyMonitor(limits: .conservativeNMC(capacityAh: 50))
        var high = Self.nominal
        high.cellVoltageMax = 4.25  // above the 4.2 V fault
        #expect(monitor.check(high).faults == 0)
        #expect(monitor.check(high).faults == 0)
        let third = monitor.check(high)
        #expect(third.faults == SafetyCheck.cellOvervoltage.bit && third.faultsRaised == SafetyCheck.cellOvervoltage.bit)
        #expect(third.chargeLimit == 0 && third.dischargeLimit == 0, "a voltage fault opens both directions")
        #expect(monitor.reset() == SafetyCheck.cellOvervoltage.bit, "the condition is still present")
        let back = monitor.check(Self.nominal)
        #expect(back.faults == SafetyCheck.cellOvervoltage.bit && back.dischargeLimit == 0, "faults latch")
        #expect(monitor.reset() == 0)
        #expect(monitor.check(Self.nominal).dischargeLimit == 100)
    }

    @Test func reconfigureKeepsLatchedFaultsAndRefusesBadLimits() throws {
        var monitor = try EdgeSafetyMonitor(limits: .conservativeNMC(capacityAh: 50))
        var low = Self.nominal
        low.stateOfCharge = 0.01
        for _ in 0..<3 { monitor.check(low) }
        #expect(monitor.faults == SafetyCheck.socLow.bit)
        try monitor.reconfigure(limits: .conservativeNMC(capacityAh: 10))
        #expect(monitor.faults == SafetyCheck.socLow.bit)
        #expect(monitor.ratedCurrents == (charge: 10, discharge: 20))
        var bad = SafetyLimits.conservativeNMC(capacityAh: 10)
        bad.cellOvervoltageV = .init(warning: 4.3, fault: 4.2)
        #expect(throws: PolicyFormatError.self) { try monitor.reconfigure(limits: bad) }
        #expect(throws: PolicyFormatError.self) { try EdgeSafetyMonitor(limits: bad) }
        #expect(monitor.ratedCurrents == (charge: 10, discharge: 20), "a refused config changes nothing")
        let report = monitor.check(Self.nominal)
        #expect(report.chargeLimit == 10 && report.dischargeLimit == 0, "the latched SoC-low fault still blocks discharge")
    }

    @Test func refusedMeasurementAllowsNothing() throws {
        var monitor = try EdgeSafetyMonitor(limits: .conservativeNMC(capacityAh: 50))
        monitor.check(Self.nominal)
        var bad = Self.nominal
        bad.temperatureMax = .nan
        let report = monitor.check(bad)
        #expect(!report.measurementValid && report.chargeLimit == 0 && report.dischargeLimit == 0)
        bad = Self.nominal
        bad.cellVoltageMin = 3.8  // above the maximum
        #expect(!monitor.check(bad).measurementValid)
    }

    @Test func monitorFromAPolicyFilesLimits() throws {
        let with = try EdgePolicy(bytes: constantPolicy(action: 0, limits: .conservativeNMC(capacityAh: 7)))
        let monitor = try #require(try EdgeSafetyMonitor(policy: with))
        #expect(monitor.ratedCurrents == (charge: 7, discharge: 14))
        #expect(try EdgeSafetyMonitor(policy: EdgePolicy(bytes: constantPolicy(action: 0))) == nil)
    }

    @Test func packLimitsFollowTheVoltageWindow() {
        let limits = SafetyLimits.forPack(cellVoltageMin: 2.0, cellVoltageMax: 3.6, capacityAh: 10)
        #expect(limits.cellOvervoltageV.fault == 3.6 && abs(limits.cellOvervoltageV.warning - 3.52) < 1e-5)
        #expect(limits.cellUndervoltageV.fault == 2.0 && abs(limits.cellUndervoltageV.warning - 2.16) < 1e-5)
        #expect(limits.problems.isEmpty)
        #expect(SafetyCheck.checks(in: 0b1000_0001 | 1 << 16) == [.cellOvervoltage, .socLow])
    }
}

@Suite struct CommandGuardWrapperTests {
    static let t0: UInt64 = 1_000_000

    @Test func zeroLifetimeIsRefused() {
        #expect(throws: PolicyFormatError.self) { try EdgeCommandGuard(offlineMode: .safeIdle, maxLifetimeMs: 0, nowMs: 0) }
    }

    @Test func commandRunsUntilItExpiresThenSafeIdle() throws {
        var g = try EdgeCommandGuard(offlineMode: .safeIdle, maxLifetimeMs: 60_000, nowMs: Self.t0)
        #expect(g.poll(nowMs: Self.t0, policyReady: false).mode == .safeIdle)
        let c = EdgeCommandGuard.Command(setpoint: .power(250), timestampMs: Self.t0, expiresMs: Self.t0 + 2000)
        #expect(g.submit(c, nowMs: Self.t0 + 10) == .accepted)
        let online = g.poll(nowMs: Self.t0 + 20, policyReady: false)
        #expect(online.mode == .online && online.transition == .toOnline && online.setpoint == .power(250))
        #expect(online.remainingMs == 1980)
        let idle = g.poll(nowMs: Self.t0 + 2000, policyReady: false)
        #expect(idle.mode == .safeIdle && idle.transition == .toFallback && idle.setpoint == .current(0))
        #expect(g.counters.accepted == 1)
    }

    @Test func expiredBackwardsAndInvalidCommandsAreRefusedAndCounted() throws {
        var g = try EdgeCommandGuard(offlineMode: .safeIdle, maxLifetimeMs: 60_000, nowMs: Self.t0)
        let now = Self.t0 + 5000
        #expect(g.submit(.init(setpoint: .current(3), timestampMs: Self.t0, expiresMs: now), nowMs: now) == .rejectedExpired)
        #expect(g.poll(nowMs: now, policyReady: false).mode == .safeIdle, "an expired command is never executed")
        #expect(g.submit(.init(setpoint: .current(3), timestampMs: now, expiresMs: now + 1000), nowMs: now) == .accepted)
        #expect(g.submit(.init(setpoint: .current(9), timestampMs: now - 1, expiresMs: now + 1000), nowMs: now) == .rejectedBackwards)
        #expect(g.submit(.init(setpoint: .current(.nan), timestampMs: now, expiresMs: now + 1000), nowMs: now) == .rejectedInvalid)
        #expect(g.submit(.init(setpoint: .power(1), timestampMs: now + 5, expiresMs: now + 5), nowMs: now) == .rejectedInvalid)
        #expect(g.submit(.init(setpoint: .power(1), timestampMs: now, expiresMs: now + 1000), nowMs: now - 1) == .clockWentBackwards)
        #expect(g.poll(nowMs: now + 1, policyReady: false).setpoint == .current(3))
        let counters = g.counters
        #expect(counters.accepted == 1 && counters.rejectedExpired == 1 && counters.rejectedBackwards == 1 && counters.rejectedInvalid == 2)
    }

    @Test func lifetimeCapAndLocalPolicyFallback() throws {
        var g = try EdgeCommandGuard(offlineMode: .localPolicy, maxLifetimeMs: 3000, nowMs: Self.t0)
        #expect(g.poll(nowMs: Self.t0, policyReady: true).mode == .localPolicy)
        #expect(g.poll(nowMs: Self.t0 + 1, policyReady: false).transition == .withinFallback, "no policy: safe idle")
        let far = EdgeCommandGuard.Command(setpoint: .current(-2), timestampMs: Self.t0, expiresMs: Self.t0 + 3_600_000)
        #expect(g.submit(far, nowMs: Self.t0 + 100) == .accepted)
        #expect(g.poll(nowMs: Self.t0 + 3099, policyReady: true).mode == .online)
        let after = g.poll(nowMs: Self.t0 + 3100, policyReady: true)
        #expect(after.mode == .localPolicy && after.transition == .toFallback, "held at most 3 s after receipt")
        #expect(g.poll(nowMs: Self.t0 + 3000, policyReady: true).mode == .localPolicy, "an earlier time reads as the last seen")
    }
}
