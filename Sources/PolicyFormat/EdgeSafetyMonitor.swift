import EdgeRuntime

/// One reading of a pack for the safety monitor (`pe_measurement_t`). Units: V, A (positive on discharge), °C,
/// state of charge as a fraction.
public struct EdgeMeasurement: Sendable, Equatable {
    public var cellVoltageMin: Double, cellVoltageMax: Double
    public var current: Double
    public var temperatureMin: Double, temperatureMax: Double
    public var stateOfCharge: Double

    public init(cellVoltageMin: Double, cellVoltageMax: Double, current: Double, temperatureMin: Double,
                temperatureMax: Double, stateOfCharge: Double) {
        self.cellVoltageMin = cellVoltageMin; self.cellVoltageMax = cellVoltageMax; self.current = current
        self.temperatureMin = temperatureMin; self.temperatureMax = temperatureMax; self.stateOfCharge = stateOfCharge
    }
}

/// The monitor's verdict after one check (`pe_safety_report_t`): flags, and the currents allowed in the next step.
public struct EdgeSafetyReport: Sendable, Equatable {
    /// Active warnings and latched faults, bit ``SafetyCheck/bit`` per check.
    public var warnings: UInt32, faults: UInt32
    /// Faults that latched in this check.
    public var faultsRaised: UInt32
    /// Largest charge current magnitude and discharge current [A] for the next step (both ≥ 0).
    public var chargeLimit: Double, dischargeLimit: Double
    /// The temperature derating factors applied to the two limits.
    public var chargeDerating: Double, dischargeDerating: Double
    /// False when the measurement was refused (non-finite, or a minimum above its maximum): both limits are 0.
    public var measurementValid: Bool

    /// Nothing allowed: the report before the first check.
    public static let closed = EdgeSafetyReport(warnings: 0, faults: 0, faultsRaised: 0, chargeLimit: 0, dischargeLimit: 0,
                                                chargeDerating: 0, dischargeDerating: 0, measurementValid: false)

    init(_ r: pe_safety_report_t, valid: Bool) {
        warnings = r.warnings; faults = r.faults; faultsRaised = r.faults_raised
        chargeLimit = Double(r.charge_limit_a); dischargeLimit = Double(r.discharge_limit_a)
        chargeDerating = Double(r.charge_derating); dischargeDerating = Double(r.discharge_derating)
        measurementValid = valid
    }

    private init(warnings: UInt32, faults: UInt32, faultsRaised: UInt32, chargeLimit: Double, dischargeLimit: Double,
                 chargeDerating: Double, dischargeDerating: Double, measurementValid: Bool) {
        self.warnings = warnings; self.faults = faults; self.faultsRaised = faultsRaised
        self.chargeLimit = chargeLimit; self.dischargeLimit = dischargeLimit
        self.chargeDerating = chargeDerating; self.dischargeDerating = dischargeDerating
        self.measurementValid = measurementValid
    }

    /// `requested` [A, positive on discharge] clamped into [−chargeLimit, dischargeLimit] by `pe_safety_clamp`;
    /// 0 for a non-finite request.
    public func clamp(_ requested: Double) -> Double {
        var r = pe_safety_report_t()
        r.warnings = warnings; r.faults = faults
        r.charge_limit_a = Float(chargeLimit); r.discharge_limit_a = Float(dischargeLimit)
        guard requested.isFinite else { return 0 }
        // Float's range is enough for any pack current; a request beyond it clamps like any other.
        let request = Float(max(-1e30, min(1e30, requested)))
        return Double(pe_safety_clamp(&r, request))
    }
}

/// The edge safety monitor of `pe_safety.h` from Swift: debounced warning and fault checks on cell voltages,
/// currents, temperatures and SoC, faults that latch, and the safe current limits for the next control step.
///
/// Configured from a `.pbp` file's safety limits (`pe_safety_config_from_limits`), or from ``SafetyLimits``
/// (e.g. ``SafetyLimits/forPack(cellVoltageMin:cellVoltageMax:capacityAh:)``). A value type: the config and the
/// state are plain C structs copied with it.
public struct EdgeSafetyMonitor: Sendable {
    private var config: pe_safety_config_t
    private var state = pe_safety_state_t()
    /// The last check's verdict (``EdgeSafetyReport/closed`` before the first).
    public private(set) var report = EdgeSafetyReport.closed
    /// The limits the monitor runs on.
    public private(set) var limits: pe_safety_limits_t

    /// A monitor on `runtimeLimits`; throws ``PolicyFormatError/invalidRuntimeConfig(_:)`` when the runtime
    /// refuses them.
    public init(runtimeLimits: pe_safety_limits_t) throws(PolicyFormatError) {
        config = try Self.config(from: runtimeLimits)
        limits = runtimeLimits
        _ = pe_safety_init(&state)
    }

    /// A monitor on `limits` (see ``SafetyLimits/runtimeLimits``).
    public init(limits: SafetyLimits) throws(PolicyFormatError) {
        try self.init(runtimeLimits: limits.runtimeLimits)
    }

    /// A monitor on the safety limits of a loaded policy; nil when the file carries none.
    public init?(policy: EdgePolicy) throws(PolicyFormatError) {
        guard policy.hasSafetyLimits else { return nil }
        try self.init(runtimeLimits: policy.limits)
    }

    private static func config(from limits: pe_safety_limits_t) throws(PolicyFormatError) -> pe_safety_config_t {
        var limits = limits, config = pe_safety_config_t()
        let status = pe_safety_config_from_limits(&limits, &config)
        guard status == PE_SAFETY_OK else {
            throw .invalidRuntimeConfig("pe_safety_config_from_limits refused the safety limits (status \(status.rawValue): "
                                        + (status == PE_SAFETY_ERR_CONFIG ? "thresholds, counts or derating table inconsistent)" : "bad argument)"))
        }
        return config
    }

    /// Switches to `runtimeLimits`, keeping the debounce counters and latched faults; on a refused config the
    /// monitor is unchanged.
    public mutating func reconfigure(runtimeLimits: pe_safety_limits_t) throws(PolicyFormatError) {
        config = try Self.config(from: runtimeLimits)
        limits = runtimeLimits
    }

    /// Switches to `limits` (see ``reconfigure(runtimeLimits:)``).
    public mutating func reconfigure(limits: SafetyLimits) throws(PolicyFormatError) {
        try reconfigure(runtimeLimits: limits.runtimeLimits)
    }

    /// Switches to the safety limits of `policy`; returns false (and changes nothing) when it carries none.
    @discardableResult
    public mutating func reconfigure(policy: EdgePolicy) throws(PolicyFormatError) -> Bool {
        guard policy.hasSafetyLimits else { return false }
        try reconfigure(runtimeLimits: policy.limits)
        return true
    }

    /// Runs every check on `measurement` and returns (and keeps) the verdict for the next step. A refused
    /// measurement leaves the counters alone and allows no current.
    @discardableResult
    public mutating func check(_ measurement: EdgeMeasurement) -> EdgeSafetyReport {
        var m = pe_measurement_t(cell_voltage_max_v: Float(measurement.cellVoltageMax), cell_voltage_min_v: Float(measurement.cellVoltageMin),
                                 current_a: Float(measurement.current), temperature_max_c: Float(measurement.temperatureMax),
                                 temperature_min_c: Float(measurement.temperatureMin), soc: Float(measurement.stateOfCharge))
        var out = pe_safety_report_t()
        let status = pe_safety_check(&state, &config, &m, &out)
        report = EdgeSafetyReport(out, valid: status == PE_SAFETY_OK)
        return report
    }

    /// `requested` [A] clamped into the last report's limits (0 before the first check).
    public func clamp(_ requested: Double) -> Double { report.clamp(requested) }

    /// Clears the latched faults in `mask` whose condition was absent at the last check; returns the faults
    /// still latched.
    @discardableResult
    public mutating func reset(faults mask: UInt32 = .max) -> UInt32 {
        var remaining: UInt32 = 0
        _ = pe_safety_reset(&state, mask, &remaining)
        report.faults = remaining
        return remaining
    }

    /// Latched faults and active warnings.
    public var faults: UInt32 { state.faults }
    public var warnings: UInt32 { state.warnings }

    /// The allowed SoC window: the SoC-low and SoC-high warning thresholds (the validated config keeps it open).
    public var socWindow: ClosedRange<Double> {
        // config.limits is indexed by pe_safety_check_t: 6 = SoC high, 7 = SoC low.
        Double(config.limits.7.warning)...Double(config.limits.6.warning)
    }

    /// The allowed charge and discharge current magnitudes at derating factor 1 [A].
    public var ratedCurrents: (charge: Double, discharge: Double) {
        (Double(config.charge_current_limit_a), Double(config.discharge_current_limit_a))
    }
}
