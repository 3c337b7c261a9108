import LinearAlgebra
import Tensors

/// Conversions between a list of parameter tensors and one flat vector, for
/// conjugate gradients (TRPO, CPO), line searches and checkpoint comparisons.
public enum ParameterVector {
    /// The scalars of all `tensors`, in order, as one rank-1 tensor.
    public static func flatten<S: TensorScalar>(_ tensors: [Tensor<S>]) -> Tensor<S> {
        let total = tensors.reduce(0) { $0 + $1.count }
        return Tensor(shape: [total]) { out in
            var offset = 0
            for t in tensors {
                t.withUnsafeScalars { p in
                    for i in 0..<p.count { out[offset + i] = p[i] }
                }
                offset += t.count
            }
        }
    }

    /// The inverse of `flatten`: consecutive pieces of `flat` reshaped to `shapes`.
    /// Traps unless `flat` is rank 1 with exactly the elements the shapes need.
    public static func unflatten<S: TensorScalar>(_ flat: Tensor<S>, shapes: [[Int]]) -> [Tensor<S>] {
        let counts = shapes.map { $0.reduce(1, *) }
        let total = counts.reduce(0, +)
        checkPrecondition(flat.rank == 1 && flat.count == total,
                     "ParameterVector.unflatten: \(flat.shape) does not hold the \(total) elements of shapes \(shapes)")
        var offset = 0
        return flat.withUnsafeScalars { p in
            zip(shapes, counts).map { shape, n in
                defer { offset += n }
                return Tensor(shape: shape) { out in for i in 0..<n { out[i] = p[offset + i] } }
            }
        }
    }

    /// The shapes of `tensors`, for `unflatten`.
    public static func shapes<S: TensorScalar>(of tensors: [Tensor<S>]) -> [[Int]] { tensors.map { $0.shape } }
}
