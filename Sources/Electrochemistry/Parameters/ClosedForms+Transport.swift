#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ClosedForms {
    /// Electrolyte diffusivity [m2.s-1] of LiPF6 in EC:EMC 3:7 (Nyman et al. 2008,
    /// doi:10.1016/j.electacta.2008.04.023), times an Arrhenius factor for `activationEnergy` [J.mol-1]
    /// (zero in Chen2020, 17 kJ/mol in OKane2022 after Ecker et al. 2015).
    ///
    /// ```
    /// D_e = (8.794e-11 c² − 3.972e-10 c + 4.862e-10) · exp(E/R (1/298.15 − 1/T)),  c = c_e / 1000
    /// ```
    public static func electrolyteDiffusivityNyman2008(activationEnergy: Double = 0) -> @Sendable (Double, Double) -> Double {
        { ce, t in
            let c = ce / 1000
            let d = 8.794e-11 * c * c - 3.972e-10 * c + 4.862e-10
            return activationEnergy == 0 ? d : d * PhysicalConstants.arrhenius(activationEnergy, t)
        }
    }

    /// Electrolyte conductivity [S.m-1] of LiPF6 in EC:EMC 3:7 (Nyman et al. 2008,
    /// doi:10.1016/j.electacta.2008.04.023), times an optional Arrhenius factor.
    ///
    /// ```
    /// κ_e = 0.1297 c³ − 2.51 c^1.5 + 3.329 c,  c = c_e / 1000
    /// ```
    public static func electrolyteConductivityNyman2008(activationEnergy: Double = 0) -> @Sendable (Double, Double) -> Double {
        { ce, t in
            let c = ce / 1000
            let k = 0.1297 * c * c * c - 2.51 * pow(c, 1.5) + 3.329 * c
            return activationEnergy == 0 ? k : k * PhysicalConstants.arrhenius(activationEnergy, t)
        }
    }

    /// Electrolyte conductivity [S.m-1] of Prada et al. 2013 (doi:10.1149/2.053309jes), no temperature
    /// dependence.
    ///
    /// ```
    /// κ_e = 1e3 (4.1253e-4 + 5.007 c − 4.7212e3 c² + 1.5094e6 c³ − 1.6018e8 c⁴),  c = c_e / 1e6
    /// ```
    @Sendable public static func electrolyteConductivityPrada2013(_ ce: Double, _ t: Double) -> Double {
        let c = ce / 1e6
        return (4.1253e-4 + 5.007 * c - 4.7212e3 * c * c + 1.5094e6 * c * c * c - 1.6018e8 * c * c * c * c) * 1e3
    }

    /// Electrolyte diffusivity [m2.s-1] of LiPF6 in EC:DMC (Capiglia et al. 1999,
    /// doi:10.1016/S0378-7753(98)00237-7; Dualfoil fit, used by Marquis et al. 2019).
    @Sendable public static func electrolyteDiffusivityCapiglia1999(_ ce: Double, _ t: Double) -> Double {
        5.34e-10 * exp(-0.65 * ce / 1000) * PhysicalConstants.arrhenius(37040, t)
    }

    /// Electrolyte conductivity [S.m-1] of LiPF6 in EC:DMC (Capiglia et al. 1999; Dualfoil fit).
    @Sendable public static func electrolyteConductivityCapiglia1999(_ ce: Double, _ t: Double) -> Double {
        let c = ce / 1000
        return (0.0911 + 1.9101 * c - 1.052 * c * c + 0.1554 * c * c * c) * PhysicalConstants.arrhenius(34700, t)
    }

    /// Electrolyte conductivity [S.m-1] (Ecker et al. 2015, doi:10.1149/2.0541509jes):
    ///
    /// ```
    /// κ_e = 296 e^(E/(R·296)) (0.2667 c³ − 1.2983 c² + 1.7919 c + 0.1726) e^(−E/(R T)) / T,  E = 17.1 kJ/mol
    /// ```
    @Sendable public static func electrolyteConductivityEcker2015(_ ce: Double, _ t: Double) -> Double {
        let c = 1e-3 * ce
        let sigma296 = 0.2667 * c * c * c - 1.2983 * c * c + 1.7919 * c + 0.1726
        let energy = 1.71e4
        let r = PhysicalConstants.gasConstant
        return 296 * exp(energy / (r * 296)) * sigma296 * exp(-energy / (r * t)) / t
    }

    /// Electrolyte diffusivity [m2.s-1] from the Nernst–Einstein relation on Ecker's conductivity:
    /// `D_e = k_B / (F q_e) · κ_e T / c_e` (Ecker et al. 2015, doi:10.1149/2.0541509jes). Infinite at c_e = 0.
    @Sendable public static func electrolyteDiffusivityEcker2015(_ ce: Double, _ t: Double) -> Double {
        PhysicalConstants.boltzmann / (PhysicalConstants.faraday * PhysicalConstants.elementaryCharge)
            * electrolyteConductivityEcker2015(ce, t) * t / ce
    }

    /// Graphite diffusivity [m2.s-1] vs (sto, T) (Ecker et al. 2015; reference temperature 296 K).
    @Sendable public static func graphiteDiffusivityEcker2015(_ x: Double, _ t: Double) -> Double {
        (8.4e-13 * exp(-11.3 * x) + 8.2e-15) * PhysicalConstants.arrhenius(3.03e4, t, reference: 296)
    }

    /// NCO diffusivity [m2.s-1] vs (sto, T) (Ecker et al. 2015; reference temperature 296.15 K).
    @Sendable public static func ncoDiffusivityEcker2015(_ x: Double, _ t: Double) -> Double {
        (3.7e-13 - 3.4e-13 * exp(-12 * (x - 0.62) * (x - 0.62)))
            * PhysicalConstants.arrhenius(8.06e4, t, reference: 296.15)
    }

    /// A constant diffusivity `reference` [m2.s-1] with an Arrhenius factor: `D(sto, T) = D_ref e^(E/R (1/T_ref − 1/T))`.
    public static func arrheniusDiffusivity(_ reference: Double, activationEnergy: Double,
                                            referenceTemperature: Double = 298.15) -> @Sendable (Double, Double) -> Double {
        { _, t in reference * PhysicalConstants.arrhenius(activationEnergy, t, reference: referenceTemperature) }
    }

    /// The symmetric Butler–Volmer exchange-current density [A.m-2] used by every built-in set:
    ///
    /// ```
    /// j0 = k · exp(E_r/R (1/T_ref − 1/T)) · c_e^0.5 · c_s^0.5 · (c_s,max − c_s)^0.5
    /// ```
    ///
    /// `rateConstant` k is in (A/m2)(m3/mol)^1.5 and `activationEnergy` E_r in J.mol-1.
    public static func exchangeCurrentDensity(rateConstant k: Double, activationEnergy: Double,
                                              referenceTemperature: Double = 298.15)
        -> @Sendable (Double, Double, Double, Double) -> Double {
        { ce, cs, csMax, t in
            k * PhysicalConstants.arrhenius(activationEnergy, t, reference: referenceTemperature)
                * sqrt(ce) * sqrt(cs) * sqrt(csMax - cs)
        }
    }
}
