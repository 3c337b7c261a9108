import Foundation
import Testing
@testable import Electrochemistry

/// Loading, writing and strict parsing of JSON parameter files.
@Suite("Parameter JSON")
struct ParameterSetJSONTests {
    @Test("a reference file loads: scalars exact, tables exact at the nodes", arguments: ["Chen2020", "Ecker2015", "OKane2022"])
    func loadReference(name: String) throws {
        let loaded = try ParameterSet(jsonFile: ParameterFixtures.path("parameters/\(name).json"))
        let builtIn = try ParameterSet.named(name)
        #expect(loaded.scalars == builtIn.scalars)
        #expect(!loaded.citations.isEmpty)
        let tables = try ParameterFixtures.referenceJSON(name)["functions"]!.object!
        for (function, table) in tables {
            guard let entry = table.object, entry["error"] == nil else {
                #expect(loaded.functions[function] == nil)
                continue
            }
            let comparison = try ParameterFixtures.compare(loaded, function, table: entry)
            #expect(comparison.mismatchedNonFinite == 0, "\(function)")
            #expect(comparison.maxRelative <= 1e-12, "\(function): \(comparison.maxRelative)")
        }
        // j0 tables are read back as Arrhenius closed forms, so between the tabulated temperatures they are exact too.
        let j0 = try loaded.exchangeCurrentDensity("Negative electrode exchange-current density [A.m-2]")
        let reference = try builtIn.exchangeCurrentDensity("Negative electrode exchange-current density [A.m-2]")
        let cMax = try builtIn.scalar("Maximum concentration in negative electrode [mol.m-3]")
        for t in [258.0, 290.0, 305.5, 340.0] {
            let (a, b) = (j0(1200, 0.37 * cMax, cMax, t), reference(1200, 0.37 * cMax, cMax, t))
            #expect(abs(a - b) <= 1e-9 * b, "T = \(t): \(a) vs \(b)")
        }
        try loaded.validate(for: .dfn)
    }

    @Test("a built-in set round-trips through JSON text", arguments: ["Chen2020", "Marquis2019", "OKane2022"])
    func roundTrip(name: String) throws {
        let original = try ParameterSet.named(name)
        let text = try original.jsonString()
        let reloaded = try ParameterSet(json: text, source: "round trip")
        #expect(reloaded.name == original.name)
        #expect(reloaded.citations == original.citations)
        #expect(reloaded.scalars == original.scalars)
        #expect(Set(reloaded.functions.keys) == Set(original.functions.keys))
        // Writing the reloaded set samples its interpolants at their own nodes: the same tables again.
        let again = try ParameterSet(json: try reloaded.jsonString(), source: "second round trip")
        #expect(again.scalars == original.scalars)
        let ocp = try reloaded.unaryFunction("Positive electrode OCP [V]")
        let closedForm = try original.unaryFunction("Positive electrode OCP [V]")
        var worst = 0.0
        for i in 0...500 { worst = max(worst, abs(ocp(Double(i) / 500) - closedForm(Double(i) / 500))) }
        #expect(worst < 1e-13, "at the nodes: \(worst)")
        // Between nodes (spacing 0.002), linear interpolation of the steepest OCP (LiCoO2) stays within 1 mV.
        #expect(abs(ocp(0.5011) - closedForm(0.5011)) < 1e-3)
        let kappa = try reloaded.binaryFunction("Electrolyte conductivity [S.m-1]")
        let kappaClosed = try original.binaryFunction("Electrolyte conductivity [S.m-1]")
        #expect(abs(kappa(1000, 298.15) - kappaClosed(1000, 298.15)) < 1e-12)
    }

    @Test("a user's file on disk round-trips")
    func fileRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pulsebms-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let edited = ParameterSet.chen2020.updating(["Negative particle radius [m]": 6e-6])
        try edited.writeJSON(path: path)
        let loaded = try ParameterSet(jsonFile: path)
        #expect(try loaded.scalar("Negative particle radius [m]") == 6e-6)
    }

    @Test("malformed JSON reports the byte offset", arguments: [
        ("{\"a\": [1, 2,]}", 12), ("{\"a\": 01}", 7), ("{\"a\": \"x", 8), ("[NaN]", 1), ("{\"a\": 1, \"a\": 2}", 9),
        ("{} x", 3), ("[\"a\tb\"]", 3), ("", 0), ("[1.]", 3), ("[-]", 2), ("{\"a\" 1}", 5), ("[1e999]", 1),
        ("\"\\ud800\"", 7), ("[tru]", 4),
    ])
    func malformed(text: String, offset: Int) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
        do { _ = try JSONParser.parse(text) } catch { #expect(error.offset == offset, "\(text): \(error)") }
        do { _ = try ParameterSet(json: text, source: "user.json") } catch {
            guard case let .invalidJSON(source, errorOffset, _) = error else { Issue.record("\(error)"); return }
            #expect(source == "user.json" && errorOffset == offset)
            #expect(error.description.contains("byte \(offset)"))
        }
    }

    @Test("well-formed JSON edge cases parse")
    func wellFormed() throws {
        #expect(try JSONParser.parse("  -0.5e+2 ") == .number(-50))
        #expect(try JSONParser.parse("\"\\u00e9\\ud83d\\ude00\\n\"") == .string("é😀\n"))
        #expect(try JSONParser.parse("{\"a\":[true,false,null,{}]}") ==
            .object(["a": .array([.bool(true), .bool(false), .null, .object([:])])]))
        #expect(try JSONParser.parse("1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
    }

    @Test("structural errors name the path")
    func structuralErrors() {
        #expect(throws: ParameterError.invalidFormat(source: "s", path: "$.scalars", reason: "expected an object of numbers")) {
            try ParameterSet(json: "{\"functions\": {}}", source: "s")
        }
        #expect(throws: ParameterError.invalidFormat(source: "s", path: "$.scalars[\"Separator porosity\"]",
                                                     reason: "expected a number, found a string")) {
            try ParameterSet(json: "{\"scalars\": {\"Separator porosity\": \"0.4\"}}", source: "s")
        }
        #expect(throws: ParameterError.wrongKind(name: "F", expected: "strictly increasing grid on axis 0 at point 2")) {
            try ParameterSet(json: "{\"scalars\": {}, \"functions\": {\"F\": {\"args\": [\"sto\"], \"grid\": [[0, 1, 1]], \"values\": [1, 2, 3]}}}")
        }
    }

    @Test("a missing file is an error naming the path")
    func missingFile() {
        #expect(throws: ParameterError.unreadableFile(path: "/nonexistent/set.json", reason: "No such file or directory")) {
            try ParameterSet(jsonFile: "/nonexistent/set.json")
        }
    }
}
