/// One counted cycle (count 1) or half cycle (count 0.5) of a signal such as state of charge.
///
/// `startIndex`/`endIndex` are the sample indices (in the original signal) of the two reversals
/// that bound the range, in time order.
public struct RainflowCycle: Sendable, Equatable {
    /// Peak-to-valley range, `|x[end] - x[start]|` (≥ 0).
    public var range: Double
    /// Mean level, `(x[start] + x[end]) / 2`.
    public var mean: Double
    /// 1 for a full cycle, 0.5 for a half cycle.
    public var count: Double
    public var startIndex: Int
    public var endIndex: Int

    public init(range: Double, mean: Double, count: Double, startIndex: Int, endIndex: Int) {
        self.range = range
        self.mean = mean
        self.count = count
        self.startIndex = startIndex
        self.endIndex = endIndex
    }

    /// The cycle bounded by the reversals `(a, ia)` and `(b, ib)` with `ia < ib`.
    @inlinable
    init(_ a: Double, _ ia: Int, _ b: Double, _ ib: Int, count: Double) {
        self.init(range: abs(b - a), mean: (a + b) / 2, count: count, startIndex: ia, endIndex: ib)
    }
}

/// Rainflow cycle counting of ASTM E1049-85 (reapproved 2017), "Standard Practices for Cycle
/// Counting in Fatigue Analysis", §5.4.4 (three-point rainflow counting), applied to a whole signal.
///
/// For a streaming form with identical results see ``IncrementalRainflow``.
public enum Rainflow {
    /// Indices of the turning points (peaks and valleys) of `signal`: runs of repeated values are
    /// reduced to their first sample, monotone interior points are removed, and the first and last
    /// distinct values are kept. Non-finite samples are skipped.
    public static func reversals(_ signal: [Double]) -> [Int] {
        // Distinct consecutive finite values (first index of each plateau).
        var distinct: [Int] = []
        distinct.reserveCapacity(signal.count)
        for i in signal.indices where signal[i].isFinite {
            if let last = distinct.last, signal[last] == signal[i] { continue }
            distinct.append(i)
        }
        guard distinct.count > 2 else { return distinct }
        var result: [Int] = [distinct[0]]
        for k in 1..<(distinct.count - 1) {
            let rising = signal[distinct[k]] > signal[distinct[k - 1]]
            let risingNext = signal[distinct[k + 1]] > signal[distinct[k]]
            if rising != risingNext { result.append(distinct[k]) }
        }
        result.append(distinct[distinct.count - 1])
        return result
    }

    /// Rainflow cycles of `signal` per ASTM E1049-85 §5.4.4:
    /// 1. read the next reversal; 2. with at least three points, let X be the most recent range and
    /// Y the previous one; 3. if X < Y read on; 4. if Y contains the starting point S, count Y as a
    /// half cycle, discard its first point and move S to its second point; otherwise count Y as one
    /// cycle and discard both its points; repeat from 2; 6. at the end, count every remaining range
    /// (the residue) as a half cycle.
    /// Cycles are listed in the order in which they are counted, residue last.
    public static func count(_ signal: [Double]) -> [RainflowCycle] {
        let points = reversals(signal)
        var cycles: [RainflowCycle] = []
        // Stack of reversal indices; stack[0] is always the starting point S.
        var stack: [Int] = []
        stack.reserveCapacity(points.count)
        for p in points {
            stack.append(p)
            while stack.count >= 3 {
                let n = stack.count
                let c = stack[n - 3], b = stack[n - 2], a = stack[n - 1]
                let x = abs(signal[a] - signal[b])
                let y = abs(signal[b] - signal[c])
                if x < y { break }
                if n == 3 {
                    // Y contains S: half cycle, S moves to Y's second point.
                    cycles.append(RainflowCycle(signal[c], c, signal[b], b, count: 0.5))
                    stack.removeFirst()
                } else {
                    cycles.append(RainflowCycle(signal[c], c, signal[b], b, count: 1))
                    stack.removeLast(3)
                    stack.append(a)
                }
            }
        }
        if stack.count >= 2 {
            for k in 1..<stack.count {
                let i = stack[k - 1], j = stack[k]
                cycles.append(RainflowCycle(signal[i], i, signal[j], j, count: 0.5))
            }
        }
        return cycles
    }
}
