import Electrochemistry
import Gym
import SeededRandom

/// `PulseBMS/FastCharge-v0`: charge one cell from a low state of charge to a target as fast as possible,
/// without exceeding the voltage and temperature limits or making lithium plating possible — the safe-RL
/// fast-charging task of Park et al. (J. Power Sources 2020, "Reinforcement learning-based fast charging
/// control strategy for Li-ion batteries") with Safety-Gymnasium's cost convention.
///
/// - **Cell.** Chen2020 (option `parameters`) with lumped thermal, as an SPMe (`fidelity`: `spm`, `spme`,
///   `dfn`; the ECM has no electrode potentials, so no plating signal, and is refused). At reset the SoC is
///   drawn uniformly from [`initial_soc_low`, `initial_soc_high`] and the ambient (= initial) temperature from
///   `ambient_c` ± `ambient_spread_c`.
/// - **Action.** One number: the charge C-rate in [0, `max_c_rate`], held for `dt` seconds.
/// - **Observation** (6): SoC, terminal voltage [V], temperature [°C], temperature rise over ambient [K],
///   negative-electrode φ_s − φ_e [V vs Li] (``PlatingPotentialReporting``), last C-rate.
/// - **Reward.** 100·ΔSoC − `time_penalty` per step: progress, minus the time it took.
/// - **Costs** (each 0 or 1 per step): `voltage` (V exceeded `voltage_limit` during the step), `temperature`
///   (T above `temperature_limit_c` at the end of the step), `plating` (φ_s − φ_e below `plating_margin` at
///   the end of the step).
/// - **Termination.** SoC reaches `target_soc`. A voltage above `hard_voltage` rests the cell for the rest
///   of the step (the BMS cut-off). A physics failure (the stoichiometry driven out of range) terminates with
///   reward −10 and `info["failure"]`.
/// - **Truncation.** `max_episode_steps` (registry default 240: 2 h at 30 s).
public final class FastChargeEnvironment: Environment {
    public static let optionNames = ["fidelity", "parameters", "dt", "target_soc", "initial_soc_low", "initial_soc_high",
                                     "max_c_rate", "voltage_limit", "hard_voltage", "temperature_limit_c", "plating_margin",
                                     "ambient_c", "ambient_spread_c", "time_penalty"]
    public let observationSpace: Space
    public let actionSpace: Space
    public let costNames = ["voltage", "temperature", "plating"]
    public var spec: EnvironmentSpec?

    public let fidelity: String
    public let dt, targetSoC, socLow, socHigh, maxCRate, voltageLimit, hardVoltage, temperatureLimit: Double
    public let platingMargin, ambient, ambientSpread, timePenalty: Double
    let parameters: ParameterSet
    let window: StoichiometryWindow

    private var rng = Xoshiro256StarStar(seed: 0)
    private var cell: (any PlatingPotentialReporting)?
    private var soc = 0.0, lastRate = 0.0, cellAmbient = 298.15
    private var active = false

    public init(options: Options = [:]) throws(GymError) {
        try options.checkKnown(Self.optionNames)
        fidelity = try options.string("fidelity", default: "spme", oneOf: ["spm", "spme", "dfn", "ecm"])
        guard fidelity != "ecm" else {
            throw .invalidOption(name: "fidelity", reason: "FastCharge needs electrode potentials for its plating cost; use spm, spme or dfn")
        }
        let name = try options.string("parameters", default: "chen2020")
        do { parameters = try ParameterSet.named(name) } catch { throw .invalidOption(name: "parameters", reason: "\(error)") }
        do { window = try InitialState.window(parameters: parameters) } catch { throw .invalidOption(name: "parameters", reason: "\(error)") }
        dt = try options.double("dt", default: 30, in: 1...3600)
        targetSoC = try options.double("target_soc", default: 0.8, in: 0.1...1)
        socLow = try options.double("initial_soc_low", default: 0.05, in: 0...1)
        socHigh = try options.double("initial_soc_high", default: 0.2, in: socLow...targetSoC)
        maxCRate = try options.double("max_c_rate", default: 4, in: 0.1...20)
        voltageLimit = try options.double("voltage_limit", default: 4.2, in: 2...5)
        hardVoltage = try options.double("hard_voltage", default: voltageLimit + 0.2, in: voltageLimit...6)
        temperatureLimit = try options.double("temperature_limit_c", default: 45, in: -20...100) + 273.15
        platingMargin = try options.double("plating_margin", default: 0, in: -0.5...0.5)
        ambient = try options.double("ambient_c", default: 25, in: -30...60) + 273.15
        ambientSpread = try options.double("ambient_spread_c", default: 0, in: 0...30)
        timePenalty = try options.double("time_penalty", default: 0.5, in: 0...100)
        observationSpace = .box(try Box(low: [-0.1, 0, -50, -50, -2, 0], high: [1.1, 6, 200, 200, 3, maxCRate]))
        actionSpace = .box(try Box(low: [0], high: [maxCRate]))
    }

    public func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info) {
        try options.checkKnown(["initial_soc"])
        if let seed { rng = Xoshiro256StarStar(seed: seed) }
        let start = try options.double("initial_soc", default: rng.nextUniform(in: socLow, socHigh), in: 0...1)
        cellAmbient = ambient + (ambientSpread > 0 ? rng.nextUniform(in: -ambientSpread, ambientSpread) : 0)
        do {
            let p = parameters.updating(["Ambient temperature [K]": cellAmbient, "Initial temperature [K]": cellAmbient])
            let sto = try window.stoichiometries(atStateOfCharge: start)
            switch fidelity {
            case "dfn": cell = try DoyleFullerNewmanModel(parameters: p, stoN: sto.negative, stoP: sto.positive, thermal: .lumped)
            default:
                cell = try SingleParticleModel(parameters: p, variant: fidelity == "spm" ? .spm : .spme,
                                               stoN: sto.negative, stoP: sto.positive, thermal: .lumped)
            }
        } catch {
            throw .simulation("building the \(fidelity) cell: \(error)")
        }
        soc = start; lastRate = 0; active = true
        return (observation(), ["soc": .number(soc), "ambient_k": .number(cellAmbient)])
    }

    public func step(_ action: [Double]) throws(GymError) -> Transition {
        guard active, let cell else { throw .needsReset("step before reset or after the episode ended") }
        guard actionSpace.contains(action) else { throw .invalidAction("\(action) is not a C-rate in [0, \(maxCRate)]") }
        let rate = action[0], before = soc
        var overVoltage = false, cutOff = false
        do {
            let end = cell.outputs.time + dt
            try cell.begin(.current(-rate * cell.nominalCapacity))
            if case .event = try cell.advance(by: dt, events: [.voltageAbove(volts: voltageLimit)]) {
                overVoltage = true
                let left = end - cell.outputs.time
                if left > 1e-9, case .event = try cell.advance(by: left, events: [.voltageAbove(volts: hardVoltage)]) {
                    cutOff = true
                    try cell.begin(.current(0))
                    let rest = end - cell.outputs.time
                    if rest > 1e-9 { _ = try cell.advance(by: rest, events: []) }
                }
            }
        } catch {
            active = false
            return Transition(observation: observation(), reward: -10, costs: [1, 0, 0], terminated: true, truncated: false,
                              info: ["failure": .text("\(error)")])
        }
        soc = (cell.outputs.stoNAvg - window.x0) / (window.x100 - window.x0)
        lastRate = rate
        let out = cell.outputs
        let plating = cell.negativeSurfacePotential
        let costs: [Double] = [overVoltage ? 1 : 0, out.temperature > temperatureLimit ? 1 : 0, plating < platingMargin ? 1 : 0]
        let done = soc >= targetSoC
        if done { active = false }
        return Transition(observation: observation(), reward: 100 * (soc - before) - timePenalty, costs: costs,
                          terminated: done, truncated: false,
                          info: ["soc": .number(soc), "plating_potential": .number(plating), "cut_off": .flag(cutOff)])
    }

    private func observation() -> [Double] {
        guard let cell else { return [0, 0, 0, 0, 0, 0] }
        let out = cell.outputs
        let raw = [soc, out.voltage, out.temperature - 273.15, out.temperature - cellAmbient, cell.negativeSurfacePotential, lastRate]
        guard case let .box(b) = observationSpace else { return raw }
        return b.clip(raw)
    }
}
