import SeededRandom

/// One pack of a sampled fleet: what it is made of and how worn it is, plus the seed of its cell spread.
public struct SampledPack: Sendable, Hashable {
    /// Position in the fleet (0-based) and a printable id (`P001`, …).
    public var index: Int
    public var id: String
    public var chemistry: FleetChemistry
    public var layout: PackLayout
    /// New-cell capacity [A.h].
    public var cellCapacity: Double
    /// Capacity retention q of the pack's nominal cell.
    public var stateOfHealth: Double
    /// Resistance growth r of the pack's nominal cell.
    public var resistanceGrowth: Double
    /// Cell-to-cell spread and the seed that draws it.
    public var cellSpread: CellSpread
    public var seed: UInt64
    /// Initial state of charge.
    public var initialStateOfCharge: Double

    /// The BLAST-Lite aging model of the chemistry.
    public var agingModel: String { chemistry.agingModel }

    /// The nominal cell's health (default lithium-inventory share).
    public var health: CellHealth {
        get throws(ModelError) { try CellHealth(capacityRetention: stateOfHealth, resistanceGrowth: resistanceGrowth) }
    }

    /// Present pack energy [kWh]: s·p · Q_new · SoH · nominal cell voltage.
    public var energy: Double {
        Double(layout.cellCount) * cellCapacity * stateOfHealth * chemistry.nominalVoltage / 1000
    }

    /// Builds the ``Pack`` at `fidelity`: the chemistry's design scaled to ``cellCapacity``, health (q, r), spread
    /// and seed as sampled, at ``initialStateOfCharge``.
    public func makePack(fidelity: PackFidelity, thermal: ThermalOption = .isothermal, ambientTemperature: Double = 298.15,
                         balancing: PassiveBalancing? = nil) throws(PackError) -> Pack {
        let design = try chemistry.design.scaled(toCapacity: cellCapacity)
        let health: CellHealth
        do { health = try self.health } catch { throw .cell(index: -1, error) }
        return try Pack(design: design, layout: layout, fidelity: fidelity, health: health, spread: cellSpread, seed: seed,
                        initialSoC: initialStateOfCharge, thermal: thermal, ambientTemperature: ambientTemperature,
                        balancing: balancing)
    }
}

/// Draws heterogeneous fleets from a ``FleetSpec`` with a seeded ``Xoshiro256StarStar``: the same spec and seed give
/// the same fleet on every platform.
///
/// Per pack, in this order: chemistry (by weight), new-cell capacity (uniform in the chemistry's range), layout
/// (uniform over the chemistry's list), state of health (uniform, or truncated normal, in the SoH range),
/// resistance growth (range, or tied to the fade), initial SoC (uniform), and a 64-bit seed for its cell spread.
public struct FleetSampler: Sendable {
    public let spec: FleetSpec

    public init(spec: FleetSpec) { self.spec = spec }

    /// The packs of the fleet for `seed`, built at `fidelity` (the spec's when `nil`).
    public func makePacks(seed: UInt64, fidelity: PackFidelity? = nil, thermal: ThermalOption = .isothermal,
                          ambientTemperature: Double = 298.15) throws(PackError) -> [Pack] {
        var packs: [Pack] = []
        for sampled in sample(seed: seed) {
            packs.append(try sampled.makePack(fidelity: fidelity ?? spec.fidelity, thermal: thermal,
                                              ambientTemperature: ambientTemperature))
        }
        return packs
    }

    /// The fleet for `seed`.
    public func sample(seed: UInt64) -> [SampledPack] {
        var rng = Xoshiro256StarStar(seed: seed)
        let total = spec.chemistries.reduce(0) { $0 + $1.weight }
        let width = String(spec.count).count < 3 ? 3 : String(spec.count).count
        return (0..<spec.count).map { index in
            var pick = rng.nextUnitDouble() * total
            var share = spec.chemistries[spec.chemistries.count - 1]
            for candidate in spec.chemistries {
                if pick < candidate.weight { share = candidate; break }
                pick -= candidate.weight
            }
            let capacity = uniform(share.cellCapacity, &rng)
            let layout = share.layouts[min(share.layouts.count - 1, Int(rng.nextUnitDouble() * Double(share.layouts.count)))]
            let soh = health(&rng)
            let growth: Double
            switch spec.resistanceGrowth {
            case let .range(range): growth = uniform(range, &rng)
            case let .tied(perFade, sd):
                growth = max(1, 1 + perFade * (1 - soh) + sd * rng.nextStandardNormal())
            }
            let soc = uniform(spec.initialStateOfCharge, &rng)
            let number = String(index + 1)
            return SampledPack(index: index, id: "P" + String(repeating: "0", count: max(0, width - number.count)) + number,
                               chemistry: share.chemistry, layout: layout, cellCapacity: capacity, stateOfHealth: soh,
                               resistanceGrowth: growth, cellSpread: spec.cellSpread, seed: rng.next(),
                               initialStateOfCharge: soc)
        }
    }

    private func uniform(_ range: ValueRange, _ rng: inout Xoshiro256StarStar) -> Double {
        let u = rng.nextUnitDouble()
        return range.lower == range.upper ? range.lower : range.lower + (range.upper - range.lower) * u
    }

    /// A state of health in the spec's range; a truncated normal by rejection, falling back to clamping after
    /// 1000 rejections (a mean far outside a narrow range).
    private func health(_ rng: inout Xoshiro256StarStar) -> Double {
        let range = spec.stateOfHealth
        switch spec.healthDistribution {
        case .uniform:
            return uniform(range, &rng)
        case let .normal(mean, sd):
            for _ in 0..<1000 {
                let x = mean + sd * rng.nextStandardNormal()
                if range.contains(x) { return x }
            }
            return min(range.upper, max(range.lower, mean))
        }
    }
}
