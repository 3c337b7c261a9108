/// Parameters of a Thevenin equivalent-circuit model with N parallel RC pairs (Plett 2015, "Battery Management
/// Systems Vol. 1: Battery Modeling", Artech House, ch. 2):
/// ```
/// V = OCV(z, T) − I·R0(z, T) − Σ_k R_k(z, T)·i_k,    τ_k di_k/dt = I − i_k,    dz/dt = −I / (3600·Q)
/// ```
/// Every circuit element is a ``EquivalentCircuitTable`` over state of charge z × temperature T. The RC pairs are
/// given by R_k and τ_k = R_k·C_k (so C_k = τ_k / R_k). The electrode stoichiometry window of the source
/// electrochemical set maps z to particle stoichiometries for the outputs; an ECM has no concentration gradients,
/// so surface and average stoichiometries coincide.
public struct EquivalentCircuitParameters: Sendable, Equatable {
    /// Name of the set (e.g. "Chen2020").
    public var name: String
    /// Publications and how the numbers were obtained.
    public var citations: [String]
    /// Nominal capacity [A.h], for C-rates.
    public var nominalCapacity: Double
    /// Charge between z = 0 and z = 1 [A.h], for coulomb counting (the electrode window of the source set).
    public var capacity: Double
    /// Open-circuit voltage OCV(z, T) [V].
    public var openCircuitVoltage: EquivalentCircuitTable
    /// Entropic coefficient ∂OCV/∂T [V/K] for the reversible heat; `nil` uses the slope of the OCV table in T.
    public var entropicCoefficient: EquivalentCircuitTable?
    /// Series resistance R0 [Ω].
    public var seriesResistance: EquivalentCircuitTable
    /// RC-pair resistances R_k [Ω], one table per pair.
    public var resistances: [EquivalentCircuitTable]
    /// RC-pair time constants τ_k = R_k·C_k [s], one table per pair.
    public var timeConstants: [EquivalentCircuitTable]
    /// Lumped heat capacity m·c_p [J/K].
    public var heatCapacity: Double
    /// Heat-transfer conductance h·A to ambient [W/K].
    public var heatTransfer: Double
    /// Lower and upper voltage cut-offs [V].
    public var minimumVoltage: Double, maximumVoltage: Double
    /// Default initial state of charge.
    public var initialStateOfCharge: Double
    /// Negative-electrode stoichiometry at z = 0 and z = 1 (x_0, x_100).
    public var negativeStoichiometry: (empty: Double, full: Double)
    /// Positive-electrode stoichiometry at z = 0 and z = 1 (y_0, y_100).
    public var positiveStoichiometry: (empty: Double, full: Double)

    public init(name: String, citations: [String], nominalCapacity: Double, capacity: Double? = nil,
                openCircuitVoltage: EquivalentCircuitTable,
                entropicCoefficient: EquivalentCircuitTable? = nil, seriesResistance: EquivalentCircuitTable,
                resistances: [EquivalentCircuitTable], timeConstants: [EquivalentCircuitTable],
                heatCapacity: Double, heatTransfer: Double, minimumVoltage: Double, maximumVoltage: Double,
                initialStateOfCharge: Double = 1,
                negativeStoichiometry: (empty: Double, full: Double) = (0, 1),
                positiveStoichiometry: (empty: Double, full: Double) = (1, 0)) {
        self.name = name
        self.citations = citations
        self.nominalCapacity = nominalCapacity
        self.capacity = capacity ?? nominalCapacity
        self.openCircuitVoltage = openCircuitVoltage
        self.entropicCoefficient = entropicCoefficient
        self.seriesResistance = seriesResistance
        self.resistances = resistances
        self.timeConstants = timeConstants
        self.heatCapacity = heatCapacity
        self.heatTransfer = heatTransfer
        self.minimumVoltage = minimumVoltage
        self.maximumVoltage = maximumVoltage
        self.initialStateOfCharge = initialStateOfCharge
        self.negativeStoichiometry = negativeStoichiometry
        self.positiveStoichiometry = positiveStoichiometry
    }

    /// The number of RC pairs N.
    public var pairCount: Int { resistances.count }

    /// The same set with every table in freshly allocated arrays.
    func withOwnTables() -> EquivalentCircuitParameters {
        var copy = self
        copy.openCircuitVoltage = openCircuitVoltage.withOwnStorage()
        copy.entropicCoefficient = entropicCoefficient?.withOwnStorage()
        copy.seriesResistance = seriesResistance.withOwnStorage()
        copy.resistances = resistances.map { $0.withOwnStorage() }
        copy.timeConstants = timeConstants.map { $0.withOwnStorage() }
        return copy
    }

    /// The capacitance C_k = τ_k / R_k [F] of pair `k` at (z, T).
    public func capacitance(pair k: Int, stateOfCharge z: Double, temperature t: Double) -> Double {
        timeConstants[k].value(stateOfCharge: z, temperature: t) / resistances[k].value(stateOfCharge: z, temperature: t)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.citations == b.citations && a.nominalCapacity == b.nominalCapacity && a.capacity == b.capacity
            && a.openCircuitVoltage == b.openCircuitVoltage && a.entropicCoefficient == b.entropicCoefficient
            && a.seriesResistance == b.seriesResistance && a.resistances == b.resistances
            && a.timeConstants == b.timeConstants && a.heatCapacity == b.heatCapacity
            && a.heatTransfer == b.heatTransfer && a.minimumVoltage == b.minimumVoltage
            && a.maximumVoltage == b.maximumVoltage && a.initialStateOfCharge == b.initialStateOfCharge
            && a.negativeStoichiometry == b.negativeStoichiometry && a.positiveStoichiometry == b.positiveStoichiometry
    }

    /// Checks every field; the error names the first bad one (non-finite values, non-positive capacity, R0, R_k,
    /// τ_k or thermal constants, grids that are not strictly increasing, mismatched RC tables, a bad SoC or window).
    public func validate() throws(ParameterError) {
        func positive(_ value: Double, _ field: String) throws(ParameterError) {
            guard value.isFinite else { throw .nonFinite(name: field, value: value) }
            guard value > 0 else { throw .outOfRange(name: field, value: value, expected: "a positive number") }
        }
        func unit(_ value: Double, _ field: String) throws(ParameterError) {
            guard value.isFinite else { throw .nonFinite(name: field, value: value) }
            guard (0.0...1.0).contains(value) else { throw .outOfRange(name: field, value: value, expected: "a value in [0, 1]") }
        }
        try positive(nominalCapacity, "Nominal capacity [A.h]")
        try positive(capacity, "Capacity [A.h]")
        try openCircuitVoltage.validate(name: "OCV [V]", above: 0)
        try entropicCoefficient?.validate(name: "Entropic coefficient [V.K-1]", above: nil)
        try seriesResistance.validate(name: "R0 [Ohm]", above: 0)
        guard resistances.count == timeConstants.count else {
            throw .outOfRange(name: "RC time constants", value: Double(timeConstants.count),
                              expected: "one table per RC resistance (\(resistances.count))")
        }
        for k in resistances.indices {
            try resistances[k].validate(name: "R\(k + 1) [Ohm]", above: 0)
            try timeConstants[k].validate(name: "tau\(k + 1) [s]", above: 0)
        }
        try positive(heatCapacity, "Heat capacity [J.K-1]")
        try positive(heatTransfer, "Heat transfer conductance [W.K-1]")
        try positive(minimumVoltage, "Minimum voltage [V]")
        try positive(maximumVoltage, "Maximum voltage [V]")
        guard maximumVoltage > minimumVoltage else {
            throw .outOfRange(name: "Maximum voltage [V]", value: maximumVoltage, expected: "above \(minimumVoltage) V")
        }
        try unit(initialStateOfCharge, "Initial state of charge")
        try unit(negativeStoichiometry.empty, "Negative stoichiometry at 0% SoC")
        try unit(negativeStoichiometry.full, "Negative stoichiometry at 100% SoC")
        try unit(positiveStoichiometry.empty, "Positive stoichiometry at 0% SoC")
        try unit(positiveStoichiometry.full, "Positive stoichiometry at 100% SoC")
    }

    /// The built-in sets: "Chen2020" (alias "nmc", NMC811/graphite LG M50) and "Prada2013" (alias "lfp",
    /// LFP/graphite A123 26650), both fitted to this module's SPMe (see ``EquivalentCircuitFit``).
    public static func named(_ name: String) throws(ParameterError) -> EquivalentCircuitParameters {
        switch name.lowercased() {
        case "chen2020", "nmc", "nmc811": return .chen2020
        case "prada2013", "lfp": return .prada2013
        default: throw .unknownParameterSet(name: name, known: ["Chen2020", "Prada2013", "nmc", "lfp"])
        }
    }
}
