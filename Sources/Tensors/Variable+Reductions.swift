import LinearAlgebra

/// Differentiable reductions, matrix products and shape operations.
extension Variable {
    /// The sum of all elements (rank 0).
    public func sum() -> Variable {
        let shape = self.shape
        return tape.record(value.sum(), inputs: [self], pullback: { g, _ in
            [Tensor(repeating: g.scalar, shape: shape)]
        }, pushforward: { t in t[0]!.sum() })
    }

    /// The mean of all elements (rank 0).
    public func mean() -> Variable {
        let shape = self.shape
        let n = Scalar(value.count)
        return tape.record(value.mean(), inputs: [self], pullback: { g, _ in
            [Tensor(repeating: g.scalar / n, shape: shape)]
        }, pushforward: { t in t[0]!.mean() })
    }

    /// The sum along `axis`, optionally keeping it with extent 1.
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Variable {
        let shape = self.shape
        let kept = value.sum(alongAxis: axis, keepingDimension: true).shape
        return tape.record(value.sum(alongAxis: axis, keepingDimension: keepingDimension), inputs: [self],
                           pullback: { g, _ in [g.reshaped(kept).broadcasted(to: shape)] },
                           pushforward: { t in t[0]!.sum(alongAxis: axis, keepingDimension: keepingDimension) })
    }

    /// The mean along `axis`, optionally keeping it with extent 1.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Variable {
        let extent = shape[axis < 0 ? axis + shape.count : axis]
        return sum(alongAxis: axis, keepingDimension: keepingDimension) * (1 / Scalar(extent))
    }

    /// The matrix product self·other of rank-2 values, through BLAS:
    /// pullbacks G·Bᵀ and Aᵀ·G, pushforward Ȧ·B + A·Ḃ.
    public func matmul(_ other: Variable) -> Variable {
        let (a, b) = (value, other.value)
        return tape.record(Tensor.matmul(a, b), inputs: [self, other], pullback: { g, needs in
            [needs[0] ? Tensor.matmul(g, transposed: false, b, transposed: true) : nil,
             needs[1] ? Tensor.matmul(a, transposed: true, g) : nil]
        }, pushforward: { t in
            switch (t[0], t[1]) {
            case let (ta?, tb?): return Tensor.matmul(ta, b) + Tensor.matmul(a, tb)
            case let (ta?, nil): return Tensor.matmul(ta, b)
            case let (nil, tb?): return Tensor.matmul(a, tb)
            default: preconditionViolated("pushforward called without tangents")
            }
        })
    }

    /// The same values with another shape.
    public func reshaped(_ newShape: [Int]) -> Variable {
        let shape = self.shape
        let out = value.reshaped(newShape)
        return tape.record(out, inputs: [self], pullback: { g, _ in [g.reshaped(shape)] },
                           pushforward: { t in t[0]!.reshaped(out.shape) })
    }

    /// Variables joined along `axis`.
    public static func concatenate(_ parts: [Variable], alongAxis axis: Int) -> Variable {
        checkPrecondition(!parts.isEmpty, "concatenate: no variables")
        let values = parts.map { $0.value }
        let a = axis < 0 ? axis + values[0].rank : axis
        var ranges: [Range<Int>] = []
        var start = 0
        for v in values { ranges.append(start..<(start + v.shape[a])); start += v.shape[a] }
        return parts[0].tape.record(Tensor.concatenate(values, alongAxis: a), inputs: parts, pullback: { g, needs in
            ranges.indices.map { needs[$0] ? g.slice(ranges[$0], alongAxis: a) : nil }
        }, pushforward: { t in
            Tensor.concatenate(t.indices.map { t[$0] ?? Tensor.zeros(values[$0].shape) }, alongAxis: a)
        })
    }

    /// The elements at `range` along `axis`.
    public func slice(_ range: Range<Int>, alongAxis axis: Int) -> Variable {
        let shape = self.shape
        return tape.record(value.slice(range, alongAxis: axis), inputs: [self], pullback: { g, _ in
            [g.padded(into: shape, at: range, alongAxis: axis)]
        }, pushforward: { t in t[0]!.slice(range, alongAxis: axis) })
    }
}
