import EdgeRuntime

/// The eight checks of the edge safety monitor (`pe_safety_check_t`): bit `1 << rawValue` in its warning and
/// fault masks, and in the `faults`/`warnings` fields of a device's telemetry.
public enum SafetyCheck: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case cellOvervoltage = 0, cellUndervoltage, chargeOvercurrent, dischargeOvercurrent
    case overtemperature, undertemperature, socHigh, socLow

    /// The check's bit in a mask.
    public var bit: UInt32 { 1 << rawValue }

    /// The checks whose bits are set in `mask` (bits beyond the eight are ignored).
    public static func checks(in mask: UInt32) -> [SafetyCheck] { allCases.filter { mask & $0.bit != 0 } }

    public var description: String {
        switch self {
        case .cellOvervoltage: "cell_overvoltage"
        case .cellUndervoltage: "cell_undervoltage"
        case .chargeOvercurrent: "charge_overcurrent"
        case .dischargeOvercurrent: "discharge_overcurrent"
        case .overtemperature: "overtemperature"
        case .undertemperature: "undertemperature"
        case .socHigh: "soc_high"
        case .socLow: "soc_low"
        }
    }
}

extension SafetyLimits {
    /// These limits as the C struct a `.pbp` file's SAFETY_LIMITS section loads into (`pe_safety_limits_t`),
    /// for ``EdgeSafetyMonitor/init(runtimeLimits:)``. Derating points beyond the eighth are dropped (the C
    /// validation then sees the first eight); ``problems`` lists what the runtime will refuse.
    public var runtimeLimits: pe_safety_limits_t {
        var c = pe_safety_limits_t()
        withUnsafeMutableBytes(of: &c.limit) { raw in
            let out = raw.bindMemory(to: pe_limit_t.self)
            for (k, entry) in ordered.enumerated() {
                out[k] = pe_limit_t(warning: entry.limit.warning, fault: entry.limit.fault,
                                    warning_debounce: entry.limit.warningDebounce, fault_debounce: entry.limit.faultDebounce)
            }
        }
        let points = Array(derating.prefix(Int(PE_DERATING_MAX)))
        c.derating_count = UInt32(points.count)
        withUnsafeMutableBytes(of: &c.derating_temperature) { raw in
            for (k, p) in points.enumerated() { raw.storeBytes(of: p.temperatureC, toByteOffset: 4 * k, as: Float.self) }
        }
        withUnsafeMutableBytes(of: &c.derating_charge) { raw in
            for (k, p) in points.enumerated() { raw.storeBytes(of: p.chargeFactor, toByteOffset: 4 * k, as: Float.self) }
        }
        withUnsafeMutableBytes(of: &c.derating_discharge) { raw in
            for (k, p) in points.enumerated() { raw.storeBytes(of: p.dischargeFactor, toByteOffset: 4 * k, as: Float.self) }
        }
        return c
    }

    /// Limits for a pack from its cell voltage window and capacity: the voltage faults at the window's ends with
    /// the warnings 5 % (over-voltage) and 10 % (under-voltage) of the window inside; charge current 1 C warning /
    /// 1.5 C fault and discharge 2 C / 3 C at `capacityAh`; temperatures, SoC window and derating as
    /// ``conservativeNMC(capacityAh:)``; debounce 3 samples. The warnings are the allowed currents and where the
    /// monitor's tapers start (docs/edge-runtime.md).
    public static func forPack(cellVoltageMin: Float, cellVoltageMax: Float, capacityAh: Float) -> SafetyLimits {
        var limits = conservativeNMC(capacityAh: capacityAh)
        let window = cellVoltageMax - cellVoltageMin
        limits.cellOvervoltageV = Limit(warning: cellVoltageMax - 0.05 * window, fault: cellVoltageMax)
        limits.cellUndervoltageV = Limit(warning: cellVoltageMin + 0.1 * window, fault: cellVoltageMin)
        return limits
    }
}
