#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Growth law of the solid–electrolyte interphase (SEI) on the negative particles, as PyBaMM 26.10's
/// `SEIGrowth` submodel formulates it (option `"SEI": [law, "none"]`: negative electrode only).
///
/// With the SEI overpotential η_SEI = φ_s − φ_e − U_SEI − j·L·R_SEI and f = F/(RT), the side-reaction current
/// density j_SEI [A.m-2] (negative: it consumes lithium) is, times the Arrhenius factor
/// exp(E_SEI/R·(1/T_ref − 1/T)):
///
/// - reaction limited (Safari et al. 2009, "Multimodal physics-based aging model for life prediction of Li-ion
///   batteries", J. Electrochem. Soc. 156 A145, doi:10.1149/1.3043429; Marquis 2020, DPhil thesis, Oxford, eq. 5.92):
///   j_SEI = −j0_SEI·exp(−½ f η_SEI);
/// - solvent-diffusion limited (same sources, Marquis eq. 5.91; Single et al. 2018, ChemSusChem 11, 1950,
///   doi:10.1002/cssc.201800077, for the regime): j_SEI = −D_sol c_sol F / L;
/// - EC reaction limited (Yang et al. 2017, J. Power Sources 360, 28, doi:10.1016/j.jpowsour.2017.05.110, eqs. 10–11):
///   with k = k_SEI·exp(−½ f η_SEI), EC diffusing through the film to the reaction plane,
///   j_SEI = −F c_EC,0 k / (1 + L k / D_EC).
///
/// The film grows as dL/dt = −V̄_SEI j_SEI / (F z_SEI) (z_SEI lithium moles per SEI mole).
public enum SEIGrowth: String, Sendable, Equatable, CaseIterable {
    /// Kinetics of the SEI reaction limit the growth (PyBaMM "reaction limited").
    case reactionLimited = "reaction-limited"
    /// Solvent diffusion through the film limits the growth (PyBaMM "solvent-diffusion limited").
    case solventDiffusionLimited = "solvent-diffusion-limited"
    /// EC reaction with EC diffusion through the film (PyBaMM "ec reaction limited").
    case ecReactionLimited = "ec-reaction-limited"

    /// PyBaMM's name of the option.
    public var pybammName: String {
        switch self {
        case .reactionLimited: return "reaction limited"
        case .solventDiffusionLimited: return "solvent-diffusion limited"
        case .ecReactionLimited: return "ec reaction limited"
        }
    }
}

/// The SEI constants of a growth law, read from a ``ParameterSet`` under PyBaMM's names (SI units).
struct SEIKinetics {
    let growth: SEIGrowth
    /// "SEI partial molar volume [m3.mol-1]", "Initial SEI thickness [m]", "Ratio of lithium moles to SEI moles".
    let partialMolarVolume, initialThickness, lithiumPerSEI: Double
    /// "SEI resistivity [Ohm.m]" (the film resistance per thickness and area).
    let resistivity: Double
    /// "SEI growth activation energy [J.mol-1]" and the reference temperature of the Arrhenius factor [K].
    let activationEnergy, referenceTemperature: Double
    /// "SEI open-circuit potential [V]" (reaction and EC laws).
    let openCircuitPotential: Double
    /// Reaction law: "SEI reaction exchange current density [A.m-2]"; EC law: "SEI kinetic rate constant [m.s-1]".
    let rate: Double
    /// Solvent law: D_sol·c_sol·F [A.m-1]; EC law: "EC diffusivity [m2.s-1]".
    let transport: Double
    /// EC law: F·c_EC,0 [C.m-3] ("EC initial concentration in electrolyte [mol.m-3]").
    let ecCharge: Double

    init(parameters p: ParameterSet, growth: SEIGrowth, referenceTemperature: Double) throws(ParameterError) {
        self.growth = growth
        self.referenceTemperature = referenceTemperature
        partialMolarVolume = try Self.positive(p, "SEI partial molar volume [m3.mol-1]")
        initialThickness = try Self.positive(p, "Initial SEI thickness [m]")
        lithiumPerSEI = try Self.positive(p, "Ratio of lithium moles to SEI moles")
        resistivity = try p.scalar("SEI resistivity [Ohm.m]")
        activationEnergy = try p.scalar("SEI growth activation energy [J.mol-1]")
        let faraday = PhysicalConstants.faraday
        switch growth {
        case .reactionLimited:
            openCircuitPotential = try p.scalar("SEI open-circuit potential [V]")
            rate = try p.scalar("SEI reaction exchange current density [A.m-2]")
            transport = 0; ecCharge = 0
        case .solventDiffusionLimited:
            openCircuitPotential = 0; rate = 0; ecCharge = 0
            transport = try p.scalar("SEI solvent diffusivity [m2.s-1]") * p.scalar("Bulk solvent concentration [mol.m-3]") * faraday
        case .ecReactionLimited:
            openCircuitPotential = try p.scalar("SEI open-circuit potential [V]")
            rate = try p.scalar("SEI kinetic rate constant [m.s-1]")
            transport = try Self.positive(p, "EC diffusivity [m2.s-1]")
            ecCharge = try p.scalar("EC initial concentration in electrolyte [mol.m-3]") * faraday
        }
    }

    private static func positive(_ p: ParameterSet, _ name: String) throws(ParameterError) -> Double {
        let value = try p.scalar(name)
        guard value > 0 else { throw .outOfRange(name: name, value: value, expected: "a positive value") }
        return value
    }

    /// Whether j_SEI depends on the surface potential (every law but solvent diffusion).
    var dependsOnPotential: Bool { growth != .solventDiffusionLimited }

    /// exp(E_SEI/R·(1/T_ref − 1/T)).
    func arrhenius(temperature: Double) -> Double {
        exp(activationEnergy / PhysicalConstants.gasConstant * (1 / referenceTemperature - 1 / temperature))
    }

    /// j_SEI [A.m-2] without the Arrhenius factor, at SEI overpotential `eta` [V] (ignored by the solvent law),
    /// film thickness `thickness` [m] and `halfInverseThermalVoltage` = F/(2RT) [V-1].
    @inline(__always)
    func currentDensity(overpotential eta: Double, thickness: Double, halfInverseThermalVoltage: Double) -> Double {
        switch growth {
        case .reactionLimited:
            return -rate * exp(-halfInverseThermalVoltage * eta)
        case .solventDiffusionLimited:
            return -transport / thickness
        case .ecReactionLimited:
            let k = rate * exp(-halfInverseThermalVoltage * eta)
            return -ecCharge * k / (1 + thickness * k / transport)
        }
    }

    /// dL/dt [m.s-1] for the x-averaged side-reaction current density `j` [A.m-2].
    @inline(__always)
    func thicknessRate(currentDensity j: Double) -> Double {
        -partialMolarVolume * j / (PhysicalConstants.faraday * lithiumPerSEI)
    }

    /// PyBaMM's "Loss of capacity to negative SEI [A.h]": the SEI moles formed since the start,
    /// (c_SEI − c_SEI,0)·V_n = a·(L − L₀)/V̄·L_n·L_y·L_z, times z_SEI·F/3600 (zero at the initial thickness).
    /// `electrodeVolume` is L_n·L_y·L_z [m3] (PyBaMM leaves out the number of parallel electrodes here).
    func capacityLoss(thickness: Double, specificArea: Double, electrodeVolume: Double) -> Double {
        specificArea * (thickness - initialThickness) / partialMolarVolume * electrodeVolume
            * lithiumPerSEI * PhysicalConstants.faraday / 3600
    }
}
