/// One dense layer y = f(W·x + b) of a `.pbp` policy, W stored `[out][in]` (row o holds the weights of
/// output o, contiguous for the runtime's dot products).
public struct PolicyLayer: Sendable, Equatable {
    public var inputs: Int
    public var outputs: Int
    public var activation: PolicyActivation
    public var weights: Weights

    /// The parameters in one of the two precisions.
    public enum Weights: Sendable, Equatable {
        /// `weight[o·inputs + i]`, `bias[o]`.
        case f32(weight: [Float], bias: [Float])
        case int8(QuantisedDense)
    }

    public init(inputs: Int, outputs: Int, activation: PolicyActivation, weights: Weights) {
        self.inputs = inputs
        self.outputs = outputs
        self.activation = activation
        self.weights = weights
    }

    public var precision: Precision {
        if case .int8 = weights { return .int8 }
        return .f32
    }

    /// The float weights `[out][in]` and bias, dequantised for an int8 layer.
    public var floatParameters: (weight: [Float], bias: [Float]) {
        switch weights {
        case let .f32(w, b): return (w, b)
        case let .int8(q):
            let w = (0..<(inputs * outputs)).map { k in Float(q.weights[k]) * q.weightScales[k / inputs] }
            let b = (0..<outputs).map { o in Float(q.bias[o]) * q.input.scale * q.weightScales[o] }
            return (w, b)
        }
    }
}

/// An affine int8 quantisation of a tensor: real = scale·(q − zeroPoint), q ∈ [−128, 127].
public struct Quantisation: Sendable, Equatable {
    public var scale: Float
    public var zeroPoint: Int32

    public init(scale: Float, zeroPoint: Int32) {
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The quantisation of a calibrated range [low, high], widened to contain 0 so that zero is exact
    /// (TFLite's convention; Jacob et al. 2018, §2.1).
    public init(low: Float, high: Float) {
        let lo = min(low, 0), hi = max(high, 0)
        let span = hi - lo
        scale = span > 0 ? span / 255 : 1
        zeroPoint = Int32(max(-128, min(127, (-128 - lo / scale).rounded())))
    }

    /// TFLite's int8 tanh output: scale 1/128, zero point 0.
    public static let tanhOutput = Quantisation(scale: 1.0 / 128, zeroPoint: 0)

    /// q = clamp(round(x/scale) + zeroPoint).
    public func quantise(_ x: Float) -> Int8 {
        Int8(max(-128, min(127, (x / scale + Float(zeroPoint)).rounded())))
    }

    public func dequantise(_ q: Int8) -> Float { scale * (Float(q) - Float(zeroPoint)) }
}

/// The int8 parameters of a dense layer (TFLite's fully-connected int8 kernel with per-channel weights).
///
/// ```
/// acc[o] = bias[o] + Σᵢ (x[i] − input.zeroPoint)·w[o][i]            int32
/// y[o]   = clamp(pre.zeroPoint + round(acc[o]·M[o]), −128, 127),     M[o] = input.scale·weightScales[o]/pre.scale
/// out[o] = table[y[o] + 128] (tanh)  |  max(y[o], output.zeroPoint) (relu)  |  y[o]
/// ```
/// M[o] is stored as `multipliers[o]`·2^(`shifts[o]` − 31) with the multiplier in [2³⁰, 2³¹) (Q0.31).
public struct QuantisedDense: Sendable, Equatable {
    public var input: Quantisation
    /// The dense output before the activation.
    public var preActivation: Quantisation
    /// After the activation (the next layer's input); equals `preActivation` unless the layer is tanh.
    public var output: Quantisation
    /// Symmetric per-output-channel weight scales (zero point 0).
    public var weightScales: [Float]
    /// Bias in units of input.scale·weightScales[o].
    public var bias: [Int32]
    public var multipliers: [Int32]
    public var shifts: [Int32]
    /// tanh only: 256 outputs indexed by the pre-activation + 128.
    public var tanhTable: [Int8]?
    /// `[out][in]`, in [−127, 127].
    public var weights: [Int8]

    public init(input: Quantisation, preActivation: Quantisation, output: Quantisation, weightScales: [Float],
                bias: [Int32], multipliers: [Int32], shifts: [Int32], tanhTable: [Int8]?, weights: [Int8]) {
        self.input = input
        self.preActivation = preActivation
        self.output = output
        self.weightScales = weightScales
        self.bias = bias
        self.multipliers = multipliers
        self.shifts = shifts
        self.tanhTable = tanhTable
        self.weights = weights
    }

    /// A real multiplier M > 0 as (Q0.31 multiplier, shift) with M ≈ multiplier·2^(shift − 31), as TFLite's
    /// `QuantizeMultiplier`; (0, 0) when M underflows the shift range.
    public static func fixedPoint(_ m: Double) -> (multiplier: Int32, shift: Int32) {
        guard m > 0, m.isFinite else { return (0, 0) }
        var shift = Int(m.exponent) + 1               // m = f·2^shift, f ∈ [0.5, 1)
        var q = (m.significand / 2 * 2147483648.0).rounded()
        if q == 2147483648.0 { q /= 2; shift += 1 }
        if shift < -31 { return (0, 0) }
        if shift > 30 { return (Int32.max, 30) }
        return (Int32(q), Int32(shift))
    }

    /// The real multiplier a (multiplier, shift) pair stands for.
    public static func realMultiplier(_ multiplier: Int32, _ shift: Int32) -> Double {
        Double(multiplier) * Double(sign: .plus, exponent: Int(shift) - 31, significand: 1)
    }
}
