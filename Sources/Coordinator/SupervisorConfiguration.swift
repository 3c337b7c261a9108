/// What the cloud safety supervisor found wrong with a device's telemetry (a set of flags).
public struct SupervisorFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The reported SoC left the coulomb count of the reported current.
    public static let socDivergence = SupervisorFlags(rawValue: 1 << 0)
    /// The reported voltage left the device's own fitted model V ≈ a + b·SoC − R·I.
    public static let voltageDivergence = SupervisorFlags(rawValue: 1 << 1)
    /// The hottest sensor rises faster than normal operation heats a pack, sustained.
    public static let temperatureRise = SupervisorFlags(rawValue: 1 << 2)
    /// The hottest sensor is well above the site's other packs.
    public static let temperatureAbovePeers = SupervisorFlags(rawValue: 1 << 3)

    /// Every flag with its metric label, in order.
    public static let all: [(flag: SupervisorFlags, name: String)] = [
        (.socDivergence, "soc_divergence"), (.voltageDivergence, "voltage_divergence"),
        (.temperatureRise, "temperature_rise"), (.temperatureAbovePeers, "temperature_above_peers"),
    ]

    public var description: String {
        let names = Self.all.filter { contains($0.flag) }.map(\.name)
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }
}

/// Thresholds of the cloud safety supervisor, which watches every device's telemetry against a model of it.
/// A flag is raised after ``consecutiveSamples`` samples in a row beyond its threshold and cleared after as many
/// within it (hysteresis against single noisy readings).
public struct SupervisorConfiguration: Sendable, Equatable {
    /// Largest |reported SoC − coulomb-counted SoC| before a sample counts as divergent. The coulomb count starts
    /// from the reported SoC and runs open loop for ``socReanchorSeconds``. 0.03: SoC estimators of BMSs are
    /// designed for errors within a few per cent (Hannan et al. 2017, "A review of lithium-ion battery state of
    /// charge estimation and management system in electric vehicle applications", Renew. Sust. Energy Rev. 78,
    /// 834–854, doi:10.1016/j.rser.2017.05.001), while counting a 0.5 %-accurate current sensor drifts by less
    /// than 0.1 % of SoC in ten minutes at 1C; a gap of 3 % within one window is a device whose SoC is not
    /// consistent with its own current (a stuck or jumping estimator, a wrong capacity, a current-sensor fault).
    public var socResidualThreshold = 0.03
    /// Seconds of open-loop coulomb counting before it restarts from the reported SoC.
    public var socReanchorSeconds = 600.0
    /// Largest |reported − fitted| pack voltage per series cell [V] before a sample counts as divergent. The
    /// fit is a recursive-least-squares V ≈ a + b·SoC − R·I with forgetting; equivalent-circuit models track a
    /// cell's terminal voltage within 10–20 mV (Hu, Li & Peng 2012, "A comparative study of equivalent circuit
    /// models for Li-ion batteries", J. Power Sources 198, 359–367, doi:10.1016/j.jpowsour.2011.10.013). This
    /// fit has no RC branch, so polarisation after a setpoint step adds some tens of mV: 80 mV per cell leaves
    /// room for that and still catches a lost cell group or a voltage-sensor fault.
    public var voltageResidualPerCell = 0.08
    /// The same as a share of the pack voltage, for devices whose birth did not say their series count.
    public var voltageResidualFraction = 0.02
    /// Forgetting factor of the voltage fit per sample (memory ≈ 1/(1 − λ) = 200 samples).
    public var forgettingFactor = 0.995
    /// Samples a device's fit needs before its residuals count.
    public var warmupSamples = 30
    /// Largest smoothed rise of the hottest sensor [°C/s] before a sample counts as abnormal: 2 °C/min. A cell
    /// at 1C without cooling heats by about 0.6 °C/min (I²R over m·c_p for 5 A·h, 30 mΩ, 70 g and
    /// 1 kJ/(kg·K)), and packs are cooled; the onset of self-heating that leads to thermal runaway is a sustained rise at rest (Feng et al.
    /// 2018, "Thermal runaway mechanism of lithium ion battery for electric vehicles: A review", Energy Storage
    /// Mater. 10, 246–267, doi:10.1016/j.ensm.2017.05.013), which grows far beyond this.
    public var temperatureRiseThreshold = 2.0 / 60
    /// Time constant [s] of the exponential smoothing of the temperature rise rate.
    public var temperatureRiseTimeConstant = 20.0
    /// Margin [°C] of a device's hottest sensor above the median of the site's before it counts as abnormal. Pack
    /// thermal design keeps cells within about 5 °C of each other (Pesaran 2002, "Battery thermal models for
    /// hybrid vehicle simulations", J. Power Sources 110, 377–382, doi:10.1016/S0378-7753(02)00200-8); 10 °C
    /// above the site's median under a shared ambient is a pack heating for its own reasons.
    public var peerTemperatureMargin = 10.0
    /// Devices with fresh telemetry needed before the peer comparison runs.
    public var minimumPeers = 3
    /// k: consecutive samples (allocation periods for the peer check) beyond a threshold that raise a flag, and
    /// within it that clear it.
    public var consecutiveSamples = 5
    /// A telemetry gap [s] after which the coulomb count and the temperature rate restart.
    public var maximumGapSeconds = 30.0

    public init() {}

    func validate() throws(CoordinatorError) {
        let positive: [(String, Double)] = [
            ("socResidualThreshold", socResidualThreshold), ("socReanchorSeconds", socReanchorSeconds),
            ("voltageResidualPerCell", voltageResidualPerCell), ("voltageResidualFraction", voltageResidualFraction),
            ("temperatureRiseThreshold", temperatureRiseThreshold), ("temperatureRiseTimeConstant", temperatureRiseTimeConstant),
            ("peerTemperatureMargin", peerTemperatureMargin), ("maximumGapSeconds", maximumGapSeconds),
        ]
        for (name, value) in positive where !(value > 0 && value.isFinite) {
            throw .invalidConfiguration("supervisor \(name) must be positive and finite, not \(value)")
        }
        guard forgettingFactor > 0.5, forgettingFactor <= 1 else {
            throw .invalidConfiguration("supervisor forgettingFactor must be in (0.5, 1], not \(forgettingFactor)")
        }
        guard warmupSamples >= 0, consecutiveSamples >= 1, minimumPeers >= 2 else {
            throw .invalidConfiguration("supervisor warmupSamples ≥ 0, consecutiveSamples ≥ 1 and minimumPeers ≥ 2 "
                                        + "(got \(warmupSamples), \(consecutiveSamples), \(minimumPeers))")
        }
    }
}

/// Counts consecutive samples beyond and within a threshold: the flag rises after k beyond, falls after k within.
struct Debounce: Sendable, Equatable {
    private(set) var active = false
    private var run = 0

    /// Feeds one sample; returns true when the flag has just risen.
    mutating func step(exceeds: Bool, k: Int) -> Bool {
        if exceeds == active { run = 0; return false }
        run += 1
        guard run >= k else { return false }
        active = exceeds; run = 0
        return exceeds
    }

    mutating func reset() { active = false; run = 0 }
}
