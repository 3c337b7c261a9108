/// A device's report of its pack, published every telemetry period on `pulsebms/{site}/{device}/telemetry`.
///
/// JSON keys (units in the name; current positive on discharge): `voltage_v`, `current_a`, `power_w`,
/// `cell_v_min`, `cell_v_max`, `temp_min_c`, `temp_max_c`, `soc`, `soh`, `energy_wh`, `limits` (the safe
/// currents and powers for the next step and the SoC window), `faults` and `warnings` (bit masks of the edge
/// safety monitor's checks, `pe_safety_check_t`), `mode`, and `policy_crc` when a policy is loaded.
public struct Telemetry: Sendable, Equatable {
    /// The safe operating envelope the device reports for its next step.
    public struct Limits: Sendable, Equatable {
        /// Largest discharge and charge current [A] (both ≥ 0), after the monitor's derating and faults.
        public var dischargeCurrent: Double, chargeCurrent: Double
        /// Largest discharge and charge power [W] (both ≥ 0).
        public var dischargePower: Double, chargePower: Double
        /// Allowed SoC window.
        public var socMin: Double, socMax: Double

        public init(dischargeCurrent: Double, chargeCurrent: Double, dischargePower: Double, chargePower: Double,
                    socMin: Double, socMax: Double) {
            self.dischargeCurrent = dischargeCurrent; self.chargeCurrent = chargeCurrent
            self.dischargePower = dischargePower; self.chargePower = chargePower
            self.socMin = socMin; self.socMax = socMax
        }
    }

    /// What the device is running.
    public enum Mode: String, Sendable, CaseIterable {
        /// The coordinator's unexpired command.
        case online
        /// No valid command: current 0.
        case safeIdle = "safe_idle"
        /// No valid command: the on-device policy chooses.
        case localPolicy = "local_policy"
    }

    public var header: MessageHeader
    /// Pack terminal voltage [V], current [A] and power [W] over the last step.
    public var voltage: Double, current: Double, power: Double
    /// Lowest and highest cell voltage [V].
    public var cellVoltageMin: Double, cellVoltageMax: Double
    /// Lowest and highest temperature [°C].
    public var temperatureMin: Double, temperatureMax: Double
    /// State of charge and state of health (capacity retention), fractions.
    public var stateOfCharge: Double, stateOfHealth: Double
    /// Usable energy of the full pack at its present health [Wh].
    public var energy: Double
    public var limits: Limits
    /// Latched faults and active warnings: bit `1 << check` of the edge monitor's checks.
    public var faults: UInt32, warnings: UInt32
    public var mode: Mode
    /// CRC-32 of the loaded `.pbp` policy, if any.
    public var policyCRC: UInt32?

    public init(header: MessageHeader, voltage: Double, current: Double, power: Double, cellVoltageMin: Double,
                cellVoltageMax: Double, temperatureMin: Double, temperatureMax: Double, stateOfCharge: Double,
                stateOfHealth: Double, energy: Double, limits: Limits, faults: UInt32 = 0, warnings: UInt32 = 0,
                mode: Mode = .online, policyCRC: UInt32? = nil) {
        self.header = header; self.voltage = voltage; self.current = current; self.power = power
        self.cellVoltageMin = cellVoltageMin; self.cellVoltageMax = cellVoltageMax
        self.temperatureMin = temperatureMin; self.temperatureMax = temperatureMax
        self.stateOfCharge = stateOfCharge; self.stateOfHealth = stateOfHealth; self.energy = energy
        self.limits = limits; self.faults = faults; self.warnings = warnings; self.mode = mode; self.policyCRC = policyCRC
    }

    /// Allowed ranges: wide enough for any stationary pack, narrow enough to catch unit and sign errors.
    static let voltageRange = 0.0...2000, currentRange = -10_000.0...10_000, powerRange = -1e7...1e7
    static let cellVoltageRange = 0.0...6, temperatureRange = -60.0...200, fractionRange = 0.0...1
    static let healthRange = 0.0...1.5, energyRange = 0.0...1e8

    init(fields c: JSONFields) throws(ProtocolError) {
        header = try c.header()
        voltage = try c.number("voltage_v", in: Self.voltageRange)
        current = try c.number("current_a", in: Self.currentRange)
        power = try c.number("power_w", in: Self.powerRange)
        cellVoltageMin = try c.number("cell_v_min", in: Self.cellVoltageRange)
        cellVoltageMax = try c.number("cell_v_max", in: Self.cellVoltageRange)
        guard cellVoltageMin <= cellVoltageMax else {
            throw ProtocolError.invalidValue(field: "cell_v_min", reason: "\(cellVoltageMin) is above cell_v_max \(cellVoltageMax)")
        }
        temperatureMin = try c.number("temp_min_c", in: Self.temperatureRange)
        temperatureMax = try c.number("temp_max_c", in: Self.temperatureRange)
        guard temperatureMin <= temperatureMax else {
            throw ProtocolError.invalidValue(field: "temp_min_c", reason: "\(temperatureMin) is above temp_max_c \(temperatureMax)")
        }
        stateOfCharge = try c.number("soc", in: Self.fractionRange)
        stateOfHealth = try c.number("soh", in: Self.healthRange)
        energy = try c.number("energy_wh", in: Self.energyRange)
        let l = try c.object("limits")
        limits = Limits(dischargeCurrent: try l.number("discharge_current_a", in: 0...Self.currentRange.upperBound),
                        chargeCurrent: try l.number("charge_current_a", in: 0...Self.currentRange.upperBound),
                        dischargePower: try l.number("discharge_power_w", in: 0...Self.powerRange.upperBound),
                        chargePower: try l.number("charge_power_w", in: 0...Self.powerRange.upperBound),
                        socMin: try l.number("soc_min", in: Self.fractionRange),
                        socMax: try l.number("soc_max", in: Self.fractionRange))
        guard limits.socMin < limits.socMax else {
            throw ProtocolError.invalidValue(field: "limits.soc_min", reason: "\(limits.socMin) is not below soc_max \(limits.socMax)")
        }
        faults = try c.integer("faults", as: UInt32.self)
        warnings = try c.integer("warnings", as: UInt32.self)
        mode = try c.word("mode", as: Mode.self)
        policyCRC = try c.optionalInteger("policy_crc", as: UInt32.self)
    }

    /// Decodes a telemetry payload.
    public static func decode(_ payload: [UInt8]) throws(ProtocolError) -> Telemetry { try Self(fields: FleetJSON.fields(payload)) }

    /// The JSON payload.
    public func encoded() -> [UInt8] {
        var w = JSONWriter(capacity: 400)
        w.header(header)
        w.number("voltage_v", voltage); w.number("current_a", current); w.number("power_w", power)
        w.number("cell_v_min", cellVoltageMin); w.number("cell_v_max", cellVoltageMax)
        w.number("temp_min_c", temperatureMin); w.number("temp_max_c", temperatureMax)
        w.number("soc", stateOfCharge); w.number("soh", stateOfHealth); w.number("energy_wh", energy)
        w.open("limits")
        w.number("discharge_current_a", limits.dischargeCurrent); w.number("charge_current_a", limits.chargeCurrent)
        w.number("discharge_power_w", limits.dischargePower); w.number("charge_power_w", limits.chargePower)
        w.number("soc_min", limits.socMin); w.number("soc_max", limits.socMax)
        w.close()
        w.integer("faults", faults); w.integer("warnings", warnings)
        w.string("mode", mode.rawValue)
        if let policyCRC { w.integer("policy_crc", policyCRC) }
        return w.finish()
    }
}
