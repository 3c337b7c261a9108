#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeededRandom

/// A space of observations or actions, as Gymnasium's `Box` and `Discrete` (gymnasium.spaces).
///
/// Values are flat `[Double]`: a box element has `shape.reduce(1, *)` entries in row-major order; a discrete
/// element is one integral number in `start ..< start + n`.
public enum Space: Sendable, Equatable, CustomStringConvertible {
    case box(Box)
    case discrete(Discrete)

    /// Number of entries of an element.
    public var flatCount: Int {
        switch self {
        case .box(let b): return b.count
        case .discrete: return 1
        }
    }

    /// A uniformly drawn element (box: uniform on bounded axes, normal on unbounded, exponential on
    /// half-bounded ones, as Gymnasium samples).
    public func sample(using rng: inout Xoshiro256StarStar) -> [Double] {
        switch self {
        case .box(let b): return b.sample(using: &rng)
        case .discrete(let d): return [Double(d.sample(using: &rng))]
        }
    }

    /// Whether `value` is an element of the space.
    public func contains(_ value: [Double]) -> Bool {
        switch self {
        case .box(let b): return b.contains(value)
        case .discrete(let d):
            guard value.count == 1, value[0].rounded() == value[0] else { return false }
            return d.contains(Int(exactly: value[0]) ?? .min)
        }
    }

    public var description: String {
        switch self {
        case .box(let b): return b.description
        case .discrete(let d): return d.description
        }
    }
}

/// A (possibly unbounded) box in ℝⁿ: `low[i] ≤ x[i] ≤ high[i]`.
public struct Box: Sendable, Equatable, CustomStringConvertible {
    public let low: [Double]
    public let high: [Double]
    public let shape: [Int]

    /// A box with per-entry bounds; `shape` defaults to `[low.count]`.
    public init(low: [Double], high: [Double], shape: [Int]? = nil) throws(GymError) {
        guard low.count == high.count, !low.isEmpty else {
            throw .invalidSpace("low has \(low.count) entries, high \(high.count)")
        }
        let shape = shape ?? [low.count]
        guard shape.allSatisfy({ $0 > 0 }), shape.reduce(1, *) == low.count else {
            throw .invalidSpace("shape \(shape) does not hold \(low.count) entries")
        }
        for i in low.indices where !(low[i] <= high[i]) || low[i].isNaN || high[i].isNaN || low[i] == .infinity
            || high[i] == -.infinity {
            throw .invalidSpace("entry \(i): low \(low[i]) and high \(high[i]) do not bound an interval")
        }
        self.low = low; self.high = high; self.shape = shape
    }

    /// A box with the same bounds on all `count` entries.
    public init(low: Double, high: Double, count: Int) throws(GymError) {
        guard count > 0 else { throw .invalidSpace("a box needs at least one entry, not \(count)") }
        try self.init(low: Array(repeating: low, count: count), high: Array(repeating: high, count: count))
    }

    public var count: Int { low.count }
    /// Whether every entry has finite bounds on both sides.
    public var isBounded: Bool { low.allSatisfy(\.isFinite) && high.allSatisfy(\.isFinite) }

    public func contains(_ x: [Double]) -> Bool {
        guard x.count == low.count else { return false }
        for i in x.indices where !(x[i] >= low[i] && x[i] <= high[i]) { return false }
        return true
    }

    public func sample(using rng: inout Xoshiro256StarStar) -> [Double] {
        (0..<count).map { i in
            switch (low[i].isFinite, high[i].isFinite) {
            case (true, true): return low[i] + (high[i] - low[i]) * rng.nextUnitDouble()
            case (false, false): return rng.nextStandardNormal()
            case (true, false): return low[i] - log1pNegative(rng.nextUnitDouble())
            case (false, true): return high[i] + log1pNegative(rng.nextUnitDouble())
            }
        }
    }

    /// `x` clipped into the box entry by entry.
    public func clip(_ x: [Double]) -> [Double] {
        var y = x
        for i in y.indices where i < count { y[i] = min(max(y[i], low[i]), high[i]) }
        return y
    }

    public var description: String {
        let lo = Set(low), hi = Set(high)
        let bounds = lo.count == 1 && hi.count == 1 ? "\(low[0]), \(high[0])" : "\(low), \(high)"
        return "Box(\(bounds), shape: \(shape))"
    }
}

/// ln(1 − u) for u in [0, 1): an exponential draw is −ln(1 − u).
@inline(__always) private func log1pNegative(_ u: Double) -> Double {
    var x = 1 - u
    if x <= 0 { x = .leastNormalMagnitude }
    return log(x)
}

/// The integers `start ..< start + n`.
public struct Discrete: Sendable, Equatable, CustomStringConvertible {
    public let n: Int
    public let start: Int

    public init(_ n: Int, start: Int = 0) throws(GymError) {
        guard n > 0 else { throw .invalidSpace("Discrete needs n > 0, not \(n)") }
        self.n = n; self.start = start
    }

    public func contains(_ k: Int) -> Bool { k >= start && k < start + n }
    public func sample(using rng: inout Xoshiro256StarStar) -> Int { start + Int.random(in: 0..<n, using: &rng) }
    public var description: String { start == 0 ? "Discrete(\(n))" : "Discrete(\(n), start: \(start))" }
}
