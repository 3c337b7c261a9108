import CTensorSupport
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
/// uses the vectorised kernels of `FastFloatMath`.
public protocol TensorScalar: LAPACKScalar {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func log1p(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
    /// y[i] = eˣ⁽ⁱ⁾ for every element.
    static func exp(_ x: UnsafeBufferPointer<Self>, into y: UnsafeMutableBufferPointer<Self>)
    /// y[i] = tanh x[i] for every element.
    static func tanh(_ x: UnsafeBufferPointer<Self>, into y: UnsafeMutableBufferPointer<Self>)
    /// One Adam update in place (Kingma & Ba 2015, arXiv:1412.6980), scalars precomputed:
    /// m ← β₁m + c₁g, v ← β₂v + c₂g², p ← p − s·m/(√v·b + ε). The buffers must not overlap.
    static func adamUpdate(parameters p: UnsafeMutableBufferPointer<Self>, gradients g: UnsafeBufferPointer<Self>,
                           firstMoments m: UnsafeMutableBufferPointer<Self>, secondMoments v: UnsafeMutableBufferPointer<Self>,
                           beta1: Self, beta2: Self, c1: Self, c2: Self, stepSize: Self, inverseSqrtBias2: Self, epsilon: Self)
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
    public static func adamUpdate(parameters p: UnsafeMutableBufferPointer<Double>, gradients g: UnsafeBufferPointer<Double>,
                                  firstMoments m: UnsafeMutableBufferPointer<Double>, secondMoments v: UnsafeMutableBufferPointer<Double>,
                                  beta1: Double, beta2: Double, c1: Double, c2: Double, stepSize: Double,
                                  inverseSqrtBias2: Double, epsilon: Double) {
        checkPrecondition(g.count == p.count && m.count == p.count && v.count == p.count,
                          "adamUpdate: sizes \(p.count), \(g.count), \(m.count), \(v.count) differ")
        for k in 0..<p.count {
            let gk = g[k]
            let mk = beta1 * m[k] + c1 * gk
            let vk = beta2 * v[k] + c2 * (gk * gk)
            m[k] = mk
            v[k] = vk
            p[k] -= stepSize * mk / (vk.magnitude.squareRoot() * inverseSqrtBias2 + epsilon)
        }
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
    public static func adamUpdate(parameters p: UnsafeMutableBufferPointer<Float>, gradients g: UnsafeBufferPointer<Float>,
                                  firstMoments m: UnsafeMutableBufferPointer<Float>, secondMoments v: UnsafeMutableBufferPointer<Float>,
                                  beta1: Float, beta2: Float, c1: Float, c2: Float, stepSize: Float,
                                  inverseSqrtBias2: Float, epsilon: Float) {
        checkPrecondition(g.count == p.count && m.count == p.count && v.count == p.count,
                          "adamUpdate: sizes \(p.count), \(g.count), \(m.count), \(v.count) differ")
        guard p.count > 0 else { return }
        pulse_adam_updatef(p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, p.count,
                           beta1, beta2, c1, c2, stepSize, inverseSqrtBias2, epsilon)
    }
    public static var typeTag: UInt8 { 1 }
}

/// Single-precision `exp` and `tanh` over buffers, vectorised: the C kernels of
/// `CTensorSupport` (see vector_math.h), which pick an AVX2+FMA build at run time where
/// the CPU has one. Relative error of `exp` about 2 ulp on [-87.3, 88.7] (clamped
/// outside); absolute error of `tanh` about 1e-7. `x` and `y` may be the same buffer.
public enum FastFloatMath {
    /// y[i] = eˣ⁽ⁱ⁾.
    public static func exp(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        checkPrecondition(y.count >= x.count, "FastFloatMath.exp: output has \(y.count) < \(x.count) elements")
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return }
        pulse_vexpf(xs, ys, x.count)
    }

    /// y[i] = tanh x[i].
    public static func tanh(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        checkPrecondition(y.count >= x.count, "FastFloatMath.tanh: output has \(y.count) < \(x.count) elements")
        guard let xs = x.baseAddress, let ys = y.baseAddress else { return }
        pulse_vtanhf(xs, ys, x.count)
    }
}
