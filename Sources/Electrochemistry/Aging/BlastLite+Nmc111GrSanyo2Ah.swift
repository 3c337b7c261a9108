import Glibc

/// NREL BLAST-Lite's `Nmc111_Gr_Sanyo2Ah_Battery` (P. Gasper, NREL; BLAST-Lite v1.1,
/// `blast/models/nmc111_gr_Sanyo2Ah_2014.py`), the Sanyo UR18650E (NMC111 | graphite, 2.15 Ah) model of
/// Schmalstieg et al., J. Power Sources 257 (2014) 325–334 (doi:10.1016/j.jpowsour.2014.02.012).
///
/// Capacity q = 1 − q_loss,t − q_loss,Ah and resistance r = 1 + r_gain,t + r_gain,Ah:
///
///     q_loss,t = α_cap t^0.75,  α_cap = (a_q V + b_q) 10⁶ exp(c_q / T)      (t in days)
///     q_loss,Ah = β_cap Ah^0.5, β_cap = a (V_rms − b)² + c + d DoD           (Ah throughput)
///     r_gain,t = α_res t^0.75,  α_res = (a_r V + b_r) 10⁵ exp(c_r / T)
///     r_gain,Ah = β_res Ah (linear)
///
/// V is the cell's open-circuit voltage at each sample's SoC (BLAST-Lite's 58-point table), α's are
/// trapezoid time-averaged over each chunk, V_rms is the root mean square of V over the chunk's
/// samples, Ah = 2 · 2.15 Ah · ΔEFC (EFC scaled by q).
public struct BlastLiteNmc111GrSanyo2Ah: BlastLiteCalendarCycleModel {
    public static let className = "Nmc111_Gr_Sanyo2Ah_Battery"
    public static let outputNames = ["q", "q_t", "q_EFC", "r", "r_t", "r_EFC"]
    public static let capacity = 2.15
    public static let qcalA = 7.543, qcalB = -23.75, qcalC = -6976.0, qcalP = 0.75
    public static let qcycA = 7.348e-3, qcycB = 3.667, qcycC = 7.6e-4, qcycD = 4.081e-3, qcycP = 0.5
    public static let rcalA = 5.270, rcalB = -16.32, rcalC = -5986.0, rcalP = 0.75
    public static let rcycA = 2.153e-4, rcycB = 3.725, rcycC = -1.521e-5, rcycD = 2.798e-4

    /// Open-circuit voltage table (SoC, V) of BLAST-Lite.
    public static let socIndex: [Double] = [
        0.0, 0.008637153, 0.026779514, 0.044921875, 0.063064236, 0.081206597, 0.099348958, 0.117491319,
        0.135633681, 0.153776042, 0.171918403, 0.190060764, 0.208203125, 0.226345486, 0.244487847, 0.262630208,
        0.280772569, 0.298914931, 0.317057292, 0.335199653, 0.353342014, 0.371484375, 0.389626736, 0.407769097,
        0.425911458, 0.444053819, 0.462196181, 0.480338542, 0.498480903, 0.516623264, 0.534765625, 0.552907986,
        0.571050347, 0.589192708, 0.607335069, 0.625477431, 0.643619792, 0.661762153, 0.679904514, 0.698046875,
        0.716189236, 0.734331597, 0.752473958, 0.770616319, 0.788758681, 0.806901042, 0.825043403, 0.843185764,
        0.861328125, 0.879470486, 0.897612847, 0.915755208, 0.933897569, 0.952039931, 0.970182292, 0.988324653,
        0.998220486, 1.0
    ]
    public static let ocv: [Double] = [
        3.331, 3.345014187, 3.37917149, 3.411603677, 3.440585632, 3.466289865, 3.490268982, 3.511315401,
        3.529946658, 3.547197821, 3.561688798, 3.574972194, 3.586357962, 3.597053683, 3.605506753, 3.613442288,
        3.620342753, 3.626380661, 3.632073544, 3.63690387, 3.642079219, 3.646909545, 3.652084894, 3.657605266,
        3.663470662, 3.670198615, 3.677444104, 3.686759732, 3.696420384, 3.708323686, 3.720572012, 3.734372943,
        3.749553967, 3.765252525, 3.781123596, 3.797857224, 3.814590852, 3.832532062, 3.849783226, 3.866861877,
        3.884458064, 3.900846669, 3.917752809, 3.934831461, 3.953462717, 3.971921462, 3.991415276, 4.011771649,
        4.03195551, 4.05196686, 4.070770628, 4.087849279, 4.104237884, 4.120108955, 4.135980025, 4.152541142,
        4.160649189, 4.162
    ]

    public var state = BlastLiteCalendarCycleState()
    /// Resistance gains over time and charge throughput.
    public private(set) var gainCalendar = 0.0, gainCycling = 0.0

    public init() {}

    public var r: Double? { 1 + gainCalendar + gainCycling }

    public func outputs(into values: inout [Double]) {
        values.removeAll(keepingCapacity: true)
        values.append(q); values.append(qCalendar); values.append(qCycling)
        values.append(1 + gainCalendar + gainCycling); values.append(1 + gainCalendar); values.append(1 + gainCycling)
    }

    /// Open-circuit voltage at `soc` (linear in the table, clamped at its ends, as `numpy.interp`).
    @inlinable public static func voltage(soc: Double) -> Double {
        let n = socIndex.count
        if soc <= socIndex[0] { return ocv[0] }
        if soc >= socIndex[n - 1] { return ocv[n - 1] }
        var lo = 0, hi = n - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if socIndex[mid] <= soc { lo = mid } else { hi = mid }
        }
        let slope = (ocv[hi] - ocv[lo]) / (socIndex[hi] - socIndex[lo])
        return slope * (soc - socIndex[lo]) + ocv[lo]
    }

    public mutating func update(time: ArraySlice<Double>, soc: ArraySlice<Double>,
                                temperature: ArraySlice<Double>) {
        let chunk = BlastLite.ChunkSummary(time: time, soc: soc, temperature: temperature)
        var squares = 0.0
        for s in soc { let v = Self.voltage(soc: s); squares += v * v }
        let vRMS = (squares / Double(soc.count)).squareRoot()
        let alphaCap = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            (Self.qcalA * Self.voltage(soc: s) + Self.qcalB) * 1e6 * exp(Self.qcalC / kelvin)
        }
        let alphaRes = BlastLite.timeAverage(time: time, soc: soc, temperature: temperature) { kelvin, s in
            (Self.rcalA * Self.voltage(soc: s) + Self.rcalB) * 1e5 * exp(Self.rcalC / kelvin)
        }
        let betaCap = Self.qcycA * (vRMS - Self.qcycB) * (vRMS - Self.qcycB) + Self.qcycC + Self.qcycD * chunk.dod
        let betaRes = Self.rcycA * (vRMS - Self.rcycB) * (vRMS - Self.rcycB) + Self.rcycC + Self.rcycD * chunk.dod
        let dEFC = chunk.halfThroughput * q
        let ah = dEFC * 2 * Self.capacity
        let k = degradationScalar
        gainCalendar += k * BlastLite.powerStep(gainCalendar, chunk.days, alphaRes, Self.rcalP)
        gainCycling += k * betaRes * ah
        state.advance(days: chunk.days, efc: dEFC,
                      calendar: k * BlastLite.powerStep(lossCalendar, chunk.days, alphaCap, Self.qcalP),
                      cycling: k * BlastLite.powerStep(lossCycling, ah, betaCap, Self.qcycP))
    }
}
