import LinearAlgebra
import Tensors

/// The optimiser state that a checkpoint saves: the moment estimates and the step count.
public struct AdamState<Scalar: TensorScalar>: Sendable, Equatable {
    /// First-moment (mean) estimates m, one per parameter tensor.
    public var firstMoments: [Tensor<Scalar>]
    /// Second-moment (uncentred variance) estimates v, one per parameter tensor.
    public var secondMoments: [Tensor<Scalar>]
    /// The number of steps taken, t.
    public var stepCount: Int

    public init(firstMoments: [Tensor<Scalar>], secondMoments: [Tensor<Scalar>], stepCount: Int) {
        checkPrecondition(firstMoments.map { $0.shape } == secondMoments.map { $0.shape },
                     "AdamState: moment shapes differ: \(firstMoments.map { $0.shape }) vs \(secondMoments.map { $0.shape })")
        checkPrecondition(stepCount >= 0, "AdamState: negative step count \(stepCount)")
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
        self.stepCount = stepCount
    }
}

/// Adam (Kingma & Ba 2015, arXiv:1412.6980) with bias correction and optional clipping
/// of the global gradient norm, as in PPO implementations.
///
/// ```
/// g ← g · min(1, c / (‖g‖ + 10⁻⁶))          when maxGradientNorm c is set
/// m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
/// θ ← θ − α/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
/// The update is one fused loop per tensor, in place: parameters whose storage is
/// uniquely referenced (reset the tape first; see `MLP.updateParameters`) are not copied.
public struct Adam<Scalar: TensorScalar>: Sendable {
    /// The step size α.
    public var learningRate: Scalar
    /// The decay of the first moment, β₁.
    public var beta1: Scalar
    /// The decay of the second moment, β₂.
    public var beta2: Scalar
    /// The denominator's ε.
    public var epsilon: Scalar
    /// If set, gradients are scaled so that their global L2 norm is at most this.
    public var maxGradientNorm: Scalar?
    /// The number of steps taken.
    public private(set) var stepCount: Int = 0
    var m: [Tensor<Scalar>]
    var v: [Tensor<Scalar>]

    /// An optimiser for tensors shaped like `parameters`, with zero moments.
    public init(parameters: [Tensor<Scalar>], learningRate: Scalar = 3e-4, beta1: Scalar = 0.9,
                beta2: Scalar = 0.999, epsilon: Scalar = 1e-8, maxGradientNorm: Scalar? = nil) {
        checkPrecondition(learningRate >= 0, "Adam: negative learning rate \(learningRate)")
        checkPrecondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam: betas \(beta1), \(beta2) must be in [0, 1)")
        checkPrecondition(maxGradientNorm.map { $0 > 0 } ?? true, "Adam: maxGradientNorm must be positive, got \(maxGradientNorm!)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.maxGradientNorm = maxGradientNorm
        m = parameters.map { Tensor.zeros($0.shape) }
        v = m
    }

    /// The moments and step count, for checkpoints; setting checks the shapes.
    public var state: AdamState<Scalar> {
        get { AdamState(firstMoments: m, secondMoments: v, stepCount: stepCount) }
        set {
            checkPrecondition(newValue.firstMoments.map { $0.shape } == m.map { $0.shape },
                         "Adam.state: moment shapes \(newValue.firstMoments.map { $0.shape }) do not match \(m.map { $0.shape })")
            m = newValue.firstMoments
            v = newValue.secondMoments
            stepCount = newValue.stepCount
        }
    }

    /// Zeroes the moments and the step count.
    public mutating func reset() {
        m = m.map { Tensor.zeros($0.shape) }
        v = m
        stepCount = 0
    }

    /// The global L2 norm √(Σ‖gᵢ‖²) of a list of tensors.
    public static func globalNorm(_ tensors: [Tensor<Scalar>]) -> Scalar {
        var sum: Scalar = 0
        for t in tensors where t.count > 0 { sum += t.dot(t) }
        return sum.squareRoot()
    }

    /// Clips the gradients to a global L2 norm of `maxGradientNorm` if set (returns the
    /// pre-clip norm), then updates `parameters` in place.
    @discardableResult
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func step(_ parameters: inout [Tensor<Scalar>], gradients: [Tensor<Scalar>]) -> Scalar {
        checkPrecondition(parameters.count == m.count && gradients.count == m.count,
                     "Adam.step: expected \(m.count) parameters and gradients, got \(parameters.count) and \(gradients.count)")
        let norm = Self.globalNorm(gradients)
        var clip: Scalar = 1
        if let c = maxGradientNorm, norm > c { clip = c / (norm + 1e-6) }
        stepCount += 1
        let t = Scalar(stepCount)
        let b1 = beta1, b2 = beta2, eps = epsilon
        let stepSize = learningRate / (1 - pow(b1, t))
        let invSqrtBias2 = 1 / (1 - pow(b2, t)).squareRoot()
        let oneMinusB1 = (1 - b1) * clip, oneMinusB2 = (1 - b2) * clip * clip
        // Move the moments out so their storage is uniquely referenced while written.
        var m = self.m, v = self.v
        self.m = []; self.v = []
        defer { self.m = m; self.v = v }
        for i in parameters.indices {
            let g = gradients[i]
            checkPrecondition(g.shape == m[i].shape && parameters[i].shape == m[i].shape,
                         "Adam.step: tensor \(i) has parameter shape \(parameters[i].shape) and gradient shape \(g.shape), expected \(m[i].shape)")
            g.withUnsafeScalars { gp in
                parameters[i].withUnsafeMutableScalars { p in
                    m[i].withUnsafeMutableScalars { mp in
                        v[i].withUnsafeMutableScalars { vp in
                            Scalar.adamUpdate(parameters: p, gradients: gp, firstMoments: mp, secondMoments: vp,
                                              beta1: b1, beta2: b2, c1: oneMinusB1, c2: oneMinusB2,
                                              stepSize: stepSize, inverseSqrtBias2: invSqrtBias2, epsilon: eps)
                        }
                    }
                }
            }
        }
        return norm
    }

    /// One step on an MLP's parameters in place (gradients in `parameters` order), without
    /// copying them (see `MLP.updateParameters`).
    @discardableResult
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public mutating func step(_ model: inout MLP<Scalar>, gradients: [Tensor<Scalar>]) -> Scalar {
        let shapes = model.parameterShapes
        var p = model.takeParameters()
        defer { model.restoreParameters(p, shapes: shapes) }
        return step(&p, gradients: gradients)
    }

    /// bᵉ for an integer-valued exponent, by repeated squaring (no libm needed).
    private func pow(_ b: Scalar, _ e: Scalar) -> Scalar {
        var result: Scalar = 1, base = b, n = Int(e)
        while n > 0 { if n & 1 == 1 { result *= base }; base *= base; n >>= 1 }
        return result
    }
}
