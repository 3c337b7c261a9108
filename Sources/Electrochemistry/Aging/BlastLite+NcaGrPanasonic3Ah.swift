import Glibc

/// NREL BLAST-Lite's `Nca_Gr_Panasonic3Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nca_gr_Panasonic3Ah_2018.py`): Panasonic NCR18650B (NCA | graphite, 3.2 Ah); calendar
/// data of Keil et al., J. Electrochem. Soc. 163 (2016) A1872 (doi:10.1149/2.0411609jes), cycling data
/// of Preger et al., J. Electrochem. Soc. 167 (2020) 120532 (doi:10.1149/1945-7111/abae37).
///
/// q = 1 − q_loss,t − q_loss,EFC with power laws in BLAST-Lite's state form (``BlastLite/powerStep``):
///
///     q_loss,t   = k_cal t^p_cal,   k_cal = A exp(B/T) exp(C soc/T)                       (t in days)
///     q_loss,EFC = k_cyc EFC^p_cyc, k_cyc = (A' + B' Crate + C' DoD) (exp(D'/T) + exp(−E'/T))
///
/// both trapezoid time-averaged over each chunk (T in K; Crate, DoD per chunk as in
/// ``BlastLite/ChunkSummary``, Crate scaled by q).
public struct BlastLiteNcaGrPanasonic3Ah: BlastLiteFadeModel {
    public static let className = "Nca_Gr_Panasonic3Ah_Battery"
    public static let outputNames = ["q", "q_t", "q_EFC"]
    public static let calA = 75.4, calB = -3.34e+03, calC = 353.0, calP = 0.512
    public static let cycA = 1.86e-06, cycB = 4.74e-11, cycC = 0.000177, cycD = 3.34e-11, cycE = 2.81e-09
    public static let cycP = 0.699

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
