import Control
import Gym

/// The safety layer as a wrapper of ``FleetDispatchEnvironment`` or ``FleetArbitrageEnvironment``: every action is
/// projected (``SafetyProjection``) onto what keeps each pack within its power limit (rated power, current limit and
/// cell voltage limits, probed on its cell model: ``FleetSite/packModels()``) and the energy left to its SoC window for
/// the next step — and, for dispatch, still meets the request where the fleet can — before the environment runs it.
///
/// A policy behind the layer must still learn what is unsafe, so the transition reports the **cost of the proposal**:
/// per component, the larger of the costs the environment incurred and those the proposal would have caused as
/// the projection predicts them (a pack pushed past its power limit counts under `current`, or under `voltage` where
/// the cell voltage limit set it; past its SoC headroom under `soc`). `info` adds `executed_costs`,
/// `proposal_costs`, `projection_change_w` (Euclidean) and `projected_packs`.
public final class SafetyLayer: Wrapper {
    private enum Target { case dispatch(FleetDispatchEnvironment), arbitrage(FleetArbitrageEnvironment) }
    private let target: Target
    /// The layer stops each pack this far inside its SoC window: the one-step energy model is first order.
    static let socMargin = 0.005

    public init(_ base: any Environment) throws(GymError) {
        switch base.unwrapped {
        case let env as FleetDispatchEnvironment: target = .dispatch(env)
        case let env as FleetArbitrageEnvironment: target = .arbitrage(env)
        default: throw .invalidOption(name: "safety layer", reason: "it wraps FleetDispatch-v0 and FleetArbitrage-v0 only")
        }
        super.init(wrapping: base)
    }

    override public func step(_ action: [Double]) throws(GymError) -> Transition {
        guard base.actionSpace.contains(action) else { throw .invalidAction("the action is outside the action space") }
        let site: FleetSite, proposal: [Double], demand: Double?
        switch target {
        case let .dispatch(env):
            site = env.site
            demand = env.demandForecast(steps: 1).first ?? 0
            proposal = Allocation.split(demand: demand!, weights: action, caps: site.ratedPower)
        case let .arbitrage(env):
            site = env.site
            demand = nil
            proposal = (0..<site.count).map { action[$0] * site.ratedPower[$0] }
        }
        let packs = site.packModels()
        let upper = OneStepAllocation.bounds(packs, demand: 1, dt: site.dt, margin: Self.socMargin).upper
        let lower = OneStepAllocation.bounds(packs, demand: -1, dt: site.dt, margin: Self.socMargin).lower
        var predicted = [Double](repeating: 0, count: FleetSite.costNames.count)
        let voltage = FleetSite.costNames.firstIndex(of: "voltage")!, current = FleetSite.costNames.firstIndex(of: "current")!
        let soc = FleetSite.costNames.firstIndex(of: "soc")!
        for (i, pack) in packs.enumerated() {
            if proposal[i] > pack.maxDischargePower * (1 + 1e-9) {
                predicted[site.voltageLimited[i].discharge ? voltage : current] += 1
            } else if -proposal[i] > pack.maxChargePower * (1 + 1e-9) {
                predicted[site.voltageLimited[i].charge ? voltage : current] += 1
            } else if proposal[i] > upper[i] * (1 + 1e-9) + 1e-9 || proposal[i] < lower[i] * (1 + 1e-9) - 1e-9 {
                predicted[soc] += 1
            }
        }
        let projected: SafetyProjection.Result
        do { projected = try SafetyProjection.project(proposal, lower: lower, upper: upper, demand: demand) }
        catch { throw .simulation("safety projection: \(error)") }
        let safeAction: [Double]
        switch target {
        case .dispatch:
            let largest = projected.allocation.map(abs).max() ?? 0
            safeAction = projected.allocation.map { largest > 0 ? min(1, abs($0) / largest) : 0 }
        case .arbitrage:
            safeAction = (0..<site.count).map { min(1, max(-1, projected.allocation[$0] / max(site.ratedPower[$0], 1e-9))) }
        }
        var t = try base.step(safeAction)
        let executed = t.costs
        t.costs = zip(executed, predicted).map { max($0, $1) }
        t.info["executed_costs"] = .vector(executed)
        t.info["proposal_costs"] = .vector(predicted)
        t.info["projection_change_w"] = .number(projected.change)
        t.info["projected_packs"] = .number(Double(projected.changedPacks))
        return t
    }
}
