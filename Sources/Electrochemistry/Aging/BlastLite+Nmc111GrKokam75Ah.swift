import Glibc

/// NREL BLAST-Lite's `Nmc111_Gr_Kokam75Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nmc111_gr_Kokam75Ah_2017.py`), fitted to the Kokam 75 Ah NMC111 | graphite pouch-cell
/// data of Smith et al., American Control Conference 2017, 4062–4068 (doi:10.23919/ACC.2017.7963578).
/// No C-rate dependence.
///
/// Capacity is limited by lithium inventory (LLI) or active material (LAM), whichever is lower:
/// q = min(1 − q_t − q_EFC, 1.01 − q_LAM), with power laws q_t = q1 t^q2 (t in days), q_EFC = q3 EFC^q4
/// (``BlastLite/powerStep``) and a sigmoid LAM loss q_LAM = 2 (1/2 − 1/(1 + exp((EFC/q5)^p_LAM)))
/// (``BlastLite/sigmoidStep``) started at 1e-8. With T̃ = T/308.15 K, Ũa = Ua/0.123 V
/// (``BlastLite/anodePotential(soc:)``), T in °C for q5, the chunk's DoD and mean SoC:
///
///     q1 = 2.66e7 exp(−17.8/T̃) exp(−5.21 Ũa/T̃)              q2 = 0.357
///     q3 = 3.80e3 exp(−18.4/T̃) exp(1.04 exp(DoD²))          q4 = 0.778
///     q5 = 1e4 + 153 (T − 55) DoD (mean SoC / 0.6)            p_LAM = 10
///
/// each trapezoid time-averaged over the chunk. Resistance r = max(r_LLI, r_LAM) with
/// r_LLI = 1 + r1 q1 t^r2 + r3 q3 EFC^r4 and r_LAM = r5 + r6 / q_LAM.
public struct BlastLiteNmc111GrKokam75Ah: BlastLiteCalendarCycleModel {
    public static let className = "Nmc111_Gr_Kokam75Ah_Battery"
    public static let outputNames = ["q", "q_LLI", "q_LLI_t", "q_LLI_EFC", "q_LAM",
                                     "r", "r_LLI", "r_LLI_t", "r_LLI_EFC", "r_LAM"]
    public static let q1 = (k: 2.66e7, t: -17.8, ua: -5.21), q2 = 0.357
    public static let q3 = (k: 3.80e3, t: -18.4, dod: 1.04), q4 = 0.778
    public static let q5 = (k: 1e4, t: 153.0), pLAM = 10.0
    public static let r1 = 0.0570, r2 = 1.25, r3 = 4.87, r4 = 0.712, r5 = -0.08, r6 = 1.09

    /// Lithium-inventory losses (time and throughput driven).
    public var state = BlastLiteCalendarCycleState()
    /// Active-material loss.
    public private(set) var lossLAM = 1e-8
    /// Resistance gains tied to the two lithium-inventory losses.
    public private(set) var gainCalendar = 0.0, gainCycling = 0.0
    /// Whether any chunk has been integrated: BLAST-Lite reports r_LAM = 1 (not r5 + r6/1.01) and
    /// q_LAM = 1.01 for the fresh cell.
    public private(set) var aged = false

    public init() {}

    /// Relative lithium inventory (its calendar and cycling parts `q_LLI_t`, `q_LLI_EFC` are
    /// `qCalendar`, `qCycling`).
    public var qLLI: Double { 1 - lossCalendar - lossCycling }
    /// Relative active material (`q_LAM`, starts at 1.01).
    public var qLAM: Double { 1.01 - lossLAM }
    public var q: Double { min(qLLI, qLAM) }
    public var rLLI: Double { 1 + gainCalendar + gainCycling }
    public var rLAM: Double { Self.r5 + Self.r6 * (1 / qLAM) }
    public var r: Double? { max(rLLI, rLAM) }

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        let lam = aged ? rLAM : 1
        values.append(q); values.append(qLLI); values.append(qCalendar); values.append(qCycling)
        values.append(aged ? qLAM : 1.01); values.append(max(rLLI, lam)); values.append(rLLI)
        values.append(1 + gainCalendar); values.append(1 + gainCycling); values.append(lam)
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let dod = chunk.dod
        let cycling = Self.q3.k * exp(Self.q3.dod * exp(dod * dod))
        let lam = Self.q5.t * dod * (chunk.meanSoC / 0.6)
        let rate1 = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let tn = kelvin / (273.15 + 35), ua = BlastLite.anodePotential(soc: s) / 0.123
            return Self.q1.k * exp(Self.q1.t * (1 / tn)) * exp(Self.q1.ua * (ua / tn))
        }
        let rate3 = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            cycling * exp(Self.q3.t * (1 / (kelvin / (273.15 + 35))))
        }
        let rate5 = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            Self.q5.k + (kelvin - 273.15 - 55) * lam
        }
        let dEFC = chunk.halfThroughput * qNow
        let x = degradationScalar
        let dCal = x * BlastLite.powerStep(lossCalendar, chunk.days, rate1, Self.q2)
        let dCyc = x * BlastLite.powerStep(lossCycling, dEFC, rate3, Self.q4)
        let dLAM = x * BlastLite.sigmoidStep(lossLAM, dEFC, 1, 1 / rate5, Self.pLAM)
        let dRCal = x * BlastLite.powerStep(gainCalendar, chunk.days, Self.r1 * rate1, Self.r2)
        let dRCyc = x * BlastLite.powerStep(gainCycling, dEFC, Self.r3 * rate3, Self.r4)
        lossLAM += dLAM
        gainCalendar += dRCal; gainCycling += dRCyc
        state.advance(days: chunk.days, efc: dEFC, calendar: dCal, cycling: dCyc)
        aged = true
    }
}
