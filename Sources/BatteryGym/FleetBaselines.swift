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

/// The FleetArbitrage baseline: every pack sells at `powerFraction` of its rated power (default 0.5, a
/// two-hour rate that keeps second-life packs clear of their voltage, current and temperature limits) in the
/// day's most expensive `band` of hours and buys in the cheapest `band`, as far as its SoC headroom allows, and
/// idles otherwise. Like a CC-CV charger, it tapers the power linearly to zero over the last `taper` of the
/// normalised voltage window (the pack feature `voltage`) in the direction it is going.
public final class PriceThresholdArbitrage: Controller {
    let packCount: Int, siteFeatures: Int, packFeatures: Int
    let band: Double, powerFraction: Double, taper: Double

    init(packCount: Int, siteFeatures: Int, packFeatures: Int, band: Double = 0.25, powerFraction: Double = 0.5,
         taper: Double = 0.05) {
        self.packCount = packCount; self.siteFeatures = siteFeatures; self.packFeatures = packFeatures; self.band = band
        self.powerFraction = powerFraction; self.taper = taper
    }

    public func reset(observation: [Double], info: Info) {}

    public func action(for observation: [Double]) -> [Double] {
        let rank = observation[4]
        return (0..<packCount).map { i in
            let base = siteFeatures + i * packFeatures
            let voltage = observation[base + 3]
            if rank >= 1 - band { return min(powerFraction, observation[base + 4]) * min(1, max(0, voltage / taper)) }
            if rank <= band { return -min(powerFraction, observation[base + 5]) * min(1, max(0, (1 - voltage) / taper)) }
            return 0
        }
    }
}
