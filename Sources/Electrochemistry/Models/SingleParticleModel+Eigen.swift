#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SingleParticleModel {
    /// Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
    /// "Matrix Computations", 4th ed., §8.5). Used once per particle mesh and radius, so clarity beats speed.
    enum SymmetricEigen {
        /// Diagonalises the row-major symmetric `n`×`n` matrix `a` in place (its diagonal becomes the
        /// eigenvalues) and writes the orthonormal eigenvectors as the columns of `v` (row-major).
        static func jacobi(_ a: UnsafeMutableBufferPointer<Double>, vectors v: UnsafeMutableBufferPointer<Double>, n: Int) {
            for i in 0..<n { for j in 0..<n { v[i * n + j] = i == j ? 1 : 0 } }
            for _ in 0..<100 {
                var off = 0.0, diag = 0.0
                for i in 0..<n {
                    diag += a[i * n + i] * a[i * n + i]
                    for j in (i + 1)..<n { off += a[i * n + j] * a[i * n + j] }
                }
                if off <= 1e-30 * diag { return }
                for p in 0..<(n - 1) {
                    for q in (p + 1)..<n where a[p * n + q] != 0 {
                        let apq = a[p * n + q]
                        let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                        let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                        let c = 1 / (t * t + 1).squareRoot(), s = t * c
                        for k in 0..<n {
                            let akp = a[k * n + p], akq = a[k * n + q]
                            a[k * n + p] = c * akp - s * akq
                            a[k * n + q] = s * akp + c * akq
                        }
                        for k in 0..<n {
                            let apk = a[p * n + k], aqk = a[q * n + k]
                            a[p * n + k] = c * apk - s * aqk
                            a[q * n + k] = s * apk + c * aqk
                        }
                        for k in 0..<n {
                            let vkp = v[k * n + p], vkq = v[k * n + q]
                            v[k * n + p] = c * vkp - s * vkq
                            v[k * n + q] = s * vkp + c * vkq
                        }
                    }
                }
            }
        }
    }
}

/// Allocates a zeroed buffer of `count` doubles (at least one).
@inline(__always)
func zeroedBuffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
    let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(count, 1))
    b.initialize(repeating: 0)
    return b
}
