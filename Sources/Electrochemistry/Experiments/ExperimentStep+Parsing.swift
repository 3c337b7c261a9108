/// Parsing of PyBaMM's experiment step strings.
///
/// The grammar follows `pybamm.step.string` (PyBaMM 26.x):
///
/// ```
/// step        = action [" for " time] [[" or"] " until " condition {" or " condition}] [" (" time " period)"]
/// action      = ("Discharge" | "Charge") " at " value | "Hold at " voltage | "Rest"
/// value       = number unit | "C/" number          unit ∈ A mA C W mW kW V mV Ohm mOhm
/// time        = number ("s" | "sec" | "second(s)" | "m" | "min" | "minute(s)" | "h" | "hr" | "hour(s)" | "d" | "day(s)")
/// condition   = ["<" | ">"] value
/// ```
///
/// "Charge" makes the value negative. A voltage cut-off without `<` or `>`
/// fires on the way down for a discharge and on the way up for a charge, as in
/// PyBaMM; on a hold or rest it needs an explicit `<` or `>`. A current, C-rate
/// or power condition without an operator ("until C/50", "until 50 mA") fires
/// when the magnitude falls to the value, the end of a CV hold.
extension ExperimentStep {
    /// Parses one PyBaMM step string, such as `"Discharge at 1C until 2.5 V"`.
    ///
    /// - Throws: ``ExperimentError/invalidStep(step:part:reason:)`` quoting the
    ///   step and the part that failed.
    public init(parsing text: String) throws(ExperimentError) {
        self = try StepStringParser(text).parse()
    }
}

/// The kinds of electrical quantity a step string can name.
enum ElectricKind: Sendable, Equatable {
    case current, cRate, power, voltage, resistance
}

/// A recursive-descent reader of one step string.
struct StepStringParser {
    let original: String

    init(_ original: String) {
        self.original = original
    }

    private func fail(_ part: some StringProtocol, _ reason: String) -> ExperimentError {
        .invalidStep(step: original, part: String(part), reason: reason)
    }

    func parse() throws(ExperimentError) -> ExperimentStep {
        var text = Substring(Self.normalizingSpaces(original))
        guard !text.isEmpty else { throw fail("", "the step is empty") }

        var period: Double?
        if text.hasSuffix(")") {
            guard let open = text.lastIndex(of: "(") else { throw fail(text, "has ')' without '('") }
            let inner = Self.trimmed(text[text.index(after: open)..<text.index(before: text.endIndex)])
            guard inner.lowercased().hasSuffix("period") else {
                throw fail(inner, "expected an output period such as \"(1 minute period)\"")
            }
            period = try parseTime(Self.trimmed(inner.dropLast(6)), what: "period")
            text = Self.trimmed(text[..<open])
        }

        if text.hasSuffix(" until") { throw fail("until", "has no condition after it, as in \"until 2.5 V\"") }
        if text.hasSuffix(" for") { throw fail("for", "has no time after it, as in \"for 30 minutes\"") }
        var conditionText: Substring?
        if let range = text.firstRange(of: " until ") {
            conditionText = text[range.upperBound...]
            text = text[..<range.lowerBound]
            if text.hasSuffix(" or") { text = text.dropLast(3) }
        }
        var durationText: Substring?
        if let range = text.firstRange(of: " for ") {
            durationText = text[range.upperBound...]
            text = text[..<range.lowerBound]
        }
        let control = try parseAction(text)
        guard durationText != nil || conditionText != nil else {
            throw fail("", "expected 'for <time>' or 'until <condition>', as in \"Rest for 30 minutes\" or \"Discharge at 1C until 2.5 V\"")
        }
        let duration = try durationText.map { (t) throws(ExperimentError) in try parseTime(t, what: "duration") }
        var terminations: [StepTermination] = []
        if let conditionText {
            var rest = conditionText
            while let range = rest.firstRange(of: " or ") {
                terminations.append(try parseCondition(rest[..<range.lowerBound], direction: control.direction))
                rest = rest[range.upperBound...]
            }
            terminations.append(try parseCondition(rest, direction: control.direction))
        }
        do {
            return try ExperimentStep(control, duration: duration, terminations: terminations,
                                      period: period, text: original)
        } catch {
            throw fail("", error.description)
        }
    }

    /// Reads "Discharge at 1C", "Charge at 2.5 A", "Hold at 4.2 V" or "Rest".
    func parseAction(_ text: Substring) throws(ExperimentError) -> ControlMode {
        let lower = text.lowercased()
        if lower == "rest" { return .rest }
        if lower.hasPrefix("rest ") {
            throw fail(text, "a rest takes no value; write \"Rest for 30 minutes\"")
        }
        guard let at = text.firstRange(of: " at ") else {
            throw fail(text, "expected '<Discharge|Charge|Hold> at <value>' or 'Rest'")
        }
        let instruction = text[..<at.lowerBound]
        let valueText = text[at.upperBound...]
        let sign: Double
        switch instruction.lowercased() {
        case "discharge": sign = 1
        case "charge": sign = -1
        case "hold":
            let (kind, volts) = try parseQuantity(valueText)
            guard kind == .voltage else {
                throw fail(valueText, "a hold needs a voltage, as in \"Hold at 4.2 V until C/50\"")
            }
            guard volts > 0 else { throw fail(valueText, "the hold voltage must be positive") }
            return .voltage(volts: volts)
        default:
            throw fail(instruction, "unknown instruction; expected Discharge, Charge, Hold or Rest")
        }
        let (kind, magnitude) = try parseQuantity(valueText)
        guard magnitude > 0 else {
            throw fail(valueText, "must be positive: 'Discharge' or 'Charge' gives the sign; use 'Rest' for no current")
        }
        let value = sign * magnitude
        switch kind {
        case .current: return .current(amperes: value)
        case .cRate: return .cRate(value)
        case .power: return .power(watts: value)
        case .resistance: return .resistance(ohms: value)
        case .voltage:
            throw fail(valueText, "a voltage is imposed with \"Hold at \(valueText) until …\"")
        }
    }

    /// Reads a termination condition such as "2.5 V", "C/50", "50 mA" or "> 4.1 V".
    func parseCondition(_ raw: Substring, direction: StepDirection) throws(ExperimentError) -> StepTermination {
        var body = Self.trimmed(raw)
        var op: Character?
        if let first = body.first, first == "<" || first == ">" {
            op = first
            body = Self.trimmed(body.dropFirst())
        }
        let (kind, value) = try parseQuantity(body)
        let magnitudeOK = value > 0
        switch kind {
        case .voltage:
            guard magnitudeOK else { throw fail(raw, "a voltage cut-off must be positive") }
            switch op {
            case "<": return .voltageBelow(volts: value)
            case ">": return .voltageAbove(volts: value)
            default:
                switch direction {
                case .discharge: return .voltageBelow(volts: value)
                case .charge: return .voltageAbove(volts: value)
                case .hold, .rest:
                    throw fail(raw, "a voltage cut-off on a hold or rest needs a direction: write \"until < \(body)\" or \"until > \(body)\"")
                }
            }
        case .current:
            switch op {
            case "<": return .currentBelow(amperes: value)
            case ">": return .currentAbove(amperes: value)
            default:
                guard magnitudeOK else { throw fail(raw, "a current cut-off must be positive") }
                return .currentMagnitudeBelow(amperes: value)
            }
        case .cRate:
            guard magnitudeOK else { throw fail(raw, "a C-rate cut-off must be positive") }
            return op == ">" ? .cRateMagnitudeAbove(value) : .cRateMagnitudeBelow(value)
        case .power:
            guard magnitudeOK else { throw fail(raw, "a power limit must be positive") }
            return op == ">" ? .powerMagnitudeAbove(watts: value) : .powerMagnitudeBelow(watts: value)
        case .resistance:
            throw fail(raw, "a resistance cannot end a step; use a voltage, current, C-rate or power")
        }
    }

    private static let unitList = "A, mA, C, W, mW, kW, V, mV, Ohm or mOhm"

    /// Reads "1C", "C/20", "2.5 A", "200 mA", "10 W", "4.2 V" or "1.5 Ohm" into SI.
    func parseQuantity(_ raw: Substring) throws(ExperimentError) -> (ElectricKind, Double) {
        let compact = String(raw.filter { !$0.isWhitespace })
        guard !compact.isEmpty else {
            throw fail(raw, "is empty; expected a value such as 1 A, C/2, 10 W or 4.2 V")
        }
        if compact.count > 1, compact.first == "C" || compact.first == "c",
           compact.dropFirst().first == "/" {
            guard let n = Double(compact.dropFirst(2)), n.isFinite, n > 0 else {
                throw fail(raw, "expected C/n with a positive number n, as in C/20")
            }
            return (.cRate, 1 / n)
        }
        let (number, unit) = Self.splitNumber(Substring(compact))
        guard let value = number, value.isFinite else {
            throw fail(raw, "expected a number and a unit (\(Self.unitList)), or C/n")
        }
        guard !unit.isEmpty else { throw fail(raw, "has no unit; expected \(Self.unitList)") }
        switch unit.lowercased() {
        case "a": return (.current, value)
        case "ma": return (.current, value / 1000)
        case "c": return (.cRate, value)
        case "w": return (.power, value)
        case "mw": return (.power, value / 1000)
        case "kw": return (.power, value * 1000)
        case "v": return (.voltage, value)
        case "mv": return (.voltage, value / 1000)
        case "ohm", "ohms", "Ω", "ω": return (.resistance, value)
        case "mohm", "mohms", "mΩ", "mω": return (.resistance, value / 1000)
        default: throw fail(raw, "unknown unit \"\(unit)\"; expected \(Self.unitList)")
        }
    }

    /// Reads "30 minutes", "1 hour", "10 s", "2 hr" or "1 day" into seconds.
    func parseTime(_ raw: Substring, what: String) throws(ExperimentError) -> Double {
        let compact = Substring(raw.filter { !$0.isWhitespace })
        let (number, unit) = Self.splitNumber(compact)
        let reason = "expected a positive \(what) such as \"30 minutes\"; units are seconds (s, sec), minutes (m, min), hours (h, hr) or days (d)"
        guard let value = number, value.isFinite, value > 0 else { throw fail(raw, reason) }
        let scale: Double
        switch unit.lowercased() {
        case "s", "sec", "secs", "second", "seconds": scale = 1
        case "m", "min", "mins", "minute", "minutes": scale = 60
        case "h", "hr", "hrs", "hour", "hours": scale = 3600
        case "d", "day", "days": scale = 86400
        default: throw fail(raw, reason)
        }
        return value * scale
    }

    /// Splits a leading decimal number (as PyBaMM's `lstrip("0123456789.-eE")`) from its unit.
    static func splitNumber(_ s: Substring) -> (Double?, Substring) {
        var end = s.startIndex
        while end < s.endIndex {
            let c = s[end]
            let isNumeric = c.isASCII && (c.isNumber || c == "." || c == "+" || c == "-"
                || ((c == "e" || c == "E") && end > s.startIndex && s[s.index(before: end)].isNumber
                    && s.index(after: end) < s.endIndex
                    && (s[s.index(after: end)].isNumber || s[s.index(after: end)] == "-" || s[s.index(after: end)] == "+")))
            guard isNumeric else { break }
            end = s.index(after: end)
        }
        let numberText = s[..<end]
        return (numberText.isEmpty ? nil : Double(numberText), s[end...])
    }

    static func normalizingSpaces(_ s: String) -> String {
        var out = ""
        var pendingSpace = false
        for c in s {
            if c.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(c)
            }
        }
        return out
    }

    static func trimmed(_ s: Substring) -> Substring {
        var s = s
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
