extension SingleParticleModel {
    /// One output row of a discharge, with the columns of the PyBaMM reference CSVs.
    public typealias Row = StepResult

    /// Runs a constant-current step "Discharge at `current` A until V < `cutoffVoltage`" from the present
    /// state, recording a row at the start, every `period` seconds and at the cut-off crossing.
    ///
    /// The crossing inside the last period is located by bisection on the step length (to 1e-6 s),
    /// re-stepping from a saved state, so the final row's state is integrated up to the event time.
    /// The run also ends after `maxDuration` seconds.
    public func dischargeUntil(current: Double, cutoffVoltage: Double, period: Double = 10,
                               maxDuration: Double = 24 * 3600) throws(ModelError) -> [Row] {
        precondition(period > 0 && maxDuration > 0, "dischargeUntil: period and maxDuration must be positive")
        let start = time
        var rows = [outputs(current: current)]
        if rows[0].voltage < cutoffVoltage { return rows }
        while time - start < maxDuration - 1e-9 {
            let dt = min(period, maxDuration - (time - start))
            saveState()
            let result = try step(current: current, dt: dt)
            if result.voltage >= cutoffVoltage {
                rows.append(result)
                continue
            }
            var low = 0.0, high = dt
            while high - low > 1e-6 {
                let mid = 0.5 * (low + high)
                restoreState()
                if try step(current: current, dt: mid).voltage >= cutoffVoltage { low = mid } else { high = mid }
            }
            restoreState()
            let crossing = 0.5 * (low + high)
            rows.append(try step(current: current, dt: crossing))
            break
        }
        return rows
    }
}
