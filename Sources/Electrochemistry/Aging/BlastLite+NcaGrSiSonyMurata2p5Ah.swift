import Glibc

/// NREL BLAST-Lite's `NCA_GrSi_SonyMurata2p5Ah_Battery` (P. Gasper, NREL, identified with AI-Batt;
/// BLAST-Lite v1.1, `blast/models/nca_grsi_SonyMurata2p5Ah_2023.py`) for the Sony-Murata US18650VTC5A
/// (NCA | graphite-SiOx, 2.5 Ah) cells aged by Wildfeuer et al., J. Power Sources 560 (2023) 232498
/// (doi:10.1016/j.jpowsour.2023.232498).
///
/// Both losses are sigmoids y = 2 y∞ (1/2 − 1/(1 + exp((k x)^p))) advanced in BLAST-Lite's state form
/// (``BlastLite/sigmoidStep``): q = 1 − q_t − q_EFC with q_t over x = t/5000 d (y∞ = kcal, k = 3.41,
/// p = pcal) and q_EFC over x = EFC/1e5 (y∞ = max(kcyc, 0.15), k = 0.479, p = pcyc). With
/// T̃ = T/318.15 K, Ũa = Ua/0.123 V (``BlastLite/anodePotential(soc:)``), the chunk's DoD, SoC extremes
/// s_lo, s_hi and mean charge/discharge C-rates Cchg, Cdis (``BlastLite/meanRate(time:soc:charging:)``,
/// × q):
///
///     kcal = 0.00748 exp(8.9 T̃² Ũa^−⅓) exp(−4.87 T̃² Ũa^−½)
///     pcal = 1.01 exp(−0.133 T̃³) exp(1.22 T̃³ SoC³) exp(−0.56 T̃² Ũa⁻³)
///     kcyc = 5.49 − 64.9 √Cchg T̃⁻³ SoC + 21.3 exp(√Cchg T̃⁻³ SoC) + 0.000801 exp(Cdis T̃⁻³ √SoC)
///     pcyc = |0.422 + 2.64 exp(Cdis T̃⁻³ √s_hi) + 0.00627 exp(√DoD √Cchg T̃³ s_lo²) − 0.0342 T̃² s_lo
///             + 1.29 √DoD √Cdis √Cchg / T̃ − 2.14 exp(√DoD Cchg³ T̃ √Cdis)|
///
/// all trapezoid time averages over the chunk.
public struct BlastLiteNcaGrSiSonyMurata2p5Ah: BlastLiteCalendarCycleModel {
    public static let className = "NCA_GrSi_SonyMurata2p5Ah_Battery"
    public static let q2 = 3.41, q4 = 0.479
    public static let q1b = (0.00748, 8.9, -4.87)
    public static let pCalB = (1.01, -0.133, 1.22, -0.56)
    public static let q3b = (5.49, -64.9, 21.3, 0.000801)
    public static let pCycB = (0.422, 2.64, 0.00627, -0.0342, 1.29, -2.14)

    public var state = BlastLiteCalendarCycleState()

    public init() {}

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        // BLAST-Lite sets both rates to 0 when its mean |C-rate| is NaN (a zero-length chunk).
        let cchg = chunk.days > 0 ? BlastLite.meanRate(time: time, soc: soc, charging: true) * qNow : 0
        let cdis = chunk.days > 0 ? BlastLite.meanRate(time: time, soc: soc, charging: false) * qNow : 0
        let cchgRoot = cchg.squareRoot(), dodRoot = chunk.dod.squareRoot()
        let sLo = chunk.socMin, sHi = chunk.socMax, cchg3 = pow(cchg, 3)
        let a = Self.q1b, b = Self.pCalB, c = Self.q3b, d = Self.pCycB
        let kcal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let tn2 = (kelvin / (273.15 + 45)) * (kelvin / (273.15 + 45))
            let ua = BlastLite.anodePotential(soc: s) / 0.123
            return a.0 * exp(a.1 * tn2 * (1 / pow(ua, 1.0 / 3))) * exp(a.2 * tn2 * (1 / ua.squareRoot()))
        }
        let pcal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let tn = kelvin / (273.15 + 45), tn3 = pow(tn, 3)
            let ua = BlastLite.anodePotential(soc: s) / 0.123
            return b.0 * exp(b.1 * tn3) * exp(b.2 * tn3 * pow(s, 3)) * exp(b.3 * (tn * tn) * (1 / pow(ua, 3)))
        }
        let kcyc = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let inv3 = 1 / pow(kelvin / (273.15 + 45), 3)
            return c.0 + c.1 * cchgRoot * inv3 * s + c.2 * exp(cchgRoot * inv3 * s)
                + c.3 * exp(cdis * inv3 * s.squareRoot())
        }
        let pcyc = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            let tn = kelvin / (273.15 + 45), tn3 = pow(tn, 3)
            return abs(d.0 + d.1 * exp(cdis * (1 / tn3) * sHi.squareRoot())
                       + d.2 * exp(dodRoot * cchgRoot * tn3 * (sLo * sLo)) + d.3 * (tn * tn) * sLo
                       + d.4 * dodRoot * cdis.squareRoot() * (1 / tn) * cchgRoot
                       + d.5 * exp(dodRoot * cchg3 * tn * cdis.squareRoot()))
        }
        let dEFC = chunk.halfThroughput * qNow
        let x = degradationScalar
        state.advance(days: chunk.days, efc: dEFC,
                      calendar: x * BlastLite.sigmoidStep(lossCalendar, chunk.days / 5e3, kcal, Self.q2, pcal),
                      cycling: x * BlastLite.sigmoidStep(lossCycling, dEFC / 1e5, max(kcyc, 0.15), Self.q4, pcyc))
    }
}
