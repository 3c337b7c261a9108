import Control
import FleetProtocol

/// Each device's safe power range for one period, from its telemetry, and the projection every allocator's
/// proposal goes through.
///
/// The allocators see a device as a `FleetPackModel` built from its telemetry and its birth:
/// - energy: the reported usable energy [Wh]; SoC and its window: the reported SoC and `limits.soc_min/max`;
/// - power limits: the reported `limits.discharge_power_w` / `charge_power_w`, further capped by the current
///   limits at the present voltage, less the birth's resistance drop on discharge: (V − R·I_max)·I_max and V·I_max;
/// - resistance and nominal voltage: the birth's (telemetry voltage without a birth; at least 1 µΩ).
///
/// The bounds are then `OneStepAllocation.bounds`: in the demand's direction only (no energy shuffled between
/// packs), at most the power limit and at most the energy left to the SoC window over the period (through the
/// first-order efficiency of the resistance).
public enum SafeBounds {
    /// The allocators' model of `device`, with `degradationPrice` [currency/Wh].
    public static func packModel(_ device: AllocatableDevice, degradationPrice: Double = 0) -> FleetPackModel {
        let t = device.telemetry, l = t.limits
        let resistance = max(device.pack?.resistance ?? 0, 1e-6)
        let voltage = max(t.voltage, 0)
        let dischargeByCurrent = max(0, voltage - resistance * l.dischargeCurrent) * l.dischargeCurrent
        let chargeByCurrent = voltage * l.chargeCurrent
        return FleetPackModel(energy: max(t.energy, 0), stateOfCharge: t.stateOfCharge, socMin: l.socMin, socMax: l.socMax,
                              maxDischargePower: min(l.dischargePower, dischargeByCurrent),
                              maxChargePower: min(l.chargePower, chargeByCurrent),
                              resistance: resistance, nominalVoltage: max(device.pack?.nominalVoltage ?? voltage, 1e-3),
                              degradationPrice: degradationPrice)
    }

    /// The bounds [W] of `models` for `demand` over `period` seconds.
    public static func bounds(_ models: [FleetPackModel], demand: Double, period: Double) -> (lower: [Double], upper: [Double]) {
        OneStepAllocation.bounds(models, demand: demand, dt: period)
    }

    /// The allocation nearest to `proposal` (weighted by each device's range) within [`lower`, `upper`] that sums
    /// to `demand` when it can (`SafetyProjection`); otherwise every device at the bound nearest to the demand.
    public static func project(_ proposal: [Double], lower: [Double], upper: [Double], demand: Double,
                               allocator: String, fallback: String? = nil) throws(CoordinatorError) -> AllocationResult {
        guard !proposal.isEmpty else {
            return AllocationResult(powers: [], lower: [], upper: [], demandMet: demand == 0, fallback: fallback)
        }
        do {
            let r = try SafetyProjection.project(proposal, lower: lower, upper: upper, demand: demand)
            // The projection is exact to rounding; clamp once more so no device is a hair outside its bounds.
            let powers = r.allocation.indices.map { min(max(r.allocation[$0], lower[$0]), upper[$0]) }
            return AllocationResult(powers: powers, lower: lower, upper: upper, demandMet: r.demandMet, fallback: fallback)
        } catch {
            throw CoordinatorError(error, allocator: allocator)
        }
    }
}
