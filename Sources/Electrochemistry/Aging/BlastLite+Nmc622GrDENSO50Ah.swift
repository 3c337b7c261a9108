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
public struct BlastLiteNmc622GrDENSO50Ah: BlastLiteCalendarCycleModel {
    public static let className = "Nmc622_Gr_DENSO50Ah_Battery"
    public static let outputNames = ["q", "q_t", "q_EFC", "q_BreakIn"]
    public static let b1tEa = 37000.0
    public static let b1t: (Double, Double, Double, Double, Double, Double) =
        (-0.000197, 0.0101, -0.0157, 0.00835, -4.06e-6, 3.32e-5)
    public static let b1nEa1 = -58000.0, b1nEa2 = -13000.0
    public static let b1n: (Double, Double, Double, Double, Double) = (3.24, 2.1, -0.099, 1.44, 0.985)

    public var state = BlastLiteCalendarCycleState()

    public init() {}

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(qCalendar); values.append(qCycling); values.append(1)
    }

    @inlinable static func arrhenius(_ kelvin: Double, _ ea: Double) -> Double {
        exp(-(ea / 8.3144) * ((1 / kelvin) - (1 / 298.15)))
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let crate = chunk.crate * qNow
        let cchg = chunk.days > 0 ? BlastLite.meanRate(time: time, soc: soc, charging: true) * qNow : 0
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
        state.advance(days: chunk.days, efc: dEFC, calendar: dCal, cycling: dCyc)
    }
}
