/// Receding-horizon allocation of a site power request over a fleet (the MPC of the coordinator and the
/// `mpc` controller of the fleet environments).
///
/// Over H steps of `dt` ahead, with the request forecast Dₜ, choose each pack's power pᵢ,ₜ (+ discharge) to
/// ```
/// minimise  Σₜ [ W (Σᵢ pᵢ,ₜ − Dₜ)²/P² + Σᵢ ℓᵢ pᵢ,ₜ² + cᵢ |pᵢ,ₜ| ]
/// subject to  pᵢ,ₜ within the pack's power limits, with the sign of Dₜ (no energy shuffled between packs),
///             SoCᵢ,ₜ = SoCᵢ,₀ − Σ_{k≤t} κᵢ,ₖ pᵢ,ₖ dt / Eᵢ  within [SoC_min, SoC_max]
/// ```
/// - Tracking: quadratic, W = `trackingPrice` × (fleet energy of one rated step) / δ, so that a mismatch of δ
///   (default 1 %) of the rated power costs what the environment's linear price charges for it: the request is
///   followed whenever the limits allow.
/// - Losses: ℓᵢ = `energyPrice` × Rᵢ (P/V)² dt — the ohmic loss, quadratic in power.
/// - Degradation: linear in throughput, cᵢ = the aging model's price per Wh (``FleetPackModel/degradationPrice``);
///   |p| is linear because the sign of every pᵢ,ₜ is fixed by Dₜ.
/// - Energy dynamics: κ = 1 + R·P/V² on discharge, 1 − R·P/V² on charge (first-order ohmic efficiency).
/// - The window is narrowed by ``socMargin`` (0.5 %); a window that already excludes the present SoC is widened to
///   include it, so that p = 0 is always feasible.
/// Solved with ``QPSolver`` on the structured ``FleetHorizonOperator``, warm-started from the last plan shifted by
/// one step. Variables are normalised by each pack's rated power.
public final class FleetMPC {
    public var horizon: Int
    /// Mismatch (share of the fleet's rated power) at which the quadratic tracking cost equals the linear one.
    public var trackingTolerance: Double
    /// Plans keep each SoC this far inside its window, so that the solver's tolerance and the model's first-order
    /// energy balance do not leave a pack a hair outside it.
    public var socMargin: Double
    public var solver: QPSolver
    private var last: (packs: Int, x: [Double], y: [Double])?
    /// Solver iterations of the last plan.
    public private(set) var lastIterations = 0

    /// ADMM settings for the plans: tolerances of 10⁻⁴ of the normalised (per rated power) problem.
    public static var defaultSettings: QPSettings {
        var s = QPSettings()
        s.epsAbs = 1e-4; s.epsRel = 1e-4
        return s
    }

    public init(horizon: Int = 24, trackingTolerance: Double = 0.01, socMargin: Double = 0.005,
                settings: QPSettings = FleetMPC.defaultSettings) {
        self.horizon = horizon
        self.socMargin = socMargin
        self.trackingTolerance = trackingTolerance
        solver = QPSolver(settings: settings)
    }

    /// Forgets the warm start and the adapted ADMM step (a new episode).
    public func reset() { last = nil; solver.reset() }

    /// The plan: `plan[t][i]`, pack i's power [W] at step t, for `horizon` steps. `demand` is the request
    /// forecast [W] from now on; a shorter forecast is extended with its last value.
    public func plan(packs: [FleetPackModel], demand: [Double], dt: Double, trackingPrice: Double,
                     energyPrice: Double) throws(ControlError) -> [[Double]] {
        let n = packs.count, h = horizon
        guard n > 0, h > 0, !demand.isEmpty, dt > 0 else {
            throw .invalidProblem("the MPC needs packs, a horizon, a demand forecast and a positive step")
        }
        let total = packs.reduce(0) { $0 + $1.ratedPower }
        let d = (0..<h).map { demand[min($0, demand.count - 1)] / total }
        let stepEnergy = total * dt / 3.6e6
        // The objective is divided by the tracking weight (so that term has weight 1) and each pack's SoC rows by
        // the SoC one full-power step moves, so that every row and the objective are of order one for ADMM.
        let scale = max(trackingPrice, 1e-6) * stepEnergy / trackingTolerance
        let tracking = 1.0
        var shares = [Double](), losses = [Double](), maps = [Double](repeating: 0, count: n * h * h)
        var q = [Double](repeating: 0, count: n * h)
        var lower = [Double](repeating: 0, count: 2 * n * h), upper = lower
        for (i, pack) in packs.enumerated() {
            let rated = pack.ratedPower, v = max(pack.nominalVoltage, 1e-9)
            shares.append(rated / total)
            losses.append(energyPrice * pack.resistance * (rated / v) * (rated / v) * dt / 3.6e6 / scale)
            let price = pack.degradationPrice * rated * dt / 3600 / scale
            let rowScale = max(pack.energy, 1e-9) / (rated * dt / 3600)   // 1 / (SoC per full-power step)
            let socLow = min(pack.socMin + socMargin, pack.stateOfCharge) - pack.stateOfCharge
            let socHigh = max(pack.socMax - socMargin, pack.stateOfCharge) - pack.stateOfCharge
            for t in 0..<h {
                let discharging = d[t] >= 0
                q[i * h + t] = -2 * tracking * shares[i] * d[t] + (discharging ? price : -price)
                let row = 2 * i * h
                lower[row + t] = discharging ? 0 : -pack.maxChargePower / rated
                upper[row + t] = discharging ? pack.maxDischargePower / rated : 0
                lower[row + h + t] = socLow * rowScale
                upper[row + h + t] = socHigh * rowScale
                let factor = discharging ? pack.dischargeFactor : pack.chargeFactor
                let perUnit = -factor
                for later in t..<h { maps[i * h * h + later * h + t] = perUnit }
            }
        }
        var op = FleetHorizonOperator(shares: shares, losses: losses, tracking: tracking, socMaps: maps, horizon: h)
        var warm: (x: [Double], y: [Double])?
        if let last, last.packs == n, last.x.count == n * h {
            // Shift the last plan by one step, repeating its final step.
            var x = last.x, y = last.y
            for i in 0..<n {
                for t in 0..<(h - 1) { x[i * h + t] = last.x[i * h + t + 1] }
                for t in 0..<(h - 1) {
                    y[2 * i * h + t] = last.y[2 * i * h + t + 1]
                    y[2 * i * h + h + t] = last.y[2 * i * h + h + t + 1]
                }
            }
            warm = (x, y)
        }
        let solution = try solver.solve(&op, q: q, l: lower, u: upper, warmStart: warm)
        last = (n, solution.x, solution.y)
        lastIterations = solution.iterations
        return (0..<h).map { t in (0..<n).map { i in
            min(max(solution.x[i * h + t], lower[2 * i * h + t]), upper[2 * i * h + t]) * packs[i].ratedPower
        } }
    }
}
