/// A closed range [lower, upper] drawn from uniformly (a single value when lower == upper).
public struct ValueRange: Sendable, Hashable, CustomStringConvertible {
    public let lower: Double
    public let upper: Double

    /// Requires finite bounds with lower ≤ upper (checked by the spec reader, which names the field).
    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// A single value.
    public init(_ value: Double) { self.init(value, value) }

    public func contains(_ x: Double) -> Bool { x >= lower && x <= upper }

    public var description: String { lower == upper ? "\(lower)" : "[\(lower), \(upper)]" }
}

/// A specification of a heterogeneous second-life fleet, sampled by ``FleetSampler``.
///
/// Read from JSON (or YAML converted to ``JSONValue``) with ``FleetSpec/init(json:)``; the format is in
/// docs/packs-and-fleets.md. Named presets are in ``FleetSpec/presets``.
public struct FleetSpec: Sendable, Hashable {
    /// One chemistry of the mix.
    public struct Share: Sendable, Hashable {
        public var chemistry: FleetChemistry
        /// Relative weight in the mix (positive; normalised over the shares).
        public var weight: Double
        /// New-cell capacity [A.h], drawn uniformly per pack.
        public var cellCapacity: ValueRange
        /// The layouts a pack of this chemistry may have, drawn uniformly.
        public var layouts: [PackLayout]

        public init(chemistry: FleetChemistry, weight: Double, cellCapacity: ValueRange, layouts: [PackLayout]) {
            self.chemistry = chemistry
            self.weight = weight
            self.cellCapacity = cellCapacity
            self.layouts = layouts
        }
    }

    /// How a pack's state of health (capacity retention q) is drawn.
    public enum HealthDistribution: Sendable, Hashable {
        /// Uniform over the range.
        case uniform
        /// Normal with this mean and standard deviation, truncated to the range (rejection sampling).
        case normal(mean: Double, standardDeviation: Double)
    }

    /// How a pack's resistance growth r = R/R_new is drawn.
    public enum ResistanceGrowth: Sendable, Hashable {
        /// Uniform over a range, independent of the state of health.
        case range(ValueRange)
        /// Tied to the fade: r = 1 + perFade·(1 − q) + N(0, σ²), at least 1. BLAST-Lite's fitted models give
        /// roughly 1.5–3 times as much relative resistance growth as relative fade near end of first life; the
        /// default 2 is that middle.
        case tied(perFade: Double, standardDeviation: Double)
    }

    /// Name of the fleet (a preset's name).
    public var name: String
    /// Number of packs.
    public var count: Int
    /// Model family the packs are built with by default.
    public var fidelity: PackFidelity
    /// The chemistry mix.
    public var chemistries: [Share]
    /// State-of-health (capacity retention) range, default 0.60–0.95.
    public var stateOfHealth: ValueRange
    /// How the state of health is drawn in its range.
    public var healthDistribution: HealthDistribution
    /// How the resistance growth is drawn.
    public var resistanceGrowth: ResistanceGrowth
    /// Cell-to-cell spread inside every pack.
    public var cellSpread: CellSpread
    /// Initial state of charge of a pack, drawn uniformly.
    public var initialStateOfCharge: ValueRange

    public init(name: String, count: Int, fidelity: PackFidelity = .ecm, chemistries: [Share],
                stateOfHealth: ValueRange = ValueRange(0.60, 0.95), healthDistribution: HealthDistribution = .uniform,
                resistanceGrowth: ResistanceGrowth = .tied(perFade: 2, standardDeviation: 0.05),
                cellSpread: CellSpread = .secondLife, initialStateOfCharge: ValueRange = ValueRange(0.5)) {
        self.name = name
        self.count = count
        self.fidelity = fidelity
        self.chemistries = chemistries
        self.stateOfHealth = stateOfHealth
        self.healthDistribution = healthDistribution
        self.resistanceGrowth = resistanceGrowth
        self.cellSpread = cellSpread
        self.initialStateOfCharge = initialStateOfCharge
    }
}
