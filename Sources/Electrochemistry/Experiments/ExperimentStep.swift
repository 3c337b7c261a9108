/// One step of an experiment: a control, a duration limit, termination events
/// and an optional output period.
///
/// This is model-independent: a solver runs the step until the first of its
/// ``terminations`` fires or ``durationLimit`` seconds have passed. Build one
/// in code, or parse PyBaMM's step strings with ``init(parsing:)``:
///
/// ```
/// "Discharge at 1C until 2.5 V"        → .cRate(1),        [.voltageBelow(2.5)]
/// "Hold at 4.2 V until C/50"           → .voltage(4.2),    [.cRateMagnitudeBelow(0.02)]
/// "Charge at 2.5 A for 30 seconds"     → .current(-2.5),   duration 30 s
/// "Rest for 30 minutes (1 minute period)" → .rest,         duration 1800 s, period 60 s
/// ```
public struct ExperimentStep: Sendable, Equatable {
    /// What the external circuit imposes.
    public var control: ControlMode
    /// The explicit duration limit [s], or `nil` for the default (see ``durationLimit``).
    public var duration: Double?
    /// Events that end the step early; the first to fire wins.
    public var terminations: [StepTermination]
    /// The output period [s] within the step, or `nil` for the caller's default.
    public var period: Double?
    /// The text the step was parsed from, if any.
    public var text: String?

    /// The default duration [s] of a step without an explicit one, as in PyBaMM:
    /// one day, except twice the nominal time of a C-rate step (`2 / |C|` hours)
    /// and the length of a profile.
    public static let defaultDuration: Double = 24 * 3600

    /// Creates a step, checking that every value is finite and in range.
    ///
    /// - Throws: ``ExperimentError/invalidValue(name:value:reason:)`` naming the bad value.
    public init(
        _ control: ControlMode,
        duration: Double? = nil,
        terminations: [StepTermination] = [],
        period: Double? = nil,
        text: String? = nil
    ) throws(ExperimentError) {
        try Self.validate(control)
        if let duration, !(duration.isFinite && duration > 0) {
            throw .invalidValue(name: "step duration [s]", value: duration, reason: "must be finite and positive")
        }
        if let period, !(period.isFinite && period > 0) {
            throw .invalidValue(name: "output period [s]", value: period, reason: "must be finite and positive")
        }
        for termination in terminations { try Self.validate(termination) }
        self.control = control
        self.duration = duration
        self.terminations = terminations
        self.period = period
        self.text = text
    }

    /// Whether the step has no explicit duration and uses the default.
    public var usesDefaultDuration: Bool { duration == nil }

    /// The time limit [s] of the step: the explicit duration, or PyBaMM's default
    /// (`2 / |C|` hours for a C-rate, the profile's length, otherwise one day).
    public var durationLimit: Double {
        if let duration { return duration }
        switch control {
        case .cRate(let c) where c != 0: return 2 * 3600 / abs(c)
        case .profile(let p): return p.endTime
        default: return Self.defaultDuration
        }
    }

    /// The direction of the step, from the sign of its control.
    public var direction: StepDirection { control.direction }

    private static func validate(_ control: ControlMode) throws(ExperimentError) {
        let (name, value): (String, Double)
        switch control {
        case .current(let v): (name, value) = ("current [A]", v)
        case .cRate(let v): (name, value) = ("C-rate", v)
        case .power(let v): (name, value) = ("power [W]", v)
        case .resistance(let v): (name, value) = ("resistance [Ohm]", v)
        case .voltage(let v):
            guard v.isFinite && v > 0 else {
                throw .invalidValue(name: "hold voltage [V]", value: v, reason: "must be finite and positive")
            }
            return
        case .rest, .profile: return
        }
        guard value.isFinite else { throw .invalidValue(name: name, value: value, reason: "must be finite") }
    }

    private static func validate(_ termination: StepTermination) throws(ExperimentError) {
        let (name, value): (String, Double)
        switch termination {
        case .voltageBelow(let v), .voltageAbove(let v): (name, value) = ("voltage cut-off [V]", v)
        case .currentMagnitudeBelow(let v): (name, value) = ("current cut-off [A]", v)
        case .cRateMagnitudeBelow(let v), .cRateMagnitudeAbove(let v): (name, value) = ("C-rate cut-off", v)
        case .currentBelow(let v), .currentAbove(let v):
            guard v.isFinite else {
                throw .invalidValue(name: "current cut-off [A]", value: v, reason: "must be finite")
            }
            return
        case .powerMagnitudeBelow(let v), .powerMagnitudeAbove(let v): (name, value) = ("power limit [W]", v)
        }
        guard value.isFinite && value > 0 else {
            throw .invalidValue(name: name, value: value, reason: "must be finite and positive")
        }
    }
}

/// A sequence of experiment steps, run one after another.
public struct Experiment: Sendable, Equatable {
    /// The steps in order.
    public var steps: [ExperimentStep]

    /// Creates an experiment from steps built in code.
    public init(steps: [ExperimentStep]) {
        self.steps = steps
    }

    /// Parses PyBaMM step strings, one step each.
    ///
    /// - Throws: ``ExperimentError/invalidStep(step:part:reason:)`` for the first bad string.
    public init(_ stepStrings: [String]) throws(ExperimentError) {
        var steps: [ExperimentStep] = []
        steps.reserveCapacity(stepStrings.count)
        for text in stepStrings { steps.append(try ExperimentStep(parsing: text)) }
        self.steps = steps
    }
}
