#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

extension DoyleFullerNewmanModel {
    /// Refills and factors the banded Jacobian ∂r/∂z at `z` by forward differences with column colouring:
    /// columns j ≡ c (mod lower + upper + 1) touch disjoint rows, so lower + upper + 1 residuals give the band
    /// (Curtis, Powell & Reid 1974, doi:10.1093/imamat/13.1.117). The lumped temperature keeps only its diagonal.
    func refreshJacobian(at z: UnsafeMutablePointer<Double>, a0: Double, algebraicOnly: Bool) throws(ModelError) {
        let k = constants
        let n = k.n, lower = jacobian.lower, upper = jacobian.upper, width = lower + upper + 1
        residual(z, res0, a0: a0, algebraicOnly: algebraicOnly)
        jacobian.zero()
        for colour in 0..<min(width, n) {
            var j = colour
            while j < n {
                if j != k.tIndex {
                    work[j] = 1.5e-8 * max(abs(z[j]), scale[j])
                    z[j] += work[j]
                }
                j += width
            }
            residual(z, res, a0: a0, algebraicOnly: algebraicOnly)
            j = colour
            while j < n {
                if j != k.tIndex {
                    z[j] -= work[j]
                    for i in max(0, j - upper)...min(n - 1, j + lower) where i != k.tIndex {
                        jacobian[i, j] = (res[i] - res0[i]) / work[j]
                    }
                }
                j += width
            }
        }
        if algebraicOnly {
            for i in 0..<n where differential[i] { jacobian[i, i] = 1 }
        } else if k.thermal {
            jacobian[k.tIndex, k.tIndex] = a0 + k.coolingCoefficient / (k.cellVolume * k.rhoCp)
        }
        do { try jacobian.factor() } catch { throw .linearSolveFailed(t: time) }
        jacobianA0 = a0
        jacobianIsAlgebraic = algebraicOnly
    }

    /// Weighted RMS norm of `v` with the weights 1/(rtol·|y_n| + atol·scale), over all or only differential unknowns.
    func wrmsNorm(_ v: UnsafeMutablePointer<Double>, differentialOnly: Bool) -> Double {
        let n = constants.n
        var sum = 0.0, count = 0
        for i in 0..<n where !differentialOnly || differential[i] {
            let e = v[i] * weights[i]
            sum += e * e; count += 1
        }
        return (sum / Double(max(count, 1))).squareRoot()
    }

    func updateWeights() {
        for i in 0..<constants.n {
            weights[i] = 1 / (relativeTolerance * abs(y[i]) + absoluteTolerance * scale[i])
        }
    }

    /// Modified Newton on r(z) = 0 from the guess in `z` (IDA's scaling 2/(1 + a0/a0_J) of the step when the
    /// Jacobian's a0 is stale). Returns false on slow convergence or a non-finite iterate.
    func newton(_ z: UnsafeMutablePointer<Double>, a0: Double, algebraicOnly: Bool, maxIterations: Int) -> Bool {
        let n = constants.n
        let ratio = algebraicOnly ? 1 : a0 / jacobianA0
        let damping = 2 / (1 + ratio)
        var previous = 0.0
        for iteration in 0..<maxIterations {
            residual(z, res, a0: a0, algebraicOnly: algebraicOnly)
            for i in 0..<n { res[i] = -res[i] }
            do { try jacobian.solve(UnsafeMutableBufferPointer(start: res, count: n)) } catch { return false }
            if !algebraicOnly && damping != 1 { for i in 0..<n { res[i] *= damping } }
            for i in 0..<n { z[i] += res[i] }
            let norm = wrmsNorm(res, differentialOnly: false)
            guard norm.isFinite else { return false }
            if norm < (algebraicOnly ? 1e-6 : 1e-3) { return true }
            if iteration > 0 {
                let rate = norm / previous
                if rate > 0.9 { return false }
                if norm * rate / (1 - rate) < (algebraicOnly ? 1e-6 : 0.1) { return true }
            }
            previous = norm
        }
        return false
    }

    /// Solves g(y, z) = 0 for the potentials and I at fixed differential states (spec §1.5): full Newton with a
    /// backtracking line search on the residual 2-norm (the sinh kinetics overshoot from zero-current guesses), with
    /// the charge-balance rows scaled by L_x² as PyBaMM scales them, so that they are commensurate with the drive row.
    func consistentInitialisation() throws(ModelError) {
        let n = constants.n
        updateWeights()
        let rowScale = constants.lengthX * constants.lengthX, drive = constants.iIndex
        func norm2() -> Double {
            var s = 0.0
            for i in 0..<n { let r = i == drive ? res[i] : rowScale * res[i]; s += r * r }
            return s.squareRoot()
        }
        residual(y, res, a0: 0, algebraicOnly: true)
        var current = norm2()
        for _ in 0..<40 {
            try refreshJacobian(at: y, a0: 0, algebraicOnly: true)
            residual(y, res, a0: 0, algebraicOnly: true)
            for i in 0..<n { pred[i] = -res[i] }
            do { try jacobian.solve(UnsafeMutableBufferPointer(start: pred, count: n)) } catch { throw .linearSolveFailed(t: time) }
            let stepNorm = wrmsNorm(pred, differentialOnly: false)
            var lambda = 1.0, accepted = false
            for _ in 0..<30 {
                for i in 0..<n { trial[i] = y[i] + lambda * pred[i] }
                residual(trial, res, a0: 0, algebraicOnly: true)
                let trialNorm = norm2()
                if trialNorm.isFinite && trialNorm <= (1 - 1e-4 * lambda) * current || stepNorm * lambda < 1e-8 {
                    current = trialNorm; accepted = true
                    break
                }
                lambda *= 0.5
            }
            guard accepted else { break }
            y.update(from: trial, count: n)
            if stepNorm * lambda < 1e-7 { jacobianA0 = .nan; return }
        }
        jacobianA0 = .nan
        if !current.isFinite { throw .nonFinite(variable: "potentials", t: time) }
        throw .newtonDiverged(t: time, residualNorm: current)
    }
}
