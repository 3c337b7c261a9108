import Testing
@testable import Electrochemistry

/// Missing, non-finite and out-of-range parameters give errors that name them.
@Suite("Parameter errors")
struct ParameterSetErrorTests {
    @Test("a missing scalar is named")
    func missing() {
        var set = ParameterSet.chen2020
        set.scalars["Negative particle radius [m]"] = nil
        #expect(throws: ParameterError.missing(name: "Negative particle radius [m]")) {
            try set.scalar("Negative particle radius [m]")
        }
        #expect(throws: ParameterError.missing(name: "Negative particle radius [m]")) { try set.validate(for: .spm) }
        do { try set.validate() } catch { #expect(error.description == "parameter \"Negative particle radius [m]\" is missing") }
    }

    @Test("NaN and infinity are named", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) {
        let set = ParameterSet.chen2020.updating(["Positive electrode thickness [m]": value])
        do {
            try set.validate()
            Issue.record("accepted \(value)")
        } catch {
            guard case let .nonFinite(name, _) = error else { Issue.record("\(error)"); return }
            #expect(name == "Positive electrode thickness [m]")
            #expect(error.description.contains("Positive electrode thickness [m]"))
        }
    }

    @Test("out-of-range values are named with the expected range", arguments: [
        ("Negative particle radius [m]", -1e-6), ("Separator porosity", 1.5), ("Negative electrode porosity", 0),
        ("Maximum concentration in positive electrode [mol.m-3]", 0), ("Cation transference number", 1.2),
        ("Initial concentration in negative electrode [mol.m-3]", 40000), ("Upper voltage cut-off [V]", 2.0),
        ("Positive electrode active material volume fraction", 0.9), ("Ambient temperature [K]", 25),
    ])
    func outOfRange(name: String, value: Double) {
        let set = ParameterSet.chen2020.updating([name: value])
        do {
            try set.validate(for: .dfn, lumpedThermal: true)
            Issue.record("accepted \(name) = \(value)")
        } catch {
            guard case let .outOfRange(errorName, errorValue, expected) = error else { Issue.record("\(error)"); return }
            #expect(errorName == name)
            #expect(errorValue == value)
            #expect(!expected.isEmpty && error.description.contains(name))
        }
    }

    @Test("a function where a number is expected, and vice versa")
    func wrongKind() {
        #expect(throws: ParameterError.wrongKind(name: "Negative electrode OCP [V]", expected: "a number, found a function")) {
            try ParameterSet.chen2020.scalar("Negative electrode OCP [V]")
        }
        #expect(throws: ParameterError.self) { try ParameterSet.chen2020.binaryFunction("Negative electrode OCP [V]") }
        // PyBaMM allows a number where a function is expected: a constant function.
        #expect((try? ParameterSet.prada2013.binaryFunction("Electrolyte diffusivity [m2.s-1]"))?(1000, 300) == 2e-10)
    }

    @Test("a function returning an invalid value fails validation by name")
    func badFunction() {
        var set = ParameterSet.chen2020
        set.setFunction("Electrolyte conductivity [S.m-1]", .binary("c_e", "test") { _, _ in -1 })
        #expect(throws: ParameterError.outOfRange(name: "Electrolyte conductivity [S.m-1]", value: -1, expected: "> 0")) {
            try set.validate(for: .spme)
        }
        #expect(throws: Never.self) { try set.validate(for: .spm) }
    }
}
