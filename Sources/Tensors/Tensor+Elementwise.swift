import LinearAlgebra

/// Element-wise arithmetic (broadcasting) and elementary functions on tensors.
extension Tensor {
    /// `transform` applied to every element.
    @inline(__always)
    public func map(_ transform: (Scalar) -> Scalar) -> Tensor {
        Tensor(shape: shape) { out in
            withUnsafeScalars { p in for i in 0..<p.count { out[i] = transform(p[i]) } }
        }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { elementwise(a, b, op: "add") { $0 + $1 } }
    public static func - (a: Tensor, b: Tensor) -> Tensor { elementwise(a, b, op: "sub") { $0 - $1 } }
    public static func * (a: Tensor, b: Tensor) -> Tensor { elementwise(a, b, op: "mul") { $0 * $1 } }
    public static func / (a: Tensor, b: Tensor) -> Tensor { elementwise(a, b, op: "div") { $0 / $1 } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    public static func + (a: Tensor, s: Scalar) -> Tensor { a.map { $0 + s } }
    public static func - (a: Tensor, s: Scalar) -> Tensor { a.map { $0 - s } }
    public static func * (a: Tensor, s: Scalar) -> Tensor { a.map { $0 * s } }
    public static func / (a: Tensor, s: Scalar) -> Tensor { a.map { $0 / s } }
    public static func + (s: Scalar, a: Tensor) -> Tensor { a.map { s + $0 } }
    public static func - (s: Scalar, a: Tensor) -> Tensor { a.map { s - $0 } }
    public static func * (s: Scalar, a: Tensor) -> Tensor { a.map { s * $0 } }
    public static func / (s: Scalar, a: Tensor) -> Tensor { a.map { s / $0 } }

    /// self ← self + α·other, in place through BLAS (same shape).
    public mutating func addScaled(_ other: Tensor, alpha: Scalar = 1) {
        checkPrecondition(shape == other.shape, "addScaled: shape mismatch \(shape) vs \(other.shape)")
        let n = count
        withUnsafeMutableScalars { y in
            other.withUnsafeScalars { x in BLAS.axpy(n, alpha: alpha, x.baseAddress!, y.baseAddress!) }
        }
    }

    public static func += (a: inout Tensor, b: Tensor) {
        if a.shape == b.shape { a.addScaled(b) } else { a = a + b }
    }

    /// eˣ, vectorised for `Float`.
    public func exp() -> Tensor {
        Tensor(shape: shape) { out in withUnsafeScalars { Scalar.exp($0, into: out) } }
    }
    /// Natural logarithm.
    public func log() -> Tensor { map { Scalar.log($0) } }
    /// Hyperbolic tangent, vectorised for `Float`.
    public func tanh() -> Tensor {
        Tensor(shape: shape) { out in withUnsafeScalars { Scalar.tanh($0, into: out) } }
    }
    /// max(x, 0).
    public func relu() -> Tensor { map { Swift.max($0, 0) } }
    /// x for x > 0, α(eˣ − 1) otherwise (Clevert et al. 2016, arXiv:1511.07289).
    public func elu(alpha: Scalar = 1) -> Tensor { map { $0 > 0 ? $0 : alpha * (Scalar.exp($0) - 1) } }
    /// log(1 + eˣ), computed stably as max(x, 0) + log1p(e^−|x|).
    public func softplus() -> Tensor { map { Swift.max($0, 0) + Scalar.log1p(Scalar.exp(-abs($0))) } }
    /// x².
    public func squared() -> Tensor { map { $0 * $0 } }
    /// √x.
    public func squareRoot() -> Tensor { map { $0.squareRoot() } }
    /// Each element limited to [low, high].
    public func clamped(min low: Scalar, max high: Scalar) -> Tensor {
        checkPrecondition(low <= high, "clamped: min \(low) > max \(high)")
        return map { Swift.min(Swift.max($0, low), high) }
    }
    /// Element-wise minimum with broadcasting.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { elementwise(a, b, op: "minimum") { Swift.min($0, $1) } }
    /// Element-wise maximum with broadcasting.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { elementwise(a, b, op: "maximum") { Swift.max($0, $1) } }
}
