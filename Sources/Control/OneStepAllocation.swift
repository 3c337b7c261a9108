/// One control step of fleet allocation: the cheapest split of a request D that meets it within every pack's
/// limits — the H = 1 case of ``FleetMPC``, solved exactly by ``SeparableAllocation`` instead of ADMM:
///
/// minimise Σᵢ ℓᵢ pᵢ² + cᵢ |pᵢ|  subject to  pᵢ within its power and one-step SoC limits, sign(pᵢ) = sign(D),
/// Σᵢ pᵢ = D
///
/// with the same loss and degradation weights as the MPC (``FleetPackModel``).
public enum OneStepAllocation {
    /// Each pack's power bounds [W] for the next `dt` seconds: its power limits, and the energy left to its SoC
    /// window narrowed by `margin` (through the first-order efficiency), in the direction of `demand`.
    public static func bounds(_ packs: [FleetPackModel], demand: Double, dt: Double,
                              margin: Double = 0) -> (lower: [Double], upper: [Double]) {
        var lower = [Double](), upper = [Double]()
        for p in packs {
            if demand >= 0 {
                let energy = max(0, p.stateOfCharge - p.socMin - margin) * p.energy * 3600 / dt / p.dischargeFactor
                lower.append(0); upper.append(min(p.maxDischargePower, energy))
            } else {
                let energy = max(0, p.socMax - margin - p.stateOfCharge) * p.energy * 3600 / dt / p.chargeFactor
                lower.append(-min(p.maxChargePower, energy)); upper.append(0)
            }
        }
        return (lower, upper)
    }

    /// The allocation [W] and whether it meets `demand`.
    public static func allocate(_ packs: [FleetPackModel], demand: Double, dt: Double,
                                energyPrice: Double) throws(ControlError) -> SeparableAllocation.Solution {
        let (lower, upper) = bounds(packs, demand: demand, dt: dt)
        let sign = demand >= 0 ? 1.0 : -1.0
        // Per W² and per W of one step, in currency (the losses R (p/V)² dt and the throughput |p| dt).
        let a = packs.map { 2 * max(energyPrice, 1e-9) * $0.resistance / max($0.nominalVoltage * $0.nominalVoltage, 1e-12) * dt / 3.6e6 }
        let b = packs.map { sign * $0.degradationPrice * dt / 3600 }
        return try SeparableAllocation.solve(a: a, b: b, lower: lower, upper: upper, total: demand)
    }
}
