import Testing
@testable import Tensors
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The vectorised single-precision kernels against libm in Double.
@Suite struct FastFloatMathTests {
    static func fastExp(_ xs: [Float]) -> [Float] {
        var ys = [Float](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeMutableBufferPointer { y in FastFloatMath.exp(x, into: y) } }
        return ys
    }

    static func fastTanh(_ xs: [Float]) -> [Float] {
        var ys = [Float](repeating: .nan, count: xs.count)
        xs.withUnsafeBufferPointer { x in ys.withUnsafeMutableBufferPointer { y in FastFloatMath.tanh(x, into: y) } }
        return ys
    }

    /// `count` evenly spaced points on [low, high] plus the given extras.
    static func grid(_ low: Double, _ high: Double, count: Int, extras: [Float]) -> [Float] {
        (0..<count).map { Float(low + (high - low) * Double($0) / Double(count - 1)) } + extras
    }

    static let expLow: Float = -87.3, expHigh: Float = 88.7

    /// The worst relative error of the fast exp against libm over the `xs` inside [low, high].
    static func worstExpError(_ xs: [Float], _ ys: [Float], _ low: Float, _ high: Float) -> (error: Double, x: Float, y: Float) {
        var worst = (error: 0.0, x: Float.nan, y: Float.nan)
        for (x, y) in zip(xs, ys) where x >= low && x <= high {
            let reference = Glibc.exp(Double(x))
            let error = y.isFinite ? abs(Double(y) - reference) / reference : .infinity
            if error > worst.error || worst.x.isNaN { worst = (error, x, y) }
        }
        return worst
    }

    /// Relative error ≤ 1e-6 everywhere inside the documented clamp [-87.3, 88.7]
    /// (checked separately below and above 127.5·ln 2 ≈ 88.376, where 2ⁿ needs n = 128).
    @Test func expRelativeErrorInsideClamp() {
        let extras: [Float] = [0, -0.0, 1, -1, 1e-8, -1e-8, Self.expLow, Self.expHigh, Self.expLow.nextUp,
                               Self.expHigh.nextDown, 88, 88.3, 88.37, 88.38, 88.5, 88.6, -87, -86.5]
        let xs = Self.grid(-90, 90, count: 360_001, extras: extras)
        let ys = Self.fastExp(xs)
        let split: Float = 88.37
        for (low, high) in [(Self.expLow, split), (split, Self.expHigh)] {
            let worst = Self.worstExpError(xs, ys, low, high)
            #expect(worst.error <= 1e-6, """
                on [\(low), \(high)]: worst relative error \(worst.error) at x = \(worst.x): \
                fast exp \(worst.y), libm \(Glibc.exp(Double(worst.x)))
                """)
        }
        #expect(Self.fastExp([0, -0.0]) == [1, 1], "exp(±0) is exactly 1")
    }

    /// Outside the clamp (and at huge magnitudes) the result is finite, never NaN,
    /// and saturates at the clamp's values.
    @Test func expSaturatesWithoutInfinityOrNaN() {
        let xs = Self.grid(-90, 90, count: 18_001, extras: [
            -1000, 1000, 89, 90, 100, -100, -.greatestFiniteMagnitude, .greatestFiniteMagnitude, -.infinity, .infinity,
        ])
        let ys = Self.fastExp(xs)
        let bad = zip(xs, ys).filter { !$0.1.isFinite || $0.1 < 0 }
        let badCount = bad.count
        #expect(badCount == 0, """
            non-finite or negative results for \(badCount) inputs, from x = \(bad.map(\.0).min() ?? .nan): \
            \(bad.prefix(6).map { "exp(\($0.0)) = \($0.1)" }.joined(separator: ", "))
            """)
        let atHigh = Self.fastExp([Self.expHigh])[0], atLow = Self.fastExp([Self.expLow])[0]
        let notSaturatedHigh = zip(xs, ys).filter { $0.0 > Self.expHigh && $0.1 != atHigh }.count
        let notSaturatedLow = zip(xs, ys).filter { $0.0 < Self.expLow && $0.1 != atLow }.count
        #expect(notSaturatedHigh == 0, "inputs above the clamp not giving exp(\(Self.expHigh)) = \(atHigh)")
        #expect(notSaturatedLow == 0, "inputs below the clamp not giving exp(\(Self.expLow)) = \(atLow)")
        #expect(atLow.isNormal && atLow > 0 && Double(atLow) < 1.3e-38)
        #expect(atHigh.isFinite && Double(atHigh) > 3e38)
    }

    @Test func tanhAbsoluteError() {
        let extras: [Float] = [0, -0.0, 1e-30, -1e-30, 1e-7, -1e-7, 1e-3, -1e-3, 9.99, 10, -10, 10.01]
        let xs = Self.grid(-20, 20, count: 400_001, extras: extras)
        let ys = Self.fastTanh(xs)
        var worst = (error: 0.0, x: Float(0), y: Float(0))
        for (x, y) in zip(xs, ys) {
            let error = y.isFinite ? abs(Double(y) - Glibc.tanh(Double(x))) : .infinity
            if error > worst.error { worst = (error, x, y) }
        }
        #expect(worst.error <= 2e-7,
                "worst absolute error \(worst.error) at x = \(worst.x): fast tanh \(worst.y), libm \(Glibc.tanh(Double(worst.x)))")
        // Odd symmetry, bit for bit.
        let negated = Self.fastTanh(xs.map { -$0 })
        #expect(zip(ys, negated).allSatisfy { $0.0 == -$0.1 })
    }

    @Test func tanhSpecialValues() {
        let zero = Self.fastTanh([0])[0], negativeZero = Self.fastTanh([-0.0])[0]
        #expect(zero == 0 && zero.sign == .plus)
        #expect(negativeZero == 0 && negativeZero.sign == .minus, "tanh(-0) keeps the sign")
        let big: [Float] = [10, 20, 50, 1e4, 1e30, .greatestFiniteMagnitude, .infinity]
        #expect(Self.fastTanh(big).allSatisfy { $0 == 1 }, "\(Self.fastTanh(big))")
        #expect(Self.fastTanh(big.map { -$0 }).allSatisfy { $0 == -1 }, "\(Self.fastTanh(big.map { -$0 }))")
        let tiny: [Float] = [1e-30, -1e-30, .leastNormalMagnitude]
        #expect(zip(tiny, Self.fastTanh(tiny)).allSatisfy { abs($0.1 - $0.0) <= 2e-7 && $0.1.sign == $0.0.sign })
    }

    /// `Tensor<Float>.exp()` / `.tanh()` go through the kernels (odd lengths: no tail bugs).
    @Test func tensorPathsUseKernels() {
        for n in [0, 1, 3, 7, 8, 9, 17, 33, 1000] {
            let xs = (0..<n).map { Float($0) * 0.37 - Float(n) * 0.15 }
            let t = Tensor<Float>(xs)
            #expect(t.exp().scalars == Self.fastExp(xs))
            #expect(t.tanh().scalars == Self.fastTanh(xs))
        }
    }
}
