import CBLAS

/// Typed BLAS levels 1–3 over raw buffers, for `Float` and `Double`.
///
/// Matrices are row-major; `ld` is the leading dimension (elements between rows).
/// Dimensions are checked with `precondition`: a wrong dimension is a programmer error,
/// and the message names the routine and the offending values.
public enum BLAS {
    @usableFromInline @inline(__always)
    static func i32(_ v: Int, _ what: StaticString, _ routine: StaticString) -> Int32 {
        checkPrecondition(v >= 0 && v <= Int(Int32.max), "\(routine): \(what) = \(v) is out of BLAS's Int32 range")
        return Int32(truncatingIfNeeded: v)
    }

    // MARK: Level 1

    /// xᵀy over `n` strided elements.
    @inlinable
    public static func dot<T: BLASScalar>(_ n: Int, _ x: UnsafePointer<T>, strideX: Int = 1,
                                          _ y: UnsafePointer<T>, strideY: Int = 1) -> T {
        T.cblasDot(i32(n, "n", "dot"), x, Int32(strideX), y, Int32(strideY))
    }

    /// y ← αx + y.
    @inlinable
    public static func axpy<T: BLASScalar>(_ n: Int, alpha: T, _ x: UnsafePointer<T>, strideX: Int = 1,
                                           _ y: UnsafeMutablePointer<T>, strideY: Int = 1) {
        T.cblasAxpy(i32(n, "n", "axpy"), alpha, x, Int32(strideX), y, Int32(strideY))
    }

    /// x ← αx.
    @inlinable
    public static func scal<T: BLASScalar>(_ n: Int, alpha: T, _ x: UnsafeMutablePointer<T>, strideX: Int = 1) {
        T.cblasScal(i32(n, "n", "scal"), alpha, x, Int32(strideX))
    }

    /// y ← x.
    @inlinable
    public static func copy<T: BLASScalar>(_ n: Int, _ x: UnsafePointer<T>, strideX: Int = 1,
                                           _ y: UnsafeMutablePointer<T>, strideY: Int = 1) {
        T.cblasCopy(i32(n, "n", "copy"), x, Int32(strideX), y, Int32(strideY))
    }

    /// Exchanges x and y.
    @inlinable
    public static func swap<T: BLASScalar>(_ n: Int, _ x: UnsafeMutablePointer<T>, strideX: Int = 1,
                                           _ y: UnsafeMutablePointer<T>, strideY: Int = 1) {
        T.cblasSwap(i32(n, "n", "swap"), x, Int32(strideX), y, Int32(strideY))
    }

    /// ‖x‖₂, computed without overflow.
    @inlinable
    public static func nrm2<T: BLASScalar>(_ n: Int, _ x: UnsafePointer<T>, strideX: Int = 1) -> T {
        T.cblasNrm2(i32(n, "n", "nrm2"), x, Int32(strideX))
    }

    /// Σ|xᵢ|.
    @inlinable
    public static func asum<T: BLASScalar>(_ n: Int, _ x: UnsafePointer<T>, strideX: Int = 1) -> T {
        T.cblasAsum(i32(n, "n", "asum"), x, Int32(strideX))
    }

    /// The zero-based index of the first element of largest magnitude.
    @inlinable
    public static func iamax<T: BLASScalar>(_ n: Int, _ x: UnsafePointer<T>, strideX: Int = 1) -> Int {
        T.cblasIamax(i32(n, "n", "iamax"), x, Int32(strideX))
    }

    // MARK: Level 2

    /// y ← α·op(A)·x + βy, with A of `rows`×`cols` (before `op`).
    @inlinable
    public static func gemv<T: BLASScalar>(_ trans: Transpose = .none, rows: Int, cols: Int, alpha: T = 1,
                                           _ a: UnsafePointer<T>, lda: Int? = nil,
                                           _ x: UnsafePointer<T>, strideX: Int = 1, beta: T = 0,
                                           _ y: UnsafeMutablePointer<T>, strideY: Int = 1) {
        let lda = lda ?? cols
        checkPrecondition(lda >= max(1, cols), "gemv: lda = \(lda) < cols = \(cols)")
        T.cblasGemv(trans.cblas, i32(rows, "rows", "gemv"), i32(cols, "cols", "gemv"), alpha, a, Int32(lda),
                    x, Int32(strideX), beta, y, Int32(strideY))
    }

    /// A ← αxyᵀ + A, with A of `rows`×`cols`.
    @inlinable
    public static func ger<T: BLASScalar>(rows: Int, cols: Int, alpha: T = 1, _ x: UnsafePointer<T>, strideX: Int = 1,
                                          _ y: UnsafePointer<T>, strideY: Int = 1,
                                          _ a: UnsafeMutablePointer<T>, lda: Int? = nil) {
        let lda = lda ?? cols
        checkPrecondition(lda >= max(1, cols), "ger: lda = \(lda) < cols = \(cols)")
        T.cblasGer(i32(rows, "rows", "ger"), i32(cols, "cols", "ger"), alpha, x, Int32(strideX),
                   y, Int32(strideY), a, Int32(lda))
    }

    /// y ← αAx + βy for symmetric n×n A, reading only `triangle`.
    @inlinable
    public static func symv<T: BLASScalar>(_ triangle: Triangle = .upper, n: Int, alpha: T = 1,
                                           _ a: UnsafePointer<T>, lda: Int? = nil,
                                           _ x: UnsafePointer<T>, strideX: Int = 1, beta: T = 0,
                                           _ y: UnsafeMutablePointer<T>, strideY: Int = 1) {
        let lda = lda ?? n
        checkPrecondition(lda >= max(1, n), "symv: lda = \(lda) < n = \(n)")
        T.cblasSymv(triangle.cblas, i32(n, "n", "symv"), alpha, a, Int32(lda), x, Int32(strideX),
                    beta, y, Int32(strideY))
    }

    // MARK: Level 3

    /// C ← α·op(A)·op(B) + βC, with op(A) m×k, op(B) k×n and C m×n.
    @inlinable
    public static func gemm<T: BLASScalar>(_ transA: Transpose = .none, _ transB: Transpose = .none,
                                           m: Int, n: Int, k: Int, alpha: T = 1,
                                           _ a: UnsafePointer<T>, lda: Int? = nil,
                                           _ b: UnsafePointer<T>, ldb: Int? = nil, beta: T = 0,
                                           _ c: UnsafeMutablePointer<T>, ldc: Int? = nil) {
        let lda = lda ?? (transA == .none ? k : m)
        let ldb = ldb ?? (transB == .none ? n : k)
        let ldc = ldc ?? n
        checkPrecondition(lda >= max(1, transA == .none ? k : m), "gemm: lda = \(lda) too small for \(transA) A (m = \(m), k = \(k))")
        checkPrecondition(ldb >= max(1, transB == .none ? n : k), "gemm: ldb = \(ldb) too small for \(transB) B (k = \(k), n = \(n))")
        checkPrecondition(ldc >= max(1, n), "gemm: ldc = \(ldc) < n = \(n)")
        T.cblasGemm(transA.cblas, transB.cblas, i32(m, "m", "gemm"), i32(n, "n", "gemm"), i32(k, "k", "gemm"),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C ← α·A·Aᵀ + βC (`.none`) or α·Aᵀ·A + βC (`.transpose`), C n×n symmetric, updating `triangle`.
    @inlinable
    public static func syrk<T: BLASScalar>(_ triangle: Triangle = .upper, _ trans: Transpose = .none,
                                           n: Int, k: Int, alpha: T = 1, _ a: UnsafePointer<T>, lda: Int? = nil,
                                           beta: T = 0, _ c: UnsafeMutablePointer<T>, ldc: Int? = nil) {
        let lda = lda ?? (trans == .none ? k : n)
        let ldc = ldc ?? n
        checkPrecondition(lda >= max(1, trans == .none ? k : n), "syrk: lda = \(lda) too small")
        checkPrecondition(ldc >= max(1, n), "syrk: ldc = \(ldc) < n = \(n)")
        T.cblasSyrk(triangle.cblas, trans.cblas, i32(n, "n", "syrk"), i32(k, "k", "syrk"), alpha, a, Int32(lda),
                    beta, c, Int32(ldc))
    }
}
