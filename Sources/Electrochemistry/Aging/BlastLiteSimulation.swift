/// Life-simulation driver of NREL's BLAST-Lite (Gasper, Smith, Saxon et al., "BLAST-Lite: Battery
/// Lifetime Analysis and Simulation Tool", NREL, github.com/NREL/BLAST-Lite, v1.1;
/// `BatteryDegradationModel.simulate_battery_life`).
///
/// The SoC series is cut at breakpoints found from rainflow turning points (ASTM E1049-85): a
/// breakpoint every time 1 day elapses without a turning point, or when more than 1 equivalent full
/// cycle (EFC) accumulates between turning points. Chunk k spans samples `[prior, bp]` inclusive and
/// the next chunk starts at `bp + 1` (the step between them is not counted, as in BLAST-Lite). Before
/// each chunk, the chunk's SoC swings are stretched by `1/q` about its first sample (energy
/// throughput conserved, clipped to [0, 1]). BLAST-Lite also shifts the rest of the series by the
/// difference between the stretched and the stored chunk end, but after storing the stretched chunk,
/// so the shift is zero: every chunk is stretched from the original series. The series is repeated
/// until the simulated time exceeds its span minus 1 s.
public protocol BlastLiteFadeModel: Sendable {
    /// BLAST-Lite's class name (e.g. `Lfp_Gr_250AhPrismatic`).
    static var className: String { get }
    /// Output columns after `day,efc`, BLAST-Lite's names, `q` first (then `q_t`, `q_EFC`, `r`, ...).
    static var outputNames: [String] { get }
    /// Current relative capacity q.
    var q: Double { get }
    /// The capacity left by the calendar and by the cycling fade alone (BLAST-Lite's `q_t` and `q_EFC`, or the
    /// model's own names for them, such as `q_LLI_t` and `q_LLI_EFC`).
    var qCalendar: Double { get }
    var qCycling: Double { get }
    /// Relative resistance r, for models that have one.
    var r: Double? { get }
    /// Elapsed days and equivalent full cycles (EFC scaled by q, as in BLAST-Lite).
    var days: Double { get }
    var efc: Double { get }
    /// Current values of `outputNames`, written into `values` (resized to fit).
    func outputs(into values: inout [Double])
    /// A fresh model (unaged, degradation scalar 1).
    init()
    /// Advances the states over one chunk of samples (t in s, SoC in [0, 1], T in °C).
    mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>, temperature: ArraySlice<Double>)
}

/// Profile helpers and the breakpoint driver shared by BLAST-Lite models.
public enum BlastLite {
    /// Reversal indices with the convention of the `rainflow` package used by BLAST-Lite: on a plateau
    /// the *last* sample of the plateau is reported; the first and last samples are always included.
    public static func reversalIndices(_ series: [Double]) -> [Int] {
        guard series.count >= 2 else { return [] }
        var result = [0]
        var x = series[1]
        var dLast = x - series[0]
        var index = 1
        while index + 1 < series.count {
            let next = series[index + 1]
            if next != x {
                let d = next - x
                if dLast * d < 0 { result.append(index) }
                x = next
                dLast = d
            }
            index += 1
        }
        result.append(series.count - 1)
        return result
    }

    /// Sorted, unique end indices of the rainflow cycles of `series` (BLAST-Lite's turning points).
    public static func turningPoints(_ series: [Double]) -> [Int] {
        let reversals = reversalIndices(series)
        // Two reversals (e.g. a constant series) form one residue half cycle, even of zero range.
        if reversals.count <= 2 { return reversals.count == 2 ? [reversals[1]] : [] }
        let values = reversals.map { series[$0] }
        var ends = Rainflow.count(values).map { reversals[$0.endIndex] }
        ends.sort()
        var unique: [Int] = []
        for e in ends where unique.last != e { unique.append(e) }
        return unique
    }

    /// BLAST-Lite's `_find_breakpoints` (defaults: 86 400 s, 1 EFC).
    public static func breakpoints(time: [Double], soc: [Double], maxTimeDiff: Double = 86_400,
                                   maxEFCDiff: Double = 1) -> [Int] {
        var efc = [Double](repeating: 0, count: soc.count)
        for i in soc.indices.dropFirst() { efc[i] = efc[i - 1] + abs(soc[i] - soc[i - 1]) / 2 }
        var result: [Int] = []
        var last = 0
        for i in turningPoints(soc) {
            if time[i] - time[last] > maxTimeDiff {
                for j in last..<i where time[j] - time[last] > maxTimeDiff {
                    result.append(j)
                    last = j
                }
                continue
            }
            if efc[i] - efc[last] > maxEFCDiff {
                result.append(i)
                last = i
            }
        }
        if result.last != soc.count - 1 { result.append(soc.count - 1) }
        return result
    }

    /// Runs `model` over the profile as `simulate_battery_life` does (no thresholds other than time);
    /// `record` is called after each chunk with (days, q).
    public static func simulate<M: BlastLiteFadeModel>(
        _ model: inout M, time: [Double], soc: [Double], temperature: [Double],
        record: (inout M) -> Void
    ) {
        guard time.count >= 2, soc.count == time.count, temperature.count == time.count else { return }
        let breaks = breakpoints(time: time, soc: soc)
        let thresholdSeconds = time[time.count - 1] - 1
        var elapsed = 0.0
        var chunk = [Double]()
        chunk.reserveCapacity(soc.count)
        while true {
            var prior = 0
            for bp in breaks {
                chunk.removeAll(keepingCapacity: true)
                let factor = 1 / model.q
                let s0 = soc[prior]
                var outside = false
                for i in prior...bp {
                    let v = s0 + factor * (soc[i] - s0)
                    if v > 1 || v < 0 { outside = true }
                    chunk.append(v)
                }
                if outside { for k in chunk.indices { chunk[k] = max(0, min(1, chunk[k])) } }
                model.update(time: time[prior...bp], soc: chunk[...], temperature: temperature[prior...bp])
                elapsed += time[bp] - time[prior]
                record(&model)
                prior = bp + 1
                if elapsed > thresholdSeconds { return }
            }
        }
    }

    /// Piecewise-linear daily SoC profile through (hour, SoC) knots, sampled every `step` seconds
    /// from 0 to `days` days inclusive; interpolated as `numpy.interp` does (slope × (h − h_j) + s_j on
    /// [h_j, h_j+1), the knot value itself at a knot), so plateaus are exact.
    public static func dailyProfile(knots: [(hour: Double, soc: Double)], days: Int,
                                    step: Double = 600) -> (time: [Double], soc: [Double]) {
        let n = Int((Double(days) * 86_400 / step).rounded())
        var time = [Double](), soc = [Double]()
        time.reserveCapacity(n + 1); soc.reserveCapacity(n + 1)
        for i in 0...n {
            let t = Double(i) * step
            var h = (t / 3600).truncatingRemainder(dividingBy: 24)
            if h < 0 { h += 24 }
            var value = h < knots[0].hour ? knots[0].soc : knots[knots.count - 1].soc
            for k in 1..<knots.count where h < knots[k].hour {
                let (h0, s0) = knots[k - 1], (h1, s1) = knots[k]
                if h >= h0 { value = (s1 - s0) / (h1 - h0) * (h - h0) + s0 }
                break
            }
            time.append(t); soc.append(value)
        }
        return (time, soc)
    }
}
