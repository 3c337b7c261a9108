#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SingleParticleModel {
    /// Integrates for `dt` seconds (see ``CellModel/advance(by:events:)``).
    ///
    /// Sub-steps: the SPM at constant current and temperature takes one exact modal step; the SPMe's size (and,
    /// with SEI, that of both variants, at most ``maxSEISubstep``) comes from the electrolyte and SEI error control (WRMS ≤ 1, h ← h·clamp(0.9·err^(−1/3), 0.2, 5)); an algebraic
    /// current or a lumped temperature caps sub-steps at ``maxCoupledSubstep`` and the current of a sub-step
    /// is the mean of its values at both ends (predictor–corrector). A sub-step whose surface stoichiometry
    /// leaves (0, 1) is halved. An event crossing inside a sub-step is located by the Illinois method on the
    /// sub-step length to 1e-7 s, re-integrating from the sub-step start, and the state is left there.
    public func advance(by dt: Double, events: [StepTermination]) throws(ModelError) -> AdvanceStop {
        guard dt > 0, dt.isFinite else { throw .invalidTimeStep(dt: dt) }
        for (index, event) in events.enumerated() where eventValue(event) <= 0 { return .event(index) }
        watchingEvents = !events.isEmpty
        defer { if !prepared { prepareVoltage() } }
        let end = time + dt
        let coupled = currentIsAlgebraic || thermalOption == .lumped
        while time < end {
            let remaining = end - time
            var h = electrolyte == nil && sei == nil ? remaining : min(suggestedStep, remaining)
            if coupled { h = min(h, maxCoupledSubstep) }
            if sei != nil { h = min(h, maxSEISubstep) }
            if remaining - h < 1e-9 * max(1, dt) { h = remaining }
            let t0 = time, i0 = current, temperature0 = temperature
            negative.mark(); positive.mark()
            var mean = i0
            while true {
                var error = try substep(h, current: i0, t: t0)
                if currentIsAlgebraic {
                    let i1 = try solveCurrent(guess: i0)
                    rewind(temperature: temperature0)
                    mean = 0.5 * (i0 + i1)
                    error = try substep(h, current: mean, t: t0)
                }
                let valid = surfaceInRange
                if error <= 1 && valid {
                    if electrolyte != nil || sei != nil {
                        suggestedStep = h * min(5, max(0.2, 0.9 * pow(max(error, 1e-10), -1.0 / 3)))
                    }
                    break
                }
                rewind(temperature: temperature0)
                h *= valid ? max(0.2, 0.9 * pow(error, -1.0 / 3)) : 0.5
                guard h > 1e-9 else {
                    if !valid { throw .infeasibleDrive(t: t0, reason: "a surface stoichiometry would leave (0, 1)") }
                    throw .stepSizeTooSmall(t: t0, h: h)
                }
            }
            let i1 = try solveCurrent(guess: mean)
            guard i1.isFinite, temperature.isFinite else { throw .nonFinite(variable: "current or temperature", t: t0 + h) }
            if let index = try firstCrossing(events) {
                try locate(events[index], from: t0, current: i0, temperature: temperature0, length: h)
                return .event(index)
            }
            time = t0 + h
            current = i1
            dischargeCapacity += mean * h / 3600
        }
        time = end
        return .completed
    }

    /// The event's value at the present state and current.
    @inline(__always)
    func eventValue(_ event: StepTermination) -> Double {
        event.eventValue(voltage: terminalVoltage(current: current).voltage, current: current,
                         nominalCapacity: constants.nominalCapacity)
    }

    /// The first event that is ≤ 0 at the end of the pending sub-step (whose current is not yet stored).
    private func firstCrossing(_ events: [StepTermination]) throws(ModelError) -> Int? {
        guard !events.isEmpty else { return nil }
        let saved = current
        current = try solveCurrent(guess: current)
        defer { current = saved }
        for (index, event) in events.enumerated() where eventValue(event) <= 0 { return index }
        return nil
    }

    /// Illinois (modified regula falsi) on the sub-step length τ ∈ (0, h] for the event's zero; ends with the
    /// state at the located τ (on the side where the event has fired).
    private func locate(_ event: StepTermination, from t0: Double, current i0: Double, temperature temperature0: Double,
                        length h: Double) throws(ModelError) {
        var low = 0.0, high = h
        var fLow = 0.0, fHigh = 0.0
        rewind(temperature: temperature0)
        current = i0
        fLow = eventValue(event)
        func evaluate(_ tau: Double) throws(ModelError) -> (Double, Double) {
            rewind(temperature: temperature0)
            current = i0
            var mean = i0
            _ = try substep(tau, current: i0, t: t0)
            if currentIsAlgebraic {
                let i1 = try solveCurrent(guess: i0)
                rewind(temperature: temperature0)
                mean = 0.5 * (i0 + i1)
                _ = try substep(tau, current: mean, t: t0)
            }
            current = try solveCurrent(guess: mean)
            return (eventValue(event), mean)
        }
        var (value, mean) = try evaluate(high)
        fHigh = value
        var side = 0, last = high
        while high - low > 1e-7 {
            var tau = (low * fHigh - high * fLow) / (fHigh - fLow)
            if !(tau > low && tau < high) { tau = 0.5 * (low + high) }
            (value, mean) = try evaluate(tau)
            last = tau
            if value > 0 {
                low = tau; fLow = value
                if side == -1 { fHigh *= 0.5 }
                side = -1
            } else {
                high = tau; fHigh = value
                if side == 1 { fLow *= 0.5 }
                side = 1
            }
            if value == 0 { break }
        }
        if last != high { (_, mean) = try evaluate(high) }
        time = t0 + high
        dischargeCapacity += mean * high / 3600
    }
}
