/// What the external circuit imposes on a cell while it is advanced.
///
/// SI units, PyBaMM's signs: current and power are positive on discharge. A voltage is the terminal
/// voltage to hold; a resistance is the external load (`V = R·I`). Only `current` fixes I directly; the
/// others make I an algebraic unknown that the model solves for together with its state.
public enum CellDrive: Sendable, Equatable {
    /// Constant current [A].
    case current(Double)
    /// Constant power `I·V` [W].
    case power(Double)
    /// Constant terminal voltage [V] (a CV hold).
    case voltage(Double)
    /// Constant external resistance [Ω].
    case resistance(Double)
}

/// How the cell temperature evolves.
public enum ThermalOption: String, Sendable, Equatable, CaseIterable {
    /// The cell stays at the ambient temperature.
    case isothermal
    /// One lumped cell temperature with ohmic, reaction and reversible heat and Newton cooling to ambient
    /// (PyBaMM's "lumped" option; docs/electrochemistry-spec.md §1.8).
    case lumped
}

/// The observable state of a cell, in SI units, with the columns of PyBaMM's reference CSVs.
public struct CellOutputs: Sendable, Equatable {
    /// Time since the model was built [s].
    public var time: Double = 0
    /// Current [A], positive on discharge.
    public var current: Double = 0
    /// Terminal voltage [V].
    public var voltage: Double = 0
    /// Volume-averaged cell temperature [K].
    public var temperature: Double = 0
    /// Negative particle surface stoichiometry (x-averaged).
    public var stoNSurf: Double = 0
    /// Positive particle surface stoichiometry (x-averaged).
    public var stoPSurf: Double = 0
    /// Negative particle average stoichiometry.
    public var stoNAvg: Double = 0
    /// Positive particle average stoichiometry.
    public var stoPAvg: Double = 0
    /// Charge discharged since the model was built, ∫I dt / 3600 [A.h].
    public var dischargeCapacity: Double = 0
    /// Total heat generated in the cell [W] (ohmic + reaction + reversible).
    public var heat: Double = 0

    public init() {}
}

/// Degradation state reported beside ``CellOutputs`` by models that track it (PyBaMM's SEI output columns).
public struct AgingOutputs: Sendable, Equatable {
    /// x-averaged SEI thickness on the negative particles [m].
    public var seiThickness: Double
    /// Capacity lost to SEI since the model was built [A.h] (PyBaMM "Loss of capacity to negative SEI [A.h]").
    public var seiCapacityLoss: Double

    public init(seiThickness: Double, seiCapacityLoss: Double) {
        self.seiThickness = seiThickness
        self.seiCapacityLoss = seiCapacityLoss
    }
}

/// How a call to ``CellModel/advance(by:events:)`` ended.
public enum AdvanceStop: Sendable, Equatable {
    /// The whole interval was integrated.
    case completed
    /// The event at this index of the `events` argument crossed zero first; the state is at the crossing.
    case event(Int)
}

/// A cell model that an experiment, an environment or a controller can drive.
///
/// Usage: ``begin(_:)`` sets the drive (and solves for a consistent current and voltage, as PyBaMM does at every
/// step change), then ``advance(by:events:)`` integrates. In steady state neither allocates.
public protocol CellModel: AnyObject {
    /// Nominal capacity [A.h], for C-rates and C-rate events.
    var nominalCapacity: Double { get }
    /// The outputs at the present state under the present drive.
    var outputs: CellOutputs { get }
    /// Degradation outputs at the present state, or `nil` for a model that tracks none (the default).
    var agingOutputs: AgingOutputs? { get }
    /// The drive set by the last ``begin(_:)``.
    var drive: CellDrive { get }
    /// Ambient temperature [K]: the cell temperature when isothermal, the coolant when lumped.
    var ambientTemperature: Double { get set }

    /// Sets the drive from now on and makes the algebraic state (current, potentials) consistent with it.
    func begin(_ drive: CellDrive) throws(ModelError)

    /// Integrates for `dt` seconds under the present drive, with error control, unless one of `events`
    /// (each positive while running, see ``StepTermination/eventValue(voltage:current:nominalCapacity:)``)
    /// reaches zero first; then the state is left at the located crossing.
    func advance(by dt: Double, events: [StepTermination]) throws(ModelError) -> AdvanceStop

    /// Copies the whole state into preallocated storage.
    func saveState()
    /// Returns to the state of the last ``saveState()``.
    func restoreState()
}

extension CellModel {
    public var agingOutputs: AgingOutputs? { nil }

    /// Advances by `dt` at a constant current [A] and returns the outputs: the stepping call of a controller.
    @discardableResult
    public func step(current: Double, dt: Double) throws(ModelError) -> CellOutputs {
        try begin(.current(current))
        _ = try advance(by: dt, events: [])
        return outputs
    }
}
