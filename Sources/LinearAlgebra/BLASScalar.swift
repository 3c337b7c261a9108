import CBLAS

/// Whether a BLAS operand is used as stored or transposed.
public enum Transpose: Sendable {
    /// The operand as stored.
    case none
    /// The operand transposed.
    case transpose

    @usableFromInline
    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Which triangle of a symmetric matrix is referenced.
public enum Triangle: Sendable {
    /// The upper triangle, diagonal included.
    case upper
    /// The lower triangle, diagonal included.
    case lower

    @usableFromInline
    var cblas: CBLAS_UPLO { self == .upper ? CblasUpper : CblasLower }
    /// LAPACK's character code, `U` or `L`.
    public var lapackCode: CChar { self == .upper ? CChar(UInt8(ascii: "U")) : CChar(UInt8(ascii: "L")) }
}

/// A scalar type that OpenBLAS computes with: `Float` (the `s` routines) and `Double` (`d`).
///
/// All matrices are row-major (`CblasRowMajor`), with leading dimensions in elements.
/// The requirements are thin, typed forwards to CBLAS; use the generic `BLAS` functions,
/// which check their arguments, rather than calling these directly.
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Magnitude == Self {
    // Level 1
    /// xᵀy (`cblas_?dot`).
    static func cblasDot(_ n: Int32, _ x: UnsafePointer<Self>, _ incx: Int32,
                         _ y: UnsafePointer<Self>, _ incy: Int32) -> Self
    /// y ← αx + y (`cblas_?axpy`).
    static func cblasAxpy(_ n: Int32, _ alpha: Self, _ x: UnsafePointer<Self>, _ incx: Int32,
                          _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    /// x ← αx (`cblas_?scal`).
    static func cblasScal(_ n: Int32, _ alpha: Self, _ x: UnsafeMutablePointer<Self>, _ incx: Int32)
    /// y ← x (`cblas_?copy`).
    static func cblasCopy(_ n: Int32, _ x: UnsafePointer<Self>, _ incx: Int32,
                          _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    /// Exchanges x and y (`cblas_?swap`).
    static func cblasSwap(_ n: Int32, _ x: UnsafeMutablePointer<Self>, _ incx: Int32,
                          _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    /// ‖x‖₂ (`cblas_?nrm2`).
    static func cblasNrm2(_ n: Int32, _ x: UnsafePointer<Self>, _ incx: Int32) -> Self
    /// Σ|xᵢ| (`cblas_?asum`).
    static func cblasAsum(_ n: Int32, _ x: UnsafePointer<Self>, _ incx: Int32) -> Self
    /// Zero-based index of the first largest |xᵢ| (`cblas_i?amax`).
    static func cblasIamax(_ n: Int32, _ x: UnsafePointer<Self>, _ incx: Int32) -> Int
    // Level 2
    /// y ← α·op(A)·x + βy, row-major (`cblas_?gemv`).
    static func cblasGemv(_ trans: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ alpha: Self,
                          _ a: UnsafePointer<Self>, _ lda: Int32, _ x: UnsafePointer<Self>, _ incx: Int32,
                          _ beta: Self, _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    /// A ← αxyᵀ + A, row-major (`cblas_?ger`).
    static func cblasGer(_ m: Int32, _ n: Int32, _ alpha: Self, _ x: UnsafePointer<Self>, _ incx: Int32,
                         _ y: UnsafePointer<Self>, _ incy: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32)
    /// y ← αAx + βy for symmetric A, row-major (`cblas_?symv`).
    static func cblasSymv(_ uplo: CBLAS_UPLO, _ n: Int32, _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int32,
                          _ x: UnsafePointer<Self>, _ incx: Int32, _ beta: Self,
                          _ y: UnsafeMutablePointer<Self>, _ incy: Int32)
    // Level 3
    /// C ← α·op(A)·op(B) + βC, row-major (`cblas_?gemm`).
    static func cblasGemm(_ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32,
                          _ alpha: Self, _ a: UnsafePointer<Self>, _ lda: Int32,
                          _ b: UnsafePointer<Self>, _ ldb: Int32, _ beta: Self,
                          _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
    /// C ← α·A·Aᵀ + βC or α·Aᵀ·A + βC, row-major (`cblas_?syrk`).
    static func cblasSyrk(_ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ n: Int32, _ k: Int32, _ alpha: Self,
                          _ a: UnsafePointer<Self>, _ lda: Int32, _ beta: Self,
                          _ c: UnsafeMutablePointer<Self>, _ ldc: Int32)
}

extension Float: BLASScalar {
    public static func cblasDot(_ n: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafePointer<Float>, _ incy: Int32) -> Float { cblas_sdot(n, x, incx, y, incy) }
    public static func cblasAxpy(_ n: Int32, _ alpha: Float, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) { cblas_saxpy(n, alpha, x, incx, y, incy) }
    public static func cblasScal(_ n: Int32, _ alpha: Float, _ x: UnsafeMutablePointer<Float>, _ incx: Int32) { cblas_sscal(n, alpha, x, incx) }
    public static func cblasCopy(_ n: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) { cblas_scopy(n, x, incx, y, incy) }
    public static func cblasSwap(_ n: Int32, _ x: UnsafeMutablePointer<Float>, _ incx: Int32, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) { cblas_sswap(n, x, incx, y, incy) }
    public static func cblasNrm2(_ n: Int32, _ x: UnsafePointer<Float>, _ incx: Int32) -> Float { cblas_snrm2(n, x, incx) }
    public static func cblasAsum(_ n: Int32, _ x: UnsafePointer<Float>, _ incx: Int32) -> Float { cblas_sasum(n, x, incx) }
    public static func cblasIamax(_ n: Int32, _ x: UnsafePointer<Float>, _ incx: Int32) -> Int { Int(cblas_isamax(n, x, incx)) }
    public static func cblasGemv(_ trans: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ beta: Float, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) {
        cblas_sgemv(CblasRowMajor, trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func cblasGer(_ m: Int32, _ n: Int32, _ alpha: Float, _ x: UnsafePointer<Float>, _ incx: Int32, _ y: UnsafePointer<Float>, _ incy: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32) {
        cblas_sger(CblasRowMajor, m, n, alpha, x, incx, y, incy, a, lda)
    }
    public static func cblasSymv(_ uplo: CBLAS_UPLO, _ n: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ x: UnsafePointer<Float>, _ incx: Int32, _ beta: Float, _ y: UnsafeMutablePointer<Float>, _ incy: Int32) {
        cblas_ssymv(CblasRowMajor, uplo, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func cblasGemm(_ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafePointer<Float>, _ ldb: Int32, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int32) {
        cblas_sgemm(CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func cblasSyrk(_ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ n: Int32, _ k: Int32, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int32, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int32) {
        cblas_ssyrk(CblasRowMajor, uplo, trans, n, k, alpha, a, lda, beta, c, ldc)
    }
}

extension Double: BLASScalar {
    public static func cblasDot(_ n: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafePointer<Double>, _ incy: Int32) -> Double { cblas_ddot(n, x, incx, y, incy) }
    public static func cblasAxpy(_ n: Int32, _ alpha: Double, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) { cblas_daxpy(n, alpha, x, incx, y, incy) }
    public static func cblasScal(_ n: Int32, _ alpha: Double, _ x: UnsafeMutablePointer<Double>, _ incx: Int32) { cblas_dscal(n, alpha, x, incx) }
    public static func cblasCopy(_ n: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) { cblas_dcopy(n, x, incx, y, incy) }
    public static func cblasSwap(_ n: Int32, _ x: UnsafeMutablePointer<Double>, _ incx: Int32, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) { cblas_dswap(n, x, incx, y, incy) }
    public static func cblasNrm2(_ n: Int32, _ x: UnsafePointer<Double>, _ incx: Int32) -> Double { cblas_dnrm2(n, x, incx) }
    public static func cblasAsum(_ n: Int32, _ x: UnsafePointer<Double>, _ incx: Int32) -> Double { cblas_dasum(n, x, incx) }
    public static func cblasIamax(_ n: Int32, _ x: UnsafePointer<Double>, _ incx: Int32) -> Int { Int(cblas_idamax(n, x, incx)) }
    public static func cblasGemv(_ trans: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ beta: Double, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) {
        cblas_dgemv(CblasRowMajor, trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func cblasGer(_ m: Int32, _ n: Int32, _ alpha: Double, _ x: UnsafePointer<Double>, _ incx: Int32, _ y: UnsafePointer<Double>, _ incy: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32) {
        cblas_dger(CblasRowMajor, m, n, alpha, x, incx, y, incy, a, lda)
    }
    public static func cblasSymv(_ uplo: CBLAS_UPLO, _ n: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ x: UnsafePointer<Double>, _ incx: Int32, _ beta: Double, _ y: UnsafeMutablePointer<Double>, _ incy: Int32) {
        cblas_dsymv(CblasRowMajor, uplo, n, alpha, a, lda, x, incx, beta, y, incy)
    }
    public static func cblasGemm(_ transA: CBLAS_TRANSPOSE, _ transB: CBLAS_TRANSPOSE, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafePointer<Double>, _ ldb: Int32, _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int32) {
        cblas_dgemm(CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
    public static func cblasSyrk(_ uplo: CBLAS_UPLO, _ trans: CBLAS_TRANSPOSE, _ n: Int32, _ k: Int32, _ alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int32, _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int32) {
        cblas_dsyrk(CblasRowMajor, uplo, trans, n, k, alpha, a, lda, beta, c, ldc)
    }
}
