/// A cell's state of health: what the aging models (BLAST-Lite's fitted fade, SEI growth) report, in the
/// form the cell models take back.
///
/// - `capacityRetention` q = Q/Q_new, BLAST-Lite's relative capacity.
/// - `resistanceGrowth` r = R/R_new, BLAST-Lite's relative resistance where the model has one.
/// - `lithiumInventoryShare`: which part of the fade is loss of lithium inventory (LLI); the rest is loss of
///   negative-electrode active material (LAM). Graphite cells in calendar and moderate cycling aging lose
///   capacity mostly by LLI to SEI (Birkl et al., J. Power Sources 341 (2017) 373, doi:10.1016/j.jpowsour.2016.12.011),
///   hence the default.
///
/// The ECM takes q and r directly (``EquivalentCircuitModel/applyHealth(_:)``); the physics models take LLI,
/// LAM and a film resistance through ``ParameterSet/aged(by:)``.
public struct CellHealth: Sendable, Hashable {
    /// Relative capacity q = Q/Q_new, in (0, 1].
    public var capacityRetention: Double
    /// Relative DC resistance r = R/R_new, positive (≥ 1 once aged).
    public var resistanceGrowth: Double
    /// Share of the capacity fade that is loss of lithium inventory, in [0, 1]; the rest is loss of
    /// negative-electrode active material.
    public var lithiumInventoryShare: Double

    /// Default LLI share of the capacity fade.
    public static let defaultLithiumInventoryShare = 0.8
    /// A new cell.
    public static let pristine = CellHealth(uncheckedRetention: 1, growth: 1, share: defaultLithiumInventoryShare)

    /// A state of health; throws ``ModelError/parameter(_:)`` naming the field when a value is outside its range.
    public init(capacityRetention: Double = 1, resistanceGrowth: Double = 1,
                lithiumInventoryShare: Double = CellHealth.defaultLithiumInventoryShare) throws(ModelError) {
        guard capacityRetention > 0, capacityRetention <= 1 else {
            throw .parameter(.outOfRange(name: "capacity retention", value: capacityRetention, expected: "a number in (0, 1]"))
        }
        guard resistanceGrowth > 0, resistanceGrowth.isFinite else {
            throw .parameter(.outOfRange(name: "resistance growth", value: resistanceGrowth, expected: "a positive number"))
        }
        guard (0...1).contains(lithiumInventoryShare) else {
            throw .parameter(.outOfRange(name: "lithium inventory share", value: lithiumInventoryShare,
                                         expected: "a number in [0, 1]"))
        }
        self.init(uncheckedRetention: capacityRetention, growth: resistanceGrowth, share: lithiumInventoryShare)
    }

    private init(uncheckedRetention: Double, growth: Double, share: Double) {
        capacityRetention = uncheckedRetention
        resistanceGrowth = growth
        lithiumInventoryShare = share
    }

    /// The capacity fade 1 − q.
    public var capacityFade: Double { 1 - capacityRetention }
}

extension EquivalentCircuitModel {
    /// Applies `health` in place: the coulomb-counting capacity becomes q times the set's capacity and every
    /// resistance (R0 and the RC resistances) is scaled by r, keeping the state of charge and the RC currents.
    public func applyHealth(_ health: CellHealth) throws(ModelError) {
        try updateCapacity(parameters.capacity * health.capacityRetention)
        try updateResistanceScale(health.resistanceGrowth)
    }
}
