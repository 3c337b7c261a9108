import Control

/// The `mpc` allocator: Control's `FleetMPC` over the devices' `FleetPackModel`s (``SafeBounds/packModel``), the
/// first step of its plan projected onto the safe bounds.
///
/// The plan covers `horizon` allocation periods of the demand and its forecast (a shorter forecast repeats its
/// last value), weighing tracking, ohmic losses and throughput with ``AllocationPrices``; it is warm-started from
/// the last plan while the device set is unchanged. Devices with no power either way (limits of 0 W) are left out
/// of the plan and get 0 W.
///
/// **Fallback**: when the ADMM solver fails (iteration limit, a numerical failure), the period is allocated by
/// Control's `OneStepAllocation` — the H = 1 problem solved exactly by water-filling, with the same loss and
/// degradation weights — and the result says so in ``AllocationResult/fallback``.
///
/// Default horizon: 8 periods. The plan's cost grows faster than linearly with the horizon (each pack's SoC rows
/// couple all earlier steps); for 10,000 devices, measured in release on one core with `pulse coordinator
/// --time-allocation 10000` (cold start / warm start): H = 4: 61 / 21 ms, H = 8: 186 / 69 ms, H = 16: 759 / 367 ms,
/// H = 24: 1559 / 1083 ms. H = 8 leaves most of a 1 s period for publishing 10,000 commands (docs/coordinator.md).
public final class MPCAllocator: FleetAllocator {
    public let name = "mpc"
    public let prices: AllocationPrices
    public let mpc: FleetMPC
    /// The default horizon [periods].
    public static let defaultHorizon = 8
    /// ADMM iterations allowed per plan before the fallback takes over.
    public static let defaultMaximumIterations = 400
    private var lastDevices: [Int] = []
    /// Plans that fell back to the one-step allocation so far.
    public private(set) var fallbacks = 0

    public init(horizon: Int = MPCAllocator.defaultHorizon, prices: AllocationPrices = AllocationPrices(),
                maximumIterations: Int = MPCAllocator.defaultMaximumIterations) throws(CoordinatorError) {
        guard (1...1000).contains(horizon) else { throw .invalidConfiguration("the MPC horizon \(horizon) is not in 1...1000 periods") }
        guard maximumIterations >= 1 else { throw .invalidConfiguration("the MPC iteration limit \(maximumIterations) must be positive") }
        var settings = FleetMPC.defaultSettings
        settings.maxIterations = maximumIterations
        mpc = FleetMPC(horizon: horizon, settings: settings)
        self.prices = prices
    }

    public func allocate(_ problem: AllocationProblem) throws(CoordinatorError) -> AllocationResult {
        let models = problem.devices.map { SafeBounds.packModel($0, degradationPrice: prices.degradationPerWh) }
        let (lower, upper) = SafeBounds.bounds(models, demand: problem.demand, period: problem.period)
        let usable = models.indices.filter { max(models[$0].maxDischargePower, models[$0].maxChargePower) >= 1 }
        var proposal = [Double](repeating: 0, count: models.count)
        guard !usable.isEmpty else {
            return try SafeBounds.project(proposal, lower: lower, upper: upper, demand: problem.demand, allocator: name)
        }
        let indices = usable.map { problem.devices[$0].index }
        if indices != lastDevices { mpc.reset(); lastDevices = indices }
        let plan: [[Double]]
        do {
            plan = try mpc.plan(packs: usable.map { models[$0] }, demand: [problem.demand] + problem.forecast,
                                dt: problem.period, trackingPrice: prices.tracking, energyPrice: prices.energy)
        } catch {
            return try fallback(models, lower: lower, upper: upper, problem: problem, reason: error)
        }
        for (k, i) in usable.enumerated() { proposal[i] = plan[0][k] }
        return try SafeBounds.project(proposal, lower: lower, upper: upper, demand: problem.demand, allocator: name)
    }

    /// The exact one-step allocation, when the MPC failed with `reason`.
    private func fallback(_ models: [FleetPackModel], lower: [Double], upper: [Double], problem: AllocationProblem,
                          reason: ControlError) throws(CoordinatorError) -> AllocationResult {
        fallbacks += 1
        mpc.reset()
        let exact: SeparableAllocation.Solution
        do {
            exact = try OneStepAllocation.allocate(models, demand: problem.demand, dt: problem.period, energyPrice: prices.energy)
        } catch {
            throw CoordinatorError(error, allocator: name)
        }
        return try SafeBounds.project(exact.x, lower: lower, upper: upper, demand: problem.demand, allocator: name,
                                      fallback: "one-step exact allocation (the MPC failed: \(reason))")
    }
}
