import PulseBMS

/// A cheap stand-in pack for load tests: a seeded second-life pack (LFP or NMC, 5–60 kWh) whose current follows a
/// bounded random walk, with SoC by coulomb counting, a linear open-circuit voltage, an ohmic drop and a
/// first-order temperature. Its telemetry is plausible and passes every range check of the protocol.
struct SyntheticPack {
    let name: String
    private var random: Xoshiro256StarStar
    private let lfp: Bool
    private let series: Double, capacity: Double, resistance: Double, soh: Double
    private var soc: Double, current = 0.0, temperature: Double
    private var seq: UInt64 = 0

    init(name: String, seed: UInt64) {
        self.name = name
        random = Xoshiro256StarStar(seed: seed)
        lfp = random.nextUnitDouble() < 0.5
        series = lfp ? 16 : 14
        capacity = random.nextUniform(in: 100, 400)
        soh = random.nextUniform(in: 0.7, 0.9)
        resistance = series * random.nextUniform(in: 0.5e-3, 2e-3)
        soc = random.nextUniform(in: 0.3, 0.8)
        temperature = random.nextUniform(in: 20, 30)
    }

    private var cellOCV: Double { lfp ? 3.2 + 0.15 * (soc - 0.5) : 3.3 + 0.9 * soc }

    /// Advances `dt` seconds and reports.
    mutating func step(dt: Double, seq: UInt64) -> Telemetry {
        let limitCurrent = 0.5 * capacity * soh
        current = min(max(current + random.nextNormal(standardDeviation: 0.05 * limitCurrent), -limitCurrent), limitCurrent)
        if soc < 0.15 { current = -abs(current) } else if soc > 0.85 { current = abs(current) }
        soc = min(max(soc - current * dt / 3600 / (capacity * soh), 0), 1)
        temperature += dt / 600 * (25 + resistance * current * current / 50 - temperature)
        let cell = cellOCV - resistance / series * current
        let voltage = series * cell
        let energy = capacity * soh * series * (lfp ? 3.2 : 3.7)
        let limits = Telemetry.Limits(dischargeCurrent: limitCurrent, chargeCurrent: limitCurrent,
                                      dischargePower: limitCurrent * voltage, chargePower: limitCurrent * voltage,
                                      socMin: 0.1, socMax: 0.9)
        return Telemetry(header: MessageHeader(seq: seq, timestampMs: epochMilliseconds()), voltage: voltage, current: current,
                         power: voltage * current, cellVoltageMin: cell - 0.005, cellVoltageMax: cell + 0.005,
                         temperatureMin: temperature - 1, temperatureMax: temperature + 1, stateOfCharge: soc,
                         stateOfHealth: soh, energy: energy, limits: limits)
    }
}
