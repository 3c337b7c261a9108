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
public struct BlastLiteNmc811GrSiLGM50: BlastLiteFadeModel, Sendable {
    public static let pCal = 0.651697743905278
    public static let b: (Double, Double, Double, Double, Double) =
        (-2.39156628786525, 2.44205317834185, -4.45998246136905, 0.448140062203916, -0.185337797906876)
    public static let pCyc = 0.441996792536332
    public static let c: (Double, Double, Double) = (0.181235015387132, -0.123779206033993, 1.24459541295018)

    public private(set) var lossCalendar = 0.0
    public private(set) var lossCycling = 0.0
    /// Elapsed days and equivalent full cycles (EFC scaled by q, as in BLAST-Lite).
    public private(set) var days = 0.0
    public private(set) var efc = 0.0
    /// Multiplies every state increment (BLAST-Lite's `degradation_scalar`).
    public var degradationScalar = 1.0

    public init() {}

    public static let className = "Nmc811_GrSi_LGM50_5Ah_Battery"
    public static let outputNames = ["q", "q_t", "q_EFC"]
    public var r: Double? { nil }
    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(qCalendar); values.append(qCycling)
    }

    public var q: Double { 1 - lossCalendar - lossCycling }
    public var qCalendar: Double { 1 - lossCalendar }
    public var qCycling: Double { 1 - lossCycling }

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

    /// Mean discharge C-rate over a chunk (BLAST-Lite's `Cdis`, before scaling by q).
    static func dischargeRate(time: ArraySlice<Double>, soc: ArraySlice<Double>) -> Double {
        var count = 0, first = 0.0, last = 0.0, sum = 0.0, tCum = 0.0, prevT = 0.0, prevR = 0.0
        let ts = time.startIndex, ss = soc.startIndex
        var i = 0
        while i + 1 < soc.count {
            let dt = time[ts + i + 1] - time[ts + i]
            var rate = (soc[ss + i + 1] - soc[ss + i]) / (dt / 3600)
            if abs(rate) < 1e-2 { rate = 0 }
            if rate < 0 {
                tCum += dt
                if count == 0 { first = tCum; last = rate } else {
                    sum += 0.5 * (rate + prevR) * (tCum - prevT)
                }
                prevT = tCum; prevR = rate; count += 1
            }
            i += 1
        }
        if count == 0 { return 0 }
        if count == 1 { return abs(last) }
        return abs(sum / (prevT - first))
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let t0 = time[time.startIndex], t1 = time[time.endIndex - 1]
        let span = t1 - t0
        let qNow = q
        var throughput = 0.0
        var kCal = 0.0, kCyc = 0.0
        let cdis = Self.dischargeRate(time: time, soc: soc) * qNow
        var prevCal = 0.0, prevCyc = 0.0
        for (n, i) in time.indices.enumerated() {
            let j = soc.startIndex + n, m = temperature.startIndex + n
            let kelvin = temperature[m] + 273.15
            let cal = Self.calendarRate(kelvin: kelvin, soc: soc[j])
            let cyc = Self.cyclingRate(kelvin: kelvin, cdis: cdis)
            if n > 0 {
                let dt = time[i] - time[i - 1]
                kCal += 0.5 * (cal + prevCal) * dt
                kCyc += 0.5 * (cyc + prevCyc) * dt
                throughput += abs(soc[j] - soc[j - 1])
            }
            prevCal = cal; prevCyc = cyc
        }
        kCal /= span; kCyc /= span
        let dDays = span / 86_400, dEFC = throughput / 2 * qNow
        let dCal = degradationScalar * BlastLite.powerStep(lossCalendar, dDays / 1e4, kCal, Self.pCal)
        let dCyc = degradationScalar * BlastLite.powerStep(lossCycling, dEFC / 1e4, kCyc, Self.pCyc)
        lossCalendar += dCal
        lossCycling += dCyc
        days += dDays
        efc += dEFC
    }
}
