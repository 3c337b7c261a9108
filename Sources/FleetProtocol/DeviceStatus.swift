/// A device's birth or death on `pulsebms/{site}/{device}/status` (QoS 1, retained). The birth describes the
/// pack; the death is registered as the connection's MQTT will, so the broker publishes it when the device
/// vanishes, and the device publishes it itself on a clean shutdown.
public struct DeviceStatus: Sendable, Equatable {
    public enum State: String, Sendable { case online, offline }

    /// The pack behind a device, as the allocators see it (JSON object `pack`).
    public struct PackInfo: Sendable, Equatable {
        /// `LFP`, `NMC`, `LMO`, … (free text, ≤ 32 characters).
        public var chemistry: String
        /// Cells in series and in parallel.
        public var series: Int, parallel: Int
        /// Rated capacity of the new pack [A.h] and its nominal voltage [V].
        public var capacity: Double, nominalVoltage: Double
        /// DC resistance of the pack [Ω].
        public var resistance: Double
        /// Rated discharge and charge power [W].
        public var maxDischargePower: Double, maxChargePower: Double
        /// The cell voltage window [V] of the chemistry.
        public var cellVoltageMin: Double, cellVoltageMax: Double

        public init(chemistry: String, series: Int, parallel: Int, capacity: Double, nominalVoltage: Double,
                    resistance: Double, maxDischargePower: Double, maxChargePower: Double,
                    cellVoltageMin: Double, cellVoltageMax: Double) {
            self.chemistry = chemistry; self.series = series; self.parallel = parallel; self.capacity = capacity
            self.nominalVoltage = nominalVoltage; self.resistance = resistance
            self.maxDischargePower = maxDischargePower; self.maxChargePower = maxChargePower
            self.cellVoltageMin = cellVoltageMin; self.cellVoltageMax = cellVoltageMax
        }
    }

    public var header: MessageHeader
    public var state: State
    /// Why a device went offline (`will`, `shutdown`); absent on a birth.
    public var reason: String?
    /// The pack, on a birth.
    public var pack: PackInfo?
    /// CRC-32 of the loaded policy, if any.
    public var policyCRC: UInt32?

    public init(header: MessageHeader, state: State, reason: String? = nil, pack: PackInfo? = nil, policyCRC: UInt32? = nil) {
        self.header = header; self.state = state; self.reason = reason; self.pack = pack; self.policyCRC = policyCRC
    }

    init(fields c: JSONFields) throws(ProtocolError) {
        header = try c.header()
        state = try c.word("state", as: State.self)
        reason = try c.optionalString("reason")
        policyCRC = try c.optionalInteger("policy_crc", as: UInt32.self)
        guard let p = try c.optionalObject("pack") else { pack = nil; return }
        let chemistry = try p.string("chemistry")
        guard (1...32).contains(chemistry.count) else {
            throw ProtocolError.invalidValue(field: "pack.chemistry", reason: "needs 1–32 characters")
        }
        let series = try p.number("series", in: 1...100_000), parallel = try p.number("parallel", in: 1...100_000)
        guard series == series.rounded(), parallel == parallel.rounded() else {
            throw ProtocolError.wrongType(field: p.name("series"), expected: "an integer")
        }
        pack = PackInfo(chemistry: chemistry, series: Int(series), parallel: Int(parallel),
                        capacity: try p.number("capacity_ah", in: 0...1e6),
                        nominalVoltage: try p.number("nominal_voltage_v", in: 0...Telemetry.voltageRange.upperBound),
                        resistance: try p.number("resistance_ohm", in: 0...1e3),
                        maxDischargePower: try p.number("max_discharge_power_w", in: 0...Telemetry.powerRange.upperBound),
                        maxChargePower: try p.number("max_charge_power_w", in: 0...Telemetry.powerRange.upperBound),
                        cellVoltageMin: try p.number("cell_v_min_limit", in: Telemetry.cellVoltageRange),
                        cellVoltageMax: try p.number("cell_v_max_limit", in: Telemetry.cellVoltageRange))
        guard pack!.cellVoltageMin < pack!.cellVoltageMax else {
            throw ProtocolError.invalidValue(field: "pack.cell_v_min_limit", reason: "not below cell_v_max_limit")
        }
    }

    public static func decode(_ payload: [UInt8]) throws(ProtocolError) -> DeviceStatus { try Self(fields: FleetJSON.fields(payload)) }
    public func encoded() -> [UInt8] {
        var w = JSONWriter()
        w.header(header)
        w.string("state", state.rawValue)
        if let reason { w.string("reason", reason) }
        if let policyCRC { w.integer("policy_crc", policyCRC) }
        if let pack {
            w.open("pack")
            w.string("chemistry", pack.chemistry)
            w.integer("series", pack.series); w.integer("parallel", pack.parallel)
            w.number("capacity_ah", pack.capacity); w.number("nominal_voltage_v", pack.nominalVoltage)
            w.number("resistance_ohm", pack.resistance)
            w.number("max_discharge_power_w", pack.maxDischargePower); w.number("max_charge_power_w", pack.maxChargePower)
            w.number("cell_v_min_limit", pack.cellVoltageMin); w.number("cell_v_max_limit", pack.cellVoltageMax)
            w.close()
        }
        return w.finish()
    }
}
