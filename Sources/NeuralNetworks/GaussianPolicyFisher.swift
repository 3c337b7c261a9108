import LinearAlgebra
import Tensors

/// The Fisher information of a diagonal Gaussian policy π(a|s) = N(μ_θ(s), diag σ²)
/// with a state-independent log-std, applied to a vector without forming it.
///
/// F is the Hessian of the batch-mean KL(π_old ‖ π_θ) at θ = θ_old, the metric of TRPO
/// and CPO (Schulman et al. 2015, arXiv:1502.05477; Achiam et al. 2017,
/// arXiv:1705.10528). For this policy the mean and log-std blocks decouple:
/// ```
/// F·[v_θ; v_logσ] = [ (1/B)·Jᵀ·M·J·v_θ ;  2·v_logσ ],   M = diag(σ⁻²)
/// ```
/// with J the Jacobian of the batch of means w.r.t. the network parameters. J·v is one
/// forward-mode sweep (`Tape.tangents`) and Jᵀ·u one reverse sweep (`Tape.gradients`)
/// over a single recorded forward pass: no double backward.
public struct GaussianPolicyFisher<Scalar: TensorScalar> {
    let tape: Tape<Scalar>
    let mean: Variable<Scalar>
    let parameters: [Variable<Scalar>]
    let shapes: [[Int]]
    let precision: Tensor<Scalar>

    /// `mean` ([batch, d]) must have been computed on `tape` from `parameters`;
    /// `logStd` ([d]) is the policy's log standard deviation.
    public init(tape: Tape<Scalar>, mean: Variable<Scalar>, parameters: [Variable<Scalar>], logStd: Tensor<Scalar>) {
        checkPrecondition(mean.shape.count == 2 && logStd.shape == [mean.shape[1]],
                          "GaussianPolicyFisher: mean shape \(mean.shape) and logStd shape \(logStd.shape) do not match ([batch, d] and [d])")
        self.tape = tape
        self.mean = mean
        self.parameters = parameters
        shapes = parameters.map { $0.shape } + [logStd.shape]
        precision = (logStd * -2).exp() / Scalar(mean.shape[0])
    }

    /// The number of entries of the vectors F acts on: network parameters, then log-std.
    public var dimension: Int { shapes.reduce(0) { $0 + $1.reduce(1, *) } }

    /// F·v for v laid out as `ParameterVector.flatten(parameters + [logStd])`.
    public func product(_ v: Tensor<Scalar>) -> Tensor<Scalar> {
        checkPrecondition(v.count == dimension, "GaussianPolicyFisher.product: vector has \(v.count) entries, expected \(dimension)")
        let parts = ParameterVector.unflatten(v.reshaped([v.count]), shapes: shapes)
        let seeds = zip(parameters, parts).map { (variable: $0, tangent: $1) }
        let jv = tape.tangents(of: [mean], seeds: seeds)[0]
        let jtmjv = tape.gradients(of: mean, seed: jv * precision, wrt: parameters)
        return ParameterVector.flatten(jtmjv + [parts[parts.count - 1] * 2])
    }
}
