/// The coordinator's split of the site demand, on `pulsebms/{site}/coordinator/allocation` (QoS 1, retained).
/// Each device's share is also sent to it as a ``SetpointCommand`` with the same expiry.
///
/// JSON: the header, `period_s`, `expires`, `demand_w`, `allocated_w`, `demand_met`, `allocator`,
/// `devices` (device name → power [W], positive on discharge) and `excluded` (stale, offline or faulted devices).
public struct SiteAllocation: Sendable, Equatable {
    public var header: MessageHeader
    public var period: Double
    public var expiresMs: Int64
    public var demand: Double, allocated: Double
    public var demandMet: Bool
    public var allocator: String
    public var devices: [String: Double]
    public var excluded: [String]

    public init(header: MessageHeader, period: Double, expiresMs: Int64, demand: Double, allocated: Double,
                demandMet: Bool, allocator: String, devices: [String: Double], excluded: [String] = []) {
        self.header = header; self.period = period; self.expiresMs = expiresMs; self.demand = demand
        self.allocated = allocated; self.demandMet = demandMet; self.allocator = allocator
        self.devices = devices; self.excluded = excluded
    }

    /// Largest site power [W] the protocol carries.
    static let sitePowerRange = -1e10...1e10

    init(fields c: JSONFields) throws(ProtocolError) {
        header = try c.header()
        period = try c.number("period_s", in: 1e-3...86_400)
        expiresMs = try c.integer("expires", as: Int64.self)
        demand = try c.number("demand_w", in: Self.sitePowerRange)
        allocated = try c.number("allocated_w", in: Self.sitePowerRange)
        demandMet = try c.bool("demand_met")
        allocator = try c.string("allocator")
        let d = try c.object("devices")
        var devices = [String: Double](minimumCapacity: d.pairs.count)
        for pair in d.pairs {
            let name = pair.key
            guard FleetTopic.isValidDevice(name) else {
                throw ProtocolError.invalidValue(field: "devices", reason: "\"\(name)\" is not a device name")
            }
            devices[name] = try d.number(name, pair.value, in: Telemetry.powerRange)
        }
        self.devices = devices
        excluded = try c.strings("excluded")
    }

    public static func decode(_ payload: [UInt8]) throws(ProtocolError) -> SiteAllocation { try Self(fields: FleetJSON.fields(payload)) }

    public func encoded() -> [UInt8] {
        var w = JSONWriter(capacity: 160 + 32 * devices.count)
        w.header(header)
        w.number("period_s", period)
        w.integer("expires", expiresMs)
        w.number("demand_w", demand); w.number("allocated_w", allocated)
        w.bool("demand_met", demandMet)
        w.string("allocator", allocator)
        w.open("devices")
        for name in devices.keys.sorted() { w.number(name, devices[name]!) }
        w.close()
        w.strings("excluded", excluded)
        return w.finish()
    }
}

/// A site power request on `pulsebms/{site}/coordinator/demand`: `demand_w` (positive = the site draws from the
/// packs) and, optionally, `forecast_w`, the request for the following periods (for the MPC).
public struct DemandMessage: Sendable, Equatable {
    public var header: MessageHeader
    public var demand: Double
    public var forecast: [Double]

    public init(header: MessageHeader, demand: Double, forecast: [Double] = []) {
        self.header = header; self.demand = demand; self.forecast = forecast
    }

    init(fields c: JSONFields) throws(ProtocolError) {
        header = try c.header()
        demand = try c.number("demand_w", in: SiteAllocation.sitePowerRange)
        forecast = try c.numbers("forecast_w")
        guard forecast.count <= 10_000, forecast.allSatisfy({ $0.isFinite && SiteAllocation.sitePowerRange.contains($0) }) else {
            throw ProtocolError.invalidValue(field: "forecast_w", reason: "needs at most 10,000 finite powers within ±1e10 W")
        }
    }

    public static func decode(_ payload: [UInt8]) throws(ProtocolError) -> DemandMessage { try Self(fields: FleetJSON.fields(payload)) }

    public func encoded() -> [UInt8] {
        var w = JSONWriter(capacity: 96 + 24 * forecast.count)
        w.header(header)
        w.number("demand_w", demand)
        if !forecast.isEmpty { w.numbers("forecast_w", forecast) }
        return w.finish()
    }
}
