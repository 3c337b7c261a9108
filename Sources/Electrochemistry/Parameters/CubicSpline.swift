import LinearAlgebra

/// A cubic interpolating spline with not-a-knot end conditions, the form of SciPy's
/// `make_interp_spline(k=3)` that PyBaMM's `Interpolant(interpolator="cubic")` builds
/// (de Boor, "A Practical Guide to Splines", 1978, ch. IV). Beyond the ends it continues the end cubics.
public struct CubicSpline: Sendable {
    /// Strictly increasing knots.
    public let x: [Double]
    /// Values at the knots.
    public let y: [Double]
    /// Second derivatives at the knots.
    let curvature: [Double]

    /// Fits the spline; needs at least 4 strictly increasing points.
    public init(x: [Double], y: [Double], name: String) throws(ParameterError) {
        let n = x.count
        guard n >= 4, y.count == n else {
            throw .wrongKind(name: name, expected: "at least 4 (x, y) points of equal count, got \(n) and \(y.count)")
        }
        for i in 1..<n where !(x[i] > x[i - 1]) {
            throw .wrongKind(name: name, expected: "strictly increasing x at point \(i)")
        }
        for (i, v) in y.enumerated() where !v.isFinite { throw .nonFinite(name: "\(name) point \(i)", value: v) }
        let h = (0..<(n - 1)).map { x[$0 + 1] - x[$0] }
        let slope = (0..<(n - 1)).map { (y[$0 + 1] - y[$0]) / h[$0] }
        // Rows i = 1…n−2: h[i−1] M[i−1] + 2(h[i−1]+h[i]) M[i] + h[i] M[i+1] = 6(slope[i] − slope[i−1]).
        // Not-a-knot (M''' continuous at x[1] and x[n−2]) eliminates M[0] and M[n−1].
        let m = n - 2
        var lower = [Double](repeating: 0, count: m - 1), upper = lower
        var diagonal = [Double](repeating: 0, count: m), rhs = diagonal
        for k in 0..<m {
            let i = k + 1
            diagonal[k] = 2 * (h[i - 1] + h[i])
            rhs[k] = 6 * (slope[i] - slope[i - 1])
            if k > 0 { lower[k - 1] = h[i - 1] }
            if k < m - 1 { upper[k] = h[i] }
        }
        let (h0, h1) = (h[0], h[1])
        diagonal[0] = 3 * h0 + 2 * h1 + h0 * h0 / h1
        if m > 1 { upper[0] = h1 - h0 * h0 / h1 }
        let (a, b) = (h[n - 3], h[n - 2])
        diagonal[m - 1] = 3 * b + 2 * a + b * b / a
        if m > 1 { lower[m - 2] = a - b * b / a }
        let inner: [Double]
        do { inner = try Tridiagonal.solve(lower: lower, diagonal: diagonal, upper: upper, rhs: rhs) } catch {
            throw .wrongKind(name: name, expected: "points for which the spline system is solvable")
        }
        var curvature = [0] + inner + [0]
        curvature[0] = curvature[1] - h0 * (curvature[2] - curvature[1]) / h1
        curvature[n - 1] = curvature[n - 2] + b * (curvature[n - 2] - curvature[n - 3]) / a
        self.x = x
        self.y = y
        self.curvature = curvature
    }

    /// The spline's value at `t`.
    public func callAsFunction(_ t: Double) -> Double {
        let (i, _) = LinearInterpolant.locate(t, on: x)
        let h = x[i + 1] - x[i]
        let a = (x[i + 1] - t) / h, b = (t - x[i]) / h
        return a * y[i] + b * y[i + 1]
            + ((a * a * a - a) * curvature[i] + (b * b * b - b) * curvature[i + 1]) * h * h / 6
    }
}
