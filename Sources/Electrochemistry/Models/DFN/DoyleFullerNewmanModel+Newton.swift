#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DoyleFullerNewmanModel {
    /// Recomputes the cached partial derivatives B = ∂(−f, g, drive)/∂z at `z` by forward differences with column
    /// colouring: the columns of one colour (``DFNColouring``, greedy on the probed sparsity) touch disjoint rows, so
    /// one residual per colour gives their columns (Curtis, Powell & Reid 1974, doi:10.1093/imamat/13.1.117).
    /// Entries outside the probed pattern stay zero. The lumped temperature's dense row and column are left out
    /// (lagged; only its diagonal enters the iteration matrix).
    /// Returns false (and leaves the partials invalid) when a derivative is not finite.
    @discardableResult
    func computePartials(at z: UnsafeMutablePointer<Double>) -> Bool {
        let c = colouring!
        let upper = bandUpper, width = bandLower + bandUpper + 1
        statistics.partials += 1
        for i in 0..<constants.n { hist[i] = 0 }
        residual(z, res0, a0: 0, algebraicOnly: false)
        var finite = true
        for colour in 0..<c.colourCount {
            let first = c.colourStart[colour], end = c.colourStart[colour + 1]
            for e in first..<end {
                let j = c.colourColumn[e]
                work[j] = 1.5e-8 * max(abs(z[j]), scale[j])
                z[j] += work[j]
            }
            residual(z, res, a0: 0, algebraicOnly: false)
            for e in first..<end {
                let j = c.colourColumn[e]
                z[j] -= work[j]
                let inverse = 1 / work[j]
                for f in c.patternStart[j]..<c.patternStart[j + 1] {
                    let i = c.patternRow[f]
                    let d = (res[i] - res0[i]) * inverse
                    partials[i - j + upper + j * width] = d
                    if !d.isFinite { finite = false }
                }
            }
        }
        partialsDrive = driveKind
        guard finite else {
            partialsValid = false; partialsCurrent = false; jacobianA0 = .nan
            return false
        }
        partialsCurrent = true
        return true
    }

    /// Assembles and factors the iteration matrix a0·M + B (M the differential mask) by block elimination of the
    /// particles, or for the consistent initialisation the algebraic rows of B with identity differential rows.
    func assemble(a0: Double, algebraicOnly: Bool) throws(ModelError) {
        let k = constants
        statistics.factorizations += 1
        guard solver.factor(partials: partials, differential: differential, a0: a0, algebraicOnly: algebraicOnly,
                            thermalDiagonal: a0 + k.coolingCoefficient / (k.cellVolume * k.rhoCp)) else {
            jacobianA0 = .nan; throw .linearSolveFailed(t: time)
        }
        jacobianA0 = a0
        jacobianIsAlgebraic = algebraicOnly
    }

    /// Solves (iteration matrix)·δ = v in place; false when the factors are not valid.
    func solveLinear(_ v: UnsafeMutablePointer<Double>) -> Bool {
        guard jacobianA0.isFinite else { return false }
        solver.solve(v)
        return true
    }

    /// A small code for the drive's kind: the drive row's partial derivatives depend on it (and on the set value
    /// for power and resistance).
    var driveKind: Double {
        switch drive {
        case .current: return 0
        case .voltage: return 1
        case .power(let p): return 10 + p
        case .resistance(let r): return -10 - r
        }
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
            guard solveLinear(res) else { return false }
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

    /// Solves g(y, z) = 0 for the potentials and I at fixed differential states (spec §1.5): Newton with a
    /// backtracking line search on the residual 2-norm (the sinh kinetics overshoot from zero-current guesses), with
    /// the charge-balance rows scaled by L_x² as PyBaMM scales them, so that they are commensurate with the drive row.
    /// The cached partials are reused while they converge fast and recomputed at the iterate otherwise.
    func consistentInitialisation() throws(ModelError) {
        let n = constants.n
        updateWeights()
        let rowScale = constants.lengthX * constants.lengthX, driveRow = constants.iIndex
        func norm2() -> Double {
            var s = 0.0
            for i in 0..<n { let r = i == driveRow ? res[i] : rowScale * res[i]; s += r * r }
            return s.squareRoot()
        }
        residual(y, res, a0: 0, algebraicOnly: true)
        var current = norm2()
        var refresh = !partialsValid || partialsDrive != driveKind
        var previousStep = Double.infinity
        for _ in 0..<60 {
            if refresh {
                trial.update(from: y, count: n)
                guard computePartials(at: trial) else { throw .nonFinite(variable: "Jacobian", t: time) }
                refresh = false
                try assemble(a0: 0, algebraicOnly: true)
            } else if !jacobianIsAlgebraic || !jacobianA0.isFinite {
                try assemble(a0: 0, algebraicOnly: true)
            }
            partialsValid = true
            residual(y, res, a0: 0, algebraicOnly: true)
            for i in 0..<n { pred[i] = -res[i] }
            guard solveLinear(pred) else { throw .linearSolveFailed(t: time) }
            let stepNorm = wrmsNorm(pred, differentialOnly: false)
            var lambda = 1.0, accepted = false
            for _ in 0..<30 {
                for i in 0..<n { trial[i] = y[i] + lambda * pred[i] }
                residual(trial, res, a0: 0, algebraicOnly: true)
                let trialNorm = norm2()
                if trialNorm.isFinite && trialNorm <= (1 - 1e-4 * lambda) * current || stepNorm * lambda < 1e-10 {
                    current = trialNorm; accepted = true
                    break
                }
                lambda *= 0.5
            }
            if !accepted {
                if partialsCurrent { break }
                refresh = true
                continue
            }
            y.update(from: trial, count: n)
            partialsCurrent = false
            if stepNorm * lambda < 1e-4 { return }
            // Slow (damped or linear) convergence with stale partials: recompute them here.
            if lambda < 1 || stepNorm > 0.2 * previousStep { refresh = true }
            previousStep = stepNorm * lambda
        }
        jacobianA0 = .nan
        if !current.isFinite { throw .nonFinite(variable: "potentials", t: time) }
        throw .newtonDiverged(t: time, residualNorm: current)
    }
}
