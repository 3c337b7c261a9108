#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Control
import Electrochemistry
import Gym
import SeededRandom

/// `PulseBMS/FleetArbitrage-v0`: the fleet of ``FleetDispatchEnvironment`` trades energy against a price.
///
/// - **Fleet and costs**: as FleetDispatch (``FleetSite``: `packs`, `preset`, `fidelity`, limits, aging).
/// - **Price** (``PriceSignal``): day-ahead-like hourly prices around `price_mean` [currency/MWh], seeded per
///   episode, or `price_csv`. Day-ahead prices are known for the whole day, so the observation includes
///   where the present price ranks within the day.
/// - **Action**: one number per pack in [−1, 1], its power as a share of its rated power (+ discharge, sell;
///   − charge, buy). One network with shared weights maps each pack's features (plus the site features) to its
///   own action, so the policy serves any N.
/// - **Observation**: 6 site features — price now and next hour over the mean, the day's lowest and highest
///   remaining price over the mean, the rank of the present price within the day in [0, 1], and the hour of day
///   as 0…1 — then the 10 per-pack features of ``FleetSite/packFeatureNames``.
/// - **Reward** [currency]: price × energy delivered at the terminals (bought energy negative), minus the
///   degradation cost. Losses need no separate term: they are energy not delivered.
/// - **Costs**: `voltage`, `current`, `temperature`, `soc`, `degradation`, and `info["pack_costs"]`, as FleetDispatch.
public final class FleetArbitrageEnvironment: Environment {
    public static let optionNames = FleetSite.optionNames + ["price_mean", "price_csv", "episode_hours"]
    static let siteFeatureCount = 6
    public let observationSpace: Space
    public let actionSpace: Space
    public let costNames = FleetSite.costNames
    public var spec: EnvironmentSpec?

    let site: FleetSite
    let price: PriceSignal
    let episodeSteps: Int
    private var rng = Xoshiro256StarStar(seed: 0)
    private(set) var prices: [Double] = []
    private var stepIndex = 0
    private var active = false

    public init(options: Options = [:]) throws(GymError) {
        try options.checkKnown(Self.optionNames)
        site = try FleetSite(options: options)
        if case let .string(path)? = options["price_csv"] { price = try PriceSignal(csv: path) }
        else { price = PriceSignal(mean: try options.double("price_mean", default: 60, in: 0.01...1e5)) }
        let hours = try options.double("episode_hours", default: 24, in: 0.1...8760)
        episodeSteps = max(1, Int((hours * 3600 / site.dt).rounded()))
        let width = Self.siteFeatureCount + FleetSite.packFeatureNames.count * site.count
        observationSpace = .box(try Box(low: -10, high: 10, count: width))
        actionSpace = .box(try Box(low: -1, high: 1, count: site.count))
    }

    public func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        try options.checkKnown([])
        if let seed { rng = Xoshiro256StarStar(seed: seed) }
        try site.reset(rng: &rng)
        prices = price.series(steps: episodeSteps + 1, dt: site.dt, rng: &rng)
        stepIndex = 0; active = true
        return (observation(), ["layout": .vector([Double(Self.siteFeatureCount), Double(FleetSite.packFeatureNames.count),
                                                   Double(site.count)]), "episode_steps": .number(Double(episodeSteps)),
                                "pack_costs": .vector([Double](repeating: 0, count: site.count * FleetSite.costNames.count))])
    }

    public func step(_ action: [Double]) throws(GymError) -> Transition {
        guard active else { throw .needsReset("step before reset or after the episode ended") }
        guard actionSpace.contains(action) else { throw .invalidAction("expected \(site.count) numbers in [-1, 1]") }
        let powers = (0..<site.count).map { action[$0] * site.ratedPower[$0] }
        let p = prices[stepIndex]
        stepIndex += 1
        let last = stepIndex >= episodeSteps
        let out = try site.step(powers: powers, finishAging: last)
        let revenue = p * out.delivered * site.dt / 3.6e9  // currency/MWh × MWh
        if last { active = false }
        return Transition(observation: observation(), reward: revenue - out.degradationCost,
                          costs: out.costs, terminated: false, truncated: last,
                          info: ["pack_costs": .vector(out.packCosts), "price": .number(p), "delivered_w": .number(out.delivered), "revenue": .number(revenue),
                                 "degradation_cost": .number(out.degradationCost), "capacity_lost_ah": .number(out.capacityLost)])
    }

    /// The perfect-foresight optimum of the episode from its present state (``PerfectForesightArbitrage``): every
    /// pack's best plan against the episode's remaining prices in hourly blocks (block-averaged), with the pack
    /// parameters identified from the cell and aging models. Its profit is the upper bound a policy's return is
    /// compared with (the first-order model ignores voltage limits, so the bound is optimistic).
    public func perfectForesight() throws(GymError) -> PerfectForesightArbitrage.Plan {
        guard active else { throw .needsReset("the optimum is computed from a reset episode") }
        let perBlock = max(1, Int((3600 / site.dt).rounded()))
        let remaining = Array(prices[stepIndex..<min(prices.count, episodeSteps)])
        let blocks = stride(from: 0, to: remaining.count, by: perBlock).map { start in
            let slice = remaining[start..<min(remaining.count, start + perBlock)]
            return slice.reduce(0, +) / Double(slice.count)
        }
        do { return try PerfectForesightArbitrage.solve(packs: site.packModels(), prices: blocks,
                                                        blockSeconds: Double(perBlock) * site.dt) }
        catch { throw .simulation("perfect-foresight optimum: \(error)") }
    }

    /// The rank of the present price among the day's prices, in [0, 1].
    func priceRank(at k: Int) -> Double {
        let perDay = max(1, Int((86_400 / site.dt).rounded()))
        let start = (k / perDay) * perDay, end = min(prices.count, start + perDay)
        var below = 0
        for j in start..<end where prices[j] < prices[k] { below += 1 }
        return end - start > 1 ? Double(below) / Double(end - start - 1) : 0.5
    }

    private func observation() -> [Double] {
        var o: [Double] = []
        o.reserveCapacity(Self.siteFeatureCount + FleetSite.packFeatureNames.count * site.count)
        let k = min(stepIndex, prices.count - 1), m = max(price.mean, 1e-9)
        let perHour = max(1, Int((3600 / site.dt).rounded())), perDay = max(1, Int((86_400 / site.dt).rounded()))
        let dayEnd = min(prices.count, (k / perDay + 1) * perDay)
        let rest = prices[k..<dayEnd]
        o.append(prices[k] / m); o.append(prices[min(k + perHour, prices.count - 1)] / m)
        o.append((rest.min() ?? prices[k]) / m); o.append((rest.max() ?? prices[k]) / m)
        o.append(priceRank(at: k))
        o.append((Double(stepIndex) * site.dt / 3600).truncatingRemainder(dividingBy: 24) / 24)
        for i in 0..<site.count { site.features(i, into: &o) }
        for i in o.indices { o[i] = min(max(o[i], -10), 10) }
        return o
    }
}
