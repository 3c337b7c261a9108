import Testing
@testable import Electrochemistry

@Suite("Fleet")
struct FleetTests {
    @Test("presets parse, sample and carry the chemistry's aging model")
    func presets() throws {
        #expect(Set(FleetSpec.presetNames).isSuperset(of: ["leaf-2nd-life-16", "mixed-lfp-nmc-64", "small-mixed-4"]))
        let leaf = FleetSampler(spec: try FleetSpec.preset(named: "leaf-2nd-life-16")).sample(seed: 1)
        #expect(leaf.count == 16)
        for p in leaf {
            #expect(p.chemistry == .lmo && p.agingModel == "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery")
            #expect(p.layout.description == "16s1p" && p.cellCapacity == 66)
        }
        let mixed = FleetSampler(spec: try FleetSpec.preset(named: "mixed-lfp-nmc-64")).sample(seed: 1)
        #expect(mixed.count == 64 && Set(mixed.map(\.chemistry)) == [.lfp, .nmc])
        for p in mixed where p.chemistry == .lfp { #expect(p.agingModel == "Lfp_Gr_250AhPrismatic" && (100...280).contains(p.cellCapacity)) }
        for p in mixed where p.chemistry == .nmc { #expect(p.agingModel == "Nmc811_GrSi_LGM50_5Ah_Battery") }
        #expect(mixed.map(\.id).first == "P001" && Set(mixed.map(\.id)).count == 64)
        #expect(throws: FleetSpecError.self) { try FleetSpec.preset(named: "leaf") }
    }

    @Test("the same seed gives the same fleet; another seed another")
    func reproducible() throws {
        let sampler = FleetSampler(spec: try FleetSpec.preset(named: "mixed-lfp-nmc-64"))
        #expect(sampler.sample(seed: 42) == sampler.sample(seed: 42))
        #expect(sampler.sample(seed: 42) != sampler.sample(seed: 43))
    }

    @Test("SoH stays in range, resistance growth follows the fade, mix proportions hold over a large sample")
    func distributions() throws {
        var spec = try FleetSpec.preset(named: "mixed-lfp-nmc-64")
        spec.count = 4000
        spec.chemistries[0].weight = 3
        let packs = FleetSampler(spec: spec).sample(seed: 5)
        for p in packs {
            #expect((0.60...0.95).contains(p.stateOfHealth))
            #expect(p.resistanceGrowth >= 1)
        }
        let lfpShare = Double(packs.filter { $0.chemistry == .lfp }.count) / Double(packs.count)
        #expect(abs(lfpShare - 0.75) < 0.03, "LFP share \(lfpShare)")
        let mean = packs.map(\.stateOfHealth).reduce(0, +) / Double(packs.count)
        #expect(abs(mean - 0.775) < 0.01)
        // Tied growth: the more faded half has the larger mean growth.
        let worn = packs.filter { $0.stateOfHealth < 0.7 }.map(\.resistanceGrowth)
        let fresh = packs.filter { $0.stateOfHealth > 0.85 }.map(\.resistanceGrowth)
        let wornMean: Double = worn.reduce(0, +) / Double(worn.count)
        let freshMean: Double = fresh.reduce(0, +) / Double(fresh.count)
        #expect(wornMean > freshMean + 0.2)
    }

    static let example = """
    {"name": "demo", "count": 5, "fidelity": "spme",
     "chemistries": [{"chemistry": "nmc", "weight": 2, "cell_capacity_ah": [50, 60], "layouts": ["12s2p"]},
                     {"chemistry": "LFP", "cell_capacity_ah": 280, "layouts": ["16s1p", "8s2p"]}],
     "soh": {"range": [0.7, 0.9], "distribution": "normal", "mean": 0.8, "sd": 0.05},
     "resistance_growth": {"range": [1.1, 1.6]},
     "cell_spread": {"capacity": 0.02, "resistance": 0.05, "soc": 0.01, "soh": 0.01},
     "initial_soc": [0.3, 0.7]}
    """

    @Test("a JSON spec reads every field")
    func json() throws {
        let spec = try FleetSpec(jsonText: Self.example)
        #expect(spec.name == "demo" && spec.count == 5 && spec.fidelity == .spme)
        #expect(spec.chemistries.map(\.chemistry) == [.nmc, .lfp] && spec.chemistries[1].weight == 1)
        #expect(spec.chemistries[1].layouts.map(\.description) == ["16s1p", "8s2p"])
        #expect(spec.healthDistribution == .normal(mean: 0.8, standardDeviation: 0.05))
        #expect(spec.resistanceGrowth == .range(ValueRange(1.1, 1.6)))
        #expect(spec.cellSpread == (try CellSpread(capacity: 0.02, resistance: 0.05, stateOfCharge: 0.01, stateOfHealth: 0.01)))
        for p in FleetSampler(spec: spec).sample(seed: 9) {
            #expect((0.7...0.9).contains(p.stateOfHealth) && (1.1...1.6).contains(p.resistanceGrowth))
            #expect((0.3...0.7).contains(p.initialStateOfCharge))
        }
    }

    @Test("top-level layouts serve the chemistries that give none")
    func defaultLayouts() throws {
        let text = """
        {"count": 2, "layouts": ["8s2p"], "chemistries": [{"chemistry": "nmc", "cell_capacity_ah": 5},
                                                          {"chemistry": "lfp", "cell_capacity_ah": 3, "layouts": ["4s"]}]}
        """
        let spec = try FleetSpec(jsonText: text)
        #expect(spec.chemistries.map { $0.layouts.map(\.description) } == [["8s2p"], ["4s1p"]])
        #expect(throws: FleetSpecError(field: "chemistries[0].layouts", message: "missing here and at the top level (e.g. [\"16s1p\"])")) {
            try FleetSpec(jsonText: #"{"count": 1, "chemistries": [{"chemistry": "nmc", "cell_capacity_ah": 5}]}"#)
        }
    }

    @Test("JSON spec errors name the field", arguments: [
        ("\"count\": 5", "\"count\": -1", "count"),
        ("\"weight\": 2", "\"weight\": \"two\"", "chemistries[0].weight"),
        ("\"chemistry\": \"nmc\"", "\"chemistry\": \"nca\"", "chemistries[0].chemistry"),
        ("\"12s2p\"", "\"12x2\"", "chemistries[0].layouts[0]"),
        ("\"range\": [0.7, 0.9]", "\"range\": [0.9, 0.7]", "soh.range"),
        ("\"soc\": 0.01", "\"soc\": 0.5", "cell_spread.soc"),
        ("\"fidelity\": \"spme\"", "\"fidelity\": \"p2d\"", "fidelity"),
        ("\"initial_soc\"", "\"initial_socc\"", "initial_socc"),
        ("\"mean\": 0.8", "\"mean\": 0.95", "soh.mean"),
    ])
    func errors(original: String, replacement: String, field: String) throws {
        let text = Self.example.replacing(original, with: replacement, maxReplacements: 1)
        #expect(text != Self.example)
        do {
            _ = try FleetSpec(jsonText: text)
            Issue.record("no error for \(replacement)")
        } catch {
            #expect(error.field == field, "\(error)")
        }
        #expect(throws: FleetSpecError(field: "(document)", message: "expected an object, got an array")) { try FleetSpec(jsonText: "[]") }
    }

    @Test("packs built from a sample at ECM fidelity step under power")
    func buildAndStep() throws {
        let sampler = FleetSampler(spec: try FleetSpec.preset(named: "small-mixed-4"))
        let packs = sampler.sample(seed: 3)
        let built = try sampler.makePacks(seed: 3)
        #expect(built.map(\.layout) == packs.map(\.layout) && built.allSatisfy { $0.fidelity == .ecm })
        for sampled in packs {
            let pack = try sampled.makePack(fidelity: .ecm)
            #expect(pack.layout == sampled.layout && pack.cells.count == 8)
            let q = pack.capacity
            let nominal = 2 * sampled.cellCapacity * sampled.stateOfHealth
            #expect(abs(q - nominal) < 0.1 * nominal, "\(sampled.chemistry): \(q) vs \(nominal)")
            let watts = 0.5 * q * pack.outputs.voltage
            let o = try pack.step(power: watts, dt: 60)
            #expect(abs(o.power - watts) <= 1e-3 * watts)
            #expect(o.stateOfCharge < pack.cellStateOfCharge(0) + 0.1)
            #expect(!o.limits.any)
        }
    }

    @Test("packs built from a sample at SPMe fidelity (NMC, LFP, LMO stand-in) step and hold their SoH")
    func buildPhysics() throws {
        let packs = FleetSampler(spec: try FleetSpec.preset(named: "small-mixed-4")).sample(seed: 3)
        #expect(Set(packs.map(\.chemistry)).count >= 2)
        for sampled in packs {
            let pack = try sampled.makePack(fidelity: .spme)
            let nominal = 2 * sampled.cellCapacity * sampled.stateOfHealth
            #expect(abs(pack.capacity - nominal) < 0.1 * nominal, "\(sampled.chemistry): \(pack.capacity) vs \(nominal)")
            let o = try pack.step(current: 0.5 * pack.capacity, dt: 10)
            #expect(!o.limits.any && o.iterations <= 8)
            #expect(o.voltage > 4 * 3.0 && o.voltage < 4 * 4.2)
        }
    }
}
