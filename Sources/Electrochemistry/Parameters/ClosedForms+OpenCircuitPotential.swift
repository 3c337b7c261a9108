#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Published closed forms for function-valued parameters, in PyBaMM's conventions and SI units.
/// Each is checked in the tests against PyBaMM 26.10's sampled tables.
public enum ClosedForms {}

extension ClosedForms {
    /// LG M50 graphite-SiOx OCP [V] vs stoichiometry (Chen et al. 2020, doi:10.1149/1945-7111/ab9050).
    ///
    /// ```
    /// U = 1.9793 e^(−39.3631 x) + 0.2482 − 0.0909 tanh(29.8538 (x − 0.1234))
    ///     − 0.04478 tanh(14.9159 (x − 0.2769)) − 0.0205 tanh(30.4444 (x − 0.6103))
    /// ```
    @Sendable public static func graphiteOCPChen2020(_ x: Double) -> Double {
        1.9793 * exp(-39.3631 * x) + 0.2482 - 0.0909 * tanh(29.8538 * (x - 0.1234))
            - 0.04478 * tanh(14.9159 * (x - 0.2769)) - 0.0205 * tanh(30.4444 * (x - 0.6103))
    }

    /// LG M50 NMC811 OCP [V] vs stoichiometry (Chen et al. 2020, doi:10.1149/1945-7111/ab9050).
    ///
    /// ```
    /// U = −0.8090 x + 4.4875 − 0.0428 tanh(18.5138 (x − 0.5542))
    ///     − 17.7326 tanh(15.7890 (x − 0.3117)) + 17.5842 tanh(15.9308 (x − 0.3120))
    /// ```
    @Sendable public static func nmcOCPChen2020(_ x: Double) -> Double {
        -0.8090 * x + 4.4875 - 0.0428 * tanh(18.5138 * (x - 0.5542))
            - 17.7326 * tanh(15.7890 * (x - 0.3117)) + 17.5842 * tanh(15.9308 * (x - 0.3120))
    }

    /// LFP OCP [V] used by PyBaMM's Prada2013 set (Afshar et al. 2017, arXiv:1709.03970).
    ///
    /// ```
    /// U = 3.4077 − 0.020269 x + 0.5 e^(−150 x) − 0.9 e^(−30 (1 − x))
    /// ```
    @Sendable public static func lfpOCPAfshar2017(_ x: Double) -> Double {
        3.4077 - 0.020269 * x + 0.5 * exp(-150 * x) - 0.9 * exp(-30 * (1 - x))
    }

    /// MCMB 2528 graphite OCP [V] (Dualfoil fit, used by Marquis et al. 2019, doi:10.1149/2.0341915jes).
    @Sendable public static func graphiteOCPDualfoil1998(_ x: Double) -> Double {
        0.194 + 1.5 * exp(-120.0 * x) + 0.0351 * tanh((x - 0.286) / 0.083)
            - 0.0045 * tanh((x - 0.849) / 0.119) - 0.035 * tanh((x - 0.9233) / 0.05)
            - 0.0147 * tanh((x - 0.5) / 0.034) - 0.102 * tanh((x - 0.194) / 0.142)
            - 0.022 * tanh((x - 0.9) / 0.0164) - 0.011 * tanh((x - 0.124) / 0.0226)
            + 0.0155 * tanh((x - 0.105) / 0.029)
    }

    /// LiCoO2 OCP [V] with the stretch x → 1.062 x (Dualfoil fit, used by Marquis et al. 2019,
    /// doi:10.1149/2.0341915jes).
    @Sendable public static func licoo2OCPDualfoil1998(_ sto: Double) -> Double {
        let x = 1.062 * sto
        return 2.16216 + 0.07645 * tanh(30.834 - 54.4806 * x) + 2.1581 * tanh(52.294 - 50.294 * x)
            - 0.14169 * tanh(11.0923 - 19.8543 * x) + 0.2051 * tanh(1.4684 - 5.4888 * x)
            + 0.2531 * tanh((-x + 0.56478) / 0.1316) - 0.02167 * tanh((x - 0.525) / 0.006)
    }

    /// Graphite OCP entropic change [V.K-1] (Moura's fastDFN, used by Marquis et al. 2019).
    @Sendable public static func graphiteEntropicChangeMoura2016(_ x: Double) -> Double {
        let c = 24983.2619938437
        func sech2(_ z: Double) -> Double { let h = cosh(z); return 1 / (h * h) }
        let a = -1.5 * (120.0 / c) * exp(-120 * x) + (0.0351 / (0.083 * c)) * sech2((x - 0.286) / 0.083)
            - (0.0045 / (0.119 * c)) * sech2((x - 0.849) / 0.119) - (0.035 / (0.05 * c)) * sech2((x - 0.9233) / 0.05)
        let b = -(0.0147 / (0.034 * c)) * sech2((x - 0.5) / 0.034) - (0.102 / (0.142 * c)) * sech2((x - 0.194) / 0.142)
            - (0.022 / (0.0164 * c)) * sech2((x - 0.9) / 0.0164) - (0.011 / (0.0226 * c)) * sech2((x - 0.124) / 0.0226)
            + (0.0155 / (0.029 * c)) * sech2((x - 0.105) / 0.029)
        return a + b
    }

    /// LiCoO2 OCP entropic change [V.K-1] (Moura's fastDFN, used by Marquis et al. 2019).
    @Sendable public static func licoo2EntropicChangeMoura2016(_ sto: Double) -> Double {
        let x = 1.062 * sto
        let c = 51217.9257309275
        func sech2(_ z: Double) -> Double { let h = cosh(z); return 1 / (h * h) }
        return 0.07645 * (-54.4806 / c) * sech2(30.834 - 54.4806 * x)
            + 2.1581 * (-50.294 / c) * sech2(52.294 - 50.294 * x)
            + 0.14169 * (19.854 / c) * sech2(11.0923 - 19.8543 * x)
            - 0.2051 * (5.4888 / c) * sech2(1.4684 - 5.4888 * x)
            - (0.2531 / 0.1316 / c) * sech2((-x + 0.56478) / 0.1316)
            - (0.02167 / 0.006 / c) * sech2((x - 0.525) / 0.006)
    }

    /// Kokam graphite OCP [V] (Ecker et al. 2015, doi:10.1149/2.0541509jes; fit by O'Kane in Richardson
    /// et al. 2020, doi:10.1016/j.electacta.2020.135862).
    @Sendable public static func graphiteOCPEcker2015(_ x: Double) -> Double {
        0.716502 * exp(-369.028 * x) + 0.12193 * exp(-35.6478 * (x - 0.0530947))
            - 0.0189193 * tanh(21.1967 * (x - 0.196176)) - 0.0169644 * tanh(27.1365 * (x - 0.312832))
            - 0.0199313 * tanh(28.5697 * (x - 0.614221)) - 0.931153 * exp(36.328 * (x - 1.10743)) + 0.140031
    }

    /// Kokam NCO OCP [V] (Ecker et al. 2015, doi:10.1149/2.0541509jes; fit by O'Kane in Richardson et al. 2020).
    @Sendable public static func ncoOCPEcker2015(_ x: Double) -> Double {
        -2.35211 * x - 0.0747061 * tanh(31.886 * (x - 0.0219921)) + 6.34984 * tanh(2.66395 * (x - 0.174352))
            - 0.640243 * tanh(5.48623 * (x - 0.439245)) - 3.82383 * tanh(4.12167 * (x - 0.176187))
            - 0.0542123 * tanh(18.2919 * (x - 0.762272)) + 4.23285
    }

    /// Graphite particle volume change vs stoichiometry (Ai et al. 2020, doi:10.1149/2.0122001JES).
    @Sendable public static func graphiteVolumeChangeAi2020(_ x: Double) -> Double {
        let a = ((((145.907 * x - 681.229) * x + 1334.442) * x - 1415.710) * x + 873.906) * x
        return (((a - 312.528) * x + 60.641) * x - 5.706) * x * x + 0.386 * x - 4.966e-05
    }
}
