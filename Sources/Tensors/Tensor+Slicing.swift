import LinearAlgebra

/// Concatenation and slicing along one axis.
extension Tensor {
    /// `tensors` joined along `axis`; all other extents must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        checkPrecondition(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let a = axis < 0 ? axis + first.rank : axis
        checkPrecondition(a >= 0 && a < first.rank, "concatenate: axis \(axis) out of range for shape \(first.shape)")
        var shape = first.shape
        shape[a] = 0
        for t in tensors {
            var other = t.shape
            checkPrecondition(other.count == first.rank, "concatenate: shape mismatch \(first.shape) vs \(t.shape)")
            shape[a] += other[a]
            other[a] = first.shape[a]
            checkPrecondition(other == first.shape, "concatenate: shape mismatch \(first.shape) vs \(t.shape) along axis \(a)")
        }
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        return Tensor(shape: shape) { out in
            var offset = 0
            for t in tensors {
                let chunk = t.shape[a] * inner
                t.withUnsafeScalars { p in
                    for o in 0..<outer {
                        for i in 0..<chunk { out[o * shape[a] * inner + offset + i] = p[o * chunk + i] }
                    }
                }
                offset += chunk
            }
        }
    }

    /// The elements with indices `range` along `axis`.
    public func slice(_ range: Range<Int>, alongAxis axis: Int) -> Tensor {
        let (outer, extent, inner, a) = axisLayout(axis, "slice")
        checkPrecondition(range.lowerBound >= 0 && range.upperBound <= extent,
                     "slice: range \(range) out of bounds for axis \(a) of shape \(shape)")
        var newShape = shape
        newShape[a] = range.count
        let chunk = range.count * inner
        return Tensor(shape: newShape) { out in
            withUnsafeScalars { p in
                for o in 0..<outer {
                    let base = (o * extent + range.lowerBound) * inner
                    for i in 0..<chunk { out[o * chunk + i] = p[base + i] }
                }
            }
        }
    }

    /// The adjoint of `slice`: a zero tensor of `fullShape` with `self` placed at `range` along `axis`.
    public func padded(into fullShape: [Int], at range: Range<Int>, alongAxis axis: Int) -> Tensor {
        var zero = Tensor.zeros(fullShape)
        let (outer, extent, inner, a) = zero.axisLayout(axis, "padded")
        checkPrecondition(shape[a] == range.count, "padded: shape mismatch \(shape) vs range \(range) on axis \(a)")
        let chunk = range.count * inner
        withUnsafeScalars { p in
            zero.withUnsafeMutableScalars { out in
                for o in 0..<outer {
                    let base = (o * extent + range.lowerBound) * inner
                    for i in 0..<chunk { out[base + i] = p[o * chunk + i] }
                }
            }
        }
        return zero
    }
}
