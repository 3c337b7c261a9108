import Glibc

/// NREL BLAST-Lite's `Lfp_Gr_SonyMurata3Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/lfp_gr_SonyMurata3Ah_2018.py`), identified at NREL on the Sony-Murata US26650FTC1
/// (LFP | graphite, 3 Ah) data of Naumann et al., J. Energy Storage 17 (2018) 153–169 (calendar) and
/// J. Power Sources 451 (2020) 227666 (cycling); the resistance model is Naumann's.
///
/// q = 1 − q_t − q_EFC − q_BreakIn with, T in K, Ua the graphite potential
/// (``BlastLite/anodePotential(soc:)``), DoD and Crate (× q) per chunk:
///
///     q_t = sigmoid(t; y∞ = q1, k = q2, p = q3)   (t in days, ``BlastLite/sigmoidStep``)
///     q1 = |b0 exp(b1 √Ua / T²) exp(b2 √Ua / T)|
///     q3 = |b0 exp(b1 ∛Ua / T⁴) exp(b2 T³ Ua^¼) exp(b3 ∛Ua / T³) exp(b4 T² Ua^¼)|
///     q_EFC = (q5 EFC)^q6,  q5 = |b0 + b1 DoD + b2 exp(DoD² Crate³)|   (``BlastLite/powerBStep``)
///     q_BreakIn = sigmoid(EFC; y∞ = q7, k = q8, p = q9), advanced only when a chunk exceeds 3 EFC/day,
///     q7 = |b0 f(SoC; a_soc, w_soc) f(DoD; a_dod, w_dod) sigmoid(DoD; 1, g_dod, 1)|
///
/// with sigmoid(x; y∞, k, p) = 2 y∞ (1/2 − 1/(1 + exp((k x)^p))) and the skew-normal density
/// f(x; a, w) = 2 φ(x′) Φ(a x′), x′ = (x − 0.5)/w. Resistance grows linearly: r = 1 + Σ k_cal Δt[s]
/// + Σ k_cyc ΔEFC/100, k_cal = k_ref exp(−Ea/R (1/T − 1/298.15)) (C (SoC − 0.5)³ + D) and
/// k_cyc = (A Crate + B)(C′ (DoD − 0.5)³ + D′). q1, q3, q7 and the two k_cal factors (separately) are
/// trapezoid time averages over the chunk.
public struct BlastLiteLfpGrSonyMurata3Ah: BlastLiteCalendarCycleModel {
    public static let className = "Lfp_Gr_SonyMurata3Ah_Battery"
    public static let outputNames = ["q", "q_LLI_t", "q_LLI_EFC", "q_BreakIn_EFC", "r", "r_LLI_t", "r_LLI_EFC"]
    public static let q1b = (0.989687151293590, -2881067.56019324, 8742.06309157261)
    public static let q2 = 0.000130510034211874
    public static let q3b = (0.000332850281062177, 734553185711.369, -2.82161575620780e-06,
                             -3284991315.45121, 0.00127227593657290)
    public static let q5b = (-6.81260579372875e-06, 2.59615973160844e-05, 2.11559710307295e-06)
    public static let q6 = 1.12847759334355
    public static let q7b = 0.582258029148225
    public static let q7soc = (skew: 0.0583128906965484, width: 0.208738181522897)
    public static let q7dod = (skew: -3.80744333129564, width: 1.16126260428210, growth: 25.4130804598602)
    public static let q8 = 0.00303553871631028, q9 = 1.43752162947637
    public static let rCal = (k: 3.4194e-10, ea: 71827.0, c: -3.3903, d: 1.5604)
    public static let rCyc = (a: -0.002, b: 0.0021, c: 6.8477, d: 0.91882)

    public var state = BlastLiteCalendarCycleState()
    /// Break-in capacity loss and the resistance gains over time and throughput.
    public private(set) var lossBreakIn = 1e-10
    public private(set) var gainCalendar = 0.0, gainCycling = 0.0
    /// Whether any chunk has been integrated: BLAST-Lite reports (and scales the first chunk's EFC
    /// and C-rate by) q = 1 for the fresh cell, although its break-in loss starts at 1e-10.
    public private(set) var aged = false

    public init() {}

    public var q: Double { aged ? 1 - lossCalendar - lossCycling - lossBreakIn : 1 }
    public var r: Double? { 1 + gainCalendar + gainCycling }

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(qCalendar); values.append(qCycling)
        values.append(aged ? 1 - lossBreakIn : 1); values.append(1 + gainCalendar + gainCycling)
        values.append(1 + gainCalendar); values.append(1 + gainCycling)
    }

    /// Skew-normal density 2 φ(x′) Φ(a x′), x′ = (x − 0.5)/w (scipy's `norm.pdf`, `norm.cdf`).
    @inlinable static func skewNormal(_ x: Double, skew: Double, width: Double) -> Double {
        let xp = (x - 0.5) / width
        let pdf = exp(-xp * xp / 2) / (2 * Double.pi).squareRoot()
        return 2 * pdf * (0.5 * erfc(-(skew * xp) / 2.0.squareRoot()))
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let dod = chunk.dod, crate = chunk.crate * qNow
        let rate5 = abs(Self.q5b.0 + Self.q5b.1 * dod + Self.q5b.2 * exp(dod * dod * (crate * crate * crate)))
        let dodFactor = Self.skewNormal(dod, skew: Self.q7dod.skew, width: Self.q7dod.width)
            * (2 * (0.5 - 1 / (1 + exp(Self.q7dod.growth * dod))))
        let rate1 = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let root = BlastLite.anodePotential(soc: s).squareRoot()
            return abs(Self.q1b.0 * exp(Self.q1b.1 * (1 / (kelvin * kelvin)) * root) * exp(Self.q1b.2 * (1 / kelvin) * root))
        }
        let rate3 = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let ua = BlastLite.anodePotential(soc: s), b = Self.q3b
            let cube = pow(ua, 1.0 / 3), quarter = pow(ua, 0.25)
            return abs(b.0 * exp(b.1 * (1 / pow(kelvin, 4)) * cube) * exp(b.2 * pow(kelvin, 3) * quarter)
                       * exp(b.3 * (1 / pow(kelvin, 3)) * cube) * exp(b.4 * (kelvin * kelvin) * quarter))
        }
        let rate7 = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { _, s in
            abs(Self.q7b * Self.skewNormal(s, skew: Self.q7soc.skew, width: Self.q7soc.width) * dodFactor)
        }
        let kTemperature = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            Self.rCal.k * exp((-Self.rCal.ea / 8.3144) * (1 / kelvin - 1 / 298.15))
        }
        let kSoC = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { _, s in
            Self.rCal.c * ((s - 0.5) * (s - 0.5) * (s - 0.5)) + Self.rCal.d
        }
        let dd = dod - 0.5
        let kCyc = (Self.rCyc.a * crate + Self.rCyc.b) * (Self.rCyc.c * (dd * dd * dd) + Self.rCyc.d)
        let dEFC = chunk.halfThroughput * qNow
        let x = degradationScalar
        let dCal = x * BlastLite.sigmoidStep(lossCalendar, chunk.days, rate1, Self.q2, rate3)
        let dCyc = x * BlastLite.powerBStep(lossCycling, dEFC, rate5, Self.q6)
        // BLAST-Lite's 0/0 for a zero-length chunk compares false, as does NaN > 3 here.
        let dBreakIn = dEFC / chunk.days > 3
            ? x * BlastLite.sigmoidStep(lossBreakIn, dEFC, rate7, Self.q8, Self.q9) : 0
        lossBreakIn += dBreakIn
        if chunk.days > 0 {
            // A zero-length chunk has NaN time averages; BLAST-Lite's NaN · 0 is taken as 0.
            gainCalendar += x * kTemperature * kSoC * chunk.days * 86_400
        }
        gainCycling += x * kCyc * dEFC / 100
        state.advance(days: chunk.days, efc: dEFC, calendar: dCal, cycling: dCyc)
        aged = true
    }
}
