import LinearAlgebra

/// Matrix products through BLAS `gemm`.
extension Tensor {
    /// op(a)·op(b) for rank-2 tensors, op being an optional transpose. Traps, naming
    /// both shapes, when the inner dimensions differ.
    public static func matmul(_ a: Tensor, transposed ta: Bool = false,
                              _ b: Tensor, transposed tb: Bool = false) -> Tensor {
        checkPrecondition(a.rank == 2 && b.rank == 2, "matmul: needs rank-2 operands, got \(a.shape) and \(b.shape)")
        let m = ta ? a.shape[1] : a.shape[0], k = ta ? a.shape[0] : a.shape[1]
        let kb = tb ? b.shape[1] : b.shape[0], n = tb ? b.shape[0] : b.shape[1]
        checkPrecondition(k == kb, "matmul: shape mismatch \(a.shape)\(ta ? "ᵀ" : "") · \(b.shape)\(tb ? "ᵀ" : "")")
        return Tensor(shape: [m, n]) { out in
            if k == 0 { for i in 0..<out.count { out[i] = 0 }; return }
            a.withUnsafeScalars { pa in
                b.withUnsafeScalars { pb in
                    BLAS.gemm(ta ? .transpose : .none, tb ? .transpose : .none, m: m, n: n, k: k,
                              pa.baseAddress!, lda: a.shape[1], pb.baseAddress!, ldb: b.shape[1],
                              out.baseAddress!, ldc: n)
                }
            }
        }
    }

    /// self·other for rank-2 tensors.
    public func matmul(_ other: Tensor) -> Tensor { Tensor.matmul(self, other) }

    /// The transpose of a rank-2 tensor.
    public func transposed() -> Tensor {
        checkPrecondition(rank == 2, "transposed: needs a rank-2 tensor, got \(shape)")
        let r = shape[0], c = shape[1]
        return Tensor(shape: [c, r]) { out in
            withUnsafeScalars { p in for i in 0..<r { for j in 0..<c { out[j * r + i] = p[i * c + j] } } }
        }
    }
}
