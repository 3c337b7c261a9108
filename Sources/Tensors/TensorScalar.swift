import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A scalar a `Tensor` can hold: `Float` or `Double`, with BLAS and elementary functions.
///
/// The buffer forms (`exp(_:into:)`, `tanh(_:into:)`) are the hot paths of MLPs.
/// `Double` forwards to libm, for gradient checks that need full precision; `Float`
/// uses branch-free kernels that the compiler vectorises (see `FastFloatMath`).
public protocol TensorScalar: LAPACKScalar {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    /// y[i] = eˣ⁽ⁱ⁾ for every element.
    static func exp(_ x: UnsafeBufferPointer<Self>, into y: UnsafeMutableBufferPointer<Self>)
    /// y[i] = tanh x[i] for every element.
    static func tanh(_ x: UnsafeBufferPointer<Self>, into y: UnsafeMutableBufferPointer<Self>)
    /// The element-type tag of saved weight files: 1 for Float32, 2 for Float64.
    static var typeTag: UInt8 { get }
}

extension Double: TensorScalar {
    @inlinable public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { Glibc.log1p(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    public static func exp(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<x.count { y[i] = Glibc.exp(x[i]) }
    }
    public static func tanh(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<x.count { y[i] = Glibc.tanh(x[i]) }
    }
    public static var typeTag: UInt8 { 2 }
}

extension Float: TensorScalar {
    @inlinable public static func exp(_ x: Float) -> Float { Glibc.expf(x) }
    @inlinable public static func log(_ x: Float) -> Float { Glibc.logf(x) }
    @inlinable public static func log1p(_ x: Float) -> Float { Glibc.log1pf(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { Glibc.tanhf(x) }
    public static func exp(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        FastFloatMath.exp(x, into: y)
    }
    public static func tanh(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        FastFloatMath.tanh(x, into: y)
    }
    public static var typeTag: UInt8 { 1 }
}

/// Branch-free single-precision `exp` and `tanh` over buffers, written so that LLVM
/// vectorises the loops (no calls, no branches).
///
/// `exp`: Cody–Waite reduction x = n·ln2 + r with |r| ≤ ln2/2, a degree-7 Taylor
/// polynomial for eʳ (truncation below 4e-9 relative), and 2ⁿ built in the exponent
/// bits. Inputs are clamped to [-87.3, 88.7], so the result stays a normal float.
/// Relative error is about 2 ulp.
///
/// `tanh`: tanh x = sign(x)·(1 − 2/(e^{2|x|} + 1)); absolute error about 1e-7.
public enum FastFloatMath {
    @inline(__always)
    static func expKernel(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.7)
        // n = round(x / ln2) by the 1.5·2²³ trick (pure arithmetic: vectorises).
        let shifter: Float = 12_582_912
        let n = (clamped * 1.442_695_04 + shifter) - shifter
        // Two-part ln2 keeps r exact to single precision.
        let r = (clamped - n * 0.693_145_75) - n * 1.428_606_8e-06
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2ⁿ as two halves, so n = 128 (x near 88.7) stays finite.
        let ni = Int32(n), half = ni >> 1
        let s1 = Float(bitPattern: UInt32(bitPattern: half &+ 127) << 23)
        let s2 = Float(bitPattern: UInt32(bitPattern: ni &- half &+ 127) << 23)
        return p * s1 * s2
    }

    /// y[i] = eˣ⁽ⁱ⁾.
    public static func exp(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        checkPrecondition(y.count >= x.count, "FastFloatMath.exp: output has \(y.count) < \(x.count) elements")
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return }
        for i in 0..<x.count { ys[i] = expKernel(xs[i]) }
    }

    /// y[i] = tanh x[i].
    public static func tanh(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        checkPrecondition(y.count >= x.count, "FastFloatMath.tanh: output has \(y.count) < \(x.count) elements")
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return }
        for i in 0..<x.count {
            let v = xs[i]
            let a = Swift.min(abs(v), 10)
            let t = 1 - 2 / (expKernel(2 * a) + 1)
            ys[i] = Float(bitPattern: t.bitPattern | (v.bitPattern & 0x8000_0000))
        }
    }
}
