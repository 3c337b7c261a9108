import LinearAlgebra
import Tensors

/// The element-wise nonlinearity after a layer.
///
/// ```
/// identity  x
/// tanh      tanh x
/// relu      max(x, 0)
/// elu       x for x > 0, eˣ − 1 otherwise      (Clevert et al. 2016, arXiv:1511.07289)
/// softplus  log(1 + eˣ)
/// ```
/// The raw values are the names stored in weight files.
public enum Activation: String, Sendable, CaseIterable {
    case identity, tanh, relu, elu, softplus

    /// The activation recorded on `x`'s tape as one node (pullback g ⊙ f′, pushforward
    /// ẋ ⊙ f′); `identity` records nothing and returns `x`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func apply<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
        if self == .identity { return x }
        let (y, slope) = forward(x.value)
        return x.tape.record(y, inputs: [x], pullback: { g, _ in [Dense.multiply(g, slope!)] },
                             pushforward: { t in Dense.multiply(t[0]!, slope!) })
    }

    /// The activation of every element of `x`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func apply<S: TensorScalar>(_ x: Tensor<S>) -> Tensor<S> {
        var y = x
        if self != .identity { y.withUnsafeMutableScalars { applyInPlace($0) } }
        return y
    }

    /// f(x) and, unless f is the identity, f′(x), element-wise.
    @inline(__always)
    func forward<S: TensorScalar>(_ x: Tensor<S>) -> (y: Tensor<S>, slope: Tensor<S>?) {
        var y = x
        guard self != .identity else { return (y, nil) }
        y.withUnsafeMutableScalars { applyInPlace($0) }
        return (y, slope(preActivation: x, output: y))
    }

    /// f′ at every element, from the pre-activations `x` and the outputs `y = f(x)`.
    @inline(__always)
    func slope<S: TensorScalar>(preActivation x: Tensor<S>?, output y: Tensor<S>) -> Tensor<S> {
        Tensor(shape: y.shape) { out in
            y.withUnsafeScalars { yp in
                switch self {
                case .identity: for i in 0..<out.count { out[i] = 1 }
                case .tanh: for i in 0..<out.count { out[i] = 1 - yp[i] * yp[i] }
                case .elu: for i in 0..<out.count { out[i] = yp[i] > 0 ? 1 : yp[i] + 1 }
                case .relu, .softplus:
                    x!.withUnsafeScalars { xp in
                        for i in 0..<out.count { out[i] = derivative(preActivation: xp[i], output: yp[i]) }
                    }
                }
            }
        }
    }

    /// Whether f′ needs the pre-activation (not just the output).
    var slopeNeedsPreActivation: Bool { self == .relu || self == .softplus }

    /// Applies the activation in place to `x` (inference: no extra buffer).
    @inlinable
    public func applyInPlace<S: TensorScalar>(_ x: UnsafeMutableBufferPointer<S>) {
        switch self {
        case .identity: return
        case .tanh: S.tanh(UnsafeBufferPointer(x), into: x)
        case .relu: for i in x.indices { x[i] = Swift.max(x[i], 0) }
        case .elu: for i in x.indices where x[i] <= 0 { x[i] = S.exp(x[i]) - 1 }
        case .softplus:
            for i in x.indices { let v = x[i]; x[i] = Swift.max(v, 0) + S.log1p(S.exp(-abs(v))) }
        }
    }

    /// The derivative f′(x) from the pre-activation `x` and the output `y = f(x)`.
    @inlinable
    public func derivative<S: TensorScalar>(preActivation x: S, output y: S) -> S {
        switch self {
        case .identity: 1
        case .tanh: 1 - y * y
        case .relu: x > 0 ? 1 : 0
        case .elu: x > 0 ? 1 : y + 1
        case .softplus: x >= 0 ? 1 / (1 + S.exp(-x)) : S.exp(x) / (1 + S.exp(x))
        }
    }
}
