import Testing
@testable import Electrochemistry

/// Import of the two shipped BPX 0.1 files (About:Energy, CC BY-SA 4.0).
@Suite("BPX import")
struct ParameterSetBPXTests {
    static func load(_ file: String) throws -> ParameterSet {
        try ParameterSet(bpxFile: ParameterFixtures.path("bpx/\(file)"))
    }

    @Test("the NMC pouch cell maps to PyBaMM names")
    func nmc() throws {
        let set = try Self.load("nmc_pouch_cell_BPX.json")
        #expect(try set.scalar("Negative particle radius [m]") == 4.12e-06)
        #expect(try set.scalar("Nominal cell capacity [A.h]") == 12.5)
        #expect(try set.scalar("Number of electrodes connected in parallel to make a cell") == 34)
        #expect(abs(try set.scalar("Negative electrode active material volume fraction") - 499522 * 4.12e-6 / 3) < 1e-15)
        #expect(abs(try set.scalar("Separator Bruggeman coefficient (electrolyte)") - 1.500064808421937) < 1e-12)
        #expect(try set.scalar("Initial concentration in negative electrode [mol.m-3]") == 0.75668 * 29730)
        #expect(try set.scalar("Initial concentration in positive electrode [mol.m-3]") == 0.42424 * 46200)
        // OCPs evaluated independently with Python's eval of the BPX expressions.
        let un = try set.unaryFunction("Negative electrode OCP [V]")
        let up = try set.unaryFunction("Positive electrode OCP [V]")
        #expect(abs(un(0.5) - 0.11609705385490088) < 1e-12)
        #expect(abs(up(0.5) - 4.106765282214694) < 1e-12)
        #expect(abs(up(0.42424) - un(0.75668) - 4.201761488607647) < 1e-9)
        #expect(abs(up(0.9621) - un(0.005504) - 2.6999688706191773) < 1e-9)
        let kappa = try set.binaryFunction("Electrolyte conductivity [S.m-1]")
        #expect(abs(kappa(1000, 298.15) - 0.9487) < 1e-12)
        #expect(kappa(1000, 320) > kappa(1000, 298.15))
        let d = try set.binaryFunction("Negative particle diffusivity [m2.s-1]")
        #expect(abs(d(0.3, 298.15) - 2.728e-14) < 1e-26)
        // j0 = F k_norm at c_e = c_e0 and sto = 1/2 scaled by 1/2 (BPX normalisation).
        let j0 = try set.exchangeCurrentDensity("Positive electrode exchange-current density [A.m-2]")
        let expected = PhysicalConstants.faraday * 2.305e-05 * 0.5
        #expect(abs(j0(1000, 23100, 46200, 298.15) - expected) < 1e-12 * expected)
        try set.validate(for: .dfn)
        #expect(throws: ParameterError.missing(name: "Total heat transfer coefficient [W.m-2.K-1]")) {
            try set.validate(for: .spm, lumpedThermal: true)
        }
        try set.updating(["Total heat transfer coefficient [W.m-2.K-1]": 10]).validate(for: .dfn, lumpedThermal: true)
    }

    @Test("the LFP 18650 cell imports, including a tabulated entropic coefficient")
    func lfp() throws {
        let set = try Self.load("lfp_18650_cell_BPX.json")
        let un = try set.unaryFunction("Negative electrode OCP [V]")
        let up = try set.unaryFunction("Positive electrode OCP [V]")
        #expect(abs(un(0.5) - 0.11901727137024665) < 1e-12)
        #expect(abs(up(0.5) - 3.4053710273999998) < 1e-12)
        #expect(abs(up(0.0875) - un(0.82258) - 3.6485611500337427) < 1e-9)
        let ds = try set.unaryFunction("Positive electrode OCP entropic change [V.K-1]")
        #expect(abs(ds(0.05) - 4.7145e-05) < 1e-18)
        #expect(abs(ds(0.075) - (4.7145e-05 + 3.7666e-05) / 2) < 1e-18)
        try set.validate(for: .dfn)
        try set.validate(for: .spm)
    }

    @Test("target SoC sets the initial stoichiometries")
    func targetSoC() throws {
        let set = try ParameterSet(bpxFile: ParameterFixtures.path("bpx/nmc_pouch_cell_BPX.json"), targetSoC: 0)
        #expect(try set.scalar("Initial concentration in negative electrode [mol.m-3]") == 0.005504 * 29730)
        #expect(throws: ParameterError.self) {
            try ParameterSet(bpxFile: ParameterFixtures.path("bpx/nmc_pouch_cell_BPX.json"), targetSoC: 1.5)
        }
    }

    @Test("a bad BPX expression names the parameter and the offset")
    func badExpression() {
        let text = """
        {"Header": {"BPX": 0.1}, "Parameterisation": {"Cell": {}, "Electrolyte": {}, "Separator": {}}}
        """
        #expect(throws: ParameterError.invalidFormat(source: "BPX", path: "Reference temperature [K]",
                                                     reason: "missing required BPX field")) {
            try ParameterSet(bpx: text)
        }
        let reader = BPXReader(root: .null, source: "f.json")
        #expect(throws: ParameterError.invalidExpression(name: "Negative electrode OCP [V]", expression: "1 + os(x)",
                                                         offset: 4, reason: "unknown name 'os'")) {
            _ = try reader.function(["OCP [V]": .string("1 + os(x)")], "OCP [V]", name: "Negative electrode OCP [V]")
        }
    }
}
