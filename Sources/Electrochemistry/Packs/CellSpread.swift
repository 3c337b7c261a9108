import SeededRandom

/// Cell-to-cell variation inside a pack: how far each cell's capacity, resistance, initial state of charge and
/// aging state stray from the pack's nominal values.
///
/// Each quantity is drawn from a normal distribution truncated at ±``truncation`` standard deviations
/// (rejection sampling), as production spread is commonly modelled (Dubarry et al., J. Power Sources 174 (2007)
/// 1121, doi:10.1016/j.jpowsour.2007.06.185; Schuster et al., J. Energy Storage 1 (2015) 35,
/// doi:10.1016/j.est.2015.05.003, report capacity spreads of about 1–3 % and resistance spreads of about 5–10 %
/// for new and second-life cells). Capacity and resistance are relative (a factor 1 + σ·z), the state of charge
/// and the capacity retention are absolute offsets.
public struct CellSpread: Sendable, Hashable {
    /// Relative standard deviation of the cell capacity (manufacturing spread).
    public var capacity: Double
    /// Relative standard deviation of the cell resistance.
    public var resistance: Double
    /// Standard deviation of the initial state of charge (absolute, as a fraction).
    public var stateOfCharge: Double
    /// Standard deviation of the capacity retention (state of health) around the pack's (absolute, as a fraction).
    public var stateOfHealth: Double
    /// Truncation of every distribution, in standard deviations.
    public var truncation: Double

    /// Identical cells.
    public static let none = CellSpread(uncheckedCapacity: 0, resistance: 0, stateOfCharge: 0, stateOfHealth: 0, truncation: 3)
    /// New cells of one batch: 1 % capacity, 3 % resistance, 0.5 % SoC, no aging spread.
    public static let newCells = CellSpread(uncheckedCapacity: 0.01, resistance: 0.03, stateOfCharge: 0.005,
                                            stateOfHealth: 0, truncation: 3)
    /// Second-life cells: 2 % capacity, 8 % resistance, 2 % SoC and 2 % retention.
    public static let secondLife = CellSpread(uncheckedCapacity: 0.02, resistance: 0.08, stateOfCharge: 0.02,
                                              stateOfHealth: 0.02, truncation: 3)

    /// Throws ``PackError/invalidSetting(name:value:expected:)`` for a negative or non-finite deviation, a
    /// relative deviation of 0.25 or more (the truncated factor could reach zero), or a truncation outside (0, 6].
    public init(capacity: Double = 0, resistance: Double = 0, stateOfCharge: Double = 0, stateOfHealth: Double = 0,
                truncation: Double = 3) throws(PackError) {
        for (name, value, limit) in [("capacity spread", capacity, 0.25), ("resistance spread", resistance, 0.25),
                                     ("state-of-charge spread", stateOfCharge, 0.25),
                                     ("state-of-health spread", stateOfHealth, 0.25)] {
            guard value.isFinite, value >= 0, value < limit else {
                throw .invalidSetting(name: name, value: value, expected: "a standard deviation in [0, \(limit))")
            }
        }
        guard truncation.isFinite, truncation > 0, truncation <= 6 else {
            throw .invalidSetting(name: "spread truncation", value: truncation, expected: "a number of standard deviations in (0, 6]")
        }
        self.init(uncheckedCapacity: capacity, resistance: resistance, stateOfCharge: stateOfCharge,
                  stateOfHealth: stateOfHealth, truncation: truncation)
    }

    private init(uncheckedCapacity: Double, resistance: Double, stateOfCharge: Double, stateOfHealth: Double,
                 truncation: Double) {
        capacity = uncheckedCapacity
        self.resistance = resistance
        self.stateOfCharge = stateOfCharge
        self.stateOfHealth = stateOfHealth
        self.truncation = truncation
    }

    /// Draws `count` cell variations from a generator seeded with `seed` (the same seed gives the same cells).
    public func sample(count: Int, seed: UInt64) -> [CellVariation] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in sample(using: &rng) }
    }

    /// Draws one cell's variation; every call consumes draws in the same order (capacity, resistance, SoC, SoH).
    public func sample<G: RandomNumberGenerator>(using rng: inout G) -> CellVariation {
        let z = (truncatedNormal(&rng), truncatedNormal(&rng), truncatedNormal(&rng), truncatedNormal(&rng))
        return CellVariation(capacityFactor: 1 + capacity * z.0, resistanceFactor: 1 + resistance * z.1,
                             stateOfChargeOffset: stateOfCharge * z.2, retentionOffset: stateOfHealth * z.3)
    }

    /// A standard normal draw conditioned on |z| ≤ ``truncation`` (rejection; acceptance ≥ 68 % for truncation ≥ 1).
    private func truncatedNormal<G: RandomNumberGenerator>(_ rng: inout G) -> Double {
        while true {
            let z = rng.nextStandardNormal()
            if abs(z) <= truncation { return z }
        }
    }
}

/// One cell's deviation from the pack's nominal cell (drawn by ``CellSpread/sample(count:seed:)``).
public struct CellVariation: Sendable, Hashable {
    /// Factor on the new-cell capacity.
    public var capacityFactor: Double
    /// Factor on the cell resistance (multiplies the resistance growth of its health).
    public var resistanceFactor: Double
    /// Offset on the pack's initial state of charge (the result is clamped to [0.001, 0.999]).
    public var stateOfChargeOffset: Double
    /// Offset on the pack's capacity retention (the result is clamped to [0.05, 1]).
    public var retentionOffset: Double

    /// The nominal cell.
    public static let nominal = CellVariation(capacityFactor: 1, resistanceFactor: 1, stateOfChargeOffset: 0, retentionOffset: 0)

    public init(capacityFactor: Double, resistanceFactor: Double, stateOfChargeOffset: Double, retentionOffset: Double) {
        self.capacityFactor = capacityFactor
        self.resistanceFactor = resistanceFactor
        self.stateOfChargeOffset = stateOfChargeOffset
        self.retentionOffset = retentionOffset
    }

    /// This cell's health when the pack's nominal health is `health`: retention plus the offset, resistance growth
    /// times the factor.
    public func health(around health: CellHealth) throws(ModelError) -> CellHealth {
        try CellHealth(capacityRetention: min(1, max(0.05, health.capacityRetention + retentionOffset)),
                       resistanceGrowth: health.resistanceGrowth * resistanceFactor,
                       lithiumInventoryShare: health.lithiumInventoryShare)
    }

    /// This cell's initial state of charge when the pack's is `stateOfCharge`.
    public func initialStateOfCharge(around stateOfCharge: Double) -> Double {
        min(0.999, max(0.001, stateOfCharge + stateOfChargeOffset))
    }
}
