#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-pack observation of `PulseBMS/FleetDispatch-v0` (BatteryGym's `FleetDispatchEnvironment.observation()`
/// and `FleetSite.features`), built from telemetry: one row per device, `[site (4) | pack (10)]`, each value
/// clipped to ±10 — the `per_pack:4,10` layout an exported fleet policy runs on.
///
/// Site features: demand now / total rated power, demand next / total rated power, sin and cos of 2π·hour/24.
///
/// Pack features:
/// 1. SoC, 2. SoH, 3. (T_max − 25 °C) / 20,
/// 4. (cell_v_max − v_min_limit) / (v_max_limit − v_min_limit), with the birth's cell voltage window (0.5 without
///    a birth),
/// 5. discharge headroom min(1, max(0, (SoC − SoC_min − 0.02)·E·3600/Δt/P_rated)),
/// 6. charge headroom min(1, max(0, (SoC_max − 0.02 − SoC)·E·3600/Δt/P_rated)),
/// 7–9. LFP, NMC, LMO one-hot (from the birth's chemistry, matched case-insensitively as a substring),
/// 10. P_rated / the largest P_rated of the devices allocated.
///
/// E is the reported energy [Wh], the SoC window the reported limits, P_rated ``AllocatableDevice/ratedPower``, and
/// Δt the feature step: the allocation period unless configured (the environment's own step is 60 s).
public enum PolicyObservation {
    public static let siteFeatures = 4, packFeatures = 10
    /// The value of `layout` in a policy's metadata that this observation fits.
    public static let layout = "per_pack:4,10"
    /// The environment id a policy must have been trained on.
    public static let environment = "PulseBMS/FleetDispatch-v0"
    /// Observations are clipped to ±`clip`, as the environment's Box space.
    public static let clip = 10.0
    /// The SoC guard band of the headroom features.
    static let guardBand = 0.02

    /// The four site features.
    public static func site(demand: Double, demandNext: Double, totalRatedPower: Double, hourOfDay: Double) -> [Double] {
        let rated = max(totalRatedPower, 1e-9)
        let angle = 2 * Double.pi * hourOfDay / 24
        return [demand / rated, demandNext / rated, sin(angle), cos(angle)].map(clipped)
    }

    /// The ten pack features of `device` for a feature step of `step` seconds.
    public static func pack(_ device: AllocatableDevice, largestRatedPower: Double, step: Double) -> [Double] {
        let t = device.telemetry, rated = max(device.ratedPower, 1e-9)
        let voltage: Double
        if let pack = device.pack, pack.cellVoltageMax > pack.cellVoltageMin {
            voltage = (t.cellVoltageMax - pack.cellVoltageMin) / (pack.cellVoltageMax - pack.cellVoltageMin)
        } else {
            voltage = 0.5
        }
        let perSoC = t.energy * 3600 / max(step, 1e-9) / rated
        let down = min(1, max(0, (t.stateOfCharge - t.limits.socMin - guardBand) * perSoC))
        let up = min(1, max(0, (t.limits.socMax - guardBand - t.stateOfCharge) * perSoC))
        let chemistry = device.pack?.chemistry.uppercased() ?? ""
        let oneHot = ["LFP", "NMC", "LMO"].map { chemistry.contains($0) ? 1.0 : 0.0 }
        return ([t.stateOfCharge, t.stateOfHealth, (t.temperatureMax - 25) / 20, voltage, down, up] + oneHot
                + [device.ratedPower / max(largestRatedPower, 1e-9)]).map(clipped)
    }

    /// Every device's row for `problem`, flattened (row i at `i · 14`), as the policy's f32 input.
    public static func rows(_ problem: AllocationProblem, step: Double? = nil) -> [Float] {
        let rated = problem.devices.map(\.ratedPower)
        let site = site(demand: problem.demand, demandNext: problem.demandNext, totalRatedPower: rated.reduce(0, +),
                        hourOfDay: problem.hourOfDay)
        let largest = rated.max() ?? 1
        var out = [Float]()
        out.reserveCapacity(problem.devices.count * (siteFeatures + packFeatures))
        for device in problem.devices {
            for x in site { out.append(Float(x)) }
            for x in pack(device, largestRatedPower: largest, step: step ?? problem.period) { out.append(Float(x)) }
        }
        return out
    }

    static func clipped(_ x: Double) -> Double { x.isNaN ? 0 : min(max(x, -clip), clip) }
}
