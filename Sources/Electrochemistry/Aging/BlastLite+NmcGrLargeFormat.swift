import Glibc

/// NREL BLAST-Lite's three large-format NMC | graphite pouch cells of Gasper et al., J. Energy Storage
/// 73 (2023) 109042 (P. Gasper, NREL; BLAST-Lite v1.1, `blast/models/nmc_gr_50Ah_B1_2020.py`,
/// `nmc_gr_50Ah_B2_2020.py`, `nmc_gr_75Ah_A_2019.py`): `NMC_Gr_50Ah_B1`, `NMC_Gr_50Ah_B2` (~50 Ah) and
/// `NMC_Gr_75Ah_A` (~75 Ah), energy-to-power ratio 16 1/h.
///
/// q = 1 − q_loss,t − q_loss,EFC with q_loss,t = k_cal (t/t₀)^p_cal (t in days) and q_loss,EFC =
/// k_cyc (EFC/n₀)^p_cyc in BLAST-Lite's state form (``BlastLite/powerStep``); with T̃ = T/308.15 K,
/// Ũa = Ua/0.123 V (``BlastLite/anodePotential(soc:)``), DoD and Crate (scaled by q) of the chunk:
///
///     B1: k_cal = p1 exp(p2 Ũa^(1/3) / T̃³),  k_cyc = |p3 (DoD² T̃³ √Crate)^p4|,           t₀ = 10⁴, n₀ = 10⁵
///     B2: k_cal = p1 exp(p2 Ũa^(1/3) / T̃³),  k_cyc = p3 (DoD √Crate / T̃³)^p4
///             × exp(p5 DoD √Crate / T̃²) exp(p6 DoD² Crate / T̃³),                            t₀ = 10⁴, n₀ = 10⁴
///     A:  k_cal = p1 exp(p2 T̃³ / Ũa^(1/3)),  k_cyc = |p3 + p4 T̃³ √DoD + p5 exp(Crate²/√T̃)
///             + p6 exp(√DoD T̃² √Crate)|,                                                  t₀ = 10³, n₀ = 10⁴
///
/// both rates trapezoid time-averaged over each chunk.
public struct BlastLiteNmcGrLargeFormat<Tag: BlastLiteNmcGrLargeFormatTag>: BlastLiteCalendarCycleModel {
    public static var className: String { Tag.cell.className }
    public var state = BlastLiteCalendarCycleState()

    public init() {}

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let dod = chunk.dod, crate = chunk.crate * qNow
        let cell = Tag.cell
        let kCal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let tn = kelvin / (273.15 + 35), ua = BlastLite.anodePotential(soc: s) / 0.123
            switch cell {
            case .b1: return 36.2 * exp(-4.4 * (1 / (tn * tn * tn)) * pow(ua, 1.0 / 3))
            case .b2: return 12 * exp(-3.91 * (1 / (tn * tn * tn)) * pow(ua, 1.0 / 3))
            case .a: return 8.71e-07 * exp(10 * (tn * tn * tn) * (1 / pow(ua, 1.0 / 3)))
            }
        }
        let kCyc = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            let tn = kelvin / (273.15 + 35), tn3 = tn * tn * tn
            switch cell {
            case .b1: return abs(0.844 * pow(dod * dod * tn3 * crate.squareRoot(), 0.458))
            case .b2:
                return 2.2e+09 * pow(dod * (1 / tn3) * crate.squareRoot(), 11.9)
                    * exp(-35.7 * dod * (1 / (tn * tn)) * crate.squareRoot())
                    * exp(13.7 * (dod * dod) * (1 / tn3) * crate)
            case .a:
                return abs(0.0267 + 1.64 * tn3 * dod.squareRoot() + 0.011 * exp((1 / tn.squareRoot()) * (crate * crate))
                           - 0.44 * exp(dod.squareRoot() * (tn * tn) * crate.squareRoot()))
            }
        }
        let (t0, n0, pCal, pCyc): (Double, Double, Double, Double) = switch cell {
        case .b1: (1e4, 1e5, 0.708, 0.467)
        case .b2: (1e4, 1e4, 0.584, 0.907)
        case .a: (1e3, 1e4, 0.578, 1.11)
        }
        let dEFC = chunk.halfThroughput * qNow, x = degradationScalar
        state.advance(days: chunk.days, efc: dEFC,
                      calendar: x * BlastLite.powerStep(lossCalendar, chunk.days / t0, kCal, pCal),
                      cycling: x * BlastLite.powerStep(lossCycling, dEFC / n0, kCyc, pCyc))
    }
}

/// Which of the three large-format cells, with BLAST-Lite's class name.
public enum BlastLiteNmcGrLargeFormatCell: Sendable {
    case b1, b2, a

    public var className: String {
        switch self {
        case .b1: "NMC_Gr_50Ah_B1"
        case .b2: "NMC_Gr_50Ah_B2"
        case .a: "NMC_Gr_75Ah_A"
        }
    }

    /// Type-level names of the cells, the parameters of ``BlastLiteNmcGrLargeFormat``.
    public enum B1: BlastLiteNmcGrLargeFormatTag { public static let cell = BlastLiteNmcGrLargeFormatCell.b1 }
    public enum B2: BlastLiteNmcGrLargeFormatTag { public static let cell = BlastLiteNmcGrLargeFormatCell.b2 }
    public enum A: BlastLiteNmcGrLargeFormatTag { public static let cell = BlastLiteNmcGrLargeFormatCell.a }
}

/// A type naming one ``BlastLiteNmcGrLargeFormatCell``.
public protocol BlastLiteNmcGrLargeFormatTag: Sendable {
    static var cell: BlastLiteNmcGrLargeFormatCell { get }
}

/// `NMC_Gr_50Ah_B1` (see ``BlastLiteNmcGrLargeFormat``).
public typealias BlastLiteNmcGr50AhB1 = BlastLiteNmcGrLargeFormat<BlastLiteNmcGrLargeFormatCell.B1>
/// `NMC_Gr_50Ah_B2` (see ``BlastLiteNmcGrLargeFormat``).
public typealias BlastLiteNmcGr50AhB2 = BlastLiteNmcGrLargeFormat<BlastLiteNmcGrLargeFormatCell.B2>
/// `NMC_Gr_75Ah_A` (see ``BlastLiteNmcGrLargeFormat``).
public typealias BlastLiteNmcGr75AhA = BlastLiteNmcGrLargeFormat<BlastLiteNmcGrLargeFormatCell.A>
