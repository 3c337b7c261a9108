/// A histogram of durations [ms] in fixed buckets, for percentiles without keeping the samples.
///
/// The bucket upper bounds run from 0.01 ms to 99 s at 90 per decade: m × 10ᵉ for m = 1.0, 1.1, …, 9.9 and
/// e = −2 … 4, then one overflow bucket. A percentile is interpolated linearly inside its bucket, so its error is
/// at most one bucket width: 10 % of the value at the start of a decade, 1 % at its end (the scheme of
/// HdrHistogram's linear sub-buckets per power of the base). The bounds include 1, 2 and 5 × 10ᵉ, which the
/// Prometheus exposition uses as its coarse cumulative buckets (``cumulativeCount(atMost:)``).
///
/// A value type: the owner serialises access (the device registry records under its lock).
public struct LatencyHistogram: Sendable, Equatable {
    /// Upper bounds [ms] of the finite buckets, increasing.
    public static let bounds: [Double] = {
        var b: [Double] = []
        for e in -2...4 {
            var scale = 1.0
            if e >= 0 { for _ in 0..<e { scale *= 10 } } else { for _ in 0..<(-e) { scale /= 10 } }
            for k in 10..<100 { b.append(Double(k) * scale / 10) }
        }
        return b
    }()

    /// Samples per bucket; the last entry counts samples above the largest bound.
    public private(set) var counts = [Int](repeating: 0, count: LatencyHistogram.bounds.count + 1)
    /// Samples recorded, their sum [ms] and the largest [ms].
    public private(set) var count = 0
    public private(set) var sum = 0.0
    public private(set) var maximum = 0.0

    public init() {}

    /// The bucket of `milliseconds`: the first whose upper bound is at least the value (negative values, from
    /// clocks a little apart, go to the first bucket).
    static func bucket(_ milliseconds: Double) -> Int {
        var low = 0, high = bounds.count
        while low < high {
            let mid = (low + high) / 2
            if bounds[mid] < milliseconds { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Records one duration [ms]; non-finite values are ignored.
    public mutating func record(_ milliseconds: Double) {
        guard milliseconds.isFinite else { return }
        counts[Self.bucket(milliseconds)] += 1
        count += 1
        sum += max(milliseconds, 0)
        maximum = max(maximum, milliseconds)
    }

    /// The `p`-quantile (`p` in [0, 1]) [ms], interpolated inside its bucket; 0 when empty. The overflow bucket
    /// answers with the largest sample.
    public func percentile(_ p: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = min(max(p, 0), 1) * Double(count)
        var below = 0
        for (i, c) in counts.enumerated() where c > 0 {
            if Double(below + c) >= rank {
                guard i < Self.bounds.count else { return maximum }
                let low = i == 0 ? 0 : Self.bounds[i - 1], high = min(Self.bounds[i], max(maximum, low))
                let within = max(0, rank - Double(below)) / Double(c)
                return low + within * (high - low)
            }
            below += c
        }
        return maximum
    }

    /// Samples at or below `milliseconds`, for a bound that is one of ``bounds`` (exact) or `.infinity`.
    public func cumulativeCount(atMost milliseconds: Double) -> Int {
        guard milliseconds.isFinite else { return count }
        guard let last = Self.bounds.lastIndex(where: { $0 <= milliseconds * (1 + 1e-9) }) else { return 0 }
        return counts[0...last].reduce(0, +)
    }

    /// Adds another histogram's samples to this one.
    public mutating func merge(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
        count += other.count; sum += other.sum; maximum = max(maximum, other.maximum)
    }
}
