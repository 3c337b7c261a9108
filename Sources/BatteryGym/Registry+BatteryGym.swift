import Gym

/// The PulseBMS environments, by versioned id.
public enum BatteryGym {
    /// Every PulseBMS environment: `BatteryGym.registry.make("PulseBMS/FastCharge-v0", options: [...])`.
    public static let registry = Registry([
        EnvironmentSpec(id: "PulseBMS/FleetDispatch-v0",
                        summary: "N second-life packs follow a site power request (peak shaving, load following)") {
            options throws(GymError) in try FleetDispatchEnvironment(options: options)
        },
        EnvironmentSpec(id: "PulseBMS/FleetArbitrage-v0", summary: "the same fleet trades energy against day-ahead-like prices") {
            options throws(GymError) in try FleetArbitrageEnvironment(options: options)
        },
        EnvironmentSpec(id: "PulseBMS/FastCharge-v0", maxEpisodeSteps: 240,
                        summary: "charge one cell (SPMe/DFN, lumped thermal) fast under voltage, temperature and plating limits") {
            options throws(GymError) in try FastChargeEnvironment(options: options)
        },
    ])

    /// `registry.make(id, options:)`.
    public static func make(_ id: String, options: Options = [:]) throws(GymError) -> any Environment {
        try registry.make(id, options: options)
    }

    /// The model-predictive controller of environment `id` (``ModelPredictiveDispatch``), where there is one.
    public static func modelPredictive(for id: String, environment: any Environment, horizon: Int = 24) throws(GymError) -> any Controller {
        guard try EnvironmentID(parsing: id).name == "FleetDispatch",
              let env = environment.unwrapped as? FleetDispatchEnvironment else {
            throw .invalidOption(name: "controller", reason: "mpc is implemented for PulseBMS/FleetDispatch-v0 only")
        }
        return ModelPredictiveDispatch(environment: env, horizon: horizon)
    }

    /// The documented baseline controller of environment `id`.
    public static func baseline(for id: String, environment: any Environment) throws(GymError) -> any Controller {
        switch try EnvironmentID(parsing: id).name {
        case "FleetDispatch":
            guard let env = environment.unwrapped as? FleetDispatchEnvironment else { break }
            return ProportionalDispatch(ratedPower: env.site.ratedPower, siteFeatures: 4,
                                        packFeatures: FleetSite.packFeatureNames.count)
        case "FleetArbitrage":
            guard let env = environment.unwrapped as? FleetArbitrageEnvironment else { break }
            return PriceThresholdArbitrage(packCount: env.site.count, siteFeatures: FleetArbitrageEnvironment.siteFeatureCount,
                                           packFeatures: FleetSite.packFeatureNames.count)
        case "FastCharge":
            let limit = (environment.unwrapped as? FastChargeEnvironment)?.voltageLimit ?? 4.2
            return ConstantCurrentConstantVoltage(voltageLimit: limit)
        default:
            break
        }
        throw .unknownEnvironment(id: id, known: registry.ids)
    }
}
