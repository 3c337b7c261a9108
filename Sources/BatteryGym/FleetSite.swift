import Electrochemistry
import Gym
import SeededRandom

/// The fleet behind the fleet environments: packs sampled from a second-life fleet spec, stepped at a
/// fidelity, each with its own limits and BLAST-Lite aging, and the per-pack features the policy sees.
///
/// - `cell_detail: lumped` (default) models each pack by its nominal cell scaled to the pack's parallel
///   count and multiplied by its series count (one cell model per pack: the speed the RL loop needs);
///   `full` steps every cell with the pack's seeded spread (``Pack``).
/// - Limits per pack: cell voltage within the chemistry's cut-offs, |I| ≤ `c_rate_limit` × capacity,
///   T within [`min_temperature_c`, `max_temperature_c`], SoC within [`soc_min`, `soc_max`].
/// - Rated power per pack: `c_rate_limit` × capacity × nominal pack voltage; allocations are capped there.
/// - Thermal: lumped for the ECM and for physics sets with thermal data (Chen2020); PyBaMM's Prada2013 has
///   none, so LFP packs at spm/spme fidelity are isothermal.
/// - A pack whose model fails on a step (a power it cannot deliver) is tripped for that step: it delivers
///   nothing and counts as a voltage violation.
final class FleetSite {
    static let optionNames = ["packs", "preset", "fleet_seed", "resample_fleet", "fidelity", "cell_detail", "dt", "c_rate_limit",
                              "soc_min", "soc_max", "min_temperature_c", "max_temperature_c", "ambient_c",
                              "degradation_cost", "degradation_limit", "health_feedback"]
    /// Per-pack features, in order: SoC, SoH, (T − 25 °C)/20, normalised cell voltage, discharge and charge
    /// headroom (the share of rated power that one step can draw or store before the SoC comes within 0.02 of
    /// its window), LFP/NMC/LMO one-hot.
    /// The cost components both fleet environments report, in the order of ``Outcome/costs``.
    static let costNames = ["voltage", "current", "temperature", "soc", "degradation"]
    /// `rated_power_share` is the pack's rated power over the largest in the fleet: with the headrooms, what a
    /// proportional-to-available-power split needs, so that a policy sees what the baseline knows.
    static let packFeatureNames = ["soc", "soh", "temperature", "voltage", "discharge_headroom", "charge_headroom",
                                   "is_lfp", "is_nmc", "is_lmo", "rated_power_share"]

    let spec: FleetSpec
    let count: Int
    let fidelity: PackFidelity
    let lumped: Bool
    let dt: Double
    let cRateLimit, socMin, socMax, minTemperature, maxTemperature, ambient: Double
    /// Currency per kWh of capacity lost (converted to per A.h with each pack's nominal voltage).
    let degradationCost: Double
    /// Largest allowed fade rate [1/day] before the degradation cost component counts.
    let degradationLimit: Double
    let healthFeedback: Bool
    let fleetSeed: UInt64
    let resample: Bool

    private(set) var sampled: [SampledPack] = []
    private(set) var packs: [Pack] = []
    private(set) var aging: [FleetPackAging] = []
    /// Each pack's aging model at its second-life start, for the fleet sampled with `agingStartSeed`.
    private var agingStart: [any BlastLiteFadeModel] = []
    private var agingStartSeed: UInt64?
    /// Per pack: the health at which its allocator parameters were identified, its resistance and throughput price.
    var identified: [(health: Double, resistance: Double, price: Double)?] = []
    /// Per pack, from the last ``packModels()``: whether the cell voltage limit, not the current limit or rated
    /// power, set its discharge and charge power limits.
    var voltageLimited: [(discharge: Bool, charge: Bool)] = []
    /// Series multiplier of each pack model (s when lumped, 1 when every cell is modelled).
    private(set) var seriesScale: [Double] = []
    private(set) var ratedPower: [Double] = []
    /// The largest rated power of the fleet (the unit of the `rated_power_share` feature).
    private(set) var largestRatedPower = 1.0
    private(set) var packCapacity: [Double] = []
    private(set) var nominalVoltage: [Double] = []

    init(options: Options) throws(GymError) {
        let presetName = try options.string("preset", default: "mixed-lfp-nmc-64")
        do { spec = try FleetSpec.preset(named: presetName) } catch { throw .invalidOption(name: "preset", reason: "\(error)") }
        count = try options.int("packs", default: 16, in: 1...10_000)
        let f = try options.string("fidelity", default: "ecm", oneOf: ["ecm", "spm", "spme"])
        fidelity = PackFidelity(rawValue: f)!
        lumped = try options.string("cell_detail", default: "lumped", oneOf: ["lumped", "full"]) == "lumped"
        dt = try options.double("dt", default: 60, in: 1...3600)
        cRateLimit = try options.double("c_rate_limit", default: 1, in: 0.05...10)
        socMin = try options.double("soc_min", default: 0.1, in: 0...0.5)
        socMax = try options.double("soc_max", default: 0.9, in: 0.5...1)
        minTemperature = try options.double("min_temperature_c", default: 0, in: -40...30) + 273.15
        maxTemperature = try options.double("max_temperature_c", default: 45, in: 20...80) + 273.15
        ambient = try options.double("ambient_c", default: 25, in: -30...50) + 273.15
        degradationCost = try options.double("degradation_cost", default: 200, in: 0...1e6)
        degradationLimit = try options.double("degradation_limit", default: 5e-4, in: 0...1)
        healthFeedback = try options.bool("health_feedback", default: true)
        fleetSeed = UInt64(try options.int("fleet_seed", default: 0, in: 0...Int.max))
        resample = try options.bool("resample_fleet", default: false)
        try build(seed: fleetSeed)
    }

    /// Samples the fleet for `seed` and builds its packs at rest.
    func build(seed: UInt64) throws(GymError) {
        var spec = self.spec
        spec.count = count
        sampled = FleetSampler(spec: spec).sample(seed: seed)
        if agingStartSeed != seed || agingStart.count != sampled.count {
            // Pre-aging takes a few milliseconds per pack: done once per sampled fleet, not at every reset.
            agingStart = []
            for p in sampled {
                do { agingStart.append(try FleetPackAging.secondLifeModel(named: p.agingModel, retention: p.stateOfHealth)) }
                catch { throw .simulation("aging model of pack \(p.id): \(error)") }
            }
            agingStartSeed = seed
        }
        identified = []
        packs = []; aging = []; seriesScale = []; ratedPower = []; packCapacity = []; nominalVoltage = []
        for (index, p) in sampled.enumerated() {
            do {
                var layout = p.layout
                if lumped { layout = try PackLayout(series: 1, parallel: 1) }
                let capacity = p.cellCapacity * Double(lumped ? p.layout.parallel : 1)
                let design = try p.chemistry.design.scaled(toCapacity: capacity)
                // Lumped thermal wherever the set has thermal data (all ECM sets, Chen2020); PyBaMM's Prada2013
                // has none, so physics LFP packs stay isothermal at the ambient temperature.
                let thermal: ThermalOption = fidelity == .ecm || design.physics.contains("Cell volume [m3]") ? .lumped : .isothermal
                let pack = try Pack(design: design, layout: layout, fidelity: fidelity, health: p.health,
                                    spread: lumped ? .none : p.cellSpread, seed: p.seed, initialSoC: p.initialStateOfCharge,
                                    thermal: thermal, ambientTemperature: ambient)
                // Under the pack's constant current per step the ECM is exact in closed form; its sub-steps only
                // refresh the tabulated R and τ (a 60 s step at 1C moves the SoC by 1.7 %), so one sub-step a step.
                for case let cell as EquivalentCircuitModel in pack.cells { cell.maxSubstep = dt }
                packs.append(pack)
            } catch {
                throw .simulation("building pack \(p.id): \(error)")
            }
            aging.append(FleetPackAging(model: agingStart[index], initialRetention: p.stateOfHealth,
                                        initialGrowth: p.resistanceGrowth))
            let s = Double(p.layout.series), cap = p.cellCapacity * Double(p.layout.parallel)
            seriesScale.append(lumped ? s : 1)
            nominalVoltage.append(s * p.chemistry.nominalVoltage)
            packCapacity.append(cap)
            ratedPower.append(cRateLimit * cap * p.stateOfHealth * s * p.chemistry.nominalVoltage)
        }
        largestRatedPower = max(ratedPower.max() ?? 1, 1e-9)
    }

    /// Rebuilds the fleet at an episode start (a new fleet when `resample_fleet`, else the same one afresh).
    func reset(rng: inout Xoshiro256StarStar) throws(GymError) {
        try build(seed: resample ? rng.next() : fleetSeed)
    }

    var totalRatedPower: Double { ratedPower.reduce(0, +) }
    /// Present fleet energy [Wh] at nominal voltage.
    var totalEnergy: Double { (0..<count).reduce(0) { $0 + packCapacity[$1] * aging[$1].q * nominalVoltage[$1] } }


    /// The per-pack features (``packFeatureNames``) of pack `i`.
    func features(_ i: Int, into out: inout [Double]) {
        let o = packs[i].outputs, p = sampled[i]
        let limits = packs[i].limits
        let v = (o.maximumCellVoltage - limits.minimumVoltage) / (limits.maximumVoltage - limits.minimumVoltage)
        let energy = packCapacity[i] * aging[i].q * nominalVoltage[i]  // Wh
        let rated = max(ratedPower[i], 1e-9)
        let guardBand = 0.02
        let downHeadroom = min(1, max(0, (o.stateOfCharge - socMin - guardBand) * energy * 3600 / dt / rated))
        let upHeadroom = min(1, max(0, (socMax - guardBand - o.stateOfCharge) * energy * 3600 / dt / rated))
        out.append(o.stateOfCharge); out.append(aging[i].q); out.append((o.maximumTemperature - 298.15) / 20)
        out.append(v); out.append(downHeadroom); out.append(upHeadroom)
        out.append(p.chemistry == .lfp ? 1 : 0); out.append(p.chemistry == .nmc ? 1 : 0); out.append(p.chemistry == .lmo ? 1 : 0)
        out.append(ratedPower[i] / largestRatedPower)
    }

    /// The outcome of one step of the whole fleet.
    struct Outcome {
        var delivered = 0.0, losses = 0.0, degradationCost = 0.0
        var violations = (voltage: 0.0, current: 0.0, temperature: 0.0, soc: 0.0, degradation: 0.0)
        var packPower: [Double] = []
        /// Per pack, its own violations in the order of ``FleetSite/costNames``: `packCosts[i · 5 + j]`.
        var packCosts: [Double] = []
        var capacityLost = 0.0
        /// The violation counts in the order of ``FleetSite/costNames``.
        var costs: [Double] { [violations.voltage, violations.current, violations.temperature, violations.soc, violations.degradation] }
    }

    /// Steps pack i at power `powers[i]` [W, + discharge] for `dt`, then ages it.
    func step(powers: [Double], finishAging: Bool) throws(GymError) -> Outcome {
        var out = Outcome()
        out.packPower.reserveCapacity(count)
        out.packCosts = [Double](repeating: 0, count: count * Self.costNames.count)
        for i in 0..<count {
            let pack = packs[i]
            var tripped = false
            do { _ = try pack.step(power: powers[i] / seriesScale[i], dt: dt) } catch {
                tripped = true
                do { _ = try pack.step(current: 0, dt: dt) } catch { throw .simulation("pack \(sampled[i].id) at rest: \(error)") }
            }
            let o = pack.outputs
            let power = o.power * seriesScale[i]
            out.packPower.append(power)
            out.delivered += power
            out.losses += o.heat * seriesScale[i] * dt / 3.6e6  // kWh
            let cellCurrentLimit = cRateLimit * packCapacity[i] / Double(sampled[i].layout.parallel)
            let cellCurrent = abs(o.current) / Double(sampled[i].layout.parallel)
            let base = i * Self.costNames.count
            if tripped || o.limits.belowMinimumVoltage + o.limits.aboveMaximumVoltage > 0 { out.violations.voltage += 1; out.packCosts[base] = 1 }
            if cellCurrent > cellCurrentLimit * (1 + 1e-9) { out.violations.current += 1; out.packCosts[base + 1] = 1 }
            if o.maximumTemperature > maxTemperature || o.minimumTemperature < minTemperature {
                out.violations.temperature += 1; out.packCosts[base + 2] = 1
            }
            if o.stateOfCharge < socMin || o.stateOfCharge > socMax { out.violations.soc += 1; out.packCosts[base + 3] = 1 }
            let before = aging[i].q
            let chunk = aging[i].advance(dt: dt, soc: o.stateOfCharge, celsius: o.maximumTemperature - 273.15,
                                         finish: finishAging)
            let lost = before - aging[i].q
            if lost > 0 {
                out.capacityLost += lost * packCapacity[i]
                out.degradationCost += lost * packCapacity[i] * degradationCost * nominalVoltage[i] / 1000
            }
            if let chunk, chunk.days > 0, chunk.loss / chunk.days > degradationLimit { out.violations.degradation += 1; out.packCosts[base + 4] = 1 }
            if chunk != nil, healthFeedback, lost > 0 {
                do {
                    try pack.updateHealth(CellHealth(capacityRetention: aging[i].q, resistanceGrowth: aging[i].r))
                } catch { throw .simulation("aging pack \(sampled[i].id): \(error)") }
            }
        }
        return out
    }
}
