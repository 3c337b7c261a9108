import Control
import Electrochemistry

extension FleetSite {
    /// What the allocators (``Control``) know of each pack now: energy from its capacity, retention and open-circuit voltage,
    /// SoC and window, power limits (rated power, and the power at the current limit probed on the cell model), resistance identified from its cell model over one step, and
    /// a throughput price linearised from its aging model at `degradationCost` per kWh lost. The resistance is
    /// re-identified when the pack's health changed (hourly) and kept otherwise; a pack whose probe fails, or a
    /// pack of individually modelled cells, gets 2 mΩ × s/p scaled from a 5 A.h cell by capacity.
    func packModels() -> [FleetPackModel] {
        if identified.count != count { identified = Array(repeating: nil, count: count) }
        var models: [FleetPackModel] = []
        models.reserveCapacity(count)
        for i in 0..<count {
            let health = aging[i].q
            if identified[i] == nil || identified[i]!.health != health {
                let layout = sampled[i].layout
                let fallback = 0.002 * Double(layout.series) / Double(layout.parallel) * 5 / max(sampled[i].cellCapacity, 1e-9)
                let r = FleetPackModel.identifyResistance(pack: packs[i], seriesScale: seriesScale[i], dt: dt) ?? fallback
                let price = FleetPackModel.degradationPrice(model: aging[i].model, costPerKWh: degradationCost)
                identified[i] = (health, r, price)
            }
            let o = packs[i].outputs
            // The open-circuit voltage behind the last step's terminal voltage (V + I·R): near the ends of the window
            // it, and so the energy one A.h carries, is well off nominal (≈ 10 % at 10 % SoC).
            let resistance = identified[i]!.resistance
            let terminal = o.voltage * seriesScale[i]
            let open = terminal > 0 ? terminal + o.current * resistance : nominalVoltage[i]
            // Power limits: the rated power, and the power that draws the current limit (c_rate_limit × capacity)
            // over one step, found by probing the cell model at ± that current (first-order V_oc ∓ I·R if a probe
            // fails).
            let currentLimit = cRateLimit * packCapacity[i]
            let atDischarge = FleetPackModel.probeVoltage(pack: packs[i], current: currentLimit, dt: dt).map { $0 * seriesScale[i] }
                ?? max(open - currentLimit * resistance, 0)
            let atCharge = FleetPackModel.probeVoltage(pack: packs[i], current: -currentLimit, dt: dt).map { $0 * seriesScale[i] }
                ?? open + currentLimit * resistance
            models.append(FleetPackModel(energy: packCapacity[i] * health * open, stateOfCharge: o.stateOfCharge,
                                         socMin: socMin, socMax: socMax,
                                         maxDischargePower: min(ratedPower[i], currentLimit * max(atDischarge, 0)),
                                         maxChargePower: min(ratedPower[i], currentLimit * atCharge),
                                         resistance: resistance, nominalVoltage: nominalVoltage[i], degradationPrice: identified[i]!.price))
        }
        return models
    }
}
