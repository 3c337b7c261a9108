import LinearAlgebra

/// Differentiable element-wise arithmetic with broadcasting.
///
/// Gradients flowing to a broadcast operand are summed back to its shape
/// (`Tensor.reduced(toShape:)`), so a bias row vector added to a batch gets the
/// column sums, as it should.
extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        let out = a.value + b.value
        let shape = out.shape
        return a.tape.record(out, inputs: [a, b], pullback: { g, needs in
            [needs[0] ? g.reduced(toShape: sa) : nil, needs[1] ? g.reduced(toShape: sb) : nil]
        }, pushforward: { t in
            switch (t[0], t[1]) {
            case let (ta?, tb?): return ta + tb
            case let (ta?, nil): return ta.broadcasted(to: shape)
            case let (nil, tb?): return tb.broadcasted(to: shape)
            default: preconditionViolated("pushforward called without tangents")
            }
        })
    }

    public static func - (a: Variable, b: Variable) -> Variable {
        let (sa, sb) = (a.shape, b.shape)
        let out = a.value - b.value
        let shape = out.shape
        return a.tape.record(out, inputs: [a, b], pullback: { g, needs in
            [needs[0] ? g.reduced(toShape: sa) : nil, needs[1] ? (-g).reduced(toShape: sb) : nil]
        }, pushforward: { t in
            switch (t[0], t[1]) {
            case let (ta?, tb?): return ta - tb
            case let (ta?, nil): return ta.broadcasted(to: shape)
            case let (nil, tb?): return (-tb).broadcasted(to: shape)
            default: preconditionViolated("pushforward called without tangents")
            }
        })
    }

    public static func * (a: Variable, b: Variable) -> Variable {
        let (va, vb) = (a.value, b.value)
        return a.tape.record(va * vb, inputs: [a, b], pullback: { g, needs in
            [needs[0] ? (g * vb).reduced(toShape: va.shape) : nil,
             needs[1] ? (g * va).reduced(toShape: vb.shape) : nil]
        }, pushforward: { t in
            switch (t[0], t[1]) {
            case let (ta?, tb?): return ta * vb + va * tb
            case let (ta?, nil): return ta * vb
            case let (nil, tb?): return va * tb
            default: preconditionViolated("pushforward called without tangents")
            }
        })
    }

    public static func / (a: Variable, b: Variable) -> Variable {
        let (va, vb) = (a.value, b.value)
        let out = va / vb
        return a.tape.record(out, inputs: [a, b], pullback: { g, needs in
            [needs[0] ? (g / vb).reduced(toShape: va.shape) : nil,
             needs[1] ? (-(g * out) / vb).reduced(toShape: vb.shape) : nil]
        }, pushforward: { t in
            switch (t[0], t[1]) {
            case let (ta?, tb?): return (ta - out * tb) / vb
            case let (ta?, nil): return ta / vb
            case let (nil, tb?): return -(out * tb) / vb
            default: preconditionViolated("pushforward called without tangents")
            }
        })
    }

    public static prefix func - (a: Variable) -> Variable {
        a.tape.record(-a.value, inputs: [a], pullback: { g, _ in [-g] }, pushforward: { t in -t[0]! })
    }

    /// a + s for a scalar constant s.
    public static func + (a: Variable, s: Scalar) -> Variable {
        a.tape.record(a.value + s, inputs: [a], pullback: { g, _ in [g] }, pushforward: { t in t[0]! })
    }
    public static func + (s: Scalar, a: Variable) -> Variable { a + s }
    public static func - (a: Variable, s: Scalar) -> Variable { a + (-s) }
    public static func - (s: Scalar, a: Variable) -> Variable { -a + s }

    /// a · s for a scalar constant s.
    public static func * (a: Variable, s: Scalar) -> Variable {
        a.tape.record(a.value * s, inputs: [a], pullback: { g, _ in [g * s] }, pushforward: { t in t[0]! * s })
    }
    public static func * (s: Scalar, a: Variable) -> Variable { a * s }
    public static func / (a: Variable, s: Scalar) -> Variable { a * (1 / s) }

    /// a + b for a constant tensor b (broadcasting), without recording b.
    public static func + (a: Variable, b: Tensor<Scalar>) -> Variable {
        let sa = a.shape
        let out = a.value + b
        let shape = out.shape
        return a.tape.record(out, inputs: [a], pullback: { g, _ in [g.reduced(toShape: sa)] },
                             pushforward: { t in t[0]!.broadcasted(to: shape) })
    }
    public static func - (a: Variable, b: Tensor<Scalar>) -> Variable { a + (-b) }

    /// a ⊙ b for a constant tensor b (broadcasting), without recording b.
    public static func * (a: Variable, b: Tensor<Scalar>) -> Variable {
        let sa = a.shape
        return a.tape.record(a.value * b, inputs: [a], pullback: { g, _ in [(g * b).reduced(toShape: sa)] },
                             pushforward: { t in t[0]! * b })
    }
}
