import LinearAlgebra

/// NumPy-style broadcasting for element-wise binary operations.
///
/// Shapes are aligned at their trailing dimensions; an extent of 1 (or a missing
/// leading dimension) stretches to match. The common cases of RL code — equal
/// shapes, a scalar, and a row vector against a batch — take fast paths.
extension Tensor {
    /// The shape two operands broadcast to; traps naming both shapes if they don't.
    public static func broadcastShape(_ a: [Int], _ b: [Int], op: StaticString = "broadcast") -> [Int] {
        if a == b { return a }
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            checkPrecondition(da == db || da == 1 || db == 1, "\(op): shape mismatch \(a) vs \(b)")
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// Strides (in elements) of `shape` seen as broadcast to `target`: 0 along stretched axes.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let offset = target.count - shape.count
        var strides = [Int](repeating: 0, count: target.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i + offset] = shape[i] == 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    /// `op` applied element-wise over the broadcast of `a` and `b`.
    @inline(__always)
    public static func elementwise(_ a: Tensor, _ b: Tensor, op name: StaticString,
                           _ op: (Scalar, Scalar) -> Scalar) -> Tensor {
        let shape = broadcastShape(a.shape, b.shape, op: name)
        return Tensor(shape: shape) { out in
            a.withUnsafeScalars { pa in
                b.withUnsafeScalars { pb in
                    let n = out.count
                    if a.count == n && b.count == n {
                        for i in 0..<n { out[i] = op(pa[i], pb[i]) }
                    } else if b.count == 1 {
                        let s = pb[0]
                        for i in 0..<n { out[i] = op(pa[i], s) }
                    } else if a.count == 1 {
                        let s = pa[0]
                        for i in 0..<n { out[i] = op(s, pb[i]) }
                    } else if a.count == n && b.shape.last == shape.last && b.count == shape.last {
                        // Row vector against a batch: b repeats every row.
                        let w = b.count
                        for r in 0..<(n / w) { for j in 0..<w { out[r * w + j] = op(pa[r * w + j], pb[j]) } }
                    } else if b.count == n && a.shape.last == shape.last && a.count == shape.last {
                        let w = a.count
                        for r in 0..<(n / w) { for j in 0..<w { out[r * w + j] = op(pa[j], pb[r * w + j]) } }
                    } else {
                        general(shape, a.shape, b.shape, pa, pb, out, op)
                    }
                }
            }
        }
    }

    /// The general strided loop, walking the output with an odometer index.
    private static func general(_ shape: [Int], _ sa: [Int], _ sb: [Int],
                                _ pa: UnsafeBufferPointer<Scalar>, _ pb: UnsafeBufferPointer<Scalar>,
                                _ out: UnsafeMutableBufferPointer<Scalar>,
                                _ op: (Scalar, Scalar) -> Scalar) {
        let stA = broadcastStrides(sa, to: shape), stB = broadcastStrides(sb, to: shape)
        var index = [Int](repeating: 0, count: shape.count)
        var ia = 0, ib = 0
        for o in 0..<out.count {
            out[o] = op(pa[ia], pb[ib])
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1; ia += stA[axis]; ib += stB[axis]
                if index[axis] < shape[axis] { break }
                ia -= stA[axis] * shape[axis]; ib -= stB[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Sums this tensor over the axes along which `shape` was broadcast to reach `self.shape`:
    /// the adjoint of broadcasting, used by every backward pass through a broadcast.
    public func reduced(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        checkPrecondition(Tensor.broadcastShape(target, shape, op: "reduced(toShape:)") == shape,
                     "reduced(toShape:): shape mismatch \(shape) cannot reduce to \(target)")
        let n = target.reduce(1, *)
        if n == 1 { return Tensor(shape: target, scalars: [sum().scalar]) }
        if let last = shape.last, n == last, target.last == last {
            // Bias gradient: sum the rows.
            return Tensor(shape: target) { out in
                for j in 0..<n { out[j] = 0 }
                withUnsafeScalars { p in
                    for r in 0..<(count / n) { for j in 0..<n { out[j] += p[r * n + j] } }
                }
            }
        }
        let strides = Tensor.broadcastStrides(target, to: shape)
        return Tensor(shape: target) { out in
            for j in 0..<n { out[j] = 0 }
            withUnsafeScalars { p in
                var index = [Int](repeating: 0, count: shape.count)
                var t = 0
                for o in 0..<count {
                    out[t] += p[o]
                    var axis = shape.count - 1
                    while axis >= 0 {
                        index[axis] += 1; t += strides[axis]
                        if index[axis] < shape[axis] { break }
                        t -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// This tensor stretched (copied) to `target`, which it must broadcast to.
    public func broadcasted(to target: [Int]) -> Tensor {
        if shape == target { return self }
        checkPrecondition(Tensor.broadcastShape(shape, target, op: "broadcasted(to:)") == target,
                     "broadcasted(to:): shape mismatch \(shape) cannot broadcast to \(target)")
        return Tensor.elementwise(Tensor.zeros(target), self, op: "broadcasted(to:)") { $1 }
    }
}
