import Glibc

/// Coefficients of a ``BlastLiteArrheniusPowerLaw`` model (BLAST-Lite `_params_life`).
public protocol BlastLiteArrheniusPowerLawCoefficients: Sendable {
    /// BLAST-Lite's class name.
    static var className: String { get }
    /// k_cal = a exp(b/T) exp(c soc/T), exponent p.
    static var calendar: (a: Double, b: Double, c: Double, p: Double) { get }
    /// k_cyc = (a + b Crate + c DoD) (exp(d/T) + exp(−e/T)), exponent p.
    static var cycling: (a: Double, b: Double, c: Double, d: Double, e: Double, p: Double) { get }
}

/// The calendar-plus-cycling form shared by BLAST-Lite's `Nca_Gr_Panasonic3Ah_Battery` and
/// `Nmc811_GrSi_LGMJ1_4Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1): q = 1 − q_loss,t − q_loss,EFC
/// with power laws in BLAST-Lite's state form (``BlastLite/powerStep``):
///
///     q_loss,t   = k_cal t^p_cal,   k_cal = A exp(B/T) exp(C soc/T)                       (t in days)
///     q_loss,EFC = k_cyc EFC^p_cyc, k_cyc = (A' + B' Crate + C' DoD) (exp(D'/T) + exp(−E'/T))
///
/// both trapezoid time-averaged over each chunk (T in K; Crate, DoD per chunk as in
/// ``BlastLite/ChunkSummary``, Crate scaled by q).
public struct BlastLiteArrheniusPowerLaw<Coefficients: BlastLiteArrheniusPowerLawCoefficients>:
    BlastLiteCalendarCycleModel {
    public static var className: String { Coefficients.className }
    public var state = BlastLiteCalendarCycleState()

    public init() {}

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let cal = Coefficients.calendar, cyc = Coefficients.cycling
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let kCal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            cal.a * exp(cal.b / kelvin) * exp(cal.c * s / kelvin)
        }
        let thermal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            exp(cyc.d / kelvin) + exp(-cyc.e / kelvin)
        }
        let kCyc = (cyc.a + cyc.b * chunk.crate * qNow + cyc.c * chunk.dod) * thermal
        let dEFC = chunk.halfThroughput * qNow, x = degradationScalar
        state.advance(days: chunk.days, efc: dEFC,
                      calendar: x * BlastLite.powerStep(lossCalendar, chunk.days, kCal, cal.p),
                      cycling: x * BlastLite.powerStep(lossCycling, dEFC, kCyc, cyc.p))
    }
}
