import Foundation
import Testing
@testable import Electrochemistry

/// The built-in sets reproduce PyBaMM 26.10's scalars and sampled function tables.
@Suite("Built-in parameter sets")
struct ParameterSetTests {
    static let sets: [(String, ParameterSet)] = [
        ("Chen2020", .chen2020), ("Prada2013", .prada2013), ("Ecker2015", .ecker2015),
        ("Marquis2019", .marquis2019), ("OKane2022", .okane2022),
    ]

    @Test("scalars equal the reference JSON", arguments: sets.map(\.0))
    func scalarsMatch(name: String) throws {
        let set = try ParameterSet.named(name)
        let reference = try ParameterFixtures.referenceJSON(name)["scalars"]!.object!
        var compared = 0
        for (key, value) in reference {
            guard let number = value.number else { continue }
            #expect(try set.scalar(key) == number, "\(name): \(key)")
            compared += 1
        }
        #expect(compared == set.scalars.count, "\(name) has scalars the reference lacks")
        #expect(compared > 40)
    }

    @Test("closed forms reproduce the sampled tables", arguments: sets.map(\.0))
    func functionsMatch(name: String) throws {
        let set = try ParameterSet.named(name)
        let tables = try ParameterFixtures.referenceJSON(name)["functions"]!.object!
        var covered = Set<String>()
        for (function, table) in tables.sorted(by: { $0.key < $1.key }) {
            guard let entry = table.object, entry["error"] == nil else { continue }
            let comparison = try ParameterFixtures.compare(set, function, table: entry)
            print("[tables] \(name) | \(function) | points \(comparison.points) | max abs \(comparison.maxAbsolute) | max rel \(comparison.maxRelative)")
            #expect(comparison.mismatchedNonFinite == 0, "\(name): \(function) non-finite mismatch")
            #expect(comparison.maxRelative <= 1e-9, "\(name): \(function) max relative error \(comparison.maxRelative)")
            covered.insert(function)
        }
        #expect(Set(set.functions.keys) == covered, "\(name): functions without a reference table or vice versa")
    }

    @Test("built-in sets validate for SPM, SPMe and DFN", arguments: sets.map(\.0))
    func builtInsValidate(name: String) throws {
        let set = try ParameterSet.named(name)
        for model in ParameterSet.ModelFamily.allCases { try set.validate(for: model) }
        if name != "Prada2013" { try set.validate(for: .dfn, lumpedThermal: true) }
        #expect(set.citations.contains { $0.contains("doi:") })
    }

    @Test("Prada2013 has no thermal parameters, and says which")
    func pradaLumpedThermalMissing() {
        #expect(throws: ParameterError.missing(name: "Total heat transfer coefficient [W.m-2.K-1]")) {
            try ParameterSet.prada2013.validate(for: .spm, lumpedThermal: true)
        }
    }

    @Test("unknown set names list the known ones")
    func unknownName() {
        #expect(throws: ParameterError.self) { try ParameterSet.named("Chen2021") }
        do { _ = try ParameterSet.named("Chen2021") } catch {
            #expect(error.description.contains("Chen2021") && error.description.contains("OKane2022"))
        }
        #expect((try? ParameterSet.named("chen2020"))?.name == "Chen2020")
    }

    @Test("Chen2020 spot values from the paper's closed forms")
    func chenSpotValues() throws {
        let set = ParameterSet.chen2020
        let un = try set.unaryFunction("Negative electrode OCP [V]")
        let up = try set.unaryFunction("Positive electrode OCP [V]")
        // PyBaMM's initial Chen2020 concentrations give an OCV of 4.1809 V (evaluated independently in Python).
        let ocv = up(17038.0 / 63104) - un(29866.0 / 33133)
        #expect(abs(ocv - 4.180941425301543) < 1e-12, "OCV \(ocv)")
        let kappa = try set.binaryFunction("Electrolyte conductivity [S.m-1]")
        #expect(abs(kappa(1000, 298.15) - 0.9487) < 1e-12)
    }
}
