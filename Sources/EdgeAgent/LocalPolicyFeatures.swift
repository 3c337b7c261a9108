import Electrochemistry

/// The input a fleet policy gets on the device, built from the pack alone.
///
/// A per-pack policy (`per_pack:S,10` in its metadata, as `pulse export` writes for the fleet environments) reads
/// S site features and the 10 pack features of BatteryGym's `FleetSite` (`soc`, `soh`, temperature above 25 °C
/// over 20 K, cell voltage within the window, discharge and charge headroom for a 60 s decision at rated power,
/// one-hot LFP/NMC/LMO, rated-power share), each clipped to ±10. The device knows no site signal, so the site
/// features are 0; it is the only pack, so its rated-power share is 1. A policy of exactly 10 inputs reads the
/// pack features alone. Any other policy is held (its CRC reported) but not run locally.
///
/// Its first action is the pack's power as a share of its rated power, positive on discharge (FleetArbitrage's
/// convention), clamped to [−1, 1].
struct LocalPolicyFeatures: Equatable {
    static let packFeatureCount = 10
    /// The decision interval the headroom features look ahead [s] (the fleet environments' step).
    static let decisionInterval = 60.0
    let siteFeatures: Int

    init?(layout: String?, inputs: Int, actions: Int) {
        guard actions >= 1 else { return nil }
        if inputs == Self.packFeatureCount { siteFeatures = 0; return }
        guard let layout, layout.hasPrefix("per_pack:") else { return nil }
        let numbers = layout.dropFirst("per_pack:".count).split(separator: ",").compactMap { Int($0) }
        // The layout comes from a file received over the network: compare without arithmetic that could overflow.
        guard numbers.count == 2, numbers[1] == Self.packFeatureCount, numbers[0] >= 0,
              numbers[0] == inputs - Self.packFeatureCount else { return nil }
        siteFeatures = numbers[0]
    }

    func observation(pack: EdgePack, socWindow: ClosedRange<Double>, ratedDischargePower: Double) -> [Float] {
        let o = pack.outputs, limits = pack.pack.limits
        let soc = o.stateOfCharge, guardBand = 0.02
        let perSecond = pack.energy * 3600 / Self.decisionInterval / max(ratedDischargePower, 1e-9)
        let chemistry = pack.sampled.chemistry
        let values: [Double] = [
            soc, pack.stateOfHealth, (o.maximumTemperature - 298.15) / 20,
            (o.maximumCellVoltage - limits.minimumVoltage) / (limits.maximumVoltage - limits.minimumVoltage),
            min(1, max(0, (soc - socWindow.lowerBound - guardBand) * perSecond)),
            min(1, max(0, (socWindow.upperBound - guardBand - soc) * perSecond)),
            chemistry == .lfp ? 1 : 0, chemistry == .nmc ? 1 : 0, chemistry == .lmo ? 1 : 0, 1,
        ]
        return [Float](repeating: 0, count: siteFeatures) + values.map { Float(min(10, max(-10, $0))) }
    }
}
