/// A coordinator's setpoint for one device, on `pulsebms/{site}/{device}/commands` (QoS 1).
///
/// JSON: the header, `expires` [ms since the epoch, after `ts`], exactly one of `power_w` or `current_a`
/// (positive on discharge), and optionally `reset_faults`. An expired command is never executed (the device's
/// `pe_fallback` guard).
public struct SetpointCommand: Sendable, Equatable {
    public enum Setpoint: Sendable, Equatable {
        /// Pack power [W], positive on discharge.
        case power(Double)
        /// Pack current [A], positive on discharge.
        case current(Double)
    }

    public var header: MessageHeader
    /// Not to be executed at or after this time [ms since the epoch].
    public var expiresMs: Int64
    public var setpoint: Setpoint
    /// Ask the device to clear its latched faults whose condition is gone (JSON `reset_faults`, optional, default
    /// false), as an operator's acknowledgement does; honoured only with a command the device accepts.
    public var resetFaults: Bool

    public init(header: MessageHeader, expiresMs: Int64, setpoint: Setpoint, resetFaults: Bool = false) {
        self.header = header; self.expiresMs = expiresMs; self.setpoint = setpoint; self.resetFaults = resetFaults
    }

    /// Whether the command has expired at `nowMs`.
    public func isExpired(atMs nowMs: Int64) -> Bool { nowMs >= expiresMs }

    init(fields c: JSONFields) throws(ProtocolError) {
        header = try c.header()
        expiresMs = try c.integer("expires", as: Int64.self)
        guard expiresMs > header.timestampMs else {
            throw ProtocolError.invalidValue(field: "expires", reason: "\(expiresMs) is not after ts \(header.timestampMs)")
        }
        let power = try c.optionalNumber("power_w", in: Telemetry.powerRange)
        let current = try c.optionalNumber("current_a", in: Telemetry.currentRange)
        switch (power, current) {
        case let (p?, nil): setpoint = .power(p)
        case let (nil, i?): setpoint = .current(i)
        case (nil, nil): throw ProtocolError.missingField("power_w")
        case (.some, .some): throw ProtocolError.invalidValue(field: "current_a", reason: "a command carries power_w or current_a, not both")
        }
        resetFaults = c.optional("reset_faults") == nil ? false : try c.bool("reset_faults")
    }

    public static func decode(_ payload: [UInt8]) throws(ProtocolError) -> SetpointCommand { try Self(fields: FleetJSON.fields(payload)) }
    public func encoded() -> [UInt8] {
        var w = JSONWriter(capacity: 96)
        w.header(header)
        w.integer("expires", expiresMs)
        switch setpoint {
        case let .power(p): w.number("power_w", p)
        case let .current(i): w.number("current_a", i)
        }
        if resetFaults { w.bool("reset_faults", true) }
        return w.finish()
    }
}
