#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DoyleFullerNewmanModel {
    /// Largest ratio of consecutive BDF2 steps (zero-stable below 1 + √2).
    static let maxStepRatio = 2.4
    /// Largest growth of an implicit Euler step (and of the restart guess) from its error estimate.
    static let maxEulerGrowth = 10.0
    /// Smallest step before ``ModelError/stepSizeTooSmall(t:h:)`` [s].
    static let minStep = 1e-10

    /// Solves one BDF stage of size `h` from the committed history into `trial`; returns the WRMS local error
    /// estimate (≤ 1 passes), or nil when Newton failed even with a fresh Jacobian.
    ///
    /// Order 1 (implicit Euler) after a restart, then variable-step BDF2: a0 = (1+2ω)/((1+ω)h) with ω = h/h_{n−1}.
    /// The predictor is the quadratic through y_{n−1}, y_n and y'_n; the error is (z − pred)·(1+ω)/(2+3ω)
    /// (0.5 for implicit Euler), which follows from the interpolation errors of both formulas.
    func solveStage(_ h: Double) -> Double? {
        let k = constants
        let n = k.n
        let order2 = historyCount >= 2
        let a0: Double, factor: Double
        if order2 {
            let omega = h / hPrev
            a0 = (1 + 2 * omega) / ((1 + omega) * h)
            factor = (1 + omega) / (2 + 3 * omega)
            let c1 = (1 + omega) / h, c2 = omega * omega / ((1 + omega) * h)
            for i in 0..<n {
                if differential[i] {
                    hist[i] = c1 * y[i] - c2 * yPrev[i]
                    let c = (yPrev[i] - y[i] + yDot[i] * hPrev) / (hPrev * hPrev)
                    pred[i] = y[i] + h * (yDot[i] + c * h)
                } else {
                    hist[i] = 0
                    pred[i] = y[i] + omega * (y[i] - yPrev[i])
                }
            }
        } else {
            a0 = 1 / h
            factor = 0.5
            for i in 0..<n {
                hist[i] = differential[i] ? y[i] / h : 0
                pred[i] = differential[i] ? y[i] + h * yDot[i] : y[i]
            }
        }
        stoichiometryFailure = false
        for attempt in 0..<2 {
            if attempt > 0 {
                // Modified Newton failed: recompute the partials here unless they are already current.
                // They are taken at the committed state y_n, which is always finite and admissible.
                if partialsCurrent { return nil }
                trial.update(from: y, count: n)
                guard computePartials(at: trial) else { return nil }
                do { try assemble(a0: a0, algebraicOnly: false) } catch { return nil }
            } else if !jacobianA0.isFinite || jacobianIsAlgebraic || abs(a0 / jacobianA0 - 1) > 0.3 {
                do { try assemble(a0: a0, algebraicOnly: false) } catch { return nil }
            }
            trial.update(from: pred, count: n)
            if newton(trial, a0: a0, algebraicOnly: false, maxIterations: 6) {
                // Reject states with a stoichiometry outside (0, 1) as a failed stage.
                if leavesRange(trial) { stoichiometryFailure = true; return nil }
                // Error estimate filtered through (I − J/a0)⁻¹ so that fast, damped modes do not dominate it
                // (Shampine 1980, "Implementation of implicit formulas for the solution of ODEs",
                // doi:10.1137/0901005; as in Hairer & Wanner's RADAU5); one solve with the current factors.
                for i in 0..<n { work[i] = differential[i] ? jacobianA0 * factor * (trial[i] - pred[i]) : 0 }
                guard solveLinear(work) else { return nil }
                return wrmsNorm(work, differentialOnly: true)
            }
            // A diverging iterate that left the admissible range is reported as such.
            if leavesRange(trial) { stoichiometryFailure = true }
        }
        return nil
    }

    /// Whether any particle concentration or surface value of `z` is outside (0, c_max) (or not finite).
    func leavesRange(_ z: UnsafeMutablePointer<Double>) -> Bool {
        let k = constants
        for q in 0..<k.nx where k.csIndex[q] >= 0 {
            let cmax = q < k.nn ? k.cmaxN : k.cmaxP
            let m = q < k.nn ? k.nrN : k.nrP
            for i in 0..<m {
                let c = z[k.csIndex[q] + i]
                if !(c > 0 && c < cmax) { return true }
            }
            let s = 1.5 * z[k.csIndex[q] + m - 1] - 0.5 * z[k.csIndex[q] + m - 2]
            if !(s > 0 && s < cmax) { return true }
        }
        return false
    }

    /// Makes `trial` (the solution of a stage of size h) the new y_n, with y'_n = a0·y_n − hist.
    func commit(_ h: Double) {
        let n = constants.n
        let a0 = historyCount >= 2 ? (1 + 2 * h / hPrev) / ((1 + h / hPrev) * h) : 1 / h
        for i in 0..<n {
            yPrev[i] = y[i]
            yDot[i] = differential[i] ? a0 * trial[i] - hist[i] : 0
            y[i] = trial[i]
        }
        time += h
        hPrev = h
        partialsCurrent = false
        statistics.steps += 1
        historyCount = min(historyCount + 1, 2)
    }

    /// The value of event `e` at state `z` (trial or y): the terminal voltage is read off φ_s by the residual's
    /// linear extrapolation, so no residual is evaluated.
    func eventValue(_ e: StepTermination, at z: UnsafeMutablePointer<Double>) -> Double {
        let k = constants
        let v = 1.5 * z[k.phiSIndex[k.nx - 1]] - 0.5 * z[k.phiSIndex[k.nx - 2]] - k.filmResistance * z[k.iIndex]
        return e.eventValue(voltage: v, current: z[k.iIndex], nominalCapacity: nominalCapacity)
    }

    public func advance(by dt: Double, events: [StepTermination]) throws(ModelError) -> AdvanceStop {
        guard dt > 0, dt.isFinite else { throw .invalidTimeStep(dt: dt) }
        for (index, e) in events.enumerated() where eventValue(e, at: y) <= 0 { return .event(index) }
        let end = time + dt
        while time < end {
            updateWeights()
            var h = min(hNext, end - time)
            if end - time - h < 1e-3 * h { h = end - time }
            let clipped = h < hNext
            var error: Double? = nil, leftRange = false
            while true {
                error = solveStage(h)
                leftRange = leftRange || stoichiometryFailure
                if let e = error, e <= 1 { break }
                statistics.rejected += 1
                let shrink = error.map { max(0.2, min(0.9, 0.9 * pow($0, -1 / (historyCount >= 2 ? 3 : 2)))) } ?? 0.25
                h *= shrink
                if h < Self.minStep {
                    updateOutputs()
                    if leftRange {
                        throw .infeasibleDrive(t: time, reason: "a particle stoichiometry would leave (0, 1)")
                    }
                    if error == nil { throw .newtonDiverged(t: time, residualNorm: wrmsNorm(res, differentialOnly: false)) }
                    throw .stepSizeTooSmall(t: time, h: h)
                }
            }
            let e = error ?? 1
            let grow = e > 0 ? 0.9 * pow(e, -1 / (historyCount >= 2 ? 3.0 : 2.0)) : Self.maxStepRatio
            // Events: locate the first crossing inside (t_n, t_n + h] by Illinois on re-solved stages.
            var hit = -1, hitStep = h
            for (index, ev) in events.enumerated() {
                let g1 = eventValue(ev, at: trial)
                guard g1 <= 0 else { continue }
                let s = try locate(ev, h: h, g1: g1)
                if hit < 0 || s < hitStep { hit = index; hitStep = s }
            }
            if hit >= 0 {
                guard solveStage(hitStep) != nil else { throw .newtonDiverged(t: time + hitStep, residualNorm: .nan) }
                commit(hitStep)
                hNext = max(h, 1e-3)
                updateOutputs()
                return .event(hit)
            }
            // The next restart starts from the step this one's error estimate proposes (it may grow again).
            let implicitEuler = historyCount == 0
            if implicitEuler { firstStep = h * min(Self.maxEulerGrowth, max(0.2, grow)) }
            commit(h)
            // Keep h unless it must shrink or can grow by a fifth (fewer refactorisations); a step clipped to the
            // end of the interval does not shrink the next proposal.
            var proposal = grow < 1 ? h * max(0.2, grow) : grow >= 1.2 ? h * min(Self.maxStepRatio, grow) : h
            if implicitEuler && grow > Self.maxStepRatio {
                // Far below the step the error allows (the start after a drive change): another implicit Euler
                // step, which has no step-ratio limit, instead of BDF2's ramp by at most 2.4 per step.
                historyCount = 0
                proposal = h * min(Self.maxEulerGrowth, grow)
            }
            hNext = clipped ? max(hNext, proposal) : proposal
            guard (0..<constants.n).allSatisfy({ y[$0].isFinite }) else { throw .nonFinite(variable: "state", t: time) }
        }
        updateOutputs()
        return .completed
    }

    /// The stage size s ∈ (0, h] at which event `e` crosses zero, to 1e-6 s (Illinois regula falsi,
    /// Dowell & Jarratt 1971, doi:10.1007/BF01934364), re-solving the stage from the committed history.
    func locate(_ e: StepTermination, h: Double, g1: Double) throws(ModelError) -> Double {
        var a = 0.0, ga = eventValue(e, at: y)
        var b = h, gb = g1
        var side = 0
        for _ in 0..<60 {
            if b - a < 1e-6 { break }
            var s = (a * gb - b * ga) / (gb - ga)
            if !(s > a && s < b) { s = 0.5 * (a + b) }
            s = min(max(s, a + 0.25e-6), b - 0.25e-6)
            guard solveStage(s) != nil else { throw .newtonDiverged(t: time + s, residualNorm: .nan) }
            let gs = eventValue(e, at: trial)
            if gs <= 0 {
                b = s; gb = gs
                if side == -1 { ga *= 0.5 }
                side = -1
            } else {
                a = s; ga = gs
                if side == 1 { gb *= 0.5 }
                side = 1
            }
            if abs(gs) < 1e-12 { return s }
        }
        return b
    }
}
