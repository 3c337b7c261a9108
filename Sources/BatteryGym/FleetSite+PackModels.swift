import Control
import Electrochemistry

extension FleetSite {
    /// What the allocators (``Control``) know of each pack now: energy from its capacity, retention and open-circuit
    /// voltage, SoC and window, power limits (``powerLimit(_:discharge:open:resistance:)``), resistance identified from
    /// its cell model over one step, and a throughput price linearised from its aging model at `degradationCost` per
    /// kWh lost. The resistance is re-identified when the pack's health changed (hourly) and kept otherwise; a pack
    /// whose probe fails, or a pack of individually modelled cells, gets 2 mΩ × s/p scaled from a 5 A.h cell by
    /// capacity. Also refreshes ``voltageLimited``.
    func packModels() -> [FleetPackModel] {
        if identified.count != count { identified = Array(repeating: nil, count: count) }
        voltageLimited = []
        voltageLimited.reserveCapacity(count)
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
            let discharge = powerLimit(i, discharge: true, open: open, resistance: resistance)
            let charge = powerLimit(i, discharge: false, open: open, resistance: resistance)
            voltageLimited.append((discharge.voltageBound, charge.voltageBound))
            models.append(FleetPackModel(energy: packCapacity[i] * health * open, stateOfCharge: o.stateOfCharge,
                                         socMin: socMin, socMax: socMax,
                                         maxDischargePower: discharge.power, maxChargePower: charge.power,
                                         resistance: resistance, nominalVoltage: nominalVoltage[i], degradationPrice: identified[i]!.price))
        }
        return models
    }

    /// Pack `i`'s largest power [W, positive] for the next step in one direction, as a BMS's state-of-power estimate
    /// finds it: the rated power, the current limit (c_rate_limit × capacity) and the cell voltage limit, by probing the
    /// cell model over one step (``FleetPackModel/probeVoltage(pack:current:dt:)``) at the current limit and, where that
    /// crosses the voltage limit, at the secant estimate of the current that reaches it, until a probe stays inside.
    /// The power is that current times the limiting voltage, so the model's constant-power current is no larger. The
    /// probes run 0.1 % inside the current limit: at constant power the model's current differs from the probe's in
    /// the eighth digit, on either side. A pack whose probe fails gets the first-order V_oc ∓ I·R.
    private func powerLimit(_ i: Int, discharge: Bool, open: Double, resistance: Double) -> (power: Double, voltageBound: Bool) {
        let sign = discharge ? 1.0 : -1.0
        let scale = seriesScale[i]
        let bound = discharge ? packs[i].limits.minimumVoltage : packs[i].limits.maximumVoltage
        let openCell = open / scale
        func probe(_ current: Double) -> Double {
            FleetPackModel.probeVoltage(pack: packs[i], current: sign * current, dt: dt)
                ?? openCell - sign * current * resistance / scale
        }
        func inside(_ v: Double) -> Bool { discharge ? v >= bound : v <= bound }
        var current = 0.999 * cRateLimit * packCapacity[i]
        var voltage = probe(current)
        var voltageBound = false
        for _ in 0..<4 where !inside(voltage) {
            voltageBound = true
            // The secant from the open-circuit voltage to the probe, aimed 1 % short of the bound's overpotential.
            let reach = (openCell - bound) * sign, drop = (openCell - voltage) * sign
            current = drop > 0 && reach > 0 ? current * 0.99 * reach / drop : 0
            voltage = current > 0 ? probe(current) : openCell
        }
        if !inside(voltage) { current = 0 }
        let power = current * (voltageBound ? bound : voltage) * scale
        return (min(ratedPower[i], max(power, 0)), voltageBound)
    }
}
