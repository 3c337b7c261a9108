import LinearAlgebra
import Tensors

/// An affine layer y = x·W + b, with the weight stored `[in, out]` so that a batch
/// `[batch, in]` multiplies it directly.
public struct Linear<Scalar: TensorScalar>: Sendable {
    /// The weight matrix, shape `[in, out]`.
    public var weight: Tensor<Scalar>
    /// The bias row vector, shape `[out]`.
    public var bias: Tensor<Scalar>

    /// A layer from its weight `[in, out]` and bias `[out]`; traps on inconsistent shapes.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>) {
        checkPrecondition(weight.rank == 2, "Linear: weight must be [in, out], got \(weight.shape)")
        checkPrecondition(bias.shape == [weight.shape[1]],
                     "Linear: bias shape \(bias.shape) does not match weight \(weight.shape) (needs [\(weight.shape[1])])")
        self.weight = weight
        self.bias = bias
    }

    /// A zero layer of the given sizes.
    public init(inputSize: Int, outputSize: Int) {
        self.init(weight: .zeros([inputSize, outputSize]), bias: .zeros([outputSize]))
    }

    /// The number of inputs.
    public var inputSize: Int { weight.shape[0] }
    /// The number of outputs.
    public var outputSize: Int { weight.shape[1] }

    /// x·W + b for a batch `[batch, in]`, computed as one `gemm` into bias-initialised rows.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        Dense.forward(input, weight, bias, .identity, derivative: false).y
    }
}
