import LinearAlgebra

/// Differentiable elementary functions, activations and clipping.
extension Variable {
    /// Records an element-wise function whose derivative is `derivative` (same shape as x):
    /// pullback g ⊙ f′, pushforward t ⊙ f′.
    func unary(_ value: Tensor<Scalar>, derivative: @escaping () -> Tensor<Scalar>) -> Variable {
        tape.record(value, inputs: [self], pullback: { g, _ in [g * derivative()] },
                    pushforward: { t in t[0]! * derivative() })
    }

    /// tanh x; derivative 1 − tanh²x.
    public func tanh() -> Variable {
        let y = value.tanh()
        return unary(y) { y.map { 1 - $0 * $0 } }
    }

    /// eˣ; derivative eˣ.
    public func exp() -> Variable {
        let y = value.exp()
        return unary(y) { y }
    }

    /// log x; derivative 1/x.
    public func log() -> Variable {
        let x = value
        return unary(x.log()) { x.map { 1 / $0 } }
    }

    /// max(x, 0); derivative 1 for x > 0, else 0.
    public func relu() -> Variable {
        let x = value
        return unary(x.relu()) { x.map { $0 > 0 ? 1 : 0 } }
    }

    /// ELU (Clevert et al. 2016, arXiv:1511.07289); derivative 1 for x > 0, else αeˣ.
    public func elu(alpha: Scalar = 1) -> Variable {
        let x = value
        return unary(x.elu(alpha: alpha)) { x.map { $0 > 0 ? 1 : alpha * Scalar.exp($0) } }
    }

    /// softplus x = log(1 + eˣ); derivative the logistic sigmoid 1/(1 + e⁻ˣ).
    public func softplus() -> Variable {
        let x = value
        return unary(x.softplus()) {
            x.map { $0 >= 0 ? 1 / (1 + Scalar.exp(-$0)) : Scalar.exp($0) / (1 + Scalar.exp($0)) }
        }
    }

    /// x²; derivative 2x.
    public func squared() -> Variable {
        let x = value
        return unary(x.squared()) { x * 2 }
    }

    /// √x; derivative 1/(2√x).
    public func squareRoot() -> Variable {
        let y = value.squareRoot()
        return unary(y) { y.map { 1 / (2 * $0) } }
    }

    /// x limited to [low, high]; the gradient passes where low ≤ x ≤ high, as in PPO's ratio clip.
    public func clamped(min low: Scalar, max high: Scalar) -> Variable {
        let x = value
        return unary(x.clamped(min: low, max: high)) { x.map { $0 >= low && $0 <= high ? 1 : 0 } }
    }

    /// Element-wise minimum (broadcasting); the gradient goes to `a` where a ≤ b, else to `b`.
    public static func minimum(_ a: Variable, _ b: Variable) -> Variable {
        select(a, b, op: "minimum") { $0 <= $1 }
    }

    /// Element-wise maximum (broadcasting); the gradient goes to `a` where a ≥ b, else to `b`.
    public static func maximum(_ a: Variable, _ b: Variable) -> Variable {
        select(a, b, op: "maximum") { $0 >= $1 }
    }

    /// Chooses a where `takeA(a, b)`, else b; the gradient follows the choice.
    private static func select(_ a: Variable, _ b: Variable, op: StaticString,
                               _ takeA: @escaping (Scalar, Scalar) -> Bool) -> Variable {
        let (va, vb) = (a.value, b.value)
        let out = Tensor.elementwise(va, vb, op: op) { takeA($0, $1) ? $0 : $1 }
        let maskA = Tensor.elementwise(va, vb, op: op) { takeA($0, $1) ? 1 : 0 }
        let maskB = 1 - maskA
        return a.tape.record(out, inputs: [a, b], pullback: { g, needs in
            [needs[0] ? (g * maskA).reduced(toShape: va.shape) : nil,
             needs[1] ? (g * maskB).reduced(toShape: vb.shape) : nil]
        }, pushforward: { t in
            let ta = t[0].map { $0 * maskA } ?? Tensor.zeros(out.shape)
            let tb = t[1].map { $0 * maskB } ?? Tensor.zeros(out.shape)
            return ta + tb
        })
    }
}
