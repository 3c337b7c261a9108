/// Splitting a site request across packs: weights turned into shares, capped per pack, with the excess of
/// capped packs passed on to the others by weight (water-filling), as a dispatcher does.
public enum Allocation {
    /// Powers [W] that sum to `demand` (or to the sum of the caps if it cannot be met), pack i getting a share
    /// proportional to `weights[i]` (all zero: equal shares) and at most `caps[i]` in magnitude. The sign of
    /// every power is the sign of `demand`. Packs with a zero cap get nothing.
    public static func split(demand: Double, weights: [Double], caps: [Double]) -> [Double] {
        let n = weights.count
        var out = [Double](repeating: 0, count: n)
        var remaining = abs(demand)
        var open = (0..<n).filter { caps[$0] > 0 }
        while remaining > 1e-12 * max(1, abs(demand)), !open.isEmpty {
            var total = 0.0
            for i in open { total += max(weights[i], 0) }
            let share: (Int) -> Double = total > 0 ? { max(weights[$0], 0) / total } : { _ in 1 / Double(open.count) }
            var saturated: [Int] = []
            for i in open where remaining * share(i) >= caps[i] - out[i] { saturated.append(i) }
            if saturated.isEmpty {
                for i in open { out[i] += remaining * share(i) }
                remaining = 0
            } else {
                for i in saturated { remaining -= caps[i] - out[i]; out[i] = caps[i] }
                open.removeAll { saturated.contains($0) }
                remaining = max(remaining, 0)
            }
        }
        if demand < 0 { for i in out.indices { out[i] = -out[i] } }
        return out
    }
}
