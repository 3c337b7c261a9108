import LinearAlgebra
import SeededRandom
import Tensors

/// A batch of Gaussians with diagonal covariance, recorded on a tape: the policy of
/// PPO, TRPO and CPO for continuous actions.
///
/// Each quantity is one fused tape node (value, pullback and pushforward written out),
/// so a minibatch's log-probabilities cost one pass over `[batch, d]`:
/// ```
/// z = (a − μ) ⊙ e^{−s}
/// log p(a) = −½ Σⱼ zⱼ² − Σⱼ sⱼ − (d/2) log 2π          s = log σ
/// ```
public struct DiagonalGaussian<Scalar: TensorScalar> {
    /// The means, `[batch, d]`.
    public let mean: Variable<Scalar>
    /// The log standard deviations: `[d]` (state-independent, shared by every row) or `[batch, d]`.
    public let logStd: Variable<Scalar>
    let layout: GaussianLayout

    /// A batch of Gaussians; `mean` and `logStd` must be on the same tape.
    public init(mean: Variable<Scalar>, logStd: Variable<Scalar>) {
        checkPrecondition(mean.tape === logStd.tape, "DiagonalGaussian: mean and logStd are on different tapes")
        self.mean = mean
        self.logStd = logStd
        self.layout = GaussianLayout(mean: mean.shape, logStd: logStd.shape, "DiagonalGaussian")
    }

    /// The batch size.
    public var batchSize: Int { layout.batch }
    /// The dimension d of each Gaussian.
    public var dimension: Int { layout.dimension }

    @inline(__always) static var logTwoPi: Scalar { Scalar.log(2 * Scalar.pi) }

    /// log p(a) for actions `[batch, d]`, one value per row: `[batch]`.
    ///
    /// ```
    /// ∂/∂μ = z ⊙ e^{−s},   ∂/∂s = z² − 1
    /// ```
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func logProbability(of actions: Tensor<Scalar>) -> Variable<Scalar> {
        checkPrecondition(actions.shape == mean.shape,
                          "DiagonalGaussian.logProbability: actions shape \(actions.shape) does not match mean \(mean.shape)")
        let L = layout, B = L.batch, d = L.dimension
        let mu = mean.value, s = logStd.value
        let invStd = Tensor<Scalar>(shape: s.shape) { o in s.withUnsafeScalars { sp in for k in 0..<o.count { o[k] = Scalar.exp(-sp[k]) } } }
        // Per element: dμ = z e^{−s} and ds = z² − 1, shared by both rules.
        var dMu: Tensor<Scalar> = zeroTensor([B, d]), dS: Tensor<Scalar> = zeroTensor([B, d])
        let constant = Scalar(d) / 2 * Self.logTwoPi
        let out = Tensor<Scalar>(shape: [B]) { out in
            dMu.withUnsafeMutableScalars { gm in dS.withUnsafeMutableScalars { gs in
                actions.withUnsafeScalars { a in mu.withUnsafeScalars { m in s.withUnsafeScalars { sp in
                    invStd.withUnsafeScalars { iv in
                        for i in 0..<B {
                            var sq: Scalar = 0, logs: Scalar = 0
                            for j in 0..<d {
                                let k = i * d + j, si = L.s(i, j)
                                let z = (a[k] - m[k]) * iv[si]
                                gm[k] = z * iv[si]
                                gs[k] = z * z - 1
                                sq += z * z
                                logs += sp[si]
                            }
                            out[i] = -sq / 2 - logs - constant
                        }
                    }
                } } }
            } }
        }
        let sShape = logStd.shape
        return mean.tape.record(out, inputs: [mean, logStd], pullback: { g, needs in
            g.withUnsafeScalars { gp in
                [needs[0] ? dMu.withUnsafeScalars { L.scaleRows(g: gp, $0) } : nil,
                 needs[1] ? dS.withUnsafeScalars { L.reduceToLogStd(sShape, g: gp, $0) } : nil]
            }
        }, pushforward: { t in
            Tensor(shape: [B]) { o in
                for i in 0..<B { o[i] = 0 }
                if let tm = t[0] { dMu.withUnsafeScalars { L.accumulateRowDots(tm, logStdLayout: false, $0, into: o) } }
                if let ts = t[1] { dS.withUnsafeScalars { L.accumulateRowDots(ts, logStdLayout: true, $0, into: o) } }
            }
        })
    }

    /// The differential entropy of each row, `[batch]`:
    /// ```
    /// H = Σⱼ sⱼ + (d/2)(1 + log 2π)
    /// ```
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func entropy() -> Variable<Scalar> {
        let L = layout, B = L.batch, d = L.dimension
        let s = logStd.value
        let constant = Scalar(d) / 2 * (1 + Self.logTwoPi)
        let out = Tensor<Scalar>(shape: [B]) { o in
            s.withUnsafeScalars { sp in
                for i in 0..<B { var acc: Scalar = 0; for j in 0..<d { acc += sp[L.s(i, j)] }; o[i] = acc + constant }
            }
        }
        let sShape = logStd.shape
        return logStd.tape.record(out, inputs: [logStd], pullback: { g, _ in
            [g.withUnsafeScalars { L.broadcastRowsToLogStd(sShape, g: $0) }]
        }, pushforward: { t in
            Tensor(shape: [B]) { o in
                for i in 0..<B { o[i] = 0 }
                L.accumulateRowDots(t[0]!, logStdLayout: true, nil, into: o)
            }
        })
    }

    /// KL(other ‖ self) = E_{a∼other}[log other(a) − log self(a)] per row, `[batch]`.
    ///
    /// With `self` the policy being optimised and `other` the one that collected the data,
    /// `new.klDivergence(from: old)` is TRPO's and CPO's KL(π_old ‖ π_new). Both must be on
    /// the same tape (record the old one with `tape.constant`). See `klDivergence(_:_:)`.
    public func klDivergence(from other: DiagonalGaussian<Scalar>) -> Variable<Scalar> {
        Self.klDivergence(other, self)
    }

    /// KL(p ‖ q) per row, `[batch]`, for diagonal Gaussians on the same tape:
    /// ```
    /// KL(p ‖ q) = Σⱼ [ s_q − s_p + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − ½ ]
    /// ∂/∂μ_p = −∂/∂μ_q = (μ_p − μ_q)/σ_q²,  ∂/∂s_p = σ_p²/σ_q² − 1,
    /// ∂/∂s_q = 1 − (σ_p² + (μ_p − μ_q)²)/σ_q²
    /// ```
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func klDivergence(_ p: DiagonalGaussian<Scalar>, _ q: DiagonalGaussian<Scalar>) -> Variable<Scalar> {
        checkPrecondition(p.mean.tape === q.mean.tape, "DiagonalGaussian.klDivergence: the distributions are on different tapes")
        checkPrecondition(p.mean.shape == q.mean.shape,
                          "DiagonalGaussian.klDivergence: mean shapes \(p.mean.shape) and \(q.mean.shape) differ")
        let Lp = p.layout, Lq = q.layout, B = Lp.batch, d = Lp.dimension
        let mp = p.mean.value, mq = q.mean.value, sp = p.logStd.value, sq = q.logStd.value
        var dMean: Tensor<Scalar> = zeroTensor([B, d]), dSp: Tensor<Scalar> = zeroTensor([B, d]), dSq: Tensor<Scalar> = zeroTensor([B, d])
        let out = Tensor<Scalar>(shape: [B]) { o in
            dMean.withUnsafeMutableScalars { dm in dSp.withUnsafeMutableScalars { d1 in dSq.withUnsafeMutableScalars { d2 in
                mp.withUnsafeScalars { a in mq.withUnsafeScalars { b in
                    sp.withUnsafeScalars { s1 in sq.withUnsafeScalars { s2 in
                        for i in 0..<B {
                            var acc: Scalar = 0
                            for j in 0..<d {
                                let k = i * d + j, lp = s1[Lp.s(i, j)], lq = s2[Lq.s(i, j)]
                                let delta = a[k] - b[k]
                                let invVarQ = Scalar.exp(-2 * lq)
                                let ratio = Scalar.exp(2 * (lp - lq))
                                let w = delta * delta * invVarQ
                                dm[k] = delta * invVarQ
                                d1[k] = ratio - 1
                                d2[k] = 1 - ratio - w
                                acc += lq - lp + (ratio + w - 1) / 2
                            }
                            o[i] = acc
                        }
                    } }
                } }
            } } }
        }
        let spShape = p.logStd.shape, sqShape = q.logStd.shape
        return p.mean.tape.record(out, inputs: [p.mean, p.logStd, q.mean, q.logStd], pullback: { g, needs in
            g.withUnsafeScalars { gp in
                [needs[0] ? dMean.withUnsafeScalars { Lp.scaleRows(g: gp, $0) } : nil,
                 needs[1] ? dSp.withUnsafeScalars { Lp.reduceToLogStd(spShape, g: gp, $0) } : nil,
                 needs[2] ? dMean.withUnsafeScalars { Lp.scaleRows(g: gp, $0, sign: -1) } : nil,
                 needs[3] ? dSq.withUnsafeScalars { Lq.reduceToLogStd(sqShape, g: gp, $0) } : nil]
            }
        }, pushforward: { t in
            Tensor(shape: [B]) { o in
                for i in 0..<B { o[i] = 0 }
                dMean.withUnsafeScalars { v in
                    if let t0 = t[0] { Lp.accumulateRowDots(t0, logStdLayout: false, v, into: o) }
                    if let t2 = t[2] { Lp.accumulateRowDots(t2, logStdLayout: false, v, sign: -1, into: o) }
                }
                if let t1 = t[1] { dSp.withUnsafeScalars { Lp.accumulateRowDots(t1, logStdLayout: true, $0, into: o) } }
                if let t3 = t[3] { dSq.withUnsafeScalars { Lq.accumulateRowDots(t3, logStdLayout: true, $0, into: o) } }
            }
        })
    }

    /// Actions drawn with noise from `generator`: μ + e^{s} ⊙ ε, ε ∼ N(0, I), `[batch, d]`.
    /// The noise is drawn in row-major order, so the same seed gives the same actions.
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Tensor<Scalar> {
        action(noise: Self.standardNormal(mean.shape, using: &generator))
    }

    /// Standard-normal noise of `shape`, drawn in row-major order.
    public static func standardNormal<G: RandomNumberGenerator>(_ shape: [Int], using generator: inout G) -> Tensor<Scalar> {
        Tensor(shape: shape) { o in for k in 0..<o.count { o[k] = Scalar(generator.nextStandardNormal()) } }
    }

    /// μ + e^{s} ⊙ ε for given standard-normal noise ε `[batch, d]`, off the tape.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func action(noise: Tensor<Scalar>) -> Tensor<Scalar> {
        checkPrecondition(noise.shape == mean.shape, "DiagonalGaussian: noise shape \(noise.shape) does not match mean \(mean.shape)")
        let L = layout, d = L.dimension
        let mu = mean.value, s = logStd.value
        return Tensor(shape: mean.shape) { o in
            mu.withUnsafeScalars { m in s.withUnsafeScalars { sp in noise.withUnsafeScalars { e in
                for i in 0..<L.batch { for j in 0..<d { let k = i * d + j; o[k] = m[k] + Scalar.exp(sp[L.s(i, j)]) * e[k] } }
            } } }
        }
    }

    /// The reparameterised sample μ + e^{s} ⊙ ε on the tape, differentiable in μ and s
    /// (∂/∂μ = 1, ∂/∂s = σ ⊙ ε).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func reparameterizedSample(noise: Tensor<Scalar>) -> Variable<Scalar> {
        checkPrecondition(noise.shape == mean.shape, "DiagonalGaussian: noise shape \(noise.shape) does not match mean \(mean.shape)")
        let L = layout, B = L.batch, d = L.dimension
        let mu = mean.value, s = logStd.value
        var dS: Tensor<Scalar> = zeroTensor([B, d])
        let value = Tensor<Scalar>(shape: [B, d]) { o in
            dS.withUnsafeMutableScalars { ds in
                mu.withUnsafeScalars { m in s.withUnsafeScalars { sp in noise.withUnsafeScalars { e in
                    for i in 0..<B { for j in 0..<d {
                        let k = i * d + j
                        ds[k] = Scalar.exp(sp[L.s(i, j)]) * e[k]
                        o[k] = m[k] + ds[k]
                    } }
                } } }
            }
        }
        let sShape = logStd.shape
        let ones = Tensor<Scalar>(shape: [B]) { o in for i in 0..<B { o[i] = 1 } }
        return mean.tape.record(value, inputs: [mean, logStd], pullback: { g, needs in
            [needs[0] ? g : nil,
             needs[1] ? Dense.multiply(g, dS).withUnsafeScalars { v in ones.withUnsafeScalars { L.reduceToLogStd(sShape, g: $0, v) } } : nil]
        }, pushforward: { t in
            Tensor(shape: [B, d]) { o in
                if let tm = t[0] { tm.withUnsafeScalars { p in for k in 0..<o.count { o[k] = p[k] } } } else { for k in 0..<o.count { o[k] = 0 } }
                if let ts = t[1] {
                    ts.withUnsafeScalars { tp in dS.withUnsafeScalars { ds in
                        for i in 0..<B { for j in 0..<d { o[i * d + j] += tp[L.s(i, j)] * ds[i * d + j] } }
                    } }
                }
            }
        })
    }

    /// The most likely action, μ.
    public var mode: Tensor<Scalar> { mean.value }
}
