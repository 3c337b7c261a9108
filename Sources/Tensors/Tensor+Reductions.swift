import LinearAlgebra

/// Sums, means and extrema, over all elements or along one axis.
extension Tensor {
    /// The sum of all elements, as a rank-0 tensor.
    public func sum() -> Tensor {
        var total: Scalar = 0
        withUnsafeScalars { p in for v in p { total += v } }
        return Tensor(total)
    }

    /// The mean of all elements, as a rank-0 tensor.
    public func mean() -> Tensor {
        checkPrecondition(count > 0, "mean: empty tensor of shape \(shape)")
        return Tensor(sum().scalar / Scalar(count))
    }

    /// The largest element.
    public func max() -> Scalar {
        checkPrecondition(count > 0, "max: empty tensor of shape \(shape)")
        return scalars.max()!
    }

    /// The smallest element.
    public func min() -> Scalar {
        checkPrecondition(count > 0, "min: empty tensor of shape \(shape)")
        return scalars.min()!
    }

    /// Splits `shape` around `axis` into (outer, extent, inner) element counts.
    func axisLayout(_ axis: Int, _ op: StaticString) -> (outer: Int, extent: Int, inner: Int, axis: Int) {
        let a = axis < 0 ? axis + rank : axis
        checkPrecondition(a >= 0 && a < rank, "\(op): axis \(axis) out of range for shape \(shape)")
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        return (outer, shape[a], inner, a)
    }

    /// The sum along `axis` (negative counts from the end). With `keepingDimension`,
    /// that axis stays with extent 1, so the result broadcasts back against `self`.
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let (outer, extent, inner, a) = axisLayout(axis, "sum(alongAxis:)")
        var newShape = shape
        if keepingDimension { newShape[a] = 1 } else { newShape.remove(at: a) }
        return Tensor(shape: newShape) { out in
            for i in 0..<out.count { out[i] = 0 }
            withUnsafeScalars { p in
                for o in 0..<outer {
                    for e in 0..<extent {
                        let base = (o * extent + e) * inner
                        for i in 0..<inner { out[o * inner + i] += p[base + i] }
                    }
                }
            }
        }
    }

    /// The mean along `axis`.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let extent = axisLayout(axis, "mean(alongAxis:)").extent
        checkPrecondition(extent > 0, "mean(alongAxis:): empty axis in shape \(shape)")
        return sum(alongAxis: axis, keepingDimension: keepingDimension) * (1 / Scalar(extent))
    }

    /// The dot product of all elements with `other`'s (same shape), through BLAS.
    public func dot(_ other: Tensor) -> Scalar {
        checkPrecondition(shape == other.shape, "dot: shape mismatch \(shape) vs \(other.shape)")
        return withUnsafeScalars { x in other.withUnsafeScalars { y in BLAS.dot(count, x.baseAddress!, y.baseAddress!) } }
    }

    /// The Euclidean norm of all elements.
    public func norm() -> Scalar {
        withUnsafeScalars { x in count == 0 ? 0 : BLAS.nrm2(count, x.baseAddress!) }
    }
}
