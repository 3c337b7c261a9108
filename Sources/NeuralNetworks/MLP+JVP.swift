import LinearAlgebra
import Tensors

/// Forward-mode derivatives of an MLP without a tape.
extension MLP {
    /// Forward-mode JVP through the MLP: the output and d(output) for parameter tangents
    /// (same order and shapes as `parameters`), with the input held fixed.
    ///
    /// ```
    /// ṗₗ = ḣₗ·Wₗ + hₗ·Ẇₗ + ḃₗ,   ḣₗ₊₁ = f′(pₗ) ⊙ ṗₗ
    /// ```
    public func jvp(_ input: Tensor<Scalar>, parameterTangents: [Tensor<Scalar>]) -> (output: Tensor<Scalar>, tangent: Tensor<Scalar>) {
        jvp(input, inputTangent: nil, parameterTangents: parameterTangents)
    }

    /// Forward-mode JVP with an optional input tangent (same shape as `input`) and optional
    /// parameter tangents (nil: parameters held fixed). A rank-1 input `[in]` gives rank-1 results.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func jvp(_ input: Tensor<Scalar>, inputTangent: Tensor<Scalar>?,
                    parameterTangents: [Tensor<Scalar>]?) -> (output: Tensor<Scalar>, tangent: Tensor<Scalar>) {
        if let t = inputTangent {
            checkPrecondition(t.shape == input.shape, "MLP.jvp: input tangent shape \(t.shape) does not match input \(input.shape)")
        }
        if let pt = parameterTangents {
            checkPrecondition(pt.map { $0.shape } == parameterShapes,
                         "MLP.jvp: parameter tangent shapes \(pt.map { $0.shape }) do not match \(parameterShapes)")
        }
        if input.rank == 1 {
            let r = jvp(input.reshaped([1, input.count]), inputTangent: inputTangent?.reshaped([1, input.count]),
                        parameterTangents: parameterTangents)
            return (r.output.reshaped([outputSize]), r.tangent.reshaped([outputSize]))
        }
        checkPrecondition(input.rank == 2 && input.shape[1] == inputSize,
                     "MLP.jvp: input shape \(input.shape) does not match [batch, \(inputSize)]")
        let batch = input.shape[0]
        var h = input
        var hDot = inputTangent
        for (l, layer) in layers.enumerated() {
            let m = layer.outputSize, n = layer.inputSize
            let (y, slope) = Dense.forward(h, layer.weight, layer.bias, activation(afterLayer: l), derivative: true)
            let wDot = parameterTangents?[2 * l], bDot = parameterTangents?[2 * l + 1]
            if wDot != nil || hDot != nil || bDot != nil {
                var p = Tensor<Scalar>(shape: [batch, m]) { out in
                    if let bDot {
                        bDot.withUnsafeScalars { Dense.fillRows(out, with: $0, rows: batch) }
                    } else {
                        for i in 0..<out.count { out[i] = 0 }
                    }
                    if let wDot { Dense.gemmAccumulate(h, wDot, into: out, m: batch, n: m, k: n) }
                    if let hDot { Dense.gemmAccumulate(hDot, layer.weight, into: out, m: batch, n: m, k: n) }
                }
                if let slope { Dense.multiplyInPlace(&p, slope) }
                hDot = p
            }
            h = y
        }
        return (h, hDot ?? Tensor.zeros(h.shape))
    }
}
