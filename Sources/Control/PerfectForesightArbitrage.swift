import LinearAlgebra

/// The perfect-foresight optimum of fleet energy arbitrage over a known price trace: the upper bound that RL and
/// heuristic results on `FleetArbitrage-v0` are stated as a fraction of.
///
/// Per pack (the packs do not interact without a site limit) and per block b of `blockSeconds` at price πᵦ, choose
/// the discharge dᵦ ≥ 0 and charge cᵦ ≥ 0 power to
/// ```
/// maximise   Σᵦ (πᵦ (dᵦ − cᵦ) − γ (dᵦ + cᵦ)) Δ        (revenue at the terminals minus the throughput price γ)
/// subject to 0 ≤ dᵦ ≤ P_dis,  0 ≤ cᵦ ≤ P_ch,
///            SoC_min ≤ SoC₀ − Σ_{k≤b} (κ_d dₖ − κ_c cₖ) Δ / E ≤ SoC_max
/// ```
/// with the first-order efficiencies κ of ``FleetPackModel``: a linear programme, solved with ``QPSolver`` on a
/// ``DenseQuadraticProgram`` with a 10⁻⁹ relative proximal term (so the optimum is unique), and polished to the
/// vertex (``QPSolver/solvePolished(_:q:l:u:delta:refinements:)``). With hourly prices and
/// hourly blocks the block optimum is the optimum of any finer schedule under the same first-order model: within a
/// block at constant price only the block's energy matters.
public enum PerfectForesightArbitrage {
    public struct Plan: Sendable {
        /// `powers[i][b]`: pack i's net power [W] (+ discharge) in block b.
        public var powers: [[Double]]
        /// Revenue and throughput cost [currency] of the plan, and their difference.
        public var revenue: Double, degradation: Double
        public var profit: Double { revenue - degradation }
    }

    /// The optimum for `prices` [currency/MWh] per block of `blockSeconds`.
    public static func solve(packs: [FleetPackModel], prices: [Double], blockSeconds: Double,
                             settings: QPSettings = Self.defaultSettings) throws(ControlError) -> Plan {
        guard !prices.isEmpty, prices.allSatisfy(\.isFinite), blockSeconds > 0 else {
            throw .invalidProblem("the arbitrage optimum needs finite prices and a positive block length")
        }
        var powers: [[Double]] = [], revenue = 0.0, degradation = 0.0
        for pack in packs {
            let plan = try solveOne(pack, prices: prices, block: blockSeconds, settings: settings)
            for (b, p) in plan.enumerated() {
                revenue += prices[b] * p * blockSeconds / 3.6e9
                degradation += pack.degradationPrice * abs(p) * blockSeconds / 3600
            }
            powers.append(plan)
        }
        return Plan(powers: powers, revenue: revenue, degradation: degradation)
    }

    /// Tighter than the MPC's: the optimum is a bound results are compared with.
    public static var defaultSettings: QPSettings {
        var s = QPSettings()
        s.epsAbs = 1e-7; s.epsRel = 1e-7; s.maxIterations = 20_000
        return s
    }

    /// One pack's net power per block; variables are d and c over the pack's rated power.
    static func solveOne(_ pack: FleetPackModel, prices: [Double], block: Double, settings: QPSettings) throws(ControlError) -> [Double] {
        let h = prices.count, n = 2 * h, rated = pack.ratedPower
        let energyPerUnit = rated * block / 3600 / max(pack.energy, 1e-9)   // SoC per unit power per block
        var q = [Double](repeating: 0, count: n)
        // Minimise the negative profit per unit power and block, scaled to order one by the largest price.
        let scale = max(prices.map(abs).max() ?? 1, 1e-9) * rated * block / 3.6e9
        for b in 0..<h {
            let unitRevenue = prices[b] * rated * block / 3.6e9, unitWear = pack.degradationPrice * rated * block / 3600
            q[b] = -(unitRevenue - unitWear) / scale
            q[h + b] = (unitRevenue + unitWear) / scale
        }
        var p = Matrix<Double>(rows: n, columns: n)
        for i in 0..<n { p[i, i] = 1e-9 }
        var a = Matrix<Double>(rows: n + h, columns: n)
        var lower = [Double](repeating: 0, count: n + h), upper = lower
        for i in 0..<n { a[i, i] = 1 }
        for b in 0..<h {
            upper[b] = pack.maxDischargePower / rated
            upper[h + b] = pack.maxChargePower / rated
            for k in 0...b {
                a[n + b, k] = -pack.dischargeFactor * energyPerUnit
                a[n + b, h + k] = pack.chargeFactor * energyPerUnit
            }
            lower[n + b] = min(pack.socMin, pack.stateOfCharge) - pack.stateOfCharge
            upper[n + b] = max(pack.socMax, pack.stateOfCharge) - pack.stateOfCharge
        }
        var op = try DenseQuadraticProgram(P: p, A: a)
        var solver = QPSolver(settings: settings)
        let x = try solver.solvePolished(&op, q: q, l: lower, u: upper).x
        var net = [Double](repeating: 0, count: h)
        for b in 0..<h {
            let discharge = min(max(x[b], 0), upper[b]), charge = min(max(x[h + b], 0), upper[h + b])
            net[b] = (discharge - charge) * rated
        }
        return net
    }
}
