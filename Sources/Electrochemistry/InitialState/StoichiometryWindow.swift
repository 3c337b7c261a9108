/// The stoichiometry window of a balanced cell: the electrode stoichiometries at 0 % and 100 % state of
/// charge, set by the OCV limits with the cyclable lithium conserved (Mohtat et al. 2019,
/// doi:10.1149/2.1181910jes; PyBaMM `ElectrodeSOHSolver`, known value "cyclable lithium capacity").
///
/// The negative electrode fills (x rises) and the positive empties (y falls) on charge:
/// ```
/// x(SoC) = x_0 + SoC · (x_100 − x_0)
/// y(SoC) = y_0 − SoC · (y_0 − y_100)
/// ```
public struct StoichiometryWindow: Sendable, Equatable {
    /// Negative-electrode stoichiometry at 0 % SoC (OCV = "Open-circuit voltage at 0% SOC [V]").
    public var x0: Double
    /// Negative-electrode stoichiometry at 100 % SoC (OCV = "Open-circuit voltage at 100% SOC [V]").
    public var x100: Double
    /// Positive-electrode stoichiometry at 0 % SoC.
    public var y0: Double
    /// Positive-electrode stoichiometry at 100 % SoC.
    public var y100: Double
    /// Negative-electrode capacity Q_n [A.h].
    public var negativeCapacity: Double
    /// Positive-electrode capacity Q_p [A.h].
    public var positiveCapacity: Double
    /// Cyclable lithium capacity Q_Li [A.h], from the parameter set's initial particle concentrations.
    public var cyclableLithiumCapacity: Double

    public init(x0: Double, x100: Double, y0: Double, y100: Double, negativeCapacity: Double,
                positiveCapacity: Double, cyclableLithiumCapacity: Double) {
        self.x0 = x0
        self.x100 = x100
        self.y0 = y0
        self.y100 = y100
        self.negativeCapacity = negativeCapacity
        self.positiveCapacity = positiveCapacity
        self.cyclableLithiumCapacity = cyclableLithiumCapacity
    }

    /// The cell capacity between the OCV limits, Q = Q_n (x_100 − x_0) [A.h].
    public var capacity: Double { negativeCapacity * (x100 - x0) }

    /// The stoichiometries at `stateOfCharge` ∈ [0, 1], interpolated linearly across the window; SoC 0 and 1
    /// return the window ends exactly (the interpolation formula can be 1 ulp off there).
    public func stoichiometries(atStateOfCharge stateOfCharge: Double) throws(InitialStateError)
        -> (negative: Double, positive: Double) {
        guard (0.0...1.0).contains(stateOfCharge) else { throw .stateOfChargeOutOfRange(value: stateOfCharge) }
        if stateOfCharge == 0 { return (x0, y0) }
        if stateOfCharge == 1 { return (x100, y100) }
        return (x0 + stateOfCharge * (x100 - x0), y0 - stateOfCharge * (y0 - y100))
    }
}
