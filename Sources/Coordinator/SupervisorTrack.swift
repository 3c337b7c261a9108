import FleetProtocol

/// The supervisor's residuals of one device at its latest telemetry, for the snapshot and the metrics.
public struct SupervisorResiduals: Sendable, Equatable {
    /// Reported − coulomb-counted SoC.
    public var soc = 0.0
    /// Reported − fitted pack voltage [V] (a priori), and the threshold it is compared with [V].
    public var voltage = 0.0, voltageThreshold = 0.0
    /// Smoothed rise rate of the hottest sensor [°C/s].
    public var temperatureRate = 0.0
    /// Hottest sensor above the site's median [°C] at the last peer check.
    public var temperatureAbovePeers = 0.0
}

/// The supervisor's running state for one device: the coulomb count, the voltage fit, the temperature rate and
/// the debounce of each flag. Updated under the registry's lock on every accepted telemetry.
struct SupervisorTrack: Sendable {
    private var previous: (ts: Int64, temperature: Double)?
    private var socCounted = 0.0
    private var anchorTs: Int64 = 0
    private var fit = VoltageModelFit()
    private var voltageScale = 0.0
    private var soc = Debounce(), voltage = Debounce(), rise = Debounce(), peers = Debounce()
    private(set) var residuals = SupervisorResiduals()

    /// The flags now active.
    var flags: SupervisorFlags {
        var f = SupervisorFlags()
        if soc.active { f.insert(.socDivergence) }
        if voltage.active { f.insert(.voltageDivergence) }
        if rise.active { f.insert(.temperatureRise) }
        if peers.active { f.insert(.temperatureAbovePeers) }
        return f
    }

    /// Feeds one accepted telemetry; returns the flags that have just risen.
    mutating func update(_ t: Telemetry, pack: DeviceStatus.PackInfo?, configuration c: SupervisorConfiguration) -> SupervisorFlags {
        let ts = t.header.timestampMs
        let capacity = Self.capacity(t, pack: pack)
        var raised = SupervisorFlags()
        if voltageScale <= 0 { voltageScale = max(pack?.nominalVoltage ?? t.voltage, 1e-3) }
        guard let previous, ts > previous.ts, Double(ts - previous.ts) / 1000 <= c.maximumGapSeconds else {
            // The first sample, one after a long gap or after the device's clock stepped back by more than a gap:
            // restart the count and the rate. A slightly older (reordered) sample is skipped.
            if previous.map({ ts > $0.ts || Double($0.ts - ts) / 1000 > c.maximumGapSeconds }) ?? true {
                self.previous = (ts, t.temperatureMax)
                socCounted = t.stateOfCharge; anchorTs = ts
                residuals.temperatureRate = 0
            }
            return raised
        }
        let dt = Double(ts - previous.ts) / 1000
        let k = c.consecutiveSamples

        // SoC: open-loop coulomb count of the reported current (positive on discharge), restarted every window
        // and at the ends of the range, where estimators clamp.
        socCounted -= t.current * dt / 3600 / capacity
        residuals.soc = t.stateOfCharge - socCounted
        if soc.step(exceeds: abs(residuals.soc) > c.socResidualThreshold, k: k) { raised.insert(.socDivergence) }
        if Double(ts - anchorTs) / 1000 >= c.socReanchorSeconds || t.stateOfCharge <= 0.001 || t.stateOfCharge >= 0.999 {
            socCounted = t.stateOfCharge; anchorTs = ts
        }

        // Voltage: the a-priori residual of the device's own recursive fit.
        let warm = fit.samples >= c.warmupSamples
        residuals.voltage = fit.update(soc: t.stateOfCharge, current: t.current, voltage: t.voltage, v0: voltageScale,
                                       q: capacity, lambda: c.forgettingFactor)
        residuals.voltageThreshold = pack.map { Double($0.series) * c.voltageResidualPerCell }
            ?? c.voltageResidualFraction * voltageScale
        if warm, voltage.step(exceeds: abs(residuals.voltage) > residuals.voltageThreshold, k: k) {
            raised.insert(.voltageDivergence)
        }

        // Temperature: exponentially smoothed rise rate of the hottest sensor.
        let rate = (t.temperatureMax - previous.temperature) / dt
        residuals.temperatureRate += min(1, dt / c.temperatureRiseTimeConstant) * (rate - residuals.temperatureRate)
        if rise.step(exceeds: residuals.temperatureRate > c.temperatureRiseThreshold, k: k) { raised.insert(.temperatureRise) }

        self.previous = (ts, t.temperatureMax)
        return raised
    }

    /// Feeds one peer comparison (once per allocation period): `above` [°C] over the site's median; returns
    /// whether the flag has just risen.
    mutating func comparePeers(above: Double, configuration c: SupervisorConfiguration) -> Bool {
        residuals.temperatureAbovePeers = above
        return peers.step(exceeds: above > c.peerTemperatureMargin, k: c.consecutiveSamples)
    }

    /// Forgets the state (a device restarted: its counters and estimator start again).
    mutating func reset() { self = SupervisorTrack() }

    /// The present capacity [A.h]: the birth's rated capacity times the reported SoH, else the reported energy over
    /// the voltage.
    static func capacity(_ t: Telemetry, pack: DeviceStatus.PackInfo?) -> Double {
        if let pack, pack.capacity > 0 { return max(pack.capacity * max(t.stateOfHealth, 0.05), 1e-6) }
        return max(t.energy / max(t.voltage, 1e-3), 1e-6)
    }
}
