import Gym

/// The PulseBMS environments, by versioned id.
public enum BatteryGym {
    /// Every PulseBMS environment: `BatteryGym.registry.make("PulseBMS/FastCharge-v0", options: [...])`.
    public static let registry = Registry([
        EnvironmentSpec(id: "PulseBMS/FastCharge-v0", maxEpisodeSteps: 240,
                        summary: "charge one cell (SPMe/DFN, lumped thermal) fast under voltage, temperature and plating limits") {
            options throws(GymError) in try FastChargeEnvironment(options: options)
        },
    ])

    /// `registry.make(id, options:)`.
    public static func make(_ id: String, options: Options = [:]) throws(GymError) -> any Environment {
        try registry.make(id, options: options)
    }

    /// The documented baseline controller of environment `id`.
    public static func baseline(for id: String, environment: any Environment) throws(GymError) -> any Controller {
        switch try EnvironmentID(parsing: id).name {
        case "FastCharge":
            let limit = (environment as? FastChargeEnvironment)?.voltageLimit ?? 4.2
            return ConstantCurrentConstantVoltage(voltageLimit: limit)
        default:
            throw .unknownEnvironment(id: id, known: registry.ids)
        }
    }
}
