#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SingleParticleModel {
    public func begin(_ drive: CellDrive) throws(ModelError) {
        self.drive = drive
        current = try solveCurrent(guess: current)
    }

    /// The current [A] that meets the drive at the prepared state (spec §5): explicit for `.current`, else a
    /// safeguarded Newton iteration (halving steps until |residual| falls) with the analytic ∂V/∂I. For power,
    /// the iteration starts at P/OCV, on the branch of the smaller |I| (the physical root).
    func solveCurrent(guess: Double) throws(ModelError) -> Double {
        if case let .current(value) = drive {
            guard value.isFinite else { throw .infeasibleDrive(t: time, reason: "current \(value) A is not finite") }
            return value
        }
        var i = guess.isFinite ? guess : 0
        if case let .power(p) = drive {
            let ocv = terminalVoltage(current: 0).voltage
            guard ocv > 0 else { throw .infeasibleDrive(t: time, reason: "open-circuit voltage \(ocv) V is not positive") }
            i = p / ocv
        }
        if case let .resistance(r) = drive, !(r > 0) {
            throw .infeasibleDrive(t: time, reason: "external resistance \(r) Ω must be positive")
        }
        var (f, slope) = residual(i)
        for _ in 0..<60 {
            guard f.isFinite, slope.isFinite else { throw .nonFinite(variable: "current", t: time) }
            if abs(f) <= tolerance { return i }
            guard slope != 0 else { break }
            var step = -f / slope, accepted = false
            for _ in 0..<40 {
                let (g, s) = residual(i + step)
                if g.isFinite, abs(g) < abs(f) {
                    i += step; f = g; slope = s; accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted { break }
        }
        if abs(f) <= 1e3 * tolerance { return i }
        if case let .power(p) = drive {
            throw .infeasibleDrive(t: time, reason: "power \(p) W is beyond the cell's reach (residual \(f) W)")
        }
        throw .newtonDiverged(t: time, residualNorm: abs(f))
    }

    private var tolerance: Double {
        if case let .power(p) = drive { return 1e-11 * max(1, abs(p)) }
        return 1e-11
    }

    /// The drive's residual in I and its derivative.
    @inline(__always)
    private func residual(_ i: Double) -> (Double, Double) {
        let (v, dv) = terminalVoltage(current: i)
        switch drive {
        case let .current(value): return (i - value, 1)
        case let .voltage(target): return (v - target, dv)
        case let .resistance(r): return (v - r * i, dv - r)
        case let .power(p): return (i * v - p, v + i * dv)
        }
    }

    /// Whether the current is an algebraic unknown under the present drive.
    var currentIsAlgebraic: Bool {
        if case .current = drive { return false }
        return true
    }

    /// One sub-step of length `h` at current `i`: particles, electrolyte, SEI film, temperature. Returns the error
    /// norm of the electrolyte and the SEI thickness (0 for the SPM without SEI). The state at the sub-step start is in the particles' marks, the
    /// electrolyte's `start`, the SEI layer's `start` and `mark.temperature`.
    @inline(__always)
    func substep(_ h: Double, current i: Double, t: Double) throws(ModelError) -> Double {
        let k = constants
        let density = i / k.area
        let faraday = PhysicalConstants.faraday
        var startHeat = 0.0
        if thermalOption == .lumped {
            if !prepared { prepareVoltage() }
            startHeat = heat(current: i)
        }
        if let layer = sei {
            // The main reaction carries j_tot − ⟨j_SEI⟩ into the negative particle (⟨j_SEI⟩ at the sub-step start).
            let side = beginSEISubstep(layer, current: i)
            try negative.advance(flux: (density / (negative.specificArea * k.lengthN) - side) / faraday, h: h,
                                 temperature: temperature, t: t)
            try positive.advance(flux: -density / (positive.specificArea * k.lengthP * faraday), h: h, temperature: temperature, t: t)
            let error = try electrolyte?.advance(currentDensity: density, h: h, t: t) ?? 0
            prepared = false; overpotentialCache.valid = false
            let seiError = finishSEISubstep(layer, h: h, current: i, startDensity: side)
            guard layer.thickness.isFinite else { throw .nonFinite(variable: "SEI thickness", t: t + h) }
            return finishSubstep(h, current: i, startHeat: startHeat, error: max(error, seiError))
        }
        try negative.advance(flux: density / (negative.specificArea * k.lengthN * faraday), h: h, temperature: temperature, t: t)
        try positive.advance(flux: -density / (positive.specificArea * k.lengthP * faraday), h: h, temperature: temperature, t: t)
        let error = try electrolyte?.advance(currentDensity: density, h: h, t: t) ?? 0
        prepared = false; overpotentialCache.valid = false
        return finishSubstep(h, current: i, startHeat: startHeat, error: error)
    }

    /// The end of ``substep(_:current:t:)``: the lumped temperature, then the prepared state if needed.
    @inline(__always)
    private func finishSubstep(_ h: Double, current i: Double, startHeat: Double, error: Double) -> Double {
        if thermalOption == .lumped {
            // Trapezoidal in the heat (start and end of the sub-step at the start temperature): the heat can
            // double within seconds as the electrolyte depletes at high rates, where the end value alone overshoots.
            prepareVoltage()
            advanceTemperature(heat: 0.5 * (startHeat + heat(current: i)), h: h)
            setTemperature(temperature)
        }
        if needsPreparedState && !prepared { prepareVoltage() }
        return error
    }

    /// Whether a sub-step must leave V prepared (an algebraic current is re-solved, or events are watched).
    var needsPreparedState: Bool { currentIsAlgebraic || watchingEvents }

    /// Returns to the sub-step start.
    func rewind(temperature t0: Double) {
        negative.rewind(); positive.rewind(); electrolyte?.rewind()
        if let layer = sei {
            layer.copy(layer.localStart, to: layer.local)
            refreshSEIFilm(layer)
        }
        prepared = false; overpotentialCache.valid = false
        if thermalOption == .lumped { setTemperature(t0) }
        if needsPreparedState { prepareVoltage() }
    }

    /// Both surface stoichiometries strictly inside (0, 1).
    var surfaceInRange: Bool {
        let sn = negative.surface / negative.maxConcentration, sp = positive.surface / positive.maxConcentration
        return sn > 0 && sn < 1 && sp > 0 && sp < 1
    }
}
