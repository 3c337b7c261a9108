/// Non-negative least squares, min ‖A x − b‖₂ subject to x ≥ 0, by the active-set method of Lawson & Hanson
/// (1974, "Solving Least Squares Problems", ch. 23), on the normal equations of column-scaled A: meant for the
/// few unknowns (RC resistances on a fixed time-constant grid) of an ECM fit.
enum NonNegativeLeastSquares {
    /// Solves for `n` unknowns; `a` is row-major m×n.
    static func solve(_ a: [Double], rows m: Int, columns n: Int, _ b: [Double]) -> [Double] {
        precondition(a.count == m * n && b.count == m, "NNLS: shape mismatch")
        // Column scaling to unit norm, then the normal equations G = AᵀA, c = Aᵀb.
        var scale = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var s = 0.0
            for i in 0..<m { s += a[i * n + j] * a[i * n + j] }
            scale[j] = s > 0 ? 1 / s.squareRoot() : 0
        }
        var g = [Double](repeating: 0, count: n * n), c = [Double](repeating: 0, count: n)
        for i in 0..<m {
            for j in 0..<n {
                let aij = a[i * n + j] * scale[j]
                c[j] += aij * b[i]
                for k in 0..<n { g[j * n + k] += aij * a[i * n + k] * scale[k] }
            }
        }
        var x = [Double](repeating: 0, count: n)
        var passive = [Bool](repeating: false, count: n)
        let tolerance = 1e-12 * max(1, c.map(abs).max() ?? 0)
        func gradient() -> [Double] {
            (0..<n).map { j in c[j] - (0..<n).reduce(0.0) { $0 + g[j * n + $1] * x[$1] } }
        }
        for _ in 0..<(3 * n + 3) {
            let w = gradient()
            guard let t = (0..<n).filter({ !passive[$0] && scale[$0] > 0 && w[$0] > tolerance })
                .max(by: { w[$0] < w[$1] }) else { break }
            passive[t] = true
            for _ in 0..<(3 * n + 3) {
                let z = solvePassive(g, c, passive, n)
                if (0..<n).allSatisfy({ !passive[$0] || z[$0] > 0 }) { x = z; break }
                var alpha = 1.0
                for j in 0..<n where passive[j] && z[j] <= 0 { alpha = min(alpha, x[j] / (x[j] - z[j])) }
                for j in 0..<n where passive[j] {
                    x[j] += alpha * (z[j] - x[j])
                    if x[j] <= 1e-15 { x[j] = 0; passive[j] = false }
                }
                if !passive.contains(true) { break }
            }
        }
        return (0..<n).map { x[$0] * scale[$0] }
    }

    /// The solution of G_PP z_P = c_P (Gaussian elimination with partial pivoting), zero outside P.
    static func solvePassive(_ g: [Double], _ c: [Double], _ passive: [Bool], _ n: Int) -> [Double] {
        let index = (0..<n).filter { passive[$0] }
        let p = index.count
        var m = [Double](repeating: 0, count: p * (p + 1))
        for (r, i) in index.enumerated() {
            for (s, j) in index.enumerated() { m[r * (p + 1) + s] = g[i * n + j] }
            m[r * (p + 1) + p] = c[i]
        }
        for col in 0..<p {
            let pivot = (col..<p).max { abs(m[$0 * (p + 1) + col]) < abs(m[$1 * (p + 1) + col]) }!
            if pivot != col { for k in 0...p { m.swapAt(col * (p + 1) + k, pivot * (p + 1) + k) } }
            let d = m[col * (p + 1) + col]
            guard abs(d) > 1e-300 else { continue }
            for r in (col + 1)..<p {
                let f = m[r * (p + 1) + col] / d
                for k in col...p { m[r * (p + 1) + k] -= f * m[col * (p + 1) + k] }
            }
        }
        var z = [Double](repeating: 0, count: n)
        var y = [Double](repeating: 0, count: p)
        for r in stride(from: p - 1, through: 0, by: -1) {
            var s = m[r * (p + 1) + p]
            for k in (r + 1)..<p { s -= m[r * (p + 1) + k] * y[k] }
            let d = m[r * (p + 1) + r]
            y[r] = abs(d) > 1e-300 ? s / d : 0
        }
        for (r, i) in index.enumerated() { z[i] = y[r] }
        return z
    }
}
