/// The observable state of a ``Pack`` after a step, in SI units; current and power positive on discharge.
public struct PackOutputs: Sendable, Equatable {
    /// Time since the pack was built [s].
    public var time = 0.0
    /// Pack terminal voltage [V] (the common voltage of the strings).
    public var voltage = 0.0
    /// Pack current [A] (sum of the string currents).
    public var current = 0.0
    /// Pack power V·I [W].
    public var power = 0.0
    /// Capacity-weighted state of charge Σ Q_i z_i / Σ Q_i over every cell.
    public var stateOfCharge = 0.0
    /// Lowest and highest cell terminal voltage [V].
    public var minimumCellVoltage = 0.0, maximumCellVoltage = 0.0
    /// Lowest and highest cell temperature [K].
    public var minimumTemperature = 0.0, maximumTemperature = 0.0
    /// Lowest and highest cell state of charge.
    public var minimumCellStateOfCharge = 0.0, maximumCellStateOfCharge = 0.0
    /// Heat generated in the cells [W] (excluding balancing resistors).
    public var heat = 0.0
    /// Power dissipated in the balancing resistors during the last step [W].
    public var balancingPower = 0.0
    /// Energy dissipated in the balancing resistors since the pack was built [J].
    public var balancingEnergy = 0.0
    /// Newton iterations of the last step's string-current solve (1 for a single string under a current).
    public var iterations = 0
    /// Cell limits crossed at the end of the last step.
    public var limits = PackLimitStatus()

    public init() {}
}

/// Which cell limits a ``Pack`` step ended beyond (checked per cell on the end-of-step state, the way a BMS reads
/// its cell monitors once per control period).
public struct PackLimitStatus: Sendable, Equatable {
    /// Cells below their minimum voltage.
    public var belowMinimumVoltage = 0
    /// Cells above their maximum voltage.
    public var aboveMaximumVoltage = 0
    /// Cells above ``Pack/maximumTemperature``.
    public var overTemperature = 0
    /// The first offending cell (string-major index), if any.
    public var firstCell: Int?

    public init() {}

    /// Whether any limit was crossed.
    public var any: Bool { belowMinimumVoltage + aboveMaximumVoltage + overTemperature > 0 }
}

/// Passive (dissipative) cell balancing: a bleed resistor across each cell, switched on while the cell's voltage
/// is more than ``threshold`` above the lowest cell of its string, during charge and rest only — the usual
/// top-balancing rule of BMS chips (Daowd et al., "Passive and active battery balancing comparison based on
/// MATLAB simulation", IEEE VPPC 2011, doi:10.1109/VPPC.2011.6043010).
///
/// The switch is decided from the cell voltages at the start of each step and held for the step; the bleed current
/// V/R (V the start-of-step cell voltage) is added to the cell's discharge current, so it removes charge from that
/// cell only and does not flow through the pack terminals.
public struct PassiveBalancing: Sendable, Equatable {
    /// Bleed resistance [Ω] per cell.
    public var resistance: Double
    /// Voltage excess over the string minimum [V] above which a cell bleeds.
    public var threshold: Double
    /// Balance also while discharging (default: charge and rest only).
    public var duringDischarge: Bool

    /// Throws ``PackError/invalidSetting(name:value:expected:)`` for a non-positive resistance or a negative threshold.
    public init(resistance: Double = 33, threshold: Double = 0.005, duringDischarge: Bool = false) throws(PackError) {
        guard resistance.isFinite, resistance > 0 else {
            throw .invalidSetting(name: "balancing resistance [Ohm]", value: resistance, expected: "a positive number")
        }
        guard threshold.isFinite, threshold >= 0 else {
            throw .invalidSetting(name: "balancing threshold [V]", value: threshold, expected: "a non-negative number")
        }
        self.resistance = resistance
        self.threshold = threshold
        self.duringDischarge = duringDischarge
    }
}
