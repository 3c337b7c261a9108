import Glibc

/// NREL BLAST-Lite's `Nmc811_GrSi_LGMJ1_4Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nmc811_grSi_LGMJ1_4Ah_2020.py`): LG MJ1 18650 (NMC811 | graphite-SiOx, 3.5 Ah),
/// fitted to the EU EVERLASTING project's aging data (report D2.3, 2020).
///
/// q = 1 − q_loss,t − q_loss,EFC, power laws in BLAST-Lite's state form (``BlastLite/powerStep``):
///
///     q_loss,t   = k_cal t^p_cal,   k_cal = A exp(B/T) exp(C soc/T)                       (t in days)
///     q_loss,EFC = k_cyc EFC^p_cyc, k_cyc = (A' + B' Crate + C' DoD) (exp(D'/T) + exp(−E'/T))
///
/// both trapezoid time-averaged over each chunk (T in K; Crate scaled by q).
public struct BlastLiteNmc811GrSiLGMJ1: BlastLiteFadeModel {
    public static let className = "Nmc811_GrSi_LGMJ1_4Ah_Battery"
    public static let outputNames = ["q", "q_t", "q_EFC"]
    public static let calA = 0.0353, calB = -1.03e+03, calC = 57.7, calP = 0.743
    public static let cycA = 1.77e-07, cycB = 8.08e-13, cycC = 2.21e-07, cycD = 2.25e+03, cycE = 1.14e+04
    public static let cycP = 0.695

    public private(set) var lossCalendar = 0.0
    public private(set) var lossCycling = 0.0
    public private(set) var days = 0.0
    public private(set) var efc = 0.0
    /// Multiplies every state increment (BLAST-Lite's `degradation_scalar`).
    public var degradationScalar = 1.0

    public init() {}

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
        let kCal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            Self.calA * exp(Self.calB / kelvin) * exp(Self.calC * s / kelvin)
        }
        let thermal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            exp(Self.cycD / kelvin) + exp(-Self.cycE / kelvin)
        }
        let kCyc = (Self.cycA + Self.cycB * chunk.crate * qNow + Self.cycC * chunk.dod) * thermal
        let dEFC = chunk.halfThroughput * qNow
        lossCalendar += degradationScalar * BlastLite.powerStep(lossCalendar, chunk.days, kCal, Self.calP)
        lossCycling += degradationScalar * BlastLite.powerStep(lossCycling, dEFC, kCyc, Self.cycP)
        days += chunk.days
        efc += dEFC
    }
}
