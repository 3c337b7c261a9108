import Control
import Gym

/// The MPC controller of ``FleetDispatchEnvironment`` (`--controller mpc`): every step it plans the next
/// `horizon` steps with ``FleetMPC`` — following the site's request schedule (``FleetDispatchEnvironment/demandForecast(steps:)``)
/// at the least loss and degradation within every pack's power and SoC limits, with per-pack parameters identified
/// from the cell and aging models (``FleetSite/packModels()``) — and applies the first step, as weights
/// proportional to the planned powers. If the QP fails it falls back to the one-step allocation
/// (``OneStepAllocation``), and if that fails to the proportional baseline.
public final class ModelPredictiveDispatch: Controller {
    let environment: FleetDispatchEnvironment
    public let mpc: FleetMPC
    /// Steps the QP failed and a fallback was used.
    public private(set) var fallbacks = 0

    /// The last resort: the proportional baseline, rebuilt at each reset for the episode's fleet.
    private var proportional: ProportionalDispatch

    public init(environment: FleetDispatchEnvironment, horizon: Int = 24) {
        self.environment = environment
        mpc = FleetMPC(horizon: horizon)
        proportional = Self.baseline(for: environment.site)
    }

    private static func baseline(for site: FleetSite) -> ProportionalDispatch {
        ProportionalDispatch(ratedPower: site.ratedPower, siteFeatures: 4, packFeatures: FleetSite.packFeatureNames.count)
    }

    public func reset(observation: [Double], info: Info) {
        mpc.reset()
        proportional = Self.baseline(for: environment.site)
    }

    public func action(for observation: [Double]) -> [Double] {
        let site = environment.site
        let packs = site.packModels()
        let forecast = environment.demandForecast(steps: mpc.horizon)
        let powers: [Double]
        do {
            powers = try mpc.plan(packs: packs, demand: forecast, dt: site.dt, trackingPrice: environment.trackingPrice,
                                  energyPrice: environment.energyPrice)[0]
        } catch {
            fallbacks += 1
            guard let step = try? OneStepAllocation.allocate(packs, demand: forecast.first ?? 0, dt: site.dt,
                                                              energyPrice: environment.energyPrice) else {
                return proportional.action(for: observation)
            }
            powers = step.x
        }
        let largest = powers.map(abs).max() ?? 0
        guard largest > 0 else { return Array(repeating: 0, count: powers.count) }
        return powers.map { min(1, max(0, abs($0) / largest)) }
    }
}
