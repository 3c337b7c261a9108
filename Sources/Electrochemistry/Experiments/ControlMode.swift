/// How the external circuit drives a cell during one experiment step.
///
/// Values are in SI units with PyBaMM's sign convention: current, C-rate and
/// power are positive on discharge and negative on charge. A voltage is the
/// terminal voltage to hold (always positive). A resistance is the external
/// load, positive on discharge.
public enum ControlMode: Sendable, Equatable {
    /// Constant current [A], positive on discharge.
    case current(amperes: Double)
    /// Constant current given as a multiple of the nominal capacity [1/h],
    /// positive on discharge: `I = cRate · Q_nom[A.h]`.
    case cRate(Double)
    /// Constant power [W], positive on discharge: `I · V = P`.
    case power(watts: Double)
    /// Constant terminal voltage [V] (a CV hold).
    case voltage(volts: Double)
    /// Constant external resistance [Ω], positive on discharge: `V = I · R`.
    case resistance(ohms: Double)
    /// Zero current.
    case rest
    /// A current or power that varies in time (a drive cycle), see ``Profile``.
    case profile(Profile)

    /// Whether the step charges, discharges, rests or holds a voltage.
    public var direction: StepDirection {
        switch self {
        case .current(let v): return StepDirection(sign: v)
        case .cRate(let v): return StepDirection(sign: v)
        case .power(let v): return StepDirection(sign: v)
        case .resistance(let v): return StepDirection(sign: v)
        case .voltage: return .hold
        case .rest: return .rest
        case .profile(let p): return StepDirection(sign: p.values.first ?? 0)
        }
    }

    /// Whether the current follows directly from the control, without solving
    /// for the voltage (current, C-rate, rest and current profiles).
    public var isExplicitCurrent: Bool {
        switch self {
        case .current, .cRate, .rest: return true
        case .profile(let p): return p.quantity == .current
        case .power, .voltage, .resistance: return false
        }
    }

    /// The imposed current [A] at time `t` [s] since the start of the step, or
    /// `nil` when the current must be solved for (power, voltage, resistance).
    ///
    /// - Parameter nominalCapacity: the cell's nominal capacity [A.h], used for C-rates.
    @inlinable
    public func current(atStepTime t: Double, nominalCapacity: Double) -> Double? {
        switch self {
        case .current(let i): return i
        case .cRate(let c): return c * nominalCapacity
        case .rest: return 0
        case .profile(let p): return p.quantity == .current ? p.value(at: t) : nil
        case .power, .voltage, .resistance: return nil
        }
    }

    /// The imposed power [W] at time `t` [s] since the start of the step, or
    /// `nil` when the control is not a power.
    @inlinable
    public func power(atStepTime t: Double) -> Double? {
        switch self {
        case .power(let p): return p
        case .profile(let p): return p.quantity == .power ? p.value(at: t) : nil
        default: return nil
        }
    }
}

/// The direction of a step, as PyBaMM derives it from the sign of the control.
public enum StepDirection: Sendable, Equatable {
    case discharge
    case charge
    case rest
    /// A voltage hold, whose direction is not known in advance.
    case hold

    /// The direction given by the sign of a current, C-rate, power or resistance.
    public init(sign value: Double) {
        self = value > 0 ? .discharge : (value < 0 ? .charge : .rest)
    }
}

/// A condition that ends an experiment step before its duration runs out.
///
/// Each event has an ``eventValue(voltage:current:nominalCapacity:)`` that is
/// positive while the step runs and crosses zero when the event fires, the form
/// that a solver's root finding needs.
public enum StepTermination: Sendable, Equatable {
    /// The terminal voltage falls to this value [V] ("Discharge … until 2.5 V", "until < 3 V").
    case voltageBelow(volts: Double)
    /// The terminal voltage rises to this value [V] ("Charge … until 4.2 V", "until > 4 V").
    case voltageAbove(volts: Double)
    /// |I| falls to this value [A], the end of a CV hold ("until 50 mA").
    case currentMagnitudeBelow(amperes: Double)
    /// |I| / Q_nom falls to this C-rate [1/h], the end of a CV hold ("until C/50").
    case cRateMagnitudeBelow(Double)
    /// |I| / Q_nom rises to this C-rate [1/h] ("until > 2C").
    case cRateMagnitudeAbove(Double)
    /// The signed current falls to this value [A] ("until < -1 A").
    case currentBelow(amperes: Double)
    /// The signed current rises to this value [A] ("until > 1 A").
    case currentAbove(amperes: Double)
    /// |P| = |V·I| falls to this value [W] ("Hold at 4.2 V until 0.5 W").
    case powerMagnitudeBelow(watts: Double)
    /// |P| = |V·I| rises to this limit [W] ("Discharge at 2 Ohm until > 10 W").
    case powerMagnitudeAbove(watts: Double)

    /// A function that is positive before the event and zero when it fires.
    ///
    /// - Parameters:
    ///   - voltage: terminal voltage [V].
    ///   - current: current [A], positive on discharge.
    ///   - nominalCapacity: nominal capacity [A.h], for C-rate events.
    @inlinable
    public func eventValue(voltage: Double, current: Double, nominalCapacity: Double) -> Double {
        switch self {
        case .voltageBelow(let v): return voltage - v
        case .voltageAbove(let v): return v - voltage
        case .currentMagnitudeBelow(let i): return abs(current) - i
        case .cRateMagnitudeBelow(let c): return abs(current) / nominalCapacity - c
        case .cRateMagnitudeAbove(let c): return c - abs(current) / nominalCapacity
        case .currentBelow(let i): return current - i
        case .currentAbove(let i): return i - current
        case .powerMagnitudeBelow(let p): return abs(voltage * current) - p
        case .powerMagnitudeAbove(let p): return p - abs(voltage * current)
        }
    }

    /// Whether the event has fired (its ``eventValue(voltage:current:nominalCapacity:)`` is ≤ 0).
    @inlinable
    public func isReached(voltage: Double, current: Double, nominalCapacity: Double) -> Bool {
        eventValue(voltage: voltage, current: current, nominalCapacity: nominalCapacity) <= 0
    }
}
