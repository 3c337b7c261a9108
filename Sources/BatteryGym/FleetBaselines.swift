import Gym

/// The FleetDispatch baseline: split the request in proportion to each pack's available power in the request's
/// direction — its headroom (energy to its SoC limit over one step, capped at rated power) times its rated
/// power — the "proportional to available energy and headroom" rule of site controllers.
public final class ProportionalDispatch: Controller {
    let ratedPower: [Double]
    let siteFeatures: Int
    let packFeatures: Int

    init(ratedPower: [Double], siteFeatures: Int, packFeatures: Int) {
        self.ratedPower = ratedPower; self.siteFeatures = siteFeatures; self.packFeatures = packFeatures
    }

    public func reset(observation: [Double], info: Info) {}

    public func action(for observation: [Double]) -> [Double] {
        let discharging = observation[0] >= 0
        let top = ratedPower.max() ?? 1
        return (0..<ratedPower.count).map { i in
            let base = siteFeatures + i * packFeatures
            let headroom = observation[base + (discharging ? 4 : 5)]
            return min(1, max(0, headroom * ratedPower[i] / top))
        }
    }
}

/// The FleetArbitrage baseline: every pack sells at full rated power in the day's most expensive `band` of
/// hours and buys in the cheapest `band`, as far as its SoC headroom allows, and idles otherwise.
public final class PriceThresholdArbitrage: Controller {
    let packCount: Int, siteFeatures: Int, packFeatures: Int
    let band: Double

    init(packCount: Int, siteFeatures: Int, packFeatures: Int, band: Double = 0.25) {
        self.packCount = packCount; self.siteFeatures = siteFeatures; self.packFeatures = packFeatures; self.band = band
    }

    public func reset(observation: [Double], info: Info) {}

    public func action(for observation: [Double]) -> [Double] {
        let rank = observation[4]
        return (0..<packCount).map { i in
            let base = siteFeatures + i * packFeatures
            if rank >= 1 - band { return min(1, observation[base + 4]) }
            if rank <= band { return -min(1, observation[base + 5]) }
            return 0
        }
    }
}
