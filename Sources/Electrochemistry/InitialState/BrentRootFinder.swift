/// Brent's bracketing root finder for a scalar function, a port of SciPy's `brentq` (Brent 1973, "Algorithms
/// for Minimization without Derivatives", ch. 4): inverse quadratic interpolation and secant steps,
/// safeguarded by bisection, so that the bracket always holds a sign change.
///
/// It is used by electrode balancing (Mohtat et al. 2019, doi:10.1149/2.1181910jes), where the reference
/// implementation (PyBaMM / SciPy) uses the same iteration; the same steps give the same root to the last bit.
enum BrentRootFinder {
    /// The outcome of a search.
    enum Failure: Error, Equatable {
        /// `f(a)` and `f(b)` have the same sign (or one is NaN).
        case notBracketed(fa: Double, fb: Double)
        /// No convergence within the iteration budget, or a non-finite value of `f` at `at`.
        case noConvergence(iterations: Int, at: Double)
    }

    /// A root of `f` in `[a, b]`, found to within `xtol + rtol·|x|`.
    ///
    /// `f(a)` and `f(b)` must have opposite signs (a zero at either end is returned at once).
    static func root(in a: Double, _ b: Double, xtol: Double = 1e-15, rtol: Double = 4 * Double.ulpOfOne,
                     maxIterations: Int = 100, _ f: (Double) -> Double) throws(Failure) -> Double {
        var xpre = a, xcur = b
        var fpre = f(xpre), fcur = f(xcur)
        guard fpre.isFinite, fcur.isFinite else { throw .notBracketed(fa: fpre, fb: fcur) }
        if fpre == 0 { return xpre }
        if fcur == 0 { return xcur }
        guard (fpre < 0) != (fcur < 0) else { throw .notBracketed(fa: fpre, fb: fcur) }
        var xblk = 0.0, fblk = 0.0, spre = 0.0, scur = 0.0
        for _ in 0..<maxIterations {
            if fpre != 0, fcur != 0, (fpre < 0) != (fcur < 0) {
                xblk = xpre; fblk = fpre
                spre = xcur - xpre; scur = spre
            }
            if abs(fblk) < abs(fcur) {
                xpre = xcur; xcur = xblk; xblk = xpre
                fpre = fcur; fcur = fblk; fblk = fpre
            }
            let delta = (xtol + rtol * abs(xcur)) / 2
            let sbis = (xblk - xcur) / 2
            if fcur == 0 || abs(sbis) < delta { return xcur }
            if abs(spre) > delta, abs(fcur) < abs(fpre) {
                let stry: Double
                if xpre == xblk {
                    stry = -fcur * (xcur - xpre) / (fcur - fpre)  // secant
                } else {
                    let dpre = (fpre - fcur) / (xpre - xcur)     // inverse quadratic
                    let dblk = (fblk - fcur) / (xblk - xcur)
                    stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
                }
                if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta) {
                    spre = scur; scur = stry
                } else {
                    spre = sbis; scur = sbis
                }
            } else {
                spre = sbis; scur = sbis
            }
            xpre = xcur; fpre = fcur
            xcur += abs(scur) > delta ? scur : (sbis > 0 ? delta : -delta)
            fcur = f(xcur)
            guard fcur.isFinite else { throw .noConvergence(iterations: maxIterations, at: xcur) }
        }
        throw .noConvergence(iterations: maxIterations, at: xcur)
    }
}
