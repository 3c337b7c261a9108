import Testing
@testable import Electrochemistry

/// Parses `text` and returns the error it throws, recording an issue if it parses.
private func experimentParseError(_ text: String) -> ExperimentError? {
    do {
        let step = try ExperimentStep(parsing: text)
        Issue.record("\"\(text)\" parsed unexpectedly as \(step)")
        return nil
    } catch {
        return error
    }
}

@Suite("Experiment step strings")
struct ExperimentStepParsingTests {
    @Test("the step forms of the issue parse to SI controls and limits")
    func issueForms() throws {
        let cases: [(String, ControlMode, Double?, [StepTermination])] = [
            ("Discharge at 1C until 2.5 V", .cRate(1), nil, [.voltageBelow(volts: 2.5)]),
            ("Charge at 0.5C until 4.2 V", .cRate(-0.5), nil, [.voltageAbove(volts: 4.2)]),
            ("Hold at 4.2 V until C/50", .voltage(volts: 4.2), nil, [.cRateMagnitudeBelow(1.0 / 50)]),
            ("Rest for 30 minutes", .rest, 1800, []),
            ("Discharge at 10 W until 3.0 V", .power(watts: 10), nil, [.voltageBelow(volts: 3.0)]),
            ("Charge at 2.5 A for 30 seconds", .current(amperes: -2.5), 30, []),
            ("Discharge at 1 A for 2 hours or until 3.3 V", .current(amperes: 1), 7200, [.voltageBelow(volts: 3.3)]),
            ("Discharge at C/20 for 1 hour", .cRate(1.0 / 20), 3600, []),
            ("Hold at 4.1 V until 50mA", .voltage(volts: 4.1), nil, [.currentMagnitudeBelow(amperes: 0.05)]),
            ("Hold at 4.1 V until 50 mA", .voltage(volts: 4.1), nil, [.currentMagnitudeBelow(amperes: 0.05)]),
            ("Charge at 200 mA for 45 minutes", .current(amperes: -0.2), 2700, []),
            ("Discharge at 1W for 0.5 hours", .power(watts: 1), 1800, []),
            ("Charge at 200mW for 45 minutes", .power(watts: -0.2), 2700, []),
            ("Discharge at 2 kW for 10 s", .power(watts: 2000), 10, []),
            ("Hold at 4100 mV for 20 seconds", .voltage(volts: 4.1), 20, []),
            ("Hold at 1V for 20 seconds", .voltage(volts: 1), 20, []),
            ("Discharge at 1.5 Ohm until 3 V", .resistance(ohms: 1.5), nil, [.voltageBelow(volts: 3)]),
            ("Charge at 500 mOhm for 1 min", .resistance(ohms: -0.5), 60, []),
            ("Charge at 1 C until 4.1V", .cRate(-1), nil, [.voltageAbove(volts: 4.1)]),
            ("Discharge at C/3 for 2 hours or until 2.5 V", .cRate(1.0 / 3), 7200, [.voltageBelow(volts: 2.5)]),
            ("Rest for 10 s", .rest, 10, []),
            ("Rest for 5 sec", .rest, 5, []),
            ("Rest for 2 min", .rest, 120, []),
            ("Rest for 1.5 h", .rest, 5400, []),
            ("Rest for 3 hr", .rest, 10800, []),
            ("Rest for 1 day", .rest, 86400, []),
            ("Rest for 2 days", .rest, 172800, []),
            ("Rest for 1 second", .rest, 1, []),
            ("Rest for 1 minute", .rest, 60, []),
            ("Rest for 1e3 seconds", .rest, 1000, []),
            ("Hold at 4.2 V until < 0.1 A", .voltage(volts: 4.2), nil, [.currentBelow(amperes: 0.1)]),
            ("Rest for 1 hour or until > 3.9 V", .rest, 3600, [.voltageAbove(volts: 3.9)]),
            ("Discharge at 2 Ohm until > 10 W", .resistance(ohms: 2), nil, [.powerMagnitudeAbove(watts: 10)]),
            ("Hold at 4.2 V until 0.5 W", .voltage(volts: 4.2), nil, [.powerMagnitudeBelow(watts: 0.5)]),
            ("Hold at 4.2 V until C/50 or 20 mA", .voltage(volts: 4.2), nil,
             [.cRateMagnitudeBelow(0.02), .currentMagnitudeBelow(amperes: 0.02)]),
            ("  discharge   at 1C   until 2.5 V ", .cRate(1), nil, [.voltageBelow(volts: 2.5)]),
        ]
        for (text, control, duration, terminations) in cases {
            let step = try ExperimentStep(parsing: text)
            #expect(step.control == control, "\(text)")
            #expect(step.duration == duration, "\(text)")
            #expect(step.terminations == terminations, "\(text)")
            #expect(step.period == nil, "\(text)")
            #expect(step.text == text)
        }
    }

    @Test("an output period suffix is read in seconds")
    func periodSuffix() throws {
        let rest = try ExperimentStep(parsing: "Rest for 30 minutes (1 minute period)")
        #expect(rest.control == .rest && rest.duration == 1800 && rest.period == 60)
        let charge = try ExperimentStep(parsing: "Charge at 0.5C until 4.2 V (10 seconds period)")
        #expect(charge.control == .cRate(-0.5) && charge.period == 10)
        #expect(charge.terminations == [.voltageAbove(volts: 4.2)])
        let hold = try ExperimentStep(parsing: "Hold at 4.2 V until C/50 (2 s period)")
        #expect(hold.period == 2)
    }

    @Test("default durations follow PyBaMM: 2/|C| hours for C-rates, one day otherwise")
    func defaultDurations() throws {
        #expect(try ExperimentStep(parsing: "Discharge at 1C until 2.5 V").durationLimit == 7200)
        #expect(try ExperimentStep(parsing: "Charge at 0.5C until 4.2 V").durationLimit == 14400)
        #expect(try ExperimentStep(parsing: "Hold at 4.2 V until C/50").durationLimit == 86400)
        let timed = try ExperimentStep(parsing: "Discharge at 1C for 10 minutes or until 2.5 V")
        #expect(timed.durationLimit == 600 && !timed.usesDefaultDuration)
    }

    @Test("unparsable steps give errors that quote the step and the failing part")
    func badSteps() {
        let cases: [(String, String)] = [
            ("Discharge at fast", "fast"),
            ("Rest for ever", "ever"),
            ("Hold at 4.2 until C/50", "4.2"),
            ("Discharge at 1 X until 2.5 V", "1 X"),
            ("Dance at 1C until 2.5 V", "Dance"),
            ("Discharge at 1C", ""),
            ("Discharge at 1C until", "until"),
            ("Rest for", "for"),
            ("Hold at 1 A until C/50", "1 A"),
            ("Charge at 4.2 V for 1 hour", "4.2 V"),
            ("Discharge at -1 A for 1 hour", "-1 A"),
            ("Discharge at 0 A for 1 hour", "0 A"),
            ("Hold at 4.2 V until 3.9 V", "3.9 V"),
            ("Discharge at 1C until 2 Ohm", "2 Ohm"),
            ("Discharge at C/0 for 1 hour", "C/0"),
            ("Rest for -5 minutes", "-5 minutes"),
            ("Rest for 5 fortnights", "5 fortnights"),
            ("Rest for 30 minutes (1 minute)", "1 minute"),
            ("Discharge at nan A for 1 hour", "nan A"),
            ("", ""),
        ]
        for (text, part) in cases {
            guard let error = experimentParseError(text) else { continue }
            guard case let .invalidStep(step, failedPart, reason) = error else {
                Issue.record("unexpected error \(error) for \"\(text)\"")
                continue
            }
            #expect(step == text)
            #expect(failedPart == part, "\(text): part \(failedPart)")
            #expect(!reason.isEmpty)
            #expect(error.description.contains("\"\(text)\""), "\(error.description)")
            if !part.isEmpty { #expect(error.description.contains("\"\(part)\"")) }
        }
    }

    @Test("bad-step messages say what was expected")
    func messages() {
        let fast = experimentParseError("Discharge at fast")?.description ?? ""
        #expect(fast.contains("expected a number and a unit"))
        let unitless = experimentParseError("Hold at 4.2 until C/50")?.description ?? ""
        #expect(unitless.contains("has no unit"))
        let ever = experimentParseError("Rest for ever")?.description ?? ""
        #expect(ever.contains("duration") && ever.contains("minutes"))
    }

    @Test("termination events are positive before and zero at the crossing")
    func eventValues() {
        let q = 5.0
        #expect(StepTermination.voltageBelow(volts: 2.5).eventValue(voltage: 3.0, current: 5, nominalCapacity: q) == 0.5)
        #expect(StepTermination.voltageAbove(volts: 4.2).isReached(voltage: 4.2, current: -2.5, nominalCapacity: q))
        #expect(!StepTermination.cRateMagnitudeBelow(0.02).isReached(voltage: 4.2, current: -0.2, nominalCapacity: q))
        #expect(StepTermination.cRateMagnitudeBelow(0.02).isReached(voltage: 4.2, current: -0.1, nominalCapacity: q))
        #expect(StepTermination.currentMagnitudeBelow(amperes: 0.05).isReached(voltage: 4.2, current: -0.04, nominalCapacity: q))
        #expect(StepTermination.powerMagnitudeAbove(watts: 10).isReached(voltage: 4, current: 2.5, nominalCapacity: q))
        #expect(!StepTermination.powerMagnitudeAbove(watts: 10).isReached(voltage: 4, current: 2.4, nominalCapacity: q))
    }

    @Test("controls give the imposed current in amperes")
    func imposedCurrent() {
        #expect(ControlMode.cRate(-0.5).current(atStepTime: 0, nominalCapacity: 5) == -2.5)
        #expect(ControlMode.current(amperes: 3).current(atStepTime: 9, nominalCapacity: 5) == 3)
        #expect(ControlMode.rest.current(atStepTime: 0, nominalCapacity: 5) == 0)
        #expect(ControlMode.power(watts: 10).current(atStepTime: 0, nominalCapacity: 5) == nil)
        #expect(ControlMode.power(watts: 10).power(atStepTime: 0) == 10)
        #expect(ControlMode.voltage(volts: 4.2).direction == .hold)
        #expect(ControlMode.cRate(-1).direction == .charge)
    }

    @Test("steps built in code reject non-finite values by name")
    func codeValidation() {
        #expect(throws: ExperimentError.self) { try ExperimentStep(.current(amperes: .nan)) }
        #expect(throws: ExperimentError.self) { try ExperimentStep(.rest, duration: 0) }
        #expect(throws: ExperimentError.self) { try ExperimentStep(.rest, duration: 10, period: -1) }
        #expect(throws: ExperimentError.self) {
            try ExperimentStep(.cRate(1), terminations: [.voltageBelow(volts: .infinity)])
        }
        do {
            _ = try ExperimentStep(.voltage(volts: -4.2))
        } catch {
            #expect(error.description.contains("hold voltage [V]") && error.description.contains("-4.2"))
        }
    }
}
