/// Human-readable texts for steps and terminations, used in run summaries and error messages.
extension ExperimentStep {
    /// The step's source string if it was parsed, otherwise a PyBaMM-style string built from its values,
    /// such as `Discharge at 5 A for 30 s until V < 2.5 V`.
    public var displayText: String {
        if let text { return text }
        var parts: [String] = []
        switch control {
        case .current(let i): parts.append("\(i < 0 ? "Charge" : "Discharge") at \(Self.number(abs(i))) A")
        case .cRate(let c): parts.append("\(c < 0 ? "Charge" : "Discharge") at \(Self.number(abs(c)))C")
        case .power(let p): parts.append("\(p < 0 ? "Charge" : "Discharge") at \(Self.number(abs(p))) W")
        case .resistance(let r): parts.append("\(r < 0 ? "Charge" : "Discharge") at \(Self.number(abs(r))) Ohm")
        case .voltage(let v): parts.append("Hold at \(Self.number(v)) V")
        case .rest: parts.append("Rest")
        case .profile(let p):
            parts.append("Follow a \(p.quantity.rawValue) profile of \(p.times.count) samples")
        }
        if let duration { parts.append("for \(Self.number(duration)) s") }
        if !terminations.isEmpty {
            parts.append("until " + terminations.map(\.displayText).joined(separator: " or "))
        }
        if let period { parts.append("(\(Self.number(period)) s period)") }
        return parts.joined(separator: " ")
    }

    /// A number without a trailing ".0".
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension StepTermination {
    /// The condition as text, such as `V < 2.5 V` or `|I| < 0.25 A`.
    public var displayText: String {
        let n = ExperimentStep.number
        switch self {
        case .voltageBelow(let v): return "V < \(n(v)) V"
        case .voltageAbove(let v): return "V > \(n(v)) V"
        case .currentMagnitudeBelow(let i): return "|I| < \(n(i)) A"
        case .cRateMagnitudeBelow(let c): return "|I| < \(n(c))C"
        case .cRateMagnitudeAbove(let c): return "|I| > \(n(c))C"
        case .currentBelow(let i): return "I < \(n(i)) A"
        case .currentAbove(let i): return "I > \(n(i)) A"
        case .powerMagnitudeBelow(let p): return "|P| < \(n(p)) W"
        case .powerMagnitudeAbove(let p): return "|P| > \(n(p)) W"
        }
    }

    /// Whether the termination is a voltage cut-off, which PyBaMM ignores on Rest and Hold steps.
    public var isVoltageCutoff: Bool {
        switch self {
        case .voltageBelow, .voltageAbove: return true
        default: return false
        }
    }
}
