import LinearAlgebra
import Tensors

/// A multilayer perceptron: affine layers with `hiddenActivation` between them and
/// `outputActivation` after the last.
///
/// ```
/// h₀ = x,  hₗ₊₁ = f(hₗ·Wₗ + bₗ)     f = hidden activation, output activation for the last layer
/// ```
/// Inference (`callAsFunction`) runs without a tape; `apply(_:parameters:)` records the
/// same computation on a tape for reverse- and forward-mode derivatives; `jvp` pushes
/// parameter tangents forward without a tape.
public struct MLP<Scalar: TensorScalar>: Sendable {
    /// The affine layers, input first.
    public var layers: [Linear<Scalar>]
    /// The activation after every layer but the last.
    public let hiddenActivation: Activation
    /// The activation after the last layer.
    public let outputActivation: Activation

    /// An MLP from given layers, whose sizes must chain.
    public init(layers: [Linear<Scalar>], hiddenActivation: Activation = .tanh, outputActivation: Activation = .identity) {
        checkPrecondition(!layers.isEmpty, "MLP: needs at least one layer")
        for l in 1..<layers.count {
            checkPrecondition(layers[l].inputSize == layers[l - 1].outputSize,
                         "MLP: layer \(l) takes \(layers[l].inputSize) inputs but layer \(l - 1) gives \(layers[l - 1].outputSize)")
        }
        self.layers = layers
        self.hiddenActivation = hiddenActivation
        self.outputActivation = outputActivation
    }

    /// Orthogonal initialisation (Saxe et al. 2014, arXiv:1312.6120) via QR through LAPACK,
    /// gains √2 for hidden layers by default and `outputGain` for the last (PPO practice:
    /// 0.01 for policy heads, 1 for value heads), zero biases.
    ///
    /// Each weight `[in, out]` has orthonormal columns (WᵀW = g²I) when in ≥ out and
    /// orthonormal rows (WWᵀ = g²I) otherwise, as PyTorch's `orthogonal_` gives for the
    /// transposed `[out, in]` layout. The draws come from `generator`, layer by layer.
    public init<G: RandomNumberGenerator>(sizes: [Int], hiddenActivation: Activation = .tanh,
                                          outputActivation: Activation = .identity,
                                          hiddenGain: Scalar = Scalar(2).squareRoot(), outputGain: Scalar = 1,
                                          using generator: inout G) {
        checkPrecondition(sizes.count >= 2, "MLP: sizes \(sizes) need at least an input and an output size")
        checkPrecondition(sizes.allSatisfy { $0 > 0 }, "MLP: sizes \(sizes) must be positive")
        var layers: [Linear<Scalar>] = []
        for l in 0..<(sizes.count - 1) {
            let gain = l == sizes.count - 2 ? outputGain : hiddenGain
            let w = Orthogonal.matrix(rows: sizes[l], columns: sizes[l + 1], gain: gain, using: &generator)
            layers.append(Linear(weight: w, bias: .zeros([sizes[l + 1]])))
        }
        self.init(layers: layers, hiddenActivation: hiddenActivation, outputActivation: outputActivation)
    }

    /// The layer widths, input first, e.g. `[96, 64, 64, 16]`.
    public var sizes: [Int] { [layers[0].inputSize] + layers.map { $0.outputSize } }
    /// The input width.
    public var inputSize: Int { layers[0].inputSize }
    /// The output width.
    public var outputSize: Int { layers[layers.count - 1].outputSize }

    /// The activation after layer `l`.
    @inlinable
    public func activation(afterLayer l: Int) -> Activation {
        l == layers.count - 1 ? outputActivation : hiddenActivation
    }

    /// The parameters in the order w₀, b₀, w₁, b₁, …; setting checks every shape.
    public var parameters: [Tensor<Scalar>] {
        get { layers.flatMap { [$0.weight, $0.bias] } }
        set {
            checkPrecondition(newValue.count == 2 * layers.count,
                         "MLP.parameters: expected \(2 * layers.count) tensors, got \(newValue.count)")
            for l in layers.indices {
                let w = newValue[2 * l], b = newValue[2 * l + 1]
                checkPrecondition(w.shape == layers[l].weight.shape,
                             "MLP.parameters: weight \(l) has shape \(w.shape), expected \(layers[l].weight.shape)")
                checkPrecondition(b.shape == layers[l].bias.shape,
                             "MLP.parameters: bias \(l) has shape \(b.shape), expected \(layers[l].bias.shape)")
                layers[l].weight = w
                layers[l].bias = b
            }
        }
    }

    /// The shapes of `parameters`, in the same order.
    public var parameterShapes: [[Int]] { layers.flatMap { [$0.weight.shape, $0.bias.shape] } }

    /// The total number of scalars in `parameters`.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.weight.count + $1.bias.count } }

    /// Runs `body` on the parameters moved out of the layers, so that their storage is
    /// uniquely referenced and in-place updates (an optimiser step) copy nothing, then
    /// moves them back. Shapes are checked afterwards.
    public mutating func updateParameters<R>(_ body: (inout [Tensor<Scalar>]) throws -> R) rethrows -> R {
        let shapes = parameterShapes
        var p = takeParameters()
        defer { restoreParameters(p, shapes: shapes) }
        return try body(&p)
    }

    /// The parameters, moved out of the layers (which are left holding empty tensors).
    mutating func takeParameters() -> [Tensor<Scalar>] {
        var p: [Tensor<Scalar>] = []
        p.reserveCapacity(2 * layers.count)
        let empty = Tensor<Scalar>(shape: [0], scalars: [])
        for l in layers.indices {
            p.append(layers[l].weight); layers[l].weight = empty
            p.append(layers[l].bias); layers[l].bias = empty
        }
        return p
    }

    /// Moves parameters taken by `takeParameters` back, checking them against the
    /// `shapes` they had.
    mutating func restoreParameters(_ p: [Tensor<Scalar>], shapes: [[Int]]) {
        checkPrecondition(p.count == shapes.count, "MLP.updateParameters: the body changed the parameter count to \(p.count)")
        for l in layers.indices {
            checkPrecondition(p[2 * l].shape == shapes[2 * l] && p[2 * l + 1].shape == shapes[2 * l + 1],
                              "MLP.updateParameters: the body changed the shapes of layer \(l) to \(p[2 * l].shape), \(p[2 * l + 1].shape)")
            layers[l].weight = p[2 * l]
            layers[l].bias = p[2 * l + 1]
        }
    }

    /// Inference without a tape: input `[batch, in]` gives `[batch, out]`; a rank-1
    /// input `[in]` gives `[out]`. Per layer one buffer: bias rows, `gemm` with β = 1,
    /// the activation in place.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        if input.rank == 1 { return self(input.reshaped([1, input.count])).reshaped([outputSize]) }
        var h = input
        for (l, layer) in layers.enumerated() {
            h = Dense.forward(h, layer.weight, layer.bias, activation(afterLayer: l), derivative: false).y
        }
        return h
    }

    /// Records the forward pass on `input`'s tape (`[batch, in]`) with the given parameter
    /// variables (order and shapes of `parameters`). Each layer, matmul + broadcast bias
    /// add + activation, is one fused node (`Variable.dense`), with pullbacks through
    /// `gemm` and a pushforward for forward mode.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func apply(_ input: Variable<Scalar>, parameters: [Variable<Scalar>]) -> Variable<Scalar> {
        checkPrecondition(parameters.count == 2 * layers.count,
                          "MLP.apply: expected \(2 * layers.count) parameter variables, got \(parameters.count)")
        var h = input
        for l in layers.indices {
            checkPrecondition(parameters[2 * l].shape == layers[l].weight.shape && parameters[2 * l + 1].shape == layers[l].bias.shape,
                              "MLP.apply: layer \(l) parameters have shapes \(parameters[2 * l].shape), \(parameters[2 * l + 1].shape), expected \(layers[l].weight.shape), \(layers[l].bias.shape)")
            h = h.dense(weight: parameters[2 * l], bias: parameters[2 * l + 1], activation: activation(afterLayer: l))
        }
        return h
    }

    /// The parameters recorded as differentiable leaves on `tape`, in `parameters` order.
    public func parameterVariables(on tape: Tape<Scalar>) -> [Variable<Scalar>] {
        layers.flatMap { [tape.variable($0.weight), tape.variable($0.bias)] }
    }
}
