#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The negative electrode's solid–electrolyte potential difference φ_s − φ_e [V vs Li/Li⁺] where lithium
/// plating starts first: plating is thermodynamically possible once it falls below 0 V (Arora, Doyle &
/// White, J. Electrochem. Soc. 146 (1999) 3543, doi:10.1149/1.1392512), the constraint of fast-charging
/// studies (e.g. Park et al., J. Power Sources 2020; Yang et al., Joule 2019).
public protocol PlatingPotentialReporting: CellModel {
    /// φ_s − φ_e at the negative electrode's separator side [V vs Li/Li⁺] at the current state.
    var negativeSurfacePotential: Double { get }
}

extension SingleParticleModel: PlatingPotentialReporting {
    /// U_n(c_s,surf) + η_n: for the SPM the single particle's value; for the SPMe the separator-side node,
    /// whose exchange current (through c_e) is the smallest on charge.
    public var negativeSurfacePotential: Double {
        if !prepared { prepareVoltage() }
        let last = (electrolyte?.countN ?? 1) - 1
        let eta = 2 * thermalVoltage * asinh(current * densityPerCurrentN * inverseExchangeN[last])
        return ocvN + eta
    }
}

extension DoyleFullerNewmanModel: PlatingPotentialReporting {
    /// φ_s − φ_e at the last negative-electrode node (next to the separator).
    public var negativeSurfacePotential: Double {
        let k = constants
        let q = k.nn - 1
        return y[k.phiSIndex[q]] - y[k.phiEIndex[q]]
    }
}
