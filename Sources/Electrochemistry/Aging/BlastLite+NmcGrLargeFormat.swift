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
public struct BlastLiteNmcGrLargeFormat: Sendable {
    /// Which of the three cells.
    public enum Cell: Sendable { case b1, b2, a }
}

/// Shared state and update of the three large-format NMC-Gr models.
public protocol BlastLiteNmcGrLargeFormatModel: BlastLiteFadeModel {
    static var cell: BlastLiteNmcGrLargeFormat.Cell { get }
    var lossCalendar: Double { get set }
    var lossCycling: Double { get set }
    var days: Double { get set }
    var efc: Double { get set }
    var degradationScalar: Double { get }
}

extension BlastLiteNmcGrLargeFormatModel {
    public static var outputNames: [String] { ["q", "q_t", "q_EFC"] }
    public var q: Double { 1 - lossCalendar - lossCycling }
    public var r: Double? { nil }

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(1 - lossCalendar); values.append(1 - lossCycling)
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let dod = chunk.dod, crate = chunk.crate * qNow
        let cell = Self.cell
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
        let dEFC = chunk.halfThroughput * qNow
        lossCalendar += degradationScalar * BlastLite.powerStep(lossCalendar, chunk.days / t0, kCal, pCal)
        lossCycling += degradationScalar * BlastLite.powerStep(lossCycling, dEFC / n0, kCyc, pCyc)
        days += chunk.days
        efc += dEFC
    }
}

/// `NMC_Gr_50Ah_B1` (see ``BlastLiteNmcGrLargeFormat``).
public struct BlastLiteNmcGr50AhB1: BlastLiteNmcGrLargeFormatModel {
    public static let className = "NMC_Gr_50Ah_B1"
    public static let cell = BlastLiteNmcGrLargeFormat.Cell.b1
    public var lossCalendar = 0.0, lossCycling = 0.0, days = 0.0, efc = 0.0
    public var degradationScalar = 1.0
    public init() {}
}

/// `NMC_Gr_50Ah_B2` (see ``BlastLiteNmcGrLargeFormat``).
public struct BlastLiteNmcGr50AhB2: BlastLiteNmcGrLargeFormatModel {
    public static let className = "NMC_Gr_50Ah_B2"
    public static let cell = BlastLiteNmcGrLargeFormat.Cell.b2
    public var lossCalendar = 0.0, lossCycling = 0.0, days = 0.0, efc = 0.0
    public var degradationScalar = 1.0
    public init() {}
}

/// `NMC_Gr_75Ah_A` (see ``BlastLiteNmcGrLargeFormat``).
public struct BlastLiteNmcGr75AhA: BlastLiteNmcGrLargeFormatModel {
    public static let className = "NMC_Gr_75Ah_A"
    public static let cell = BlastLiteNmcGrLargeFormat.Cell.a
    public var lossCalendar = 0.0, lossCycling = 0.0, days = 0.0, efc = 0.0
    public var degradationScalar = 1.0
    public init() {}
}
