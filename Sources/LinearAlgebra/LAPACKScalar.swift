import CLAPACKE

/// A scalar LAPACKE computes with: `Float` (the `s` routines) and `Double` (`d`).
///
/// Thin typed forwards returning LAPACK's `info`; use the checked wrappers (`LU`,
/// `BandedMatrix`, `Cholesky`, `SymmetricEigen`, `LeastSquares`, `QR`, `Tridiagonal`).
public protocol LAPACKScalar: BLASScalar {
    /// Solves A·X = B by LU with partial pivoting (`?gesv`).
    static func lapack_gesv(_ layout: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    /// LU-factors A = P·L·U in place (`?getrf`).
    static func lapack_getrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32
    /// Solves with LU factors from `getrf` (`?getrs`).
    static func lapack_getrs(_ layout: Int32, _ trans: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Self>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    /// LU-factors a band matrix in place (`?gbtrf`).
    static func lapack_gbtrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ kl: Int32, _ ku: Int32, _ ab: UnsafeMutablePointer<Self>, _ ldab: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32
    /// Solves with band LU factors from `gbtrf` (`?gbtrs`).
    static func lapack_gbtrs(_ layout: Int32, _ trans: CChar, _ n: Int32, _ kl: Int32, _ ku: Int32, _ nrhs: Int32, _ ab: UnsafePointer<Self>, _ ldab: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    /// Cholesky-factors a symmetric positive-definite A in place (`?potrf`).
    static func lapack_potrf(_ layout: Int32, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32) -> Int32
    /// Solves with a Cholesky factor from `potrf` (`?potrs`).
    static func lapack_potrs(_ layout: Int32, _ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    /// Eigenvalues (ascending) and optionally eigenvectors of a symmetric A (`?syevd`).
    static func lapack_syevd(_ layout: Int32, _ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ w: UnsafeMutablePointer<Self>) -> Int32
    /// Least-squares or minimum-norm solution by QR or LQ (`?gels`).
    static func lapack_gels(_ layout: Int32, _ trans: CChar, _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
    /// QR-factors A in place as Householder reflectors and R (`?geqrf`).
    static func lapack_geqrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ tau: UnsafeMutablePointer<Self>) -> Int32
    /// Forms the explicit Q from `geqrf`'s reflectors (`?orgqr`).
    static func lapack_orgqr(_ layout: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Self>, _ lda: Int32, _ tau: UnsafePointer<Self>) -> Int32
    /// Solves a tridiagonal system with partial pivoting (`?gtsv`).
    static func lapack_gtsv(_ layout: Int32, _ n: Int32, _ nrhs: Int32, _ dl: UnsafeMutablePointer<Self>, _ d: UnsafeMutablePointer<Self>, _ du: UnsafeMutablePointer<Self>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int32) -> Int32
}

extension Float: LAPACKScalar {
    @inlinable public static func lapack_gesv(_ layout: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 { LAPACKE_sgesv(layout, n, nrhs, a, lda, ipiv, b, ldb) }
    @inlinable public static func lapack_getrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 { LAPACKE_sgetrf(layout, m, n, a, lda, ipiv) }
    @inlinable public static func lapack_getrs(_ layout: Int32, _ trans: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Float>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 { LAPACKE_sgetrs(layout, trans, n, nrhs, a, lda, ipiv, b, ldb) }
    @inlinable public static func lapack_gbtrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ kl: Int32, _ ku: Int32, _ ab: UnsafeMutablePointer<Float>, _ ldab: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 { LAPACKE_sgbtrf(layout, m, n, kl, ku, ab, ldab, ipiv) }
    @inlinable public static func lapack_gbtrs(_ layout: Int32, _ trans: CChar, _ n: Int32, _ kl: Int32, _ ku: Int32, _ nrhs: Int32, _ ab: UnsafePointer<Float>, _ ldab: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 { LAPACKE_sgbtrs(layout, trans, n, kl, ku, nrhs, ab, ldab, ipiv, b, ldb) }
    @inlinable public static func lapack_potrf(_ layout: Int32, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32) -> Int32 { LAPACKE_spotrf(layout, uplo, n, a, lda) }
    @inlinable public static func lapack_potrs(_ layout: Int32, _ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 { LAPACKE_spotrs(layout, uplo, n, nrhs, a, lda, b, ldb) }
    @inlinable public static func lapack_syevd(_ layout: Int32, _ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ w: UnsafeMutablePointer<Float>) -> Int32 { LAPACKE_ssyevd(layout, jobz, uplo, n, a, lda, w) }
    @inlinable public static func lapack_gels(_ layout: Int32, _ trans: CChar, _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 { LAPACKE_sgels(layout, trans, m, n, nrhs, a, lda, b, ldb) }
    @inlinable public static func lapack_geqrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ tau: UnsafeMutablePointer<Float>) -> Int32 { LAPACKE_sgeqrf(layout, m, n, a, lda, tau) }
    @inlinable public static func lapack_orgqr(_ layout: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Float>, _ lda: Int32, _ tau: UnsafePointer<Float>) -> Int32 { LAPACKE_sorgqr(layout, m, n, k, a, lda, tau) }
    @inlinable public static func lapack_gtsv(_ layout: Int32, _ n: Int32, _ nrhs: Int32, _ dl: UnsafeMutablePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ du: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ ldb: Int32) -> Int32 { LAPACKE_sgtsv(layout, n, nrhs, dl, d, du, b, ldb) }
}

extension Double: LAPACKScalar {
    @inlinable public static func lapack_gesv(_ layout: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 { LAPACKE_dgesv(layout, n, nrhs, a, lda, ipiv, b, ldb) }
    @inlinable public static func lapack_getrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 { LAPACKE_dgetrf(layout, m, n, a, lda, ipiv) }
    @inlinable public static func lapack_getrs(_ layout: Int32, _ trans: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Double>, _ lda: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 { LAPACKE_dgetrs(layout, trans, n, nrhs, a, lda, ipiv, b, ldb) }
    @inlinable public static func lapack_gbtrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ kl: Int32, _ ku: Int32, _ ab: UnsafeMutablePointer<Double>, _ ldab: Int32, _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 { LAPACKE_dgbtrf(layout, m, n, kl, ku, ab, ldab, ipiv) }
    @inlinable public static func lapack_gbtrs(_ layout: Int32, _ trans: CChar, _ n: Int32, _ kl: Int32, _ ku: Int32, _ nrhs: Int32, _ ab: UnsafePointer<Double>, _ ldab: Int32, _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 { LAPACKE_dgbtrs(layout, trans, n, kl, ku, nrhs, ab, ldab, ipiv, b, ldb) }
    @inlinable public static func lapack_potrf(_ layout: Int32, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32) -> Int32 { LAPACKE_dpotrf(layout, uplo, n, a, lda) }
    @inlinable public static func lapack_potrs(_ layout: Int32, _ uplo: CChar, _ n: Int32, _ nrhs: Int32, _ a: UnsafePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 { LAPACKE_dpotrs(layout, uplo, n, nrhs, a, lda, b, ldb) }
    @inlinable public static func lapack_syevd(_ layout: Int32, _ jobz: CChar, _ uplo: CChar, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ w: UnsafeMutablePointer<Double>) -> Int32 { LAPACKE_dsyevd(layout, jobz, uplo, n, a, lda, w) }
    @inlinable public static func lapack_gels(_ layout: Int32, _ trans: CChar, _ m: Int32, _ n: Int32, _ nrhs: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 { LAPACKE_dgels(layout, trans, m, n, nrhs, a, lda, b, ldb) }
    @inlinable public static func lapack_geqrf(_ layout: Int32, _ m: Int32, _ n: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ tau: UnsafeMutablePointer<Double>) -> Int32 { LAPACKE_dgeqrf(layout, m, n, a, lda, tau) }
    @inlinable public static func lapack_orgqr(_ layout: Int32, _ m: Int32, _ n: Int32, _ k: Int32, _ a: UnsafeMutablePointer<Double>, _ lda: Int32, _ tau: UnsafePointer<Double>) -> Int32 { LAPACKE_dorgqr(layout, m, n, k, a, lda, tau) }
    @inlinable public static func lapack_gtsv(_ layout: Int32, _ n: Int32, _ nrhs: Int32, _ dl: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ du: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int32) -> Int32 { LAPACKE_dgtsv(layout, n, nrhs, dl, d, du, b, ldb) }
}

/// LAPACKE's storage-order flags (macros in C, wrapped by the shim).
@usableFromInline let rowMajor = pulse_lapack_row_major()
@usableFromInline let columnMajor = pulse_lapack_col_major()

/// The ASCII code LAPACK takes for an option letter.
@usableFromInline func lapackCode(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

