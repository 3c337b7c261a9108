import Control
import Electrochemistry

extension FleetSite {
    /// What the allocators (``Control``) know of each pack now: energy from its capacity, retention and present voltage,
    /// SoC and window, power limits (rated power and the current limit at the present voltage), resistance identified from its cell model over one step, and
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
            // Energy per unit SoC at the present voltage: near the ends of the window the voltage, and so the
            // energy one A.h carries, is well off nominal (≈ 10 % at 10 % SoC).
            let voltage = o.voltage * seriesScale[i] > 0 ? o.voltage * seriesScale[i] : nominalVoltage[i]
            // Power limits: the rated power, and the current limit (c_rate_limit × capacity) at the present voltage.
            let currentLimited = cRateLimit * packCapacity[i] * voltage
            models.append(FleetPackModel(energy: packCapacity[i] * health * voltage, stateOfCharge: o.stateOfCharge,
                                         socMin: socMin, socMax: socMax, maxDischargePower: min(ratedPower[i], currentLimited),
                                         maxChargePower: min(ratedPower[i], currentLimited), resistance: identified[i]!.resistance,
                                         nominalVoltage: nominalVoltage[i], degradationPrice: identified[i]!.price))
        }
        return models
    }
}
