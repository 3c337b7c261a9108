import Testing
@testable import Electrochemistry

/// Every `steps` string of the PyBaMM reference cases (shared/reference/pybamm/cases/*.json).
@Suite("Experiment steps of the PyBaMM reference cases")
struct ExperimentReferenceCaseTests {
    /// The nine distinct non-drive-cycle steps and what they mean in SI.
    static let namedSteps: [(String, ControlMode, [StepTermination], Double?)] = [
        ("Discharge at 1C until 2.5 V", .cRate(1), [.voltageBelow(volts: 2.5)], nil),
        ("Discharge at 2C until 2.5 V", .cRate(2), [.voltageBelow(volts: 2.5)], nil),
        ("Charge at 1C until 4.2 V", .cRate(-1), [.voltageAbove(volts: 4.2)], nil),
        ("Hold at 4.2 V until C/20", .voltage(volts: 4.2), [.cRateMagnitudeBelow(0.05)], nil),
        ("Rest for 30 minutes", .rest, [], 1800),
        ("Rest for 20 minutes", .rest, [], 1200),
        ("Discharge at 10 W until 3.0 V", .power(watts: 10), [.voltageBelow(volts: 3.0)], nil),
        ("Charge at 0.5C until 4.2 V", .cRate(-0.5), [.voltageAbove(volts: 4.2)], nil),
        ("Discharge at 1C until 2.0 V", .cRate(1), [.voltageBelow(volts: 2.0)], nil),
    ]

    /// The 120 pulses of chen2020_spme_dynamic, "+" for Discharge and "-" for Charge.
    static let dynamicPulses = """
    +8.610 +5.140 +5.057 +1.237 +1.334 +8.971 +4.201 +2.598 +0.520 +7.894 +6.464 -1.394 +1.971 -3.698 +3.227 \
    +9.833 +9.251 -4.595 +9.031 +1.512 +6.760 +9.184 +7.245 -4.159 +7.010 -3.911 -3.112 -4.879 +3.850 -4.524 \
    +9.931 -0.587 +2.082 +9.101 +2.040 +6.167 -1.480 +8.846 -3.950 +3.775 +8.593 +5.272 -2.546 -4.292 +3.804 \
    +4.650 +5.418 -4.032 -0.731 -4.933 +2.210 +7.349 -2.662 +8.495 -1.344 -4.072 -2.135 +3.715 +4.776 +4.917 \
    +7.209 +5.804 -2.784 +9.534 +4.931 -2.575 -3.708 +8.612 +8.910 +9.177 +4.627 +2.111 -3.831 +1.667 +5.170 \
    -3.874 -2.596 +1.509 +5.526 +4.859 +5.608 +9.786 +6.721 -4.799 -3.200 +2.047 -3.219 +5.650 +2.458 -2.803 \
    +6.873 +7.494 +0.695 +1.548 -1.589 +3.493 -2.331 +0.609 -4.351 +1.913 -1.924 +4.472 -4.491 -1.236 +9.021 \
    +3.335 +8.210 -2.882 +9.029 -3.331 +3.337 +8.870 -0.107 +0.775 +2.204 +8.990 -2.933 -0.366 +8.144 +3.234
    """

    @Test("the named reference steps parse exactly")
    func namedReferenceSteps() throws {
        for (text, control, terminations, duration) in Self.namedSteps {
            let step = try ExperimentStep(parsing: text)
            #expect(step.control == control, "\(text)")
            #expect(step.terminations == terminations, "\(text)")
            #expect(step.duration == duration, "\(text)")
        }
    }

    @Test("the 120 drive pulses of chen2020_spme_dynamic parse to signed currents for 30 s")
    func dynamicReferenceSteps() throws {
        let pulses = Self.dynamicPulses.split(separator: " ")
        #expect(pulses.count == 120)
        var strings: [String] = []
        var expected: [Double] = []
        for pulse in pulses {
            let magnitude = String(pulse.dropFirst())
            let discharge = pulse.first == "+"
            strings.append("\(discharge ? "Discharge" : "Charge") at \(magnitude) A for 30 seconds")
            expected.append((discharge ? 1 : -1) * Double(magnitude)!)
        }
        let experiment = try Experiment(strings)
        #expect(experiment.steps.count == 120)
        for (step, amperes) in zip(experiment.steps, expected) {
            #expect(step.control == .current(amperes: amperes))
            #expect(step.duration == 30 && step.terminations.isEmpty)
        }
        #expect(experiment.steps[11].control == .current(amperes: -1.394))
    }

    @Test("the CCCV cycle of the SEI cases parses step by step")
    func cccvCycle() throws {
        let cycle = ["Discharge at 1C until 2.5 V", "Charge at 0.5C until 4.2 V", "Hold at 4.2 V until C/20"]
        let experiment = try Experiment(Array(repeating: cycle, count: 20).flatMap { $0 })
        #expect(experiment.steps.count == 60)
        #expect(experiment.steps[59].control == .voltage(volts: 4.2))
        #expect(experiment.steps[59].terminations == [.cRateMagnitudeBelow(0.05)])
    }
}
