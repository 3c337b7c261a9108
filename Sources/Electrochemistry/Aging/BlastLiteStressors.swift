import Glibc

/// Chunk stressors shared by BLAST-Lite models (`BatteryDegradationModel._extract_stressors` and the
/// state-update laws of `blast/models/degradation_model.py`, NREL BLAST-Lite v1.1).
extension BlastLite {
    /// Safari–Delacourt graphite open-circuit potential (V) at the lithiation x = 0.0085 + soc (0.78 −
    /// 0.0085) (M. Safari, C. Delacourt, J. Electrochem. Soc. 158 (2011) A562; stoichiometry window of
    /// Schimpe et al., J. Electrochem. Soc. 165 (2018) A181), BLAST-Lite's `_get_Ua`.
    @inlinable public static func anodePotential(soc: Double) -> Double {
        let x = 8.5e-3 + soc * (0.78 - 8.5e-3)
        return 0.6379 + 0.5416 * exp(-305.5309 * x) + 0.044 * tanh(-(x - 0.1958) / 0.1088)
            - 0.1978 * tanh((x - 1.0571) / 0.0854) - 0.6875 * tanh((x + 0.0117) / 0.0529)
            - 0.0175 * tanh((x - 0.5692) / 0.0875)
    }

    /// `_update_power_state`: increment of a state following y = k x^p over dx, from y0 (the first
    /// step, y0 = 0, is y = k dx^p; later ones integrate dy/dx = k p (y/k)^((p−1)/p)).
    @inlinable public static func powerStep(_ y0: Double, _ dx: Double, _ k: Double, _ p: Double) -> Double {
        if dx == 0 { return 0 }
        if y0 == 0 { return k * pow(dx, p) }
        return k * p * pow(y0 / k, (p - 1) / p) * dx
    }

    /// `_update_power_B_state`: increment of y = (k x)^p over dx from y0.
    @inlinable public static func powerBStep(_ y0: Double, _ dx: Double, _ k: Double, _ p: Double) -> Double {
        if dx == 0 { return 0 }
        if y0 == 0 { return pow(k * dx, p) }
        let z = pow(y0, 1 / p) / k
        return p * pow(k * z, p) / z * dx
    }

    /// `_update_sigmoid_state`: increment of y = 2 y∞ (1/2 − 1/(1 + exp((k x)^p))) over dx from y0.
    /// A state at or above the chunk's plateau y∞ (e.g. after a hot spell, when a cold chunk lowers
    /// y∞) lies on no trajectory; BLAST-Lite then takes the log of a negative number and carries NaN
    /// from then on, here it does not grow (dy/dx → 0 as y → y∞).
    @inlinable public static func sigmoidStep(_ y0: Double, _ dx: Double, _ yInf: Double, _ k: Double,
                                              _ p: Double) -> Double {
        if dx == 0 { return 0 }
        if y0 == 0 { return 2 * yInf * (0.5 - 1 / (1 + exp(pow(k * dx, p)))) }
        let argument = -(2 * yInf / (y0 - yInf)) - 1
        guard argument > 1, argument.isFinite else { return 0 }
        let xInv = (1 / k) * pow(log(argument), 1 / p)
        let z = pow(k * xInv, p)
        let e = exp(z)
        return 2 * yInf * p * e * z / (xInv * (e + 1) * (e + 1)) * dx
    }

    /// `_update_exponential_relax_state`: increment of y = y∞ (1 − exp(−τ x)) over dx from y0, in
    /// BLAST-Lite's form dy/dx = τ y∞² / (y∞ − y0), floored at 0.
    @inlinable public static func exponentialRelaxStep(_ y0: Double, _ dx: Double, _ yInf: Double,
                                                       _ tau: Double) -> Double {
        if dx == 0 { return 0 }
        return max(0, tau * yInf * yInf / (yInf - y0)) * dx
    }

    /// Summary of one chunk: elapsed days, SoC throughput/2 (EFC before scaling by q), depth of
    /// discharge max − min, and BLAST-Lite's mean |C-rate| (before scaling by q): the instantaneous
    /// |dSoC/dt| (1/h, values < 0.01 set to 0) trapezoid-integrated over `t_days[1:]` and divided by
    /// the whole chunk duration (0 for a chunk of one sample).
    public struct ChunkSummary: Sendable {
        public var days = 0.0, halfThroughput = 0.0, dod = 0.0, crate = 0.0
        public var meanSoC = 0.0, meanKelvin = 0.0
        /// Lowest and highest SoC of the chunk (BLAST-Lite's `soc_low`, `soc_high`).
        public var socMin = 0.0, socMax = 0.0

        public init(time: ArraySlice<Double>, soc: ArraySlice<Double>, temperature: ArraySlice<Double>) {
            let ts = time.startIndex, ss = soc.startIndex, ms = temperature.startIndex, n = time.count
            var lo = soc[ss], hi = soc[ss], through = 0.0, integral = 0.0, previous = 0.0
            var socSum = soc[ss], kelvinSum = temperature[ms]
            for k in 1..<max(n, 1) {
                let s = soc[ss + k], dt = time[ts + k] - time[ts + k - 1]
                lo = min(lo, s); hi = max(hi, s)
                through += abs(s - soc[ss + k - 1])
                socSum += s; kelvinSum += temperature[ms + k]
                var rate = abs(s - soc[ss + k - 1]) / (dt / 3600)
                if rate < 1e-2 { rate = 0 }
                if k >= 2 { integral += 0.5 * (rate + previous) * dt / 86_400 }
                previous = rate
            }
            days = (time[ts + n - 1] - time[ts]) / 86_400
            halfThroughput = through / 2
            dod = hi - lo
            socMin = lo; socMax = hi
            crate = days > 0 ? integral / days : 0
            meanSoC = socSum / Double(n)
            meanKelvin = kelvinSum / Double(n) + 273.15
        }
    }

    /// Mean charging (or discharging) C-rate magnitude of a chunk (BLAST-Lite's `Cchg`, `Cdis`, before
    /// scaling by q): instantaneous rates with |rate| < 0.01 1/h are set to 0, the charging (discharging)
    /// intervals are laid end to end on their cumulative durations and trapezoid-integrated; a single
    /// such interval gives its rate, none gives 0.
    public static func meanRate(time: ArraySlice<Double>, soc: ArraySlice<Double>, charging: Bool) -> Double {
        let ts = time.startIndex, ss = soc.startIndex
        var count = 0, first = 0.0, clock = 0.0, previousClock = 0.0, previousRate = 0.0, sum = 0.0
        var i = 0
        while i + 1 < soc.count {
            let dt = time[ts + i + 1] - time[ts + i]
            var rate = (soc[ss + i + 1] - soc[ss + i]) / (dt / 3600)
            if abs(rate) < 1e-2 { rate = 0 }
            if charging ? rate > 0 : rate < 0 {
                rate = abs(rate)
                clock += dt
                if count == 0 { first = clock } else { sum += 0.5 * (rate + previousRate) * (clock - previousClock) }
                previousClock = clock; previousRate = rate; count += 1
            }
            i += 1
        }
        if count == 0 { return 0 }
        if count == 1 { return previousRate }
        return sum / (previousClock - first)
    }

    /// Trapezoid time average over a chunk of `f(kelvin, soc)` (BLAST-Lite's `np.trapz(k, t) / Δt`);
    /// NaN for a one-sample chunk, as in BLAST-Lite (the rate is then multiplied by a zero step).
    @inlinable public static func timeAverage(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                              temperature: ArraySlice<Double>,
                                              _ f: (_ kelvin: Double, _ soc: Double) -> Double) -> Double {
        let ts = time.startIndex, ss = soc.startIndex, ms = temperature.startIndex
        var previous = f(temperature[ms] + 273.15, soc[ss]), sum = 0.0
        for k in 1..<max(time.count, 1) {
            let value = f(temperature[ms + k] + 273.15, soc[ss + k])
            sum += 0.5 * (value + previous) * (time[ts + k] - time[ts + k - 1])
            previous = value
        }
        return sum / (time[ts + time.count - 1] - time[ts])
    }
}
