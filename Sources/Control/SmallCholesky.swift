/// Cholesky factorisation, substitution and inverse in Swift loops, row-major, lower triangle: for the small
/// dense blocks of the structured QP operators (order ≈ 24, where a LAPACK call costs more than the arithmetic),
/// and the in-place substitution of every operator's `solve`.
enum SmallCholesky {
    /// Overwrites the lower triangle of `a` (n×n, symmetric) with L, A = L Lᵀ; false if A is not positive definite.
    static func factor(_ a: inout [Double], order n: Int) -> Bool {
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= a[j * n + k] * a[j * n + k] }
            guard d > 0, d.isFinite else { return false }
            let l = d.squareRoot()
            a[j * n + j] = l
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i * n + j]
                for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = s / l
            }
        }
        return true
    }

    /// b ← A⁻¹ b with the factor from ``factor(_:order:)``.
    static func solve(_ l: [Double], order n: Int, _ b: inout [Double]) {
        l.withUnsafeBufferPointer { l in b.withUnsafeMutableBufferPointer { b in solve(l, order: n, b) } }
    }

    /// b ← A⁻¹ b for a factor L held in `l` (forward, then backward substitution).
    static func solve(_ l: UnsafeBufferPointer<Double>, order n: Int, _ b: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * b[k] }
            b[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * b[k] }
            b[i] = s / l[i * n + i]
        }
    }

    /// A⁻¹ (n×n, row-major, full) from the factor.
    static func invert(_ l: [Double], order n: Int, into out: UnsafeMutableBufferPointer<Double>) {
        var column = [Double](repeating: 0, count: n)
        for j in 0..<n {
            for i in 0..<n { column[i] = i == j ? 1 : 0 }
            solve(l, order: n, &column)
            for i in 0..<n { out[i * n + j] = column[i] }
        }
    }
}
