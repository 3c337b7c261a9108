import Glibc

/// NREL BLAST-Lite's `Nmc_Lto_10Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nmc_lto_10Ah_2020.py`): commercial 10 Ah NMC | LTO cells, fitted to the aging data of
/// Bank et al., J. Power Sources 473 (2020) 228566 (doi:10.1016/j.jpowsour.2020.228566).
///
/// q = 1 − q_loss,t + q_gain,t − q_loss,EFC (LTO cells gain capacity early in calendar life), power
/// laws in BLAST-Lite's state form (``BlastLite/powerStep``), T̃ = T / 318.15 K:
///
///     q_gain,t   = α t^p_α,    α = α0 exp(α1/T̃) exp(α2 soc/T̃)                          (t in days)
///     q_loss,t   = β t^p_β,    β = β0 exp(β1/T̃) exp(β2 soc/T̃)      (p_β < 0, as fitted)
///     q_loss,EFC = γ EFC^p_γ,  γ = (γ0 + γ1 Crate + γ2 DoD³) exp(γ3/T̃)
///
/// α, β, γ trapezoid time-averaged over each chunk (Crate scaled by q).
public struct BlastLiteNmcLto10Ah: BlastLiteCalendarCycleModel {
    public static let className = "Nmc_Lto_10Ah_Battery"
    public static let outputNames = ["q", "q_t_loss", "q_t_gain", "q_EFC"]
    public static let alpha: (Double, Double, Double, p: Double) = (3.11e+11, -34.8, 1.07, 0.473)
    public static let beta: (Double, Double, Double, p: Double) = (7.86e+10, -35.8, 3.94, -0.553)
    public static let gamma: (Double, Double, Double, Double, p: Double) = (1.29, 7.83e-05, 4.02, -8.33, 0.526)

    /// Calendar loss (β term) and cycling loss; the calendar gain (α term) is kept beside them.
    public var state = BlastLiteCalendarCycleState()
    public private(set) var gainCalendar = 0.0

    public init() {}

    public var q: Double { 1 - lossCalendar + gainCalendar - lossCycling }
    /// The calendar part with its gain, 1 − loss + gain, so that q = q_t + q_EFC − 1 as for the other models
    /// (BLAST-Lite reports the two terms apart, as `q_t_loss` and `q_t_gain`).
    public var qCalendar: Double { 1 - lossCalendar + gainCalendar }

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(1 - lossCalendar); values.append(1 + gainCalendar); values.append(qCycling)
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let a = Self.alpha, b = Self.beta, g = Self.gamma
        let kAlpha = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let tn = kelvin / (273.15 + 45)
            return a.0 * exp(a.1 / tn) * exp(a.2 * s / tn)
        }
        let kBeta = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            let tn = kelvin / (273.15 + 45)
            return b.0 * exp(b.1 / tn) * exp(b.2 * s / tn)
        }
        let stress = g.0 + g.1 * chunk.crate * qNow + g.2 * chunk.dod * chunk.dod * chunk.dod
        let kGamma = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            stress * exp(g.3 / (kelvin / (273.15 + 45)))
        }
        let dEFC = chunk.halfThroughput * qNow
        let k = degradationScalar
        let dGain = k * BlastLite.powerStep(gainCalendar, chunk.days, kAlpha, a.p)
        let dLoss = k * BlastLite.powerStep(lossCalendar, chunk.days, kBeta, b.p)
        let dCyc = k * BlastLite.powerStep(lossCycling, dEFC, kGamma, g.p)
        gainCalendar += dGain
        state.advance(days: chunk.days, efc: dEFC, calendar: dLoss, cycling: dCyc)
    }
}
