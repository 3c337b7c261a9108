import Electrochemistry

/// What the allocators know about one pack: an energy reservoir with power limits, a series resistance and a
/// price on throughput — the parameters are identified from the pack's cell model and its aging model
/// (``identify(pack:seriesScale:)``, ``degradationPrice(model:costPerKWh:celsius:)``).
public struct FleetPackModel: Sendable, Equatable {
    /// Usable energy at nominal voltage [Wh] (capacity × retention × nominal voltage).
    public var energy: Double
    /// Present state of charge and its allowed window.
    public var stateOfCharge: Double
    public var socMin: Double, socMax: Double
    /// Largest discharge and charge power [W] (both positive).
    public var maxDischargePower: Double, maxChargePower: Double
    /// DC resistance of the pack over one control period [Ω] and its nominal voltage [V].
    public var resistance: Double
    public var nominalVoltage: Double
    /// Currency per Wh of throughput: the aging model's capacity loss per cycle, priced.
    public var degradationPrice: Double

    public init(energy: Double, stateOfCharge: Double, socMin: Double, socMax: Double, maxDischargePower: Double,
                maxChargePower: Double, resistance: Double, nominalVoltage: Double, degradationPrice: Double) {
        self.energy = energy; self.stateOfCharge = stateOfCharge; self.socMin = socMin; self.socMax = socMax
        self.maxDischargePower = maxDischargePower; self.maxChargePower = maxChargePower
        self.resistance = resistance; self.nominalVoltage = nominalVoltage; self.degradationPrice = degradationPrice
    }

    /// The larger of the two power limits [W]: the unit of the MPC's normalised power.
    var ratedPower: Double { max(maxDischargePower, maxChargePower, 1e-9) }

    /// Stored energy drawn per unit delivered (discharge) and stored per unit taken (charge) at half the rated
    /// power: 1 ± R·P/V² to first order (the ohmic loss R·I² over the power V·I).
    public var dischargeFactor: Double { 1 + resistance * 0.5 * ratedPower / (nominalVoltage * nominalVoltage) }
    public var chargeFactor: Double { max(0.5, 1 - resistance * 0.5 * ratedPower / (nominalVoltage * nominalVoltage)) }

    /// The resistance of `pack` over a control period `dt`, identified from its cells: two current steps of ±5 %
    /// of the pack's capacity from the present state (which is restored), R = −ΔV/ΔI, times `seriesScale` (the
    /// series count a lumped pack stands for). Falls back to `nil` when a probe fails.
    public static func identifyResistance(pack: Pack, seriesScale: Double, dt: Double) -> Double? {
        guard pack.cells.count == 1, let cell = pack.cells.first else { return nil }
        let probe = 0.05 * pack.capacity
        func voltage(_ current: Double) -> Double? {
            cell.saveState()
            defer { cell.restoreState() }
            do {
                try cell.begin(.current(current))
                _ = try cell.advance(by: dt, events: [])
                return cell.outputs.voltage
            } catch { return nil }
        }
        guard let up = voltage(probe), let down = voltage(-probe) else { return nil }
        let r = (down - up) / (2 * probe) * seriesScale
        return r.isFinite && r > 0 ? r : nil
    }

    /// Currency per Wh of throughput from a BLAST-Lite model at its present state: the extra capacity lost over a
    /// day holding one 20–80 % cycle (0.6 equivalent full cycles) beyond a day at rest at 50 %, per cycle, times
    /// `costPerKWh` (currency per kWh of capacity lost). One full cycle moves 2·E of throughput and costs
    /// Δq·E of capacity, so the price per Wh is cost·Δq/2 per 1000.
    public static func degradationPrice(model: any BlastLiteFadeModel, costPerKWh: Double, celsius: Double = 25) -> Double {
        var rest = model, cycled = model
        let temperature = [Double](repeating: celsius, count: 5)
        rest.update(time: [0, 21_600, 43_200, 64_800, 86_400][...], soc: [0.5, 0.5, 0.5, 0.5, 0.5][...],
                    temperature: temperature[...])
        cycled.update(time: [0, 21_600, 43_200, 64_800, 86_400][...], soc: [0.5, 0.8, 0.5, 0.2, 0.5][...],
                      temperature: temperature[...])
        let perCycle = max(0, rest.q - cycled.q) / 0.6
        return costPerKWh * perCycle / 2 / 1000
    }
}
