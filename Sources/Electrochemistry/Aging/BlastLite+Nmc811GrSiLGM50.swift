import Glibc

/// NREL BLAST-Lite's semi-empirical capacity-fade model `Nmc811_GrSi_LGM50_5Ah_Battery` (P. Gasper,
/// NREL; BLAST-Lite v1.1, github.com/NREL/BLAST-Lite, `blast/models/nmc811_grSi_LGM50_5Ah_2021.py`),
/// fitted to the LG M50 (NMC811 | graphite-SiOx, 5 Ah) aging data of Bui et al., IEEE 2021
/// (IEEE Xplore document 9617644).
///
/// q = 1 − q_loss,t − q_loss,EFC with power laws q_loss,t = k_cal (t/10⁴ d)^p_cal and
/// q_loss,EFC = k_cyc (EFC/10⁴)^p_cyc, integrated in BLAST-Lite's state form
/// dy = k p (y/k)^((p−1)/p) dx (first step y = k dx^p). With T̃ = T/308.15 K and Ũa = Ua/0.123 V:
///
///     k_cal = b0 + b1 exp(T̃³ Ũa^(−1/3)) + b2 T̃³ Ũa^(−1/2) + b3 exp(T̃⁻² √soc) + b4 exp(soc³)
///     k_cyc = c0 exp(c1 Cdis³) exp(c2 T̃³ √Cdis)
///
/// k_cal is time-averaged (trapezoid) over each chunk; Cdis is the mean discharge C-rate of the chunk
/// (|rates| < 0.01 1/h dropped), scaled by q. Ua is the graphite potential of Safari & Delacourt,
/// J. Electrochem. Soc. 158 (2011) A562, at x = 0.0085 + soc (0.78 − 0.0085) (Schimpe et al.,
/// J. Electrochem. Soc. 165 (2018) A181).
public struct BlastLiteNmc811GrSiLGM50: BlastLiteCalendarCycleModel {
    public static let pCal = 0.651697743905278
    public static let b: (Double, Double, Double, Double, Double) =
        (-2.39156628786525, 2.44205317834185, -4.45998246136905, 0.448140062203916, -0.185337797906876)
    public static let pCyc = 0.441996792536332
    public static let c: (Double, Double, Double) = (0.181235015387132, -0.123779206033993, 1.24459541295018)

    public static let className = "Nmc811_GrSi_LGM50_5Ah_Battery"
    public var state = BlastLiteCalendarCycleState()

    public init() {}

    /// Calendar rate coefficient at temperature `kelvin` and state of charge `soc`.
    @inlinable public static func calendarRate(kelvin: Double, soc: Double) -> Double {
        let tn = kelvin / (273.15 + 35), ua = BlastLite.anodePotential(soc: soc) / 0.123
        let tn3 = tn * tn * tn
        return b.0 + b.1 * exp(tn3 / cbrt(ua)) + b.2 * tn3 / ua.squareRoot()
            + b.3 * exp(soc.squareRoot() / (tn * tn)) + b.4 * exp(soc * soc * soc)
    }

    /// Cycling rate coefficient at temperature `kelvin` and discharge C-rate `cdis` (1/h).
    @inlinable public static func cyclingRate(kelvin: Double, cdis: Double) -> Double {
        let tn = kelvin / (273.15 + 35)
        return c.0 * exp(c.1 * cdis * cdis * cdis) * exp(c.2 * tn * tn * tn * cdis.squareRoot())
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let qNow = q
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        let cdis = BlastLite.meanRate(time: time, soc: soc, charging: false) * qNow
        let kCal = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            Self.calendarRate(kelvin: kelvin, soc: s)
        }
        let kCyc = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, _ in
            Self.cyclingRate(kelvin: kelvin, cdis: cdis)
        }
        let dEFC = chunk.halfThroughput * qNow, x = degradationScalar
        state.advance(days: chunk.days, efc: dEFC,
                      calendar: x * BlastLite.powerStep(lossCalendar, chunk.days / 1e4, kCal, Self.pCal),
                      cycling: x * BlastLite.powerStep(lossCycling, dEFC / 1e4, kCyc, Self.pCyc))
    }
}
