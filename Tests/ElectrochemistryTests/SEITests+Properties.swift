#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Electrochemistry

/// SEI growth properties that hold whatever the reference: closed forms at rest, lithium conservation,
/// the SEI-off path, state save/restore and the constructor's parameter checks.
extension SEITests {
    static let stoN = 0.9013973983641688, stoP = 0.2699987322515213
    static let thermalVoltage = PhysicalConstants.gasConstant * 298.15 / PhysicalConstants.faraday

    /// dL/dt [m/s] of the reaction- or EC-limited law at rest (δφ = U_n at the surface, η_n = 0) at thickness `L`.
    static func restRate(_ growth: SEIGrowth, surface sto: Double, thickness L: Double) throws -> Double {
        let p = ParameterSet.chen2020
        let u = try p.unaryFunction("Negative electrode OCP [V]")(sto)
        let eta = u - (try p.scalar("SEI open-circuit potential [V]"))
        let factor = exp(-0.5 * eta / thermalVoltage)
        let j: Double
        switch growth {
        case .reactionLimited: j = -(try p.scalar("SEI reaction exchange current density [A.m-2]")) * factor
        case .ecReactionLimited:
            let k = try p.scalar("SEI kinetic rate constant [m.s-1]") * factor
            j = -PhysicalConstants.faraday * (try p.scalar("EC initial concentration in electrolyte [mol.m-3]")) * k
                / (1 + L * k / (try p.scalar("EC diffusivity [m2.s-1]")))
        case .solventDiffusionLimited:
            j = -(try p.scalar("SEI solvent diffusivity [m2.s-1]")) * (try p.scalar("Bulk solvent concentration [mol.m-3]"))
                * PhysicalConstants.faraday / L
        }
        return -(try p.scalar("SEI partial molar volume [m3.mol-1]")) * j
            / (PhysicalConstants.faraday * (try p.scalar("Ratio of lithium moles to SEI moles")))
    }

    @Test("Solvent-diffusion limited at rest: L² = L₀² + 2V̄·D_sol·c_sol·t/z (parabolic growth)", arguments: [SingleParticleModel.Variant.spm, .spme])
    func solventDiffusionClosedForm(variant: SingleParticleModel.Variant) throws {
        let p = ParameterSet.chen2020
        let model = try SingleParticleModel(parameters: p, variant: variant, stoN: Self.stoN, stoP: Self.stoP,
                                            sei: .solventDiffusionLimited)
        let l0 = try p.scalar("Initial SEI thickness [m]")
        let slope = 2 * (try p.scalar("SEI partial molar volume [m3.mol-1]")) * (try p.scalar("SEI solvent diffusivity [m2.s-1]"))
            * (try p.scalar("Bulk solvent concentration [mol.m-3]")) / (try p.scalar("Ratio of lithium moles to SEI moles"))
        var previous = l0
        for day in 1...30 {
            try model.step(current: 0, dt: 86_400)
            let expected = (l0 * l0 + slope * Double(day) * 86_400).squareRoot()
            #expect(abs(model.seiThickness - expected) < 1e-4 * (expected - l0), "day \(day): \(model.seiThickness) vs \(expected)")
            #expect(model.seiThickness > previous)
            previous = model.seiThickness
        }
    }

    @Test("Reaction and EC limited at rest: L(t) between the growth at the start and end potentials", arguments: [SEIGrowth.reactionLimited, .ecReactionLimited])
    func restBracket(growth: SEIGrowth) throws {
        let model = try SingleParticleModel(parameters: .chen2020, variant: .spm, stoN: Self.stoN, stoP: Self.stoP, sei: growth)
        let l0 = model.seiThickness, hours = 6.0
        let start = model.outputs.stoNSurf
        try model.step(current: 0, dt: hours * 3600)
        let end = model.outputs.stoNSurf
        #expect(end < start)   // the side reaction takes lithium from the negative particle
        if growth == .reactionLimited {
            // Linear growth at a rate set by U_n only, which moves a little as the particle loses lithium.
            let rates = [try Self.restRate(growth, surface: start, thickness: l0), try Self.restRate(growth, surface: end, thickness: l0)]
            let growthL = model.seiThickness - l0
            #expect(growthL >= rates.min()! * hours * 3600 * (1 - 1e-6) && growthL <= rates.max()! * hours * 3600 * (1 + 1e-6),
                    "ΔL \(growthL) vs \(rates.map { $0 * hours * 3600 })")
        } else {
            // With k frozen, L + kL²/(2D) = L₀ + kL₀²/(2D) + V̄c₀k·t/z; bracket by k at both potentials.
            var bounds: [Double] = []
            for sto in [start, end] {
                let rate0 = try Self.restRate(growth, surface: sto, thickness: 0)   // V̄c₀k/z
                let k = rate0 / (try Self.restRate(growth, surface: sto, thickness: l0)) - 1   // L₀k/D
                let kOverD = k / l0
                let c = l0 + 0.5 * kOverD * l0 * l0 + rate0 * hours * 3600
                bounds.append((-1 + (1 + 2 * kOverD * c).squareRoot()) / kOverD)
            }
            let l = model.seiThickness
            #expect(l >= bounds.min()! * (1 - 1e-6) && l <= bounds.max()! * (1 + 1e-6), "L \(l) vs \(bounds)")
        }
    }

    @Test("The lithium the negative particle loses at rest is the SEI capacity loss (SPM and SPMe, all laws)",
          arguments: SEIGrowth.allCases)
    func lithiumConservation(growth: SEIGrowth) throws {
        let p = ParameterSet.chen2020
        let negativeCapacity = try p.scalar("Maximum concentration in negative electrode [mol.m-3]")
            * p.scalar("Negative electrode active material volume fraction") * p.scalar("Negative electrode thickness [m]")
            * p.scalar("Electrode width [m]") * p.scalar("Electrode height [m]") * PhysicalConstants.faraday / 3600
        for variant in [SingleParticleModel.Variant.spm, .spme] {
            let model = try SingleParticleModel(parameters: p, variant: variant, stoN: Self.stoN, stoP: Self.stoP, sei: growth)
            #expect(model.seiCapacityLoss == 0)
            let s0 = model.outputs.stoNAvg
            try model.step(current: 0, dt: 5 * 86_400)
            let lost = (s0 - model.outputs.stoNAvg) * negativeCapacity
            #expect(model.seiCapacityLoss > 0)
            #expect(abs(lost - model.seiCapacityLoss) < 1e-6 * model.seiCapacityLoss,
                    "\(variant) \(growth): particle \(lost) vs SEI \(model.seiCapacityLoss) A.h")
        }
    }

    @Test("SEI with zero rate and zero resistivity reproduces the model without SEI", arguments: [SingleParticleModel.Variant.spm, .spme])
    func zeroSEIMatchesNoSEI(variant: SingleParticleModel.Variant) throws {
        let inert = ParameterSet.chen2020.updating(["SEI reaction exchange current density [A.m-2]": 0, "SEI resistivity [Ohm.m]": 0])
        let steps = ["Discharge at 1C until 2.5 V", "Rest for 10 minutes", "Charge at 0.5C until 4.2 V", "Hold at 4.2 V until C/20"]
        let plain = try SingleParticleModel(parameters: .chen2020, variant: variant, stoN: Self.stoN, stoP: Self.stoP)
        let zero = try SingleParticleModel(parameters: inert, variant: variant, stoN: Self.stoN, stoP: Self.stoP, sei: .reactionLimited)
        #expect(plain.agingOutputs == nil && plain.seiGrowth == nil)
        let a = try Simulation(experiment: Experiment(steps)).run(plain)
        let b = try Simulation(experiment: Experiment(steps)).run(zero)
        #expect(a.agingRows.isEmpty && b.agingRows.count == b.rows.count)
        #expect(a.rows.count == b.rows.count)
        var worst = 0.0
        for (x, y) in zip(a.rows, b.rows) { worst = max(worst, abs(x.voltage - y.voltage)) }
        // The SPMe's electrolyte steps differ (the SEI path caps them at 60 s), within its error control.
        #expect(worst < (variant == .spm ? 1e-9 : 2e-5), "max |ΔV| \(worst) V")
        #expect(b.agingRows.allSatisfy { $0.seiCapacityLoss == 0 && $0.seiThickness == 5e-9 })
    }

    @Test("saveState/restoreState include the SEI thickness")
    func saveRestore() throws {
        let model = try SingleParticleModel(parameters: .chen2020, variant: .spme, stoN: Self.stoN, stoP: Self.stoP, sei: .reactionLimited)
        try model.step(current: 5, dt: 600)
        model.saveState()
        let saved = (model.seiThickness, model.outputs)
        try model.step(current: -2.5, dt: 1200)
        #expect(model.seiThickness > saved.0)
        let after = (model.seiThickness, model.outputs.voltage)
        model.restoreState()
        #expect(model.seiThickness == saved.0)
        #expect(model.outputs == saved.1)
        try model.step(current: -2.5, dt: 1200)
        #expect(model.seiThickness == after.0 && model.outputs.voltage == after.1)
    }

    @Test("A set without a parameter of the chosen law is rejected with its name; other laws do not need it")
    func missingParameters() throws {
        var p = ParameterSet.chen2020
        p.scalars["EC diffusivity [m2.s-1]"] = nil
        #expect(throws: ModelError.parameter(.missing(name: "EC diffusivity [m2.s-1]"))) {
            try SingleParticleModel(parameters: p, variant: .spm, stoN: 0.8, stoP: 0.6, sei: .ecReactionLimited)
        }
        _ = try SingleParticleModel(parameters: p, variant: .spm, stoN: 0.8, stoP: 0.6, sei: .reactionLimited)
        p.setScalar("Initial SEI thickness [m]", 0)
        #expect(throws: ModelError.parameter(.outOfRange(name: "Initial SEI thickness [m]", value: 0, expected: "a positive value"))) {
            try SingleParticleModel(parameters: p, variant: .spm, stoN: 0.8, stoP: 0.6, sei: .solventDiffusionLimited)
        }
    }
}
