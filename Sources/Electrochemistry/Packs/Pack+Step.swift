/// The string-current solve.
///
/// With string j's end-of-step voltage V_j(I_j) (its cells advanced by dt at the constant current I_j from the
/// step's start state), the pack step solves
/// ```
/// V_j(I_j) = V  for every string j,      Σ_j I_j = I        (current drive)
///                                        V · Σ_j I_j = P    (power drive)
/// ```
/// for the string currents and the pack voltage V by Newton's method on the string currents. Linearising
/// V_j(I_j + δ_j) ≈ V_j + g_j δ_j with g_j = dV_j/dI_j < 0 gives δ_j = (V − V_j)/g_j, so the new pack current is
/// A + B·V with B = Σ 1/g_j, A = Σ (I_j − V_j/g_j): a current drive gives V = (I − A)/B, a power drive the
/// high-voltage root of B·V² + A·V − P = 0 (none: the power is above the linearised maximum A²/(−4B)).
/// Each V_j is a probe: restore the cells' saved start state, advance them at I_j. The slopes g_j come from one
/// finite difference on the first step and secant updates after that (Broyden's method, diagonal since the
/// strings are independent), and are kept across steps, so a step usually costs two or three probes. Converged when
/// the string voltages agree within s × ``Pack/tolerance`` (a tolerance per series cell, since the adaptive SPMe and
/// DFN integrators leave each cell's end voltage noisy at the 10 µV level) and the power within that × |I|.
extension Pack {
    /// Advances the pack by `dt` seconds under a pack current [A] (positive on discharge) and returns ``outputs``.
    @discardableResult
    public func step(current: Double, dt: Double) throws(PackError) -> PackOutputs {
        guard current.isFinite else { throw .invalidSetting(name: "pack current [A]", value: current, expected: "a finite number") }
        return try solve(current: current, power: nil, dt: dt)
    }

    /// Advances the pack by `dt` seconds under a pack power [W] (positive on discharge) and returns ``outputs``.
    @discardableResult
    public func step(power: Double, dt: Double) throws(PackError) -> PackOutputs {
        guard power.isFinite else { throw .invalidSetting(name: "pack power [W]", value: power, expected: "a finite number") }
        return try solve(current: 0, power: power, dt: dt)
    }

    private func solve(current: Double, power: Double?, dt: Double) throws(PackError) -> PackOutputs {
        guard dt.isFinite, dt > 0 else { throw .cell(index: 0, .invalidTimeStep(dt: dt)) }
        let p = layout.parallel
        for cell in cells { cell.saveState() }
        let balancingPower = setBleed(discharging: (power ?? current) > 0)

        // Initial guess: the last split moved along the linear response w_j = (1/g_j)/Σ(1/g_j).
        var target = current
        if let power { target = power / max(outputs.voltage, 1e-3) }
        let lastTotal = stringCurrents.reduce(0, +)
        let inverseSum = slopesKnown ? slopes.reduce(0) { $0 + 1 / $1 } : 0
        for j in 0..<p {
            let w = slopesKnown ? (1 / slopes[j]) / inverseSum : 1 / Double(p)
            stringCurrents[j] += w * (target - lastTotal)
        }
        let probe = 0.05 * design.nominalCapacity
        if !slopesKnown && (p > 1 || power != nil) {
            for j in 0..<p {
                let base = try evaluate(string: j, current: stringCurrents[j], dt: dt, restore: false)
                let shifted = try evaluate(string: j, current: stringCurrents[j] + probe, dt: dt, restore: true)
                slopes[j] = (shifted - base) / probe
                if !(slopes[j] < 0) || !slopes[j].isFinite { slopes[j] = -1e-3 * Double(layout.series) }
            }
            slopesKnown = true
        }
        var spread = Double.infinity
        for iteration in 1...maxIterations {
            var low = Double.infinity, high = -Double.infinity
            for j in 0..<p {
                let v = try evaluate(string: j, current: stringCurrents[j], dt: dt, restore: true)
                if iteration > 1 {
                    let di = stringCurrents[j] - previousCurrents[j]
                    if abs(di) > 1e-9 * max(1, abs(stringCurrents[j])) {
                        // Broyden update, kept within a factor 3 of the last slope: the adaptive SPMe/DFN
                        // integrators make V_j(I_j) noisy at the 10 µV level, which small steps would amplify.
                        let secant = (v - previousVoltages[j]) / di
                        if secant < 0 && secant.isFinite { slopes[j] = min(slopes[j] / 3, max(3 * slopes[j], secant)) }
                    }
                }
                stringVoltages[j] = v
                low = min(low, v); high = max(high, v)
            }
            spread = high - low
            var a = 0.0, b = 0.0, total = 0.0
            for j in 0..<p {
                b += 1 / slopes[j]
                a += stringCurrents[j] - stringVoltages[j] / slopes[j]
                total += stringCurrents[j]
            }
            let mean = stringVoltages.reduce(0, +) / Double(p)
            let powerResidual = power.map { abs(total * mean - $0) } ?? 0
            let allowed = tolerance * Double(layout.series)
            if spread <= allowed && powerResidual <= allowed * max(abs(total), 1e-3 * design.nominalCapacity) {
                finish(iterations: iteration, balancingPower: balancingPower, dt: dt)
                return outputs
            }
            let voltage: Double
            if let power {
                let discriminant = a * a + 4 * b * power
                guard discriminant >= 0 else {
                    for cell in cells { cell.restoreState() }
                    throw .infeasiblePower(watts: power, maximum: a * a / (-4 * b))
                }
                voltage = (-a - discriminant.squareRoot()) / (2 * b)
            } else {
                voltage = (current - a) / b
            }
            for j in 0..<p {
                previousCurrents[j] = stringCurrents[j]
                previousVoltages[j] = stringVoltages[j]
                stringCurrents[j] += (voltage - stringVoltages[j]) / slopes[j]
            }
        }
        for cell in cells { cell.restoreState() }
        slopesKnown = false
        throw .solveDiverged(t: cellOutputs[0].time, voltageSpread: spread, iterations: maxIterations)
    }

    /// Advances every cell of string `j` by `dt` at the string current plus its bleed (from the saved start state
    /// when `restore`), stores their outputs and returns the string voltage.
    private func evaluate(string j: Int, current: Double, dt: Double, restore: Bool) throws(PackError) -> Double {
        var voltage = 0.0
        for position in 0..<layout.series {
            let k = layout.cellIndex(string: j, position: position)
            let cell = cells[k]
            do throws(ModelError) {
                if restore { cell.restoreState() }
                try cell.begin(.current(current + bleed[k]))
                _ = try cell.advance(by: dt, events: [])
            } catch {
                for c in cells { c.restoreState() }
                slopesKnown = false
                throw .cell(index: k, error)
            }
            voltage += handles[k].voltage
        }
        guard voltage.isFinite else {
            for c in cells { c.restoreState() }
            slopesKnown = false
            throw .cell(index: j * layout.series, .nonFinite(variable: "string voltage", t: cellOutputs[0].time))
        }
        return voltage
    }

    /// Switches the bleed resistors from the start-of-step cell voltages; returns the power they dissipate [W].
    private func setBleed(discharging: Bool) -> Double {
        for k in bleed.indices { bleed[k] = 0 }
        guard let balancing, !discharging || balancing.duringDischarge else { return 0 }
        var dissipated = 0.0
        for j in 0..<layout.parallel {
            var lowest = Double.infinity
            for position in 0..<layout.series {
                lowest = min(lowest, cellOutputs[layout.cellIndex(string: j, position: position)].voltage)
            }
            for position in 0..<layout.series {
                let k = layout.cellIndex(string: j, position: position)
                let v = cellOutputs[k].voltage
                if v - lowest > balancing.threshold {
                    bleed[k] = v / balancing.resistance
                    dissipated += v * bleed[k]
                }
            }
        }
        return dissipated
    }

    private func finish(iterations: Int, balancingPower: Double, dt: Double) {
        for k in cells.indices { cellOutputs[k] = cells[k].outputs }
        outputs.balancingEnergy += balancingPower * dt
        summarise(iterations: iterations, balancingPower: balancingPower)
    }
}
