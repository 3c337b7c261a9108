import Testing
@testable import Electrochemistry

/// Electrode balancing (Mohtat et al. 2019, doi:10.1149/2.1181910jes) against PyBaMM 26.10.1.1's
/// initial stoichiometries of the reference cases that set `initial_soc`.
@Suite("Initial state: SoC to stoichiometries")
struct InitialStateTests {
    /// (case, initial_soc, initial_sto_n, initial_sto_p) from `reference/pybamm/cases/*.json`.
    static let references: [(String, Double, Double, Double)] = [
        ("chen2020_dfn_cccv", 0.2, 0.2032002415469982, 0.7359487846223047),
        ("chen2020_spme_dynamic", 0.7, 0.6453363697378804, 0.4408840596029451),
        ("chen2020_spme_power", 0.9, 0.8221908210142331, 0.3228581695952015),
    ]

    @Test("reproduces PyBaMM's initial_sto_n / initial_sto_p to 1e-10", arguments: references)
    func reference(_ reference: (String, Double, Double, Double)) throws {
        let (name, soc, stoN, stoP) = reference
        let sto = try InitialState.stoichiometries(initialSoC: soc, parameters: .chen2020)
        #expect(abs(sto.negative - stoN) <= 1e-10, "\(name): x = \(sto.negative), PyBaMM \(stoN)")
        #expect(abs(sto.positive - stoP) <= 1e-10, "\(name): y = \(sto.positive), PyBaMM \(stoP)")
    }

    @Test("the Chen2020 window and capacities match the spec")
    func window() throws {
        let w = try InitialState.window(parameters: .chen2020)
        #expect(abs(w.x0 - 0.026345790270645823) < 1e-10)
        #expect(abs(w.x100 - 0.910618046652409) < 1e-10)
        #expect(abs(w.y0 - 0.853974674630047) < 1e-10)
        #expect(abs(w.y100 - 0.2638452245913303) < 1e-10)
        #expect(abs(w.negativeCapacity - 5.827615068509379) < 1e-9)
        #expect(abs(w.positiveCapacity - 8.7323185203129) < 1e-9)
        #expect(abs(w.cyclableLithiumCapacity - 7.610711991523146) < 1e-9)
        #expect(abs(w.capacity - 5.1531983259551515) < 1e-8)
        // The window ends sit on the OCV limits.
        let uN = try ParameterSet.chen2020.unaryFunction("Negative electrode OCP [V]")
        let uP = try ParameterSet.chen2020.unaryFunction("Positive electrode OCP [V]")
        let ocv = { (x: Double, y: Double) in
            InitialState.openCircuitPotential(uP, at: y) - InitialState.openCircuitPotential(uN, at: x)
        }
        #expect(abs(ocv(w.x100, w.y100) - 4.2) < 1e-10)
        #expect(abs(ocv(w.x0, w.y0) - 2.5) < 1e-10)
        // Lithium is conserved across the window.
        let atFull = w.x100 * w.negativeCapacity + w.y100 * w.positiveCapacity
        let atEmpty = w.x0 * w.negativeCapacity + w.y0 * w.positiveCapacity
        #expect(abs(atFull - w.cyclableLithiumCapacity) < 1e-12)
        #expect(abs(atEmpty - w.cyclableLithiumCapacity) < 1e-12)
    }

    @Test("SoC 0 and 1 give the window ends", arguments: ["Chen2020", "Prada2013"])
    func ends(_ setName: String) throws {
        let set = try ParameterSet.named(setName)
        let w = try InitialState.window(parameters: set)
        let empty = try InitialState.stoichiometries(initialSoC: 0, parameters: set)
        let full = try InitialState.stoichiometries(initialSoC: 1, parameters: set)
        #expect(empty.negative == w.x0 && empty.positive == w.y0)
        #expect(full.negative == w.x100 && full.positive == w.y100)
        #expect(w.x0 < w.x100 && w.y100 < w.y0)
    }

    @Test("x rises and y falls strictly with SoC")
    func monotone() throws {
        let w = try InitialState.window(parameters: .chen2020)
        var previous = try w.stoichiometries(atStateOfCharge: 0)
        for k in 1...100 {
            let sto = try w.stoichiometries(atStateOfCharge: Double(k) / 100)
            #expect(sto.negative > previous.negative && sto.positive < previous.positive, "at SoC \(Double(k) / 100)")
            previous = sto
        }
    }

    @Test("a SoC outside [0, 1] is named", arguments: [-0.1, 1.0000001, Double.infinity])
    func socOutOfRange(_ soc: Double) {
        #expect(throws: InitialStateError.stateOfChargeOutOfRange(value: soc)) {
            try InitialState.stoichiometries(initialSoC: soc, parameters: .chen2020)
        }
    }

    @Test("a NaN SoC is rejected")
    func socNaN() {
        do {
            _ = try InitialState.stoichiometries(initialSoC: .nan, parameters: .chen2020)
            Issue.record("NaN SoC accepted")
        } catch {
            guard case let .stateOfChargeOutOfRange(value) = error else { Issue.record("wrong error \(error)"); return }
            #expect(value.isNaN)
        }
    }

    @Test("an unreachable upper OCV limit is unbracketable and named")
    func unbracketable() {
        let set = ParameterSet.chen2020.updating(["Open-circuit voltage at 100% SOC [V]": 5.5])
        do {
            _ = try InitialState.stoichiometries(initialSoC: 0.5, parameters: set)
            Issue.record("5.5 V accepted")
        } catch {
            guard case let .unbracketable(unknown, target, lower, upper, vLower, vUpper) = error else {
                Issue.record("wrong error \(error)"); return
            }
            #expect(unknown == "x_100" && target == 5.5)
            #expect(lower < upper && max(vLower, vUpper) < 5.5)
            #expect(error.description.contains("5.5 V") && error.description.contains("x_100"))
        }
    }

    @Test("a lower OCV limit above the upper one is unbracketable for x_0")
    func invertedLimits() {
        let set = ParameterSet.chen2020.updating(["Open-circuit voltage at 0% SOC [V]": 4.3])
        #expect {
            try InitialState.window(parameters: set)
        } throws: { error in
            guard let error = error as? InitialStateError,
                  case let .unbracketable(unknown, target, _, _, _, _) = error else { return false }
            return unknown == "x_0" && target == 4.3
        }
    }

    @Test("too much cyclable lithium is infeasible and named")
    func infeasibleLithium() {
        let set = ParameterSet.chen2020.updating(["Initial concentration in negative electrode [mol.m-3]": 1e6])
        #expect {
            try InitialState.window(parameters: set)
        } throws: { error in
            guard let error = error as? InitialStateError,
                  case let .infeasibleCyclableLithium(capacity, lower, upper) = error else { return false }
            return capacity > upper && lower < upper && error.description.contains("\(capacity)")
        }
    }

    @Test("a missing parameter is named")
    func missingParameter() {
        var set = ParameterSet.chen2020
        set.scalars["Open-circuit voltage at 100% SOC [V]"] = nil
        #expect(throws: InitialStateError.parameter(.missing(name: "Open-circuit voltage at 100% SOC [V]"))) {
            try InitialState.window(parameters: set)
        }
    }

    @Test("Brent finds a cubic root and rejects a bracket without a sign change")
    func brent() throws {
        let root = try BrentRootFinder.root(in: 0, 2) { $0 * $0 * $0 - 2 }
        #expect(abs(root - 1.2599210498948732) < 1e-15)
        #expect(throws: BrentRootFinder.Failure.notBracketed(fa: 1, fb: 5)) {
            try BrentRootFinder.root(in: 0, 2) { $0 * $0 + 1 }
        }
    }
}
