#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Electrochemistry

/// The experiment runner on the closed-form ``IdealCell``: row schedule, events, CV holds, skipped steps,
/// profiles and errors (docs/electrochemistry-spec.md §0.1, §5).
@Suite("Simulation runner")
struct SimulationTests {
    static func run(_ steps: [String], cell: IdealCell = IdealCell(), period: Double = 10) throws -> SimulationResult {
        try Simulation(experiment: Experiment(steps), defaultPeriod: period).run(cell)
    }

    @Test("Rows lie on linspace(0, D, round-half-even(D/period) + 1)")
    func rowSchedule() throws {
        #expect(try Self.run(["Discharge at 1 A for 95 s"]).rows.count == 11)   // 9.5 → 10 intervals
        #expect(try Self.run(["Discharge at 1 A for 85 s"]).rows.count == 9)    // 8.5 → 8 intervals
        #expect(try Self.run(["Discharge at 1 A for 3 s"]).rows.map(\.time) == [0, 3])
        // 0.7C "until": D = 2/0.7 h, 1030 rows 9.9958 s apart, not every 10 s.
        let result = try Self.run(["Discharge at 0.7C until 0.1 V"])
        let duration = 7200 / 0.7
        #expect(result.rows.count == 1030)
        #expect(result.steps[0].ending == .duration)
        for (k, row) in result.rows.enumerated() {
            let t = duration * Double(k) / 1029
            #expect(abs(row.time - t) < 1e-9 * duration)
            #expect(abs(row.dischargeCapacity - 0.7 * t / 3600) < 1e-12)
            #expect(row.current == 0.7)
        }
    }

    @Test("A termination ends the step with a row at the crossing")
    func eventRow() throws {
        let result = try Self.run(["Discharge at 1C until 3.0 V"])
        let crossing = (4 - 0.1234 - 3.0) * 3600   // V = 4 − t/3600 − 0.1234
        #expect(result.rows.count == 317)           // 0, 10, …, 3150 and the event
        let last = try #require(result.rows.last)
        #expect(abs(last.time - crossing) < 1e-6)
        #expect(abs(last.voltage - 3.0) < 1e-9)
        #expect(result.rows[315].time == 3150)
        #expect(result.steps[0].ending == .event(.voltageBelow(volts: 3.0)))
        #expect(result.steps[0].endTime == last.time)
    }

    @Test("A CV hold starts at the solved current, ignores its voltage cut-off and decays as predicted")
    func constantVoltageHold() throws {
        let cell = IdealCell(charge: 0.5)
        let result = try Self.run(["Charge at 1C until 3.8 V", "Hold at 3.8 V until C/50 or < 3.9 V",
                                   "Rest for 5 minutes"], cell: cell)
        #expect(result.steps.map(\.ending) == [.event(.voltageAbove(volts: 3.8)),
                                               .event(.cRateMagnitudeBelow(0.02)), .duration])
        let charge = result.steps[0].rows, hold = result.steps[1].rows, rest = result.steps[2].rows
        let end = result.rows[charge.upperBound - 1], first = result.rows[hold.lowerBound]
        #expect(first.time == end.time)
        #expect(end.current == -1)
        let ocv = 4 - first.dischargeCapacity
        #expect(abs(first.current - (ocv - 3.8) / 0.1234) < 1e-12)
        #expect(abs(first.voltage - 3.8) < 1e-12)
        let tau = log(abs(first.current) / 0.02) * 3600 * 0.1234
        #expect(abs(result.steps[1].endTime - result.steps[1].startTime - tau) < 1e-6)
        #expect(result.rows[rest.lowerBound].current == 0)
        #expect(rest.count == 31)
    }

    @Test("A step whose termination holds at its start is skipped; all skipped is an error")
    func skippedSteps() throws {
        let result = try Self.run(["Discharge at 1C until 3.5 V", "Discharge at 1C until 3.5 V", "Rest for 10 minutes"])
        #expect(result.steps.map(\.ending) == [.event(.voltageBelow(volts: 3.5)), .skipped(.voltageBelow(volts: 3.5)),
                                               .duration])
        #expect(result.skippedSteps.map(\.index) == [1])
        #expect(result.steps[1].rows.isEmpty)
        #expect(result.rows.count == 137 + 61)
        #expect(result.rows[137].time == result.rows[136].time)
        #expect(throws: SimulationError.self) { try Self.run(["Discharge at 1C until 4.5 V"]) }
    }

    @Test("Profile steps: rows at sample times with the profile's value, exact charge for linear ramps")
    func profile() throws {
        let profile = try Profile(quantity: .current, times: [0, 10, 30], values: [1, 3, 3])
        let atSamples = try Simulation(experiment: Experiment(steps: [.profile(profile)])).run(IdealCell())
        #expect(atSamples.rows.map(\.time) == [0, 10, 30])
        #expect(atSamples.rows.map(\.current) == [1, 3, 3])
        #expect(abs(atSamples.rows[2].dischargeCapacity - 80.0 / 3600) < 1e-15)
        let periodic = try Simulation(experiment: Experiment(steps: [.profile(profile, period: 5)])).run(IdealCell())
        #expect(periodic.rows.map(\.time) == [0, 5, 10, 15, 20, 25, 30])
        #expect(periodic.rows.map(\.current) == [1, 2, 3, 3, 3, 3, 3])
        #expect(abs(periodic.rows[1].dischargeCapacity - 7.5 / 3600) < 1e-15)
        let longer = try Simulation(experiment: Experiment(steps: [.profile(profile, duration: 45)])).run(IdealCell())
        #expect(longer.rows.map(\.time) == [0, 10, 30, 45])
        #expect(abs(longer.rows[3].dischargeCapacity - 125.0 / 3600) < 1e-15)
    }

    @Test("A model error names the step and time and keeps the rows so far")
    func modelError() throws {
        do {
            _ = try Self.run(["Discharge at 1 A for 20 s", "Discharge at 1 W for 10 s"])
            Issue.record("the power step should have failed")
        } catch let error as SimulationError {
            guard case let .model(cause, index, step, time, partial) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(index == 1 && step == "Discharge at 1 W for 10 s" && time == 20)
            #expect(partial.rows.map(\.time) == [0, 10, 20])
            #expect(partial.steps.last?.ending == .failed(cause))
            #expect(error.description.contains("\"Discharge at 1 W for 10 s\""))
        }
    }

    @Test("Progress rises to 1 and steps continue from the previous state")
    func progressAndContinuity() throws {
        var fractions: [Double] = []
        let result = try Simulation(experiment: Experiment(["Discharge at 1 A for 60 s", "Charge at 2 A for 30 s"]))
            .run(IdealCell()) { fractions.append($0.fraction) }
        #expect(fractions.first == 0 && fractions.last == 1)
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(result.rows.count == 7 + 4)
        #expect(abs(result.rows.last!.dischargeCapacity - (60 - 60) / 3600.0) < 1e-15)
        #expect(result.simulatedTime == 90)
    }

    @Test("Leaving the voltage window stops the experiment; starting outside it is an error")
    func voltageLimits() throws {
        #expect(try Simulation.voltageLimits(of: .chen2020) == 1.5...5.2)
        let experiment = try Experiment(["Rest for 1 minute", "Discharge at 1C for 2 hours", "Rest for 1 hour"])
        let result = try Simulation(experiment: experiment, voltageLimits: 3.0...4.5).run(IdealCell())
        #expect(result.steps.map(\.ending) == [.duration, .voltageLimit(.voltageBelow(volts: 3.0))])
        #expect(abs(result.rows.last!.voltage - 3.0) < 1e-9)
        #expect(abs(result.rows.last!.time - (60 + (4 - 0.1234 - 3.0) * 3600)) < 1e-6)
        let first = try Experiment(["Discharge at 1C for 2 hours", "Rest for 1 hour"])
        let stopped = try Simulation(experiment: first, voltageLimits: 3.0...4.5).run(IdealCell())
        #expect(stopped.steps.count == 1 && stopped.rows.count == 317)   // as in eventRow(): 0, 10, …, 3150 s and the crossing
        #expect(throws: SimulationError.self) {
            try Simulation(experiment: first, voltageLimits: 4.2...5.0).run(IdealCell())
        }
    }

    @Test("Controls map to drives: C-rate × nominal capacity, rest = 0 A, power, voltage, resistance")
    func driveMapping() throws {
        func drive(_ text: String) throws -> CellDrive {
            StepPlan(step: try ExperimentStep(parsing: text), defaultPeriod: 10, nominalCapacity: 5,
                     voltageLimits: nil).drive(at: 0)
        }
        #expect(try drive("Discharge at 0.5C for 1 hour") == .current(2.5))
        #expect(try drive("Charge at C/5 for 1 hour") == .current(-1))
        #expect(try drive("Rest for 1 hour") == .current(0))
        #expect(try drive("Charge at 200 mA for 1 hour") == .current(-0.2))
        #expect(try drive("Discharge at 10 W until 3 V") == .power(10))
        #expect(try drive("Hold at 4.2 V until C/50") == .voltage(4.2))
        #expect(try drive("Discharge at 2 Ohm for 1 hour") == .resistance(2))
        let power = try Profile(quantity: .power, times: [0, 10], values: [4, 8])
        let plan = StepPlan(step: try .profile(power), defaultPeriod: 10, nominalCapacity: 5, voltageLimits: nil)
        // Held over 1 s pieces at their midpoints: 4.2 W over [0, 1] s, 7.8 W over [9, 10] s; rows only at samples.
        #expect(plan.stops.count == 11 && plan.isOutput == [true] + Array(repeating: false, count: 9) + [true])
        #expect(plan.drive(intoStop: 1) == .power(4.2))
        #expect(plan.drive(intoStop: 10) == .power(7.8))
    }

    @Test("A resistance step follows the closed form I = OCV / (R + R_ext)")
    func resistanceStep() throws {
        let result = try Self.run(["Discharge at 2 Ohm for 10 minutes"])
        let total = 0.1234 + 2
        for row in result.rows {
            let expected = 4 * exp(-row.time / (3600 * total)) / total
            #expect(abs(row.current - expected) < 1e-12)
            #expect(abs(row.voltage - 2 * row.current) < 1e-12)
        }
        #expect(result.rows.count == 61)
    }
}
