import LinearAlgebra
import Tensors

/// How a log-standard-deviation lines up with a `[batch, d]` mean: shared by every row
/// (`[d]` or `[1, d]`, state-independent) or one per row (`[batch, d]`).
///
/// The helpers are plain loops, inlined into the `Float`/`Double` specialisations of
/// the distributions that call them.
struct GaussianLayout {
    let batch: Int
    let dimension: Int
    let perRow: Bool

    init(mean: [Int], logStd: [Int], _ op: StaticString) {
        checkPrecondition(mean.count == 2, "\(op): mean must be [batch, d], got \(mean)")
        batch = mean[0]
        dimension = mean[1]
        if logStd == [dimension] || logStd == [1, dimension] {
            perRow = false
        } else {
            checkPrecondition(logStd == mean, "\(op): logStd shape \(logStd) must be [\(dimension)] or \(mean)")
            perRow = true
        }
    }

    /// The flat index into the log-standard-deviation of row `i`, column `j`.
    @inline(__always) func s(_ i: Int, _ j: Int) -> Int { perRow ? i &* dimension &+ j : j }

    /// Per-element values `g[i]·v[i, j]` summed to the log-standard-deviation's layout.
    @inline(__always)
    func reduceToLogStd<S: TensorScalar>(_ shape: [Int], g: UnsafeBufferPointer<S>,
                                         _ v: UnsafeBufferPointer<S>) -> Tensor<S> {
        let d = dimension
        return Tensor(shape: shape) { out in
            if perRow {
                for i in 0..<batch { for j in 0..<d { out[i * d + j] = g[i] * v[i * d + j] } }
            } else {
                for j in 0..<d { out[j] = 0 }
                for i in 0..<batch { let gi = g[i]; for j in 0..<d { out[j] += gi * v[i * d + j] } }
            }
        }
    }

    /// Row sums Σⱼ g[i] for every log-standard-deviation element: the pullback of a sum over j.
    @inline(__always)
    func broadcastRowsToLogStd<S: TensorScalar>(_ shape: [Int], g: UnsafeBufferPointer<S>) -> Tensor<S> {
        let d = dimension
        return Tensor(shape: shape) { out in
            if perRow {
                for i in 0..<batch { for j in 0..<d { out[i * d + j] = g[i] } }
            } else {
                var total: S = 0
                for i in 0..<batch { total += g[i] }
                for j in 0..<d { out[j] = total }
            }
        }
    }

    /// Per-element values `sign·g[i]·v[i, j]` as a `[batch, d]` tensor.
    @inline(__always)
    func scaleRows<S: TensorScalar>(g: UnsafeBufferPointer<S>, _ v: UnsafeBufferPointer<S>, sign: S = 1) -> Tensor<S> {
        let d = dimension
        return Tensor(shape: [batch, d]) { out in
            for i in 0..<batch { let gi = sign * g[i]; for j in 0..<d { out[i * d + j] = gi * v[i * d + j] } }
        }
    }

    /// Row sums `sign·Σⱼ t[i, j]·v[i, j]` for a `[batch, d]` tangent, or with t indexed
    /// like the log-standard-deviation, accumulated into `out` (`[batch]`).
    @inline(__always)
    func accumulateRowDots<S: TensorScalar>(_ t: Tensor<S>, logStdLayout: Bool, _ v: UnsafeBufferPointer<S>?,
                                            sign: S = 1, into out: UnsafeMutableBufferPointer<S>) {
        let d = dimension
        t.withUnsafeScalars { tp in
            for i in 0..<batch {
                var acc: S = 0
                for j in 0..<d { acc += tp[logStdLayout ? s(i, j) : i * d + j] * (v?[i * d + j] ?? 1) }
                out[i] += sign * acc
            }
        }
    }
}

/// Zeros of `shape`, filled by a loop that specialises with its caller (unlike the
/// generic `Tensor.zeros`, which runs unspecialised from other modules).
@inline(__always)
func zeroTensor<S: TensorScalar>(_ shape: [Int]) -> Tensor<S> {
    Tensor(shape: shape) { out in for i in 0..<out.count { out[i] = 0 } }
}
