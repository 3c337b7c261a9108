import Glibc

/// NREL BLAST-Lite's `Lfp_Gr_250AhPrismatic` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/lfp_gr_250AhPrismatic_2019.py`): large-format prismatic LFP | graphite cells of
/// > 250 Ah, aging data of Gasper et al., J. Energy Storage 73 (2023) 109042.
///
/// q = 1 − q_loss,t − q_loss,EFC with power laws q_loss,t = k_cal t^p_cal (t in days) and
/// q_loss,EFC = k_cyc EFC^p_cyc, integrated in BLAST-Lite's state form (``BlastLite/powerStep``):
///
///     k_cal = |p1| exp(p2/T) exp(p3 Ua/T)
///     k_cyc = (p4 + p5 DoD + p6 Crate) (exp(p7/T) + exp(−p8/T))
///
/// both trapezoid time-averaged over each chunk, T in K, Ua the graphite potential at the sample's
/// SoC (``BlastLite/anodePotential(soc:)``), DoD = max − min SoC of the chunk and Crate the chunk's
/// mean |C-rate| scaled by q (``BlastLite/ChunkSummary``). Fitted on 10–45 °C, DoD 0.8–1, charge
/// ≤ 0.65 C: cycling fade extrapolates poorly outside that range (BLAST-Lite's note).
public struct BlastLiteLfpGr250AhPrismatic: BlastLiteCalendarCycleModel {
    public static let className = "Lfp_Gr_250AhPrismatic"
    /// Fitted coefficients p1…p8, p_cal, p_cyc (BLAST-Lite `_params_life`).
    public static let p1 = 8.37e+04, p2 = -5.21e+03, p3 = -3.56e+03, pCal = 0.526
    public static let p4 = 4.38e-08, p5 = 1.55e-08, p6 = 1.68e-07, p7 = 2.19e+03, p8 = 1.55e+05
    public static let pCyc = 0.828

    public var state = BlastLiteCalendarCycleState()

    public init() {}

    /// Calendar rate k_cal (1/day^p_cal) at temperature `kelvin` and state of charge `soc`.
    @inlinable public static func calendarRate(kelvin: Double, soc: Double) -> Double {
        abs(p1) * exp(p2 / kelvin) * exp(p3 * BlastLite.anodePotential(soc: soc) / kelvin)
    }

    /// Temperature factor exp(p7/T) + exp(−p8/T) of the cycling rate.
    @inlinable public static func cyclingTemperatureFactor(kelvin: Double) -> Double {
        exp(p7 / kelvin) + exp(-p8 / kelvin)
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let kCal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            Self.calendarRate(kelvin: kelvin, soc: s)
        }
        let thermal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            Self.cyclingTemperatureFactor(kelvin: kelvin)
        }
        let kCyc = (Self.p4 + Self.p5 * chunk.dod + Self.p6 * chunk.crate * qNow) * thermal
        let dEFC = chunk.halfThroughput * qNow, x = degradationScalar
        state.advance(days: chunk.days, efc: dEFC,
                      calendar: x * BlastLite.powerStep(lossCalendar, chunk.days, kCal, Self.pCal),
                      cycling: x * BlastLite.powerStep(lossCycling, dEFC, kCyc, Self.pCyc))
    }
}
