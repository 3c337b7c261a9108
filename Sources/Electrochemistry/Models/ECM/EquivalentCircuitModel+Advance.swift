#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drives, sub-steps and event location of ``EquivalentCircuitModel``.
///
/// Within a sub-step the state at any time s is closed form (``propagate(to:current:)``), so events are located
/// on it by the Illinois variant of regula falsi (Dowell & Jarratt 1971) to 1e-7 s.
extension EquivalentCircuitModel {
    public func begin(_ newDrive: CellDrive) throws(ModelError) {
        drive = newDrive
        if case let .current(i) = newDrive {
            guard i.isFinite else { throw .nonFinite(variable: "current", t: time) }
            current = i
            return
        }
        markStart()
        current = try solveCurrent(over: 0)
        propagate(to: 0, current: current)
    }

    /// Integrates for `dt` seconds; an event already reached (value ≤ 0) at the start is reported at once without
    /// advancing. On an error the state is left at the start of the failing sub-step.
    public func advance(by dt: Double, events: [StepTermination]) throws(ModelError) -> AdvanceStop {
        guard dt > 0, dt.isFinite else { throw .invalidTimeStep(dt: dt) }
        let q = parameters.nominalCapacity
        if !events.isEmpty {
            let v = terminalVoltage(current: current)
            for (index, event) in events.enumerated() where event.eventValue(voltage: v, current: current, nominalCapacity: q) <= 0 {
                return .event(index)
            }
        }
        let limit: Double
        if case .current = drive { limit = maxSubstep } else { limit = maxAlgebraicSubstep }
        let end = time + dt
        while time < end {
            let h = end - time <= limit * (1 + 1e-12) ? end - time : limit
            markStart()
            let i: Double
            do throws(ModelError) {
                i = try solveCurrent(over: h)
                propagate(to: h, current: i)
                try checkState()
                if !events.isEmpty, let (index, s) = try locateEvent(events, within: h, endCurrent: i) {
                    let located = try solveCurrent(over: s)
                    propagate(to: s, current: located)
                    current = located
                    time = time0 + s
                    return .event(index)
                }
            } catch {
                propagate(to: 0, current: current)  // back to the sub-step start
                throw error
            }
            current = i
            time = h == end - time0 ? end : time0 + h
        }
        return .completed
    }

    /// Copies the state into the sub-step start and freezes the tabulated elements there.
    func markStart() {
        let p = parameters, z = stateOfCharge, t = temperature
        z0 = z; temperature0 = t; charge0 = charge; time0 = time
        evaluateResistances(stateOfCharge: z, temperature: t)
        r0Frozen = r0Now
        for k in 0..<pairs {
            branch0[k] = branch[k]
            rFrozen[k] = rNow[k]
            if !constantTimeConstants { tauFrozen[k] = p.timeConstants[k].value(stateOfCharge: z, temperature: t) }
        }
        entropicFrozen = thermal == .lumped ? entropicCoefficient(stateOfCharge: z, temperature: t) : 0
    }

    /// Sets the state to time `s` after the sub-step start under a constant current `i` (exact for the held elements).
    @inline(__always)
    func propagate(to s: Double, current i: Double) {
        stateOfCharge = z0 - i * s / (3600 * capacity)
        charge = charge0 + i * s
        var meanSquares = 0.0
        for k in 0..<pairs {
            let tau = tauFrozen[k]
            let a = branch0[k] - i
            let d = expm1(-s / tau)  // e^{−s/τ} − 1
            branch[k] = i + a * (1 + d)
            if thermal == .lumped {
                // Mean of (i + a e^{−t/τ})² over [0, s]; 1 − e^{−2s/τ} = −d (2 + d).
                let m1 = s > 0 ? -d * tau / s : 1
                let m2 = s > 0 ? -d * (2 + d) * tau / (2 * s) : 1
                meanSquares += rFrozen[k] * (i * i + 2 * i * a * m1 + a * a * m2)
            }
        }
        guard thermal == .lumped else { temperature = ambientTemperature; return }
        guard s > 0 else { temperature = temperature0; return }
        let p = parameters
        let heat = i * i * r0Frozen + meanSquares - i * temperature0 * entropicFrozen
        let steady = ambientTemperature + heat / p.heatTransfer
        temperature = steady + (temperature0 - steady) * exp(-s * p.heatTransfer / p.heatCapacity)
    }

    /// The constant current over [0, s] of the sub-step that meets the drive at time s (s = 0: at the start).
    func solveCurrent(over s: Double) throws(ModelError) -> Double {
        let target: Double
        switch drive {
        case let .current(i):
            guard i.isFinite else { throw .nonFinite(variable: "current", t: time0) }
            return i
        case let .voltage(v): target = v
        case let .power(p): target = p
        case let .resistance(r):
            guard r.isFinite, r > 0 else { throw .infeasibleDrive(t: time0, reason: "external resistance \(r) Ω is not positive") }
            target = r
        }
        guard target.isFinite else { throw .infeasibleDrive(t: time0, reason: "drive value \(target) is not finite") }
        // Linearised at the start, with OCV frozen: V(I) ≈ e − b·I.
        propagate(to: s, current: 0)
        let e = terminalVoltage(current: 0)
        propagate(to: s, current: 1)
        let b = e - terminalVoltage(current: 1)
        var i: Double
        switch drive {
        case .voltage: i = (e - target) / b
        case .resistance: i = e / (b + target)
        default:
            let discriminant = e * e - 4 * b * target
            guard discriminant >= 0 else {
                throw .infeasibleDrive(t: time0, reason: "power \(target) W exceeds the maximum \(e * e / (4 * b)) W")
            }
            i = 2 * target / (e + discriminant.squareRoot())
        }
        // Secant refinement on the exact residual (the OCV and the lumped T depend on I).
        func residual(_ i: Double) -> Double {
            propagate(to: s, current: i)
            let v = terminalVoltage(current: i)
            switch drive {
            case .voltage: return v - target
            case .resistance: return v - target * i
            default: return i * v - target
            }
        }
        var previous = i * (1 + 1e-6) + 1e-9, fPrevious = residual(previous)
        var f = residual(i)
        for _ in 0..<30 where f != 0 && f != fPrevious {
            let next = i - f * (i - previous) / (f - fPrevious)
            previous = i; fPrevious = f
            i = next; f = residual(i)
            if abs(i - previous) <= 1e-13 * (1 + abs(i)) { break }
        }
        guard i.isFinite, abs(f) <= 1e-8 * (1 + abs(target)) else {
            throw .infeasibleDrive(t: time0, reason: "no current meets the drive \(drive) (residual \(f))")
        }
        return i
    }

    /// Throws for non-finite states and for stoichiometries driven out of [0, 1] (restoring the sub-step start).
    func checkState() throws(ModelError) {
        // The tables are finite (validated), so finite z, T and i_k give a finite voltage and heat.
        var branches = 0.0
        for k in 0..<pairs { branches += branch[k] }
        guard stateOfCharge.isFinite, temperature.isFinite, branches.isFinite else {
            throw .nonFinite(variable: !stateOfCharge.isFinite ? "state of charge"
                                 : !temperature.isFinite ? "temperature" : "RC-branch current", t: time0)
        }
        let p = parameters, z = stateOfCharge
        let x = p.negativeStoichiometry.empty + z * (p.negativeStoichiometry.full - p.negativeStoichiometry.empty)
        let y = p.positiveStoichiometry.empty + z * (p.positiveStoichiometry.full - p.positiveStoichiometry.empty)
        guard (0.0...1.0).contains(x), (0.0...1.0).contains(y) else {
            let reached = z
            propagate(to: 0, current: current)
            throw .infeasibleDrive(t: time0, reason: "state of charge \(reached) drives a stoichiometry out of [0, 1]")
        }
    }

    /// The earliest event that fires within the sub-step [0, h] and its located time, or `nil`; leaves the
    /// state at the sub-step end.
    func locateEvent(_ events: [StepTermination], within h: Double, endCurrent: Double) throws(ModelError) -> (Int, Double)? {
        let q = parameters.nominalCapacity
        func value(_ index: Int, at s: Double) throws(ModelError) -> Double {
            let i = try solveCurrent(over: s)
            propagate(to: s, current: i)
            return events[index].eventValue(voltage: terminalVoltage(current: i), current: i, nominalCapacity: q)
        }
        var best: (Int, Double)?
        for index in events.indices {
            let vEnd = events[index].eventValue(voltage: terminalVoltage(current: endCurrent), current: endCurrent,
                                                nominalCapacity: q)
            guard vEnd <= 0 else { continue }
            var a = 0.0, fa = try value(index, at: 0), b = h, fb = vEnd, side = 0
            guard fa > 0 else { best = (index, 0); break }
            while b - a > 1e-7 {
                var c = (a * fb - b * fa) / (fb - fa)
                if !(c > a && c < b) { c = 0.5 * (a + b) }
                let fc = try value(index, at: c)
                if fc > 0 {
                    a = c; fa = fc
                    if side == 1 { fb *= 0.5 }
                    side = 1
                } else {
                    b = c; fb = fc
                    if side == -1 { fa *= 0.5 }
                    side = -1
                }
            }
            if best == nil || b < best!.1 { best = (index, b) }
        }
        propagate(to: h, current: endCurrent)
        return best
    }
}
