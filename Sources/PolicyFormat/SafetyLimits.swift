/// The SAFETY_LIMITS section: a pack's thresholds as the edge safety monitor applies them (the C struct is
/// `pe_safety_limits_t` in `pe_limits.h`). Each limit has a warning and a fault threshold, each raised after
/// a debounce count of consecutive samples beyond it (the scheme of foxBMS 2's diagnosis module).
///
/// Units: cell voltage [V]; current magnitude [A] (charge and discharge separately); temperature [°C];
/// state of charge as a fraction in [0, 1]. The current thresholds are multiplied by a derating factor
/// interpolated linearly in temperature from `derating` (held constant beyond its ends).
public struct SafetyLimits: Sendable, Equatable, Codable {
    /// One limit. Upper limits trip above (warning ≤ fault), lower limits below (warning ≥ fault).
    public struct Limit: Sendable, Equatable, Codable {
        public var warning: Float
        public var fault: Float
        public var warningDebounce: UInt16
        public var faultDebounce: UInt16

        public init(warning: Float, fault: Float, warningDebounce: UInt16 = 3, faultDebounce: UInt16 = 3) {
            self.warning = warning
            self.fault = fault
            self.warningDebounce = warningDebounce
            self.faultDebounce = faultDebounce
        }
    }

    /// One point of the derating table.
    public struct DeratingPoint: Sendable, Equatable, Codable {
        public var temperatureC: Float
        public var chargeFactor: Float
        public var dischargeFactor: Float

        public init(temperatureC: Float, chargeFactor: Float, dischargeFactor: Float) {
            self.temperatureC = temperatureC
            self.chargeFactor = chargeFactor
            self.dischargeFactor = dischargeFactor
        }
    }

    public var cellOvervoltageV: Limit
    public var cellUndervoltageV: Limit
    public var chargeOvercurrentA: Limit
    public var dischargeOvercurrentA: Limit
    public var overtemperatureC: Limit
    public var undertemperatureC: Limit
    public var socHigh: Limit
    public var socLow: Limit
    /// 1…8 points, temperatures strictly increasing, factors in [0, 1].
    public var derating: [DeratingPoint]

    public init(cellOvervoltageV: Limit, cellUndervoltageV: Limit, chargeOvercurrentA: Limit, dischargeOvercurrentA: Limit,
                overtemperatureC: Limit, undertemperatureC: Limit, socHigh: Limit, socLow: Limit, derating: [DeratingPoint]) {
        self.cellOvervoltageV = cellOvervoltageV
        self.cellUndervoltageV = cellUndervoltageV
        self.chargeOvercurrentA = chargeOvercurrentA
        self.dischargeOvercurrentA = dischargeOvercurrentA
        self.overtemperatureC = overtemperatureC
        self.undertemperatureC = undertemperatureC
        self.socHigh = socHigh
        self.socLow = socLow
        self.derating = derating
    }

    /// The limits in the file's order (`pe_limit_index_t`), with whether each is an upper limit.
    public var ordered: [(name: String, limit: Limit, upper: Bool)] {
        [("cell_overvoltage_V", cellOvervoltageV, true), ("cell_undervoltage_V", cellUndervoltageV, false),
         ("charge_overcurrent_A", chargeOvercurrentA, true), ("discharge_overcurrent_A", dischargeOvercurrentA, true),
         ("overtemperature_degC", overtemperatureC, true), ("undertemperature_degC", undertemperatureC, false),
         ("soc_high", socHigh, true), ("soc_low", socLow, false)]
    }

    /// Limits from the file's order.
    init(ordered l: [Limit], derating: [DeratingPoint]) {
        self.init(cellOvervoltageV: l[0], cellUndervoltageV: l[1], chargeOvercurrentA: l[2], dischargeOvercurrentA: l[3],
                  overtemperatureC: l[4], undertemperatureC: l[5], socHigh: l[6], socLow: l[7], derating: derating)
    }

    /// The reasons these limits are invalid (the checks `pe_parse_limits` makes), empty when valid.
    public var problems: [String] {
        var out: [String] = []
        for (k, (name, l, upper)) in ordered.enumerated() {
            guard l.warning.isFinite, l.fault.isFinite else { out.append("\(name): non-finite threshold"); continue }
            if upper ? l.warning > l.fault : l.warning < l.fault {
                out.append("\(name): warning \(l.warning) is beyond fault \(l.fault)")
            }
            if l.warningDebounce == 0 || l.faultDebounce == 0 { out.append("\(name): a debounce count is 0") }
            let inRange: Bool
            switch k {
            case 0, 1: inRange = l.warning > 0 && l.fault > 0 && l.warning <= 10 && l.fault <= 10
            case 2, 3: inRange = l.warning > 0 && l.fault > 0
            case 4, 5: inRange = l.warning >= -273.15 && l.fault >= -273.15
            default: inRange = (0...1).contains(l.warning) && (0...1).contains(l.fault)
            }
            if !inRange { out.append("\(name): thresholds \(l.warning), \(l.fault) out of range") }
        }
        if !(cellUndervoltageV.warning < cellOvervoltageV.warning) { out.append("the cell voltage window is empty") }
        if !(undertemperatureC.warning < overtemperatureC.warning) { out.append("the temperature window is empty") }
        if !(socLow.warning < socHigh.warning) { out.append("the SoC window is empty") }
        if derating.isEmpty || derating.count > 8 { out.append("the derating table has \(derating.count) points, not 1…8") }
        for (i, p) in derating.enumerated() {
            if !p.temperatureC.isFinite || !(0...1).contains(p.chargeFactor) || !(0...1).contains(p.dischargeFactor) {
                out.append("derating point \(i) is out of range")
            }
            if i > 0, !(p.temperatureC > derating[i - 1].temperatureC) { out.append("derating temperatures must increase") }
        }
        return out
    }

    /// Conservative defaults for a lithium-ion pack of NMC cells in second life: 4.15/4.20 V, 2.9/2.7 V,
    /// 1 C / 1.5 C charge and 2 C / 3 C discharge at `capacityAh`, 50/60 °C, 0/−10 °C, SoC 0.95/0.98 and
    /// 0.05/0.02, charging derated below 10 °C (to 0 at 0 °C) and both directions above 45 °C.
    public static func conservativeNMC(capacityAh: Float) -> SafetyLimits {
        SafetyLimits(cellOvervoltageV: Limit(warning: 4.15, fault: 4.2), cellUndervoltageV: Limit(warning: 2.9, fault: 2.7),
                     chargeOvercurrentA: Limit(warning: capacityAh, fault: 1.5 * capacityAh),
                     dischargeOvercurrentA: Limit(warning: 2 * capacityAh, fault: 3 * capacityAh),
                     overtemperatureC: Limit(warning: 50, fault: 60), undertemperatureC: Limit(warning: 0, fault: -10),
                     socHigh: Limit(warning: 0.95, fault: 0.98), socLow: Limit(warning: 0.05, fault: 0.02),
                     derating: [DeratingPoint(temperatureC: 0, chargeFactor: 0, dischargeFactor: 0.5),
                                DeratingPoint(temperatureC: 10, chargeFactor: 1, dischargeFactor: 1),
                                DeratingPoint(temperatureC: 45, chargeFactor: 1, dischargeFactor: 1),
                                DeratingPoint(temperatureC: 55, chargeFactor: 0.3, dischargeFactor: 0.5)])
    }
}
