import LinearAlgebra
import SeededRandom
import Tensors

/// Random (scaled) orthogonal matrices for weight initialisation (Saxe, McClelland &
/// Ganguli 2014, arXiv:1312.6120), as PyTorch's `nn.init.orthogonal_` draws them.
///
/// Draw A with standard-normal entries, m = max(rows, columns) by n = min(rows, columns);
/// factor A = Q·R by LAPACK (`QR.factor`, `geqrf` + `orgqr`); flip each column of Q by
/// the sign of the matching diagonal of R, so that Q is Haar-distributed (Mezzadri 2007,
/// arXiv:math-ph/0609050); the result is g·Q if rows ≥ columns and g·Qᵀ otherwise:
/// ```
/// rows ≥ columns:  WᵀW = g²·I      rows < columns:  WWᵀ = g²·I
/// ```
enum Orthogonal {
    /// A `[rows, columns]` matrix with orthonormal columns or rows, times `gain`.
    /// The m·n normal draws are taken from `generator` in row-major order of A.
    static func matrix<S: TensorScalar, G: RandomNumberGenerator>(rows: Int, columns: Int, gain: S,
                                                                   using generator: inout G) -> Tensor<S> {
        checkPrecondition(rows > 0 && columns > 0, "Orthogonal.matrix: size \(rows)×\(columns) must be positive")
        let m = max(rows, columns), n = min(rows, columns)
        let a = Matrix<S>(rows: m, columns: n, elements: (0..<(m * n)).map { _ in S(generator.nextStandardNormal()) })
        let q: Matrix<S>, r: Matrix<S>
        do {
            (q, r) = try QR.factor(a)
        } catch {
            // Only a NaN from the generator or a LAPACK argument bug can make this fail.
            preconditionViolated("Orthogonal.matrix: QR of a \(m)×\(n) Gaussian matrix failed: \(error)")
        }
        checkPrecondition(q.rows == m && q.columns == n, "Orthogonal.matrix: QR returned Q of \(q.rows)×\(q.columns), expected \(m)×\(n)")
        let signs = (0..<n).map { j -> S in r[j, j] < 0 ? -gain : gain }
        let transpose = rows < columns
        return Tensor(shape: [rows, columns]) { out in
            for i in 0..<m {
                for j in 0..<n {
                    let v = q.elements[i * n + j] * signs[j]
                    if transpose { out[j * m + i] = v } else { out[i * n + j] = v }
                }
            }
        }
    }
}
