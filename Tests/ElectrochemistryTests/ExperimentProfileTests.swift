import Testing
@testable import Electrochemistry

/// Parses CSV text and returns the error, recording an issue if it parses.
private func experimentProfileError(_ text: String, quantity: Profile.Quantity? = .current) -> ExperimentError? {
    do {
        _ = try Profile(parsingCSV: text, source: "p.csv", quantity: quantity)
        Issue.record("profile parsed unexpectedly: \(text)")
        return nil
    } catch {
        return error
    }
}

@Suite("Current and power profiles")
struct ExperimentProfileTests {
    @Test("a named header gives a current profile with linear interpolation")
    func linearCurrent() throws {
        let profile = try Profile(contentsOfCSV: experimentFixturePath("current_steps.csv"))
        #expect(profile.quantity == .current)
        #expect(profile.times == [0, 10, 20, 30])
        #expect(profile.values == [1, 3, -2, 0])
        #expect(profile.value(at: 0) == 1)
        #expect(profile.value(at: 5) == 2)
        #expect(profile.value(at: 10) == 3)
        #expect(profile.value(at: 12.5) == 1.75)
        #expect(profile.value(at: 25) == -1)
        #expect(profile.value(at: -1) == 1)
        #expect(profile.value(at: 100) == 0)
        #expect(profile.endTime == 30 && profile.minimumInterval == 10)
        #expect(profile.nextBreakpoint(after: 10) == 20)
        #expect(profile.nextBreakpoint(after: 30) == nil)
    }

    @Test("previous-value interpolation holds each sample")
    func previousValue() throws {
        let profile = try Profile(contentsOfCSV: experimentFixturePath("current_steps.csv"), interpolation: .previous)
        #expect(profile.value(at: 9.999) == 1)
        #expect(profile.value(at: 10) == 3)
        #expect(profile.value(at: 19) == 3)
        #expect(profile.value(at: 29) == -2)
        #expect(profile.value(at: 30) == 0)
    }

    @Test("a headerless power profile with CRLF needs the quantity")
    func headerlessPower() throws {
        let path = experimentFixturePath("power_no_header.csv")
        let profile = try Profile(contentsOfCSV: path, quantity: .power)
        #expect(profile.quantity == .power && profile.values == [5, 15, -10])
        #expect(profile.value(at: 30) == 10)
        let step = try ExperimentStep.profile(profile, terminations: [.voltageBelow(volts: 2.5)])
        #expect(step.durationLimit == 120)
        #expect(step.control.power(atStepTime: 90) == 2.5)
        #expect(step.control.current(atStepTime: 90, nominalCapacity: 5) == nil)
        do {
            _ = try Profile(contentsOfCSV: path)
            Issue.record("an unnamed profile was accepted")
        } catch {
            #expect(error.description.contains("current or power"))
        }
    }

    @Test("header units are converted to SI")
    func headerUnits() throws {
        let profile = try Profile(parsingCSV: "time [min], current [mA]\n0, 500\n1, -250\n")
        #expect(profile.times == [0, 60] && profile.values == [0.5, -0.25])
        let power = try Profile(parsingCSV: "t, P [kW]\n0, 1\n2, 2\n")
        #expect(power.quantity == .power && power.values == [1000, 2000])
    }

    @Test("non-monotonic time names the line")
    func nonMonotonic() {
        do {
            _ = try Profile(contentsOfCSV: experimentFixturePath("non_monotonic.csv"))
            Issue.record("non-monotonic time was accepted")
        } catch {
            guard case let .invalidProfile(source, line, reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(source.hasSuffix("non_monotonic.csv") && line == 4)
            #expect(reason.contains("not after") && reason.contains("line 3"))
            #expect(error.description.contains("non_monotonic.csv:4:"))
        }
    }

    @Test("bad rows are errors naming the line")
    func badRows() {
        let cases: [(String, Int?, String)] = [
            ("t [s], I [A]\n0, 1\n10, nan\n", 3, "non-finite"),
            ("0, 1\n10, inf\n", 2, "non-finite"),
            ("t [s], I [A]\n0, 1\n10, 2, 3\n", 3, "found 3"),
            ("0\n", 1, "found 1"),
            ("0, 1\n10, abc\n", 2, "\"abc\" in column 2"),
            ("0, 1\n10, \n", 2, "column 2"),
            ("5, 1\n10, 2\n", 1, "start at t = 0"),
            ("0, 1\n", nil, "at least two rows"),
            ("t [s], V [V]\n0, 1\n1, 2\n", 1, "neither a current nor a power"),
            ("x, I [A]\n0, 1\n1, 2\n", 1, "not a time"),
            ("t [s], P [W]\n0, 1\n1, 2\n", 1, "power column"),
        ]
        for (text, line, fragment) in cases {
            guard let error = experimentProfileError(text) else { continue }
            guard case let .invalidProfile(source, failedLine, reason) = error else {
                Issue.record("unexpected error \(error)")
                continue
            }
            #expect(source == "p.csv")
            #expect(failedLine == line, "\(text): line \(String(describing: failedLine))")
            #expect(reason.contains(fragment), "\(reason)")
        }
    }

    @Test("a missing CSV file is an error naming the path")
    func missingFile() {
        #expect(throws: ExperimentError.self) {
            try Profile(contentsOfCSV: "/nonexistent/drive_cycle.csv", quantity: .current)
        }
        do {
            _ = try Profile(contentsOfCSV: "/nonexistent/drive_cycle.csv", quantity: .current)
        } catch {
            #expect(error.description.contains("/nonexistent/drive_cycle.csv"))
        }
    }

    @Test("profiles built in code are validated")
    func codeValidation() {
        #expect(throws: ExperimentError.self) {
            try Profile(quantity: .current, times: [0, 1, 1], values: [0, 1, 2])
        }
        #expect(throws: ExperimentError.self) {
            try Profile(quantity: .current, times: [0, 1], values: [0, .nan])
        }
        #expect(throws: ExperimentError.self) {
            try Profile(quantity: .power, times: [0, 1], values: [0])
        }
    }
}
