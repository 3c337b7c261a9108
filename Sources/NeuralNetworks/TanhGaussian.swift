import LinearAlgebra
import Tensors

/// SAC's squashed Gaussian (Haarnoja et al. 2018, arXiv:1812.05905, appendix C):
/// u ∼ N(μ, diag σ²), a = c + h ⊙ tanh u, with optional action bounds [low, high]
/// giving c = (high + low)/2 and h = (high − low)/2 (otherwise c = 0, h = 1).
///
/// By the change of variables,
/// ```
/// log π(a) = log N(u; μ, σ) − Σⱼ log(1 − tanh² uⱼ) − Σⱼ log hⱼ
/// log(1 − tanh² u) = 2 (log 2 − u − softplus(−2u))
/// ```
/// where the right-hand form stays finite for large |u| (1 − tanh² u underflows to 0
/// in `Float` beyond |u| ≈ 9).
public struct TanhGaussian<Scalar: TensorScalar> {
    /// The Gaussian over the pre-squash variable u.
    public let base: DiagonalGaussian<Scalar>
    /// The half-widths h of the action box, `[d]`, or nil for (−1, 1).
    public let scale: Tensor<Scalar>?
    /// The centres c of the action box, `[d]`, or nil for (−1, 1).
    public let offset: Tensor<Scalar>?

    /// The pre-squash means, `[batch, d]`.
    public var mean: Variable<Scalar> { base.mean }
    /// The pre-squash log standard deviations, `[d]` or `[batch, d]`.
    public var logStd: Variable<Scalar> { base.logStd }

    /// A squashed Gaussian with actions in (−1, 1)ᵈ.
    public init(mean: Variable<Scalar>, logStd: Variable<Scalar>) {
        base = DiagonalGaussian(mean: mean, logStd: logStd)
        scale = nil
        offset = nil
    }

    /// A squashed Gaussian with actions in the box (low, high), each `[d]`.
    public init(mean: Variable<Scalar>, logStd: Variable<Scalar>, low: Tensor<Scalar>, high: Tensor<Scalar>) {
        base = DiagonalGaussian(mean: mean, logStd: logStd)
        let d = base.dimension
        checkPrecondition(low.shape == [d] && high.shape == [d],
                     "TanhGaussian: bounds must be [\(d)], got low \(low.shape), high \(high.shape)")
        checkPrecondition(zip(low.scalars, high.scalars).allSatisfy { $0 < $1 },
                     "TanhGaussian: every low must be below its high, got \(low) and \(high)")
        scale = (high - low) * Scalar(0.5)
        offset = (high + low) * Scalar(0.5)
    }

    /// log(1 − tanh² u), computed stably as 2 (log 2 − u − softplus(−2u)).
    @inlinable
    public static func logOneMinusTanhSquared(_ u: Scalar) -> Scalar {
        let x = -2 * u
        let softplus = Swift.max(x, 0) + Scalar.log1p(Scalar.exp(-abs(x)))
        return 2 * (Scalar.log(2) - u - softplus)
    }

    /// Σⱼ log hⱼ, the log-Jacobian of the bounds scaling.
    var logScaleSum: Scalar { scale.map { $0.scalars.reduce(0) { $0 + Scalar.log($1) } } ?? 0 }

    /// A reparameterised sample with standard-normal `noise` ε `[batch, d]`, differentiable
    /// in μ and s through u = μ + σ ⊙ ε: the actions `[batch, d]` and their log-probabilities `[batch]`.
    public func rsample(noise: Tensor<Scalar>) -> (action: Variable<Scalar>, logProbability: Variable<Scalar>) {
        let u = base.reparameterizedSample(noise: noise)
        return (squash(u), logProbability(ofPreSquash: u))
    }

    /// `rsample(noise:)` with noise drawn from `generator`.
    public func rsample<G: RandomNumberGenerator>(using generator: inout G) -> (action: Variable<Scalar>, logProbability: Variable<Scalar>) {
        rsample(noise: DiagonalGaussian<Scalar>.standardNormal(mean.shape, using: &generator))
    }

    /// Actions off the tape, c + h ⊙ tanh(μ + σ ⊙ ε), ε drawn from `generator`.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Tensor<Scalar> {
        squash(base.sample(using: &generator))
    }

    /// The deterministic (evaluation) action c + h ⊙ tanh μ.
    public var deterministicAction: Tensor<Scalar> { squash(mean.value) }

    /// c + h ⊙ tanh u for a tensor `[batch, d]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func squash(_ u: Tensor<Scalar>) -> Tensor<Scalar> {
        squashAndSlope(u, slope: false).action
    }

    /// c + h ⊙ tanh u and, if asked, its derivative h ⊙ (1 − tanh² u).
    @inline(__always)
    func squashAndSlope(_ u: Tensor<Scalar>, slope wantSlope: Bool) -> (action: Tensor<Scalar>, slope: Tensor<Scalar>?) {
        let d = base.dimension
        checkPrecondition(u.rank == 2 && u.shape[1] == d, "TanhGaussian.squash: shape \(u.shape) is not [batch, \(d)]")
        var t = u.tanh()
        var slope: Tensor<Scalar>? = nil
        if wantSlope {
            slope = Tensor(shape: u.shape) { o in
                t.withUnsafeScalars { tp in
                    if let scale {
                        scale.withUnsafeScalars { h in for k in 0..<o.count { o[k] = h[k % d] * (1 - tp[k] * tp[k]) } }
                    } else {
                        for k in 0..<o.count { o[k] = 1 - tp[k] * tp[k] }
                    }
                }
            }
        }
        if let scale, let offset {
            t.withUnsafeMutableScalars { tp in scale.withUnsafeScalars { h in offset.withUnsafeScalars { c in
                for k in 0..<tp.count { tp[k] = c[k % d] + h[k % d] * tp[k] }
            } } }
        }
        return (t, slope)
    }

    /// c + h ⊙ tanh u on the tape, one node.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func squash(_ u: Variable<Scalar>) -> Variable<Scalar> {
        let (out, slope) = squashAndSlope(u.value, slope: true)
        return u.tape.record(out, inputs: [u], pullback: { g, _ in [Dense.multiply(g, slope!)] },
                             pushforward: { t in Dense.multiply(t[0]!, slope!) })
    }

    /// log π(a) `[batch]` for pre-squash values u `[batch, d]` on the tape: one fused node
    /// with inputs μ, s and u.
    /// ```
    /// z = (u − μ) ⊙ e^{−s}
    /// log π = −½ Σ z² − Σ s − (d/2) log 2π − Σ log(1 − tanh² u) − Σ log h
    /// ∂/∂μ = z e^{−s},  ∂/∂s = z² − 1,  ∂/∂u = −z e^{−s} + 2 tanh u
    /// ```
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func logProbability(ofPreSquash u: Variable<Scalar>) -> Variable<Scalar> {
        checkPrecondition(u.shape == mean.shape, "TanhGaussian.logProbability: u shape \(u.shape) does not match mean \(mean.shape)")
        checkPrecondition(u.tape === mean.tape, "TanhGaussian.logProbability: u is on another tape")
        let L = base.layout, B = L.batch, d = L.dimension
        let mu = mean.value, s = logStd.value, uv = u.value
        let constant = Scalar(d) / 2 * DiagonalGaussian<Scalar>.logTwoPi + logScaleSum
        var dMu: Tensor<Scalar> = zeroTensor([B, d]), dS: Tensor<Scalar> = zeroTensor([B, d]), dU: Tensor<Scalar> = zeroTensor([B, d])
        let out = Tensor<Scalar>(shape: [B]) { o in
            dMu.withUnsafeMutableScalars { gm in dS.withUnsafeMutableScalars { gs in dU.withUnsafeMutableScalars { gu in
                uv.withUnsafeScalars { up in mu.withUnsafeScalars { m in s.withUnsafeScalars { sp in
                    for i in 0..<B {
                        var acc: Scalar = 0
                        for j in 0..<d {
                            let k = i * d + j, lsd = sp[L.s(i, j)], x = up[k]
                            let inv = Scalar.exp(-lsd)
                            let z = (x - m[k]) * inv
                            acc += -z * z / 2 - lsd - Self.logOneMinusTanhSquared(x)
                            gm[k] = z * inv
                            gs[k] = z * z - 1
                            gu[k] = -z * inv + 2 * Scalar.tanh(x)
                        }
                        o[i] = acc - constant
                    }
                } } }
            } } }
        }
        let sShape = logStd.shape
        return mean.tape.record(out, inputs: [mean, logStd, u], pullback: { g, needs in
            g.withUnsafeScalars { gp in
                [needs[0] ? dMu.withUnsafeScalars { L.scaleRows(g: gp, $0) } : nil,
                 needs[1] ? dS.withUnsafeScalars { L.reduceToLogStd(sShape, g: gp, $0) } : nil,
                 needs[2] ? dU.withUnsafeScalars { L.scaleRows(g: gp, $0) } : nil]
            }
        }, pushforward: { t in
            Tensor(shape: [B]) { o in
                for i in 0..<B { o[i] = 0 }
                if let t0 = t[0] { dMu.withUnsafeScalars { L.accumulateRowDots(t0, logStdLayout: false, $0, into: o) } }
                if let t1 = t[1] { dS.withUnsafeScalars { L.accumulateRowDots(t1, logStdLayout: true, $0, into: o) } }
                if let t2 = t[2] { dU.withUnsafeScalars { L.accumulateRowDots(t2, logStdLayout: false, $0, into: o) } }
            }
        })
    }

    /// log π(a) `[batch]` for given actions `[batch, d]` (e.g. from a replay buffer),
    /// inverting the squash with u = atanh((a − c)/h), the argument clamped to
    /// ±(1 − `boundaryEpsilon`) so that actions on the boundary stay finite.
    public func logProbability(of actions: Tensor<Scalar>, boundaryEpsilon: Scalar = 1e-6) -> Variable<Scalar> {
        checkPrecondition(actions.shape == mean.shape,
                     "TanhGaussian.logProbability: actions shape \(actions.shape) does not match mean \(mean.shape)")
        let d = base.dimension
        let limit = 1 - boundaryEpsilon
        let u = Tensor<Scalar>(shape: actions.shape) { o in
            actions.withUnsafeScalars { a in
                for k in 0..<o.count {
                    var v = a[k]
                    if let scale, let offset { v = (v - offset.scalars[k % d]) / scale.scalars[k % d] }
                    let c = Swift.min(Swift.max(v, -limit), limit)
                    o[k] = Scalar.log1p(2 * c / (1 - c)) / 2   // atanh c
                }
            }
        }
        return logProbability(ofPreSquash: mean.tape.constant(u))
    }
}
