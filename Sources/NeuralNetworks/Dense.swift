import LinearAlgebra
import Tensors

/// The fused dense layer y = f(x·W + b) as one tape node, and the buffer kernels it
/// shares with inference and `MLP.jvp`.
///
/// One node instead of three (matmul, bias add, activation) means one output buffer in
/// the forward pass and, backwards, g ⊙ f′ once, then `gemm` for the input and weight
/// gradients and a column sum for the bias:
/// ```
/// ḡ = g ⊙ f′(p),   ∂x = ḡ·Wᵀ,   ∂W = xᵀ·ḡ,   ∂b = Σ_rows ḡ
/// ṗ = ẋ·W + x·Ẇ + ḃ,   ẏ = f′(p) ⊙ ṗ
/// ```
/// The kernels are specialised for `Float` and `Double` here, so that callers in other
/// modules, which see only the generic entry points, still run specialised loops.
enum Dense {
    /// f(x·W + b) and, unless f is the identity, f′ at the same points.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func forward<S: TensorScalar>(_ x: Tensor<S>, _ w: Tensor<S>, _ b: Tensor<S>, _ f: Activation,
                                         derivative: Bool) -> (y: Tensor<S>, slope: Tensor<S>?) {
        checkPrecondition(x.rank == 2 && w.rank == 2 && x.shape[1] == w.shape[0],
                          "dense layer: input shape \(x.shape) does not match weight \(w.shape) (needs [batch, \(w.shape.first ?? 0)])")
        checkPrecondition(b.shape == [w.shape[1]], "dense layer: bias shape \(b.shape) does not match weight \(w.shape)")
        let batch = x.shape[0], n = w.shape[0], m = w.shape[1]
        var pre: Tensor<S>? = nil
        var y = Tensor<S>(shape: [batch, m]) { out in
            b.withUnsafeScalars { bp in fillRows(out, with: bp, rows: batch) }
            gemmAccumulate(x, w, into: out, m: batch, n: m, k: n)
        }
        guard f != .identity else { return (y, nil) }
        if derivative && f.slopeNeedsPreActivation { pre = y }
        y.withUnsafeMutableScalars { f.applyInPlace($0) }
        guard derivative else { return (y, nil) }
        let slope = f.slope(preActivation: pre, output: y)
        return (y, slope)
    }

    /// Records f(x·W + b) on the tape as one node.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func record<S: TensorScalar>(_ x: Variable<S>, _ w: Variable<S>, _ b: Variable<S>, _ f: Activation) -> Variable<S> {
        let xv = x.value, wv = w.value
        let (y, slope) = forward(xv, wv, b.value, f, derivative: true)
        let batch = xv.shape[0], n = wv.shape[0], m = wv.shape[1]
        return x.tape.record(y, inputs: [x, w, b], pullback: { g, needs in
            let gp = slope.map { multiply(g, $0) } ?? g
            var gx: Tensor<S>? = nil, gw: Tensor<S>? = nil, gb: Tensor<S>? = nil
            if needs[0] {
                gx = Tensor(shape: [batch, n]) { out in
                    gp.withUnsafeScalars { a in wv.withUnsafeScalars { bb in
                        gemm(.none, .transpose, a, bb, into: out, m: batch, n: n, k: m, beta: 0)
                    } }
                }
            }
            if needs[1] {
                gw = Tensor(shape: [n, m]) { out in
                    xv.withUnsafeScalars { a in gp.withUnsafeScalars { bb in
                        gemm(.transpose, .none, a, bb, into: out, m: n, n: m, k: batch, beta: 0)
                    } }
                }
            }
            if needs[2] { gb = columnSums(gp, rows: batch, columns: m) }
            return [gx, gw, gb]
        }, pushforward: { t in
            var p = Tensor<S>(shape: [batch, m]) { out in
                if let tb = t[2] {
                    tb.withUnsafeScalars { bp in fillRows(out, with: bp, rows: batch) }
                } else {
                    for i in 0..<out.count { out[i] = 0 }
                }
                if let tw = t[1] { gemmAccumulate(xv, tw, into: out, m: batch, n: m, k: n) }
                if let tx = t[0] { gemmAccumulate(tx, wv, into: out, m: batch, n: m, k: n) }
            }
            if let slope { multiplyInPlace(&p, slope) }
            return p
        })
    }

    // MARK: Kernels

    /// Every row of `out` (`rows` × `row.count`) set to `row`.
    @inline(__always)
    static func fillRows<S>(_ out: UnsafeMutableBufferPointer<S>, with row: UnsafeBufferPointer<S>, rows: Int) {
        let m = row.count
        guard m > 0, let o = out.baseAddress, let r = row.baseAddress else { return }
        for i in 0..<rows { (o + i * m).update(from: r, count: m) }
    }

    /// out ← a·b + out, a m×k, b k×n, all row-major and contiguous.
    @inline(__always)
    static func gemmAccumulate<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>, into out: UnsafeMutableBufferPointer<S>,
                                                m: Int, n: Int, k: Int) {
        a.withUnsafeScalars { pa in b.withUnsafeScalars { pb in
            gemm(.none, .none, pa, pb, into: out, m: m, n: n, k: k, beta: 1)
        } }
    }

    /// out ← op(a)·op(b) + β·out; op(a) m×k, op(b) k×n. Handles empty extents.
    @inline(__always)
    static func gemm<S: TensorScalar>(_ ta: Transpose, _ tb: Transpose, _ a: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>,
                                      into out: UnsafeMutableBufferPointer<S>, m: Int, n: Int, k: Int, beta: S) {
        guard m > 0 && n > 0 else { return }
        guard k > 0 else {
            if beta == 0 { for i in 0..<out.count { out[i] = 0 } }
            return
        }
        BLAS.gemm(ta, tb, m: m, n: n, k: k, a.baseAddress!, lda: ta == .none ? k : m,
                  b.baseAddress!, ldb: tb == .none ? n : k, beta: beta, out.baseAddress!, ldc: n)
    }

    /// a ⊙ b for equal shapes.
    @inline(__always)
    static func multiply<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        Tensor(shape: a.shape) { out in
            a.withUnsafeScalars { pa in b.withUnsafeScalars { pb in for i in 0..<out.count { out[i] = pa[i] * pb[i] } } }
        }
    }

    /// a ← a ⊙ b for equal shapes.
    @inline(__always)
    static func multiplyInPlace<S: TensorScalar>(_ a: inout Tensor<S>, _ b: Tensor<S>) {
        b.withUnsafeScalars { pb in a.withUnsafeMutableScalars { pa in for i in 0..<pa.count { pa[i] *= pb[i] } } }
    }

    /// The column sums of a `rows` × `columns` tensor: `[columns]`.
    @inline(__always)
    static func columnSums<S: TensorScalar>(_ a: Tensor<S>, rows: Int, columns: Int) -> Tensor<S> {
        Tensor(shape: [columns]) { out in
            for j in 0..<columns { out[j] = 0 }
            a.withUnsafeScalars { p in
                for i in 0..<rows { for j in 0..<columns { out[j] += p[i * columns + j] } }
            }
        }
    }
}

extension Variable {
    /// f(self·W + b) for `self` `[batch, in]`, W `[in, out]` and b `[out]`, recorded as one
    /// node (see `Dense`): the building block of `MLP.apply`.
    public func dense(weight: Variable<Scalar>, bias: Variable<Scalar>, activation: Activation = .identity) -> Variable<Scalar> {
        Dense.record(self, weight, bias, activation)
    }
}
