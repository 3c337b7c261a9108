import Testing
import EdgeRuntime

/// The safety monitor's debounce, latching, reset, derating, taper and clamp (pe_safety.h).
@Suite("EdgeRuntime safety monitor")
struct SafetyMonitorTests {
    static let checks: [pe_safety_check_t] = [
        PE_SAFETY_CELL_OVERVOLTAGE, PE_SAFETY_CELL_UNDERVOLTAGE, PE_SAFETY_OVERCURRENT_CHARGE,
        PE_SAFETY_OVERCURRENT_DISCHARGE, PE_SAFETY_OVERTEMPERATURE, PE_SAFETY_UNDERTEMPERATURE,
        PE_SAFETY_SOC_HIGH, PE_SAFETY_SOC_LOW,
    ]

    static func bit(_ check: pe_safety_check_t) -> UInt32 { 1 << check.rawValue }

    /// Set and clear counts differ per check so that a test cannot pass with a shared constant.
    static func setCount(_ check: pe_safety_check_t) -> UInt16 { UInt16(2 + check.rawValue) }
    static func clearCount(_ check: pe_safety_check_t) -> UInt16 { UInt16(3 + 2 * check.rawValue) }

    /// An NMC pack's limits: 4.15/4.25 V, 3.0/2.7 V, 10/15 A charge, 20/30 A discharge, 50/60 °C, 0/−10 °C, SoC 5–95 %.
    static func config() -> pe_safety_config_t {
        var c = pe_safety_config_t()
        let thresholds: [(pe_safety_check_t, Float, Float)] = [
            (PE_SAFETY_CELL_OVERVOLTAGE, 4.15, 4.25), (PE_SAFETY_CELL_UNDERVOLTAGE, 3.0, 2.7),
            (PE_SAFETY_OVERCURRENT_CHARGE, 10, 15), (PE_SAFETY_OVERCURRENT_DISCHARGE, 20, 30),
            (PE_SAFETY_OVERTEMPERATURE, 50, 60), (PE_SAFETY_UNDERTEMPERATURE, 0, -10),
            (PE_SAFETY_SOC_HIGH, 0.95, 0.98), (PE_SAFETY_SOC_LOW, 0.05, 0.02),
        ]
        for (check, warning, fault) in thresholds {
            #expect(pe_safety_config_set_limit(&c, check, warning, fault, setCount(check), clearCount(check)) == PE_SAFETY_OK)
        }
        c.charge_current_limit_a = 8
        c.discharge_current_limit_a = 16
        c.current_deadband_a = 0.05
        let ct: [Float] = [-10, 0, 10, 25, 45, 55], cf: [Float] = [0, 0.2, 0.6, 1, 1, 0]
        let dt: [Float] = [-20, 25, 50, 60], df: [Float] = [0.3, 1, 1, 0]
        #expect(pe_derating_table_set(&c.charge_derating, ct, cf, ct.count) == PE_SAFETY_OK)
        #expect(pe_derating_table_set(&c.discharge_derating, dt, df, dt.count) == PE_SAFETY_OK)
        #expect(pe_safety_config_validate(&c) == PE_SAFETY_OK)
        return c
    }

    static let nominal = pe_measurement_t(cell_voltage_max_v: 3.8, cell_voltage_min_v: 3.7, current_a: 0,
                                          temperature_max_c: 30, temperature_min_c: 25, soc: 0.5)

    /// A measurement that meets the check's warning condition only (`fault == false`) or its fault condition.
    static func violating(_ check: pe_safety_check_t, fault: Bool) -> pe_measurement_t {
        var m = nominal
        switch check {
        case PE_SAFETY_CELL_OVERVOLTAGE: m.cell_voltage_max_v = fault ? 4.3 : 4.2
        case PE_SAFETY_CELL_UNDERVOLTAGE: m.cell_voltage_min_v = fault ? 2.6 : 2.9
        case PE_SAFETY_OVERCURRENT_CHARGE: m.current_a = fault ? -16 : -12
        case PE_SAFETY_OVERCURRENT_DISCHARGE: m.current_a = fault ? 35 : 25
        case PE_SAFETY_OVERTEMPERATURE: m.temperature_max_c = fault ? 65 : 55
        case PE_SAFETY_UNDERTEMPERATURE: m.temperature_min_c = fault ? -15 : -5
        case PE_SAFETY_SOC_HIGH: m.soc = fault ? 0.99 : 0.96
        default: m.soc = fault ? 0.01 : 0.04
        }
        return m
    }

    static func run(_ state: inout pe_safety_state_t, _ c: inout pe_safety_config_t, _ m: pe_measurement_t) -> pe_safety_report_t {
        var m = m, report = pe_safety_report_t()
        #expect(pe_safety_check(&state, &c, &m, &report) == PE_SAFETY_OK)
        return report
    }

    @Test("a warning sets after exactly its set count and clears after exactly its clear count", arguments: checks)
    func warningDebounce(_ check: pe_safety_check_t) {
        var c = Self.config(), s = pe_safety_state_t()
        _ = pe_safety_init(&s)
        let n = Int(Self.setCount(check)), m = Int(Self.clearCount(check)), bit = Self.bit(check)
        let warn = Self.violating(check, fault: false)
        // An interrupted run does not count.
        for _ in 0..<(n - 1) { #expect(Self.run(&s, &c, warn).warnings & bit == 0) }
        _ = Self.run(&s, &c, Self.nominal)
        for _ in 0..<(n - 1) { #expect(Self.run(&s, &c, warn).warnings & bit == 0) }
        let set = Self.run(&s, &c, warn)
        #expect(set.warnings == bit)
        #expect(set.faults == 0)
        // Clearing: m − 1 good checks, one bad one restarts the count, then exactly m.
        for _ in 0..<(m - 1) { #expect(Self.run(&s, &c, Self.nominal).warnings & bit == bit) }
        #expect(Self.run(&s, &c, warn).warnings & bit == bit)
        for _ in 0..<(m - 1) { #expect(Self.run(&s, &c, Self.nominal).warnings & bit == bit) }
        #expect(Self.run(&s, &c, Self.nominal).warnings == 0)
    }

    @Test("a fault sets after exactly its set count, latches, and reset clears it only once its condition is gone",
          arguments: checks)
    func faultLatch(_ check: pe_safety_check_t) {
        var c = Self.config(), s = pe_safety_state_t()
        _ = pe_safety_init(&s)
        let n = Int(Self.setCount(check)), m = Int(Self.clearCount(check)), bit = Self.bit(check)
        let bad = Self.violating(check, fault: true)
        for _ in 0..<(n - 1) { #expect(Self.run(&s, &c, bad).faults == 0) }
        let raised = Self.run(&s, &c, bad)
        #expect(raised.faults == bit)
        #expect(raised.faults_raised == bit)
        #expect(raised.warnings & bit == bit)
        #expect(Self.run(&s, &c, bad).faults_raised == 0)
        // Reset while the condition persists: still latched.
        var remaining: UInt32 = 0
        #expect(pe_safety_reset(&s, bit, &remaining) == PE_SAFETY_OK)
        #expect(remaining == bit)
        // Condition gone: the warning clears after its count, the fault stays latched.
        for _ in 0..<m { _ = Self.run(&s, &c, Self.nominal) }
        let after = Self.run(&s, &c, Self.nominal)
        #expect(after.warnings == 0)
        #expect(after.faults == bit)
        // A reset of other bits leaves it; a reset of its bit clears it.
        #expect(pe_safety_reset(&s, ~bit, &remaining) == PE_SAFETY_OK)
        #expect(remaining == bit)
        #expect(pe_safety_reset(&s, bit, &remaining) == PE_SAFETY_OK)
        #expect(remaining == 0)
        let clean = Self.run(&s, &c, Self.nominal)
        #expect(clean.faults == 0)
        #expect(clean.charge_limit_a == 8)
        #expect(clean.discharge_limit_a == 16)
    }

    @Test("a latched fault zeroes its direction; voltage and temperature faults zero both", arguments: checks)
    func faultDirections(_ check: pe_safety_check_t) {
        var c = Self.config(), s = pe_safety_state_t()
        _ = pe_safety_init(&s)
        for _ in 0..<Int(Self.setCount(check)) { _ = Self.run(&s, &c, Self.violating(check, fault: true)) }
        let r = Self.run(&s, &c, Self.nominal)
        let both: Set<UInt32> = [PE_SAFETY_CELL_OVERVOLTAGE.rawValue, PE_SAFETY_CELL_UNDERVOLTAGE.rawValue,
                                 PE_SAFETY_OVERTEMPERATURE.rawValue, PE_SAFETY_UNDERTEMPERATURE.rawValue]
        let chargeOnly: Set<UInt32> = [PE_SAFETY_OVERCURRENT_CHARGE.rawValue, PE_SAFETY_SOC_HIGH.rawValue]
        let k = check.rawValue
        #expect(r.charge_limit_a == (both.contains(k) || chargeOnly.contains(k) ? 0 : 8))
        #expect(r.discharge_limit_a == (both.contains(k) || !chargeOnly.contains(k) ? 0 : 16))
    }

    @Test("derating tables interpolate linearly, clamp at the ends, and the range takes the minimum")
    func derating() {
        let c = Self.config()
        var charge = c.charge_derating
        let cases: [(Float, Float)] = [(-20, 0), (-5, 0.1), (5, 0.4), (17.5, 0.8), (25, 1), (35, 1), (50, 0.5), (70, 0)]
        for (t, f) in cases { #expect(abs(pe_derating_factor(&charge, t) - f) < 1e-6, "T = \(t)") }
        #expect(abs(pe_derating_factor_range(&charge, 20, 50) - 0.5) < 1e-6)
        #expect(abs(pe_derating_factor_range(&charge, -5, 30) - 0.1) < 1e-6)
        var dip = pe_derating_table_t()
        let t: [Float] = [0, 10, 20], f: [Float] = [1, 0.3, 1]
        #expect(pe_derating_table_set(&dip, t, f, 3) == PE_SAFETY_OK)
        #expect(abs(pe_derating_factor_range(&dip, 5, 15) - 0.3) < 1e-6)  // the knot inside, not the ends (0.65)
        let bad: [Float] = [0, 0, 20]
        #expect(pe_derating_table_set(&dip, bad, f, 3) == PE_SAFETY_ERR_ARGUMENT)
        #expect(pe_derating_table_set(&dip, t, [1, 1.5, 1], 3) == PE_SAFETY_ERR_ARGUMENT)
    }

    @Test("limits are derated by temperature and tapered between warning and fault; derating scales the over-current check")
    func limitsAndTaper() {
        var c = Self.config(), s = pe_safety_state_t()
        _ = pe_safety_init(&s)
        var m = Self.nominal
        m.temperature_min_c = 5  // charge factor 0.4, discharge 0.3 + 0.7·25/45
        var r = Self.run(&s, &c, m)
        #expect(abs(r.charge_limit_a - 3.2) < 1e-5)
        #expect(abs(r.discharge_limit_a - 16 * (0.3 + 0.7 * 25 / 45)) < 1e-4)
        m.current_a = -5  // above 10 A × 0.4: an over-current warning condition at 5 °C, not at 25 °C
        for _ in 0..<Int(Self.setCount(PE_SAFETY_OVERCURRENT_CHARGE)) { r = Self.run(&s, &c, m) }
        #expect(r.warnings == Self.bit(PE_SAFETY_OVERCURRENT_CHARGE))
        _ = pe_safety_init(&s)
        m = Self.nominal
        m.cell_voltage_max_v = 4.2    // halfway between 4.15 and 4.25
        m.soc = 0.965                 // halfway between 0.95 and 0.98
        r = Self.run(&s, &c, m)
        #expect(abs(r.charge_limit_a - 8 * 0.5 * 0.5) < 1e-4)
        #expect(r.discharge_limit_a == 16)
        m = Self.nominal
        m.cell_voltage_min_v = 2.85   // halfway between 3.0 and 2.7
        r = Self.run(&s, &c, m)
        #expect(abs(r.discharge_limit_a - 8) < 1e-4)
        #expect(r.charge_limit_a == 8)
        // Currents inside the deadband never count.
        m = Self.nominal
        m.temperature_min_c = -15
        m.temperature_max_c = -12
        m.current_a = -0.04
        _ = pe_safety_init(&s)
        for _ in 0..<10 { r = Self.run(&s, &c, m) }
        #expect(r.warnings & Self.bit(PE_SAFETY_OVERCURRENT_CHARGE) == 0)
        #expect(r.charge_limit_a == 0)
    }

    @Test("clamp keeps a setpoint inside the report's limits")
    func clamp() {
        var r = pe_safety_report_t()
        r.charge_limit_a = 8
        r.discharge_limit_a = 16
        #expect(pe_safety_clamp(&r, 20) == 16)
        #expect(pe_safety_clamp(&r, -20) == -8)
        #expect(pe_safety_clamp(&r, 5) == 5)
        #expect(pe_safety_clamp(&r, -3) == -3)
        #expect(pe_safety_clamp(&r, .nan) == 0)
        #expect(pe_safety_clamp(nil, 5) == 0)
    }

    @Test("a non-finite measurement zeroes the limits and leaves the counters")
    func invalidMeasurement() {
        var c = Self.config(), s = pe_safety_state_t(), r = pe_safety_report_t()
        _ = pe_safety_init(&s)
        var warn = Self.violating(PE_SAFETY_CELL_OVERVOLTAGE, fault: false)
        _ = Self.run(&s, &c, warn)
        var bad = Self.nominal
        bad.cell_voltage_max_v = .nan
        #expect(pe_safety_check(&s, &c, &bad, &r) == PE_SAFETY_ERR_MEASUREMENT)
        #expect(r.charge_limit_a == 0 && r.discharge_limit_a == 0)
        #expect(s.warning_set.0 == 1)
        bad = Self.nominal
        bad.cell_voltage_min_v = 3.9  // min above max
        #expect(pe_safety_check(&s, &c, &bad, &r) == PE_SAFETY_ERR_MEASUREMENT)
        #expect(pe_safety_check(&s, &c, &warn, &r) == PE_SAFETY_OK)
        #expect(s.warning_set.0 == 2)
    }

    @Test("config validation names inconsistent limits")
    func validation() {
        var c = Self.config()
        c.limits.0.warning = 4.3  // over-voltage warning above its fault
        #expect(pe_safety_config_validate(&c) == PE_SAFETY_ERR_CONFIG)
        c = Self.config()
        c.charge_current_limit_a = 11  // above the charge over-current warning
        #expect(pe_safety_config_validate(&c) == PE_SAFETY_ERR_CONFIG)
        c = Self.config()
        c.limits.7.set_count = 0
        #expect(pe_safety_config_validate(&c) == PE_SAFETY_ERR_CONFIG)
        c = Self.config()
        c.limits.5.warning = 60  // under-temperature warning above the over-temperature warning
        c.limits.5.fault = 55
        #expect(pe_safety_config_validate(&c) == PE_SAFETY_ERR_CONFIG)
        #expect(pe_safety_config_validate(nil) == PE_SAFETY_ERR_NULL)
    }
}
