#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Electrochemistry
import Control
import Gym
import SeededRandom

/// `PulseBMS/FleetDispatch-v0`: N heterogeneous second-life packs together follow a site power request.
///
/// - **Fleet** (``FleetSite``): `packs` packs (default 16) sampled from the `preset` fleet spec (default
///   `mixed-lfp-nmc-64`) with `fleet_seed`, at `fidelity` ecm (default), spm or spme, lumped thermal.
/// - **Demand** (``SiteDemand``): `demand` = `peak-shaving` (default) or `load-following`, seeded per episode,
///   scaled to `demand_scale` × the fleet's rated power with at most `demand_energy_share` of its energy moved
///   in a day; or `demand_csv`. Step `dt` = 60 s, episode
///   `episode_hours` = 24 h, then truncated.
/// - **Action**: one weight in [0, 1] per pack. The request is split in proportion to the weights (all zero:
///   equally), each pack capped at its rated power, the excess passed on by weight (``Allocation``). Why
///   weights: a split of the demand is what a dispatcher decides, and a per-pack score from one network with
///   shared weights applied to each pack's features (observation layout below) yields such weights for any N.
/// - **Observation**: 4 site features — demand now and next step over rated power, sin and cos of the hour of
///   day — then 10 features per pack (``FleetSite/packFeatureNames``): the layout is `[site | pack 1 | … | pack N]`,
///   given in `info["layout"]` at reset as [site features, per-pack features, packs]; `info["episode_steps"]` gives
///   the episode length.
/// - **Reward** [currency]: −(`tracking_price` × |request − delivered| energy + degradation cost + `energy_price`
///   × losses). Degradation: capacity lost by the BLAST-Lite model of each pack's chemistry, priced at
///   `degradation_cost` per kWh of capacity (per A.h through each pack's nominal voltage).
/// - **Costs** (per step, Safety-Gymnasium style, each the number of packs in violation): `voltage`, `current`,
///   `temperature`, `soc` (see ``FleetSite``), and `degradation` (a pack's fade rate above `degradation_limit`
///   per day over an aging chunk, counted at the step the chunk closes). `info["pack_costs"]` splits them by pack:
///   entry i · 5 + j is 1 if pack i violated component j this step (zeros at reset), so that a learner can credit
///   each pack's action with its own violations.
public final class FleetDispatchEnvironment: Environment {
    public static let optionNames = FleetSite.optionNames + ["demand", "demand_csv", "demand_scale", "peak_threshold", "demand_energy_share",
                                                             "tracking_price", "energy_price", "episode_hours"]
    public let observationSpace: Space
    public let actionSpace: Space
    public let costNames = FleetSite.costNames
    public var spec: EnvironmentSpec?
    /// The packs of the present episode's fleet, as sampled (chemistry, layout, health, aging model).
    public var packs: [SampledPack] { site.sampled }

    let site: FleetSite
    let demand: SiteDemand
    let trackingPrice, energyPrice: Double
    let episodeSteps: Int
    private var rng = Xoshiro256StarStar(seed: 0)
    private var requests: [Double] = []
    private var stepIndex = 0
    private var active = false

    public init(options: Options = [:]) throws(GymError) {
        try options.checkKnown(Self.optionNames)
        site = try FleetSite(options: options)
        if case let .string(path)? = options["demand_csv"] {
            demand = try SiteDemand(csv: path)
        } else {
            let kind = try options.string("demand", default: "peak-shaving", oneOf: SiteDemand.Kind.allCases.map(\.rawValue))
            demand = SiteDemand(kind: SiteDemand.Kind(rawValue: kind)!, scale: try options.double("demand_scale", default: 0.5, in: 0...2),
                                peakThreshold: try options.double("peak_threshold", default: 0.6, in: 0.05...0.95),
                                energyShare: try options.double("demand_energy_share", default: 0.3, in: 0.01...1))
        }
        trackingPrice = try options.double("tracking_price", default: 0.5, in: 0...1e6)
        energyPrice = try options.double("energy_price", default: 0.1, in: 0...1e6)
        let hours = try options.double("episode_hours", default: 24, in: 0.1...8760)
        episodeSteps = max(1, Int((hours * 3600 / site.dt).rounded()))
        let n = site.count, width = 4 + FleetSite.packFeatureNames.count * n
        observationSpace = .box(try Box(low: -10, high: 10, count: width))
        actionSpace = .box(try Box(low: 0, high: 1, count: n))
    }

    public func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        try options.checkKnown([])
        if let seed { rng = Xoshiro256StarStar(seed: seed) }
        try site.reset(rng: &rng)
        requests = demand.series(steps: episodeSteps + 1, dt: site.dt, ratedPower: site.totalRatedPower,
                                 energy: site.totalEnergy, rng: &rng)
        stepIndex = 0; active = true
        return (observation(), ["layout": .vector([4, Double(FleetSite.packFeatureNames.count), Double(site.count)]),
                                "rated_power_w": .number(site.totalRatedPower), "episode_steps": .number(Double(episodeSteps)),
                                "pack_costs": .vector([Double](repeating: 0, count: site.count * FleetSite.costNames.count))])
    }

    public func step(_ action: [Double]) throws(GymError) -> Transition {
        guard active else { throw .needsReset("step before reset or after the episode ended") }
        guard actionSpace.contains(action) else { throw .invalidAction("expected \(site.count) weights in [0, 1]") }
        let request = requests[stepIndex]
        let powers = Allocation.split(demand: request, weights: action, caps: site.ratedPower)
        stepIndex += 1
        let last = stepIndex >= episodeSteps
        let out = try site.step(powers: powers, finishAging: last)
        let mismatch = abs(request - out.delivered) * site.dt / 3.6e6
        let reward = -(trackingPrice * mismatch + out.degradationCost + energyPrice * out.losses)
        if last { active = false }
        return Transition(observation: observation(), reward: reward,
                          costs: out.costs, terminated: false, truncated: last,
                          info: ["pack_costs": .vector(out.packCosts), "request_w": .number(request), "delivered_w": .number(out.delivered),
                                 "tracking_kwh": .number(mismatch), "losses_kwh": .number(out.losses),
                                 "degradation_cost": .number(out.degradationCost), "capacity_lost_ah": .number(out.capacityLost)])
    }

    /// The site request [W] for the next `steps` steps from now (the schedule the site operator forecasts; the
    /// last value repeats past the episode's end).
    public func demandForecast(steps: Int) -> [Double] {
        guard !requests.isEmpty else { return [] }
        return (0..<max(0, steps)).map { requests[min(stepIndex + $0, requests.count - 1)] }
    }

    private func observation() -> [Double] {
        var o: [Double] = []
        o.reserveCapacity(4 + FleetSite.packFeatureNames.count * site.count)
        let rated = max(site.totalRatedPower, 1e-9)
        let k = min(stepIndex, requests.count - 1)
        let hour = Double(stepIndex) * site.dt / 3600
        o.append(requests[k] / rated); o.append(requests[min(k + 1, requests.count - 1)] / rated)
        o.append(sin(2 * .pi * hour / 24)); o.append(cos(2 * .pi * hour / 24))
        for i in 0..<site.count { site.features(i, into: &o) }
        for i in o.indices { o[i] = min(max(o[i], -10), 10) }
        return o
    }
}
