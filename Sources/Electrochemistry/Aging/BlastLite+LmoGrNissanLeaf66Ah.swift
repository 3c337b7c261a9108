import Glibc

/// NREL BLAST-Lite's `Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/lmo_gr_NissanLeaf66Ah_2ndLife_2020.py`): second-life Nissan Leaf LMO | graphite
/// half-modules (2p, 66 Ah new, 46 Ah at second-life start), fitted to Braco et al., calendar data
/// in EEEIC/I&CPS Europe 2022 (doi:10.1109/EEEIC/ICPSEUROPE54979.2022.9854784) and cycling data in
/// J. Energy Storage 32 (2020) 101695.
///
/// q = 1 − q_loss,t − q_loss,EFC relative to the start of second life; `qNew` = 0.7 q relative to
/// the new cell. Power laws integrated in BLAST-Lite's state form (``BlastLite/powerStep``):
///
///     q_loss,t   = k_cal t^p_cal,   k_cal = A exp(B/T) exp(C soc/T)   (t in days, T in K)
///     q_loss,EFC = A_cyc EFC^p_cyc
///
/// k_cal is trapezoid time-averaged over each chunk. Cycling fade depends on charge throughput
/// only: fitted at 25 °C, 100 % DoD, 1C/1C (BLAST-Lite's note).
public struct BlastLiteLmoGrNissanLeaf66Ah: BlastLiteCalendarCycleModel {
    public static let className = "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery"
    public static let outputNames = ["q", "q_t", "q_EFC", "qNew"]
    public static let calA = 3.25e+08, calB = -7.58e+03, calC = 162.0, calP = 0.464
    public static let cycA = 7.58e-05, cycP = 1.08
    /// Relative capacity of the module at the start of its second life.
    public static let secondLifeStart = 0.7

    public var state = BlastLiteCalendarCycleState()

    public init() {}

    /// Capacity relative to the new cell.
    public var qNew: Double { Self.secondLifeStart * q }

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(qCalendar); values.append(qCycling); values.append(qNew)
    }

    /// Calendar rate k_cal (1/day^p_cal) at temperature `kelvin` and state of charge `soc`.
    @inlinable public static func calendarRate(kelvin: Double, soc: Double) -> Double {
        calA * exp(calB / kelvin) * exp(calC * soc / kelvin)
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let kCal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            Self.calendarRate(kelvin: kelvin, soc: s)
        }
        let dEFC = chunk.halfThroughput * qNow, x = degradationScalar
        state.advance(days: chunk.days, efc: dEFC,
                      calendar: x * BlastLite.powerStep(lossCalendar, chunk.days, kCal, Self.calP),
                      cycling: x * BlastLite.powerStep(lossCycling, dEFC, Self.cycA, Self.cycP))
    }
}
