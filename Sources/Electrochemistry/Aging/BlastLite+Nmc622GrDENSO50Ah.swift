import Glibc

/// NREL BLAST-Lite's `Nmc622_Gr_DENSO50Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nmc622_gr_DENSO50Ah_2021.py`): DENSO 50 Ah NMC622 | graphite cells, the model of
/// Smith et al., J. Electrochem. Soc. 168 (2021) 100530 (doi:10.1149/1945-7111/ac2ebd).
///
/// q = 1 − q_loss,t − q_loss,EFC (BLAST-Lite's break-in states are identically zero: `q_BreakIn` = 1),
/// square-root laws in BLAST-Lite's state form (``BlastLite/powerStep``, p = 1/2):
///
///     q_loss,t   = b1t √t,               b1t = A(T, Ea_t) (c0 + c1 s + c2 s² + c3 s³ + c4 s T + c5 max(0, T − 328.15))
///     q_loss,EFC = b1t b1N n4 √EFC,      b1N = max(0, n0 A(T, Ea1) σ (1 + n1 s) + n2) + n3 A(T, Ea2) DoD⁶
///
/// with A(T, Ea) = exp(−Ea/R (1/T − 1/298.15)), T and s the chunk's mean temperature (K) and SoC
/// (plain sample means), σ = √(DoD · Cchg) — or √(DoD · Crate) when the chunk has no charging — with
/// Cchg the chunk's mean charging C-rate (trapezoid over charging steps only), Crate and Cchg scaled
/// by q. A cycling increment above 0.01 is replaced by 5·10⁻⁴ ΔEFC (BLAST-Lite's guard).
public struct BlastLiteNmc622GrDENSO50Ah: BlastLiteFadeModel {
    public static let className = "Nmc622_Gr_DENSO50Ah_Battery"
    public static let outputNames = ["q", "q_t", "q_EFC", "q_BreakIn"]
    public static let b1tEa = 37000.0
    public static let b1t: (Double, Double, Double, Double, Double, Double) =
        (-0.000197, 0.0101, -0.0157, 0.00835, -4.06e-6, 3.32e-5)
    public static let b1nEa1 = -58000.0, b1nEa2 = -13000.0
    public static let b1n: (Double, Double, Double, Double, Double) = (3.24, 2.1, -0.099, 1.44, 0.985)

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
        values.append(q); values.append(1 - lossCalendar); values.append(1 - lossCycling); values.append(1)
    }

    @inlinable static func arrhenius(_ kelvin: Double, _ ea: Double) -> Double {
        exp(-(ea / 8.3144) * ((1 / kelvin) - (1 / 298.15)))
    }

    /// Mean charging C-rate of a chunk (BLAST-Lite's `Cchg`, before scaling by q): rates with
    /// |rate| < 0.01 1/h set to 0, trapezoid over the charging steps' cumulative durations.
    static func chargeRate(time: ArraySlice<Double>, soc: ArraySlice<Double>) -> Double {
        var count = 0, first = 0.0, sum = 0.0, tCum = 0.0, prevT = 0.0, prevR = 0.0
        let ts = time.startIndex, ss = soc.startIndex
        var i = 0
        while i + 1 < soc.count {
            let dt = time[ts + i + 1] - time[ts + i]
            var rate = (soc[ss + i + 1] - soc[ss + i]) / (dt / 3600)
            if abs(rate) < 1e-2 { rate = 0 }
            if rate > 0 {
                tCum += dt
                if count == 0 { first = tCum } else { sum += 0.5 * (rate + prevR) * (tCum - prevT) }
                prevT = tCum; prevR = rate; count += 1
            }
            i += 1
        }
        if count == 0 { return 0 }
        if count == 1 { return prevR }
        return sum / (prevT - first)
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let crate = chunk.crate * qNow
        let cchg = chunk.days > 0 ? Self.chargeRate(time: time, soc: soc) * qNow : 0
        let stress = cchg == 0 ? (chunk.dod * crate).squareRoot() : (chunk.dod * cchg).squareRoot()
        let t = chunk.meanKelvin, s = chunk.meanSoC
        let c = Self.b1t, n = Self.b1n
        let b1t = Self.arrhenius(t, Self.b1tEa)
            * (c.0 + c.1 * s + c.2 * s * s + c.3 * s * s * s + c.4 * s * t + c.5 * max(0, t - 328.15))
        let dod6 = pow(chunk.dod, 6)
        let b1n = max(0, n.0 * Self.arrhenius(t, Self.b1nEa1) * stress * (1 + n.1 * s) + n.2)
            + n.3 * Self.arrhenius(t, Self.b1nEa2) * dod6
        let dEFC = chunk.halfThroughput * qNow
        let dCal = degradationScalar * BlastLite.powerStep(lossCalendar, chunk.days, b1t, 0.5)
        var dCyc = degradationScalar * BlastLite.powerStep(lossCycling, dEFC, b1t * b1n * n.4, 0.5)
        if dCyc > 1e-2 { dCyc = 5e-4 * dEFC }
        lossCalendar += dCal
        lossCycling += dCyc
        days += chunk.days
        efc += dEFC
    }
}
