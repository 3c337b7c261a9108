import FleetProtocol
import Foundation
import Testing

@Suite struct MessageTests {
    static let telemetry = Telemetry(
        header: MessageHeader(seq: 41, timestampMs: 1_790_000_000_123), voltage: 51.2, current: -12.5, power: -640,
        cellVoltageMin: 3.19, cellVoltageMax: 3.21, temperatureMin: 24.5, temperatureMax: 27.25, stateOfCharge: 0.55,
        stateOfHealth: 0.81, energy: 4100,
        limits: .init(dischargeCurrent: 100, chargeCurrent: 50, dischargePower: 5000, chargePower: 2500, socMin: 0.1, socMax: 0.9),
        faults: 0, warnings: 1 << 4, mode: .online, policyCRC: 0xDEAD_BEEF)

    @Test func messagesRoundTripThroughJSON() throws {
        #expect(try Telemetry.decode(Self.telemetry.encoded()) == Self.telemetry)
        let command = SetpointCommand(header: MessageHeader(seq: 3, timestampMs: 1000), expiresMs: 3000, setpoint: .power(-1500.5))
        #expect(try SetpointCommand.decode(command.encoded()) == command)
        let current = SetpointCommand(header: MessageHeader(seq: 4, timestampMs: 1000), expiresMs: 1001, setpoint: .current(20),
                                      resetFaults: true)
        #expect(try SetpointCommand.decode(current.encoded()) == current)
        let birth = DeviceStatus(header: MessageHeader(seq: 0, timestampMs: 5), state: .online,
                                 pack: .init(chemistry: "LFP", series: 16, parallel: 2, capacity: 100, nominalVoltage: 51.2,
                                             resistance: 0.02, maxDischargePower: 5000, maxChargePower: 2500,
                                             cellVoltageMin: 2.5, cellVoltageMax: 3.65), policyCRC: 7)
        #expect(try DeviceStatus.decode(birth.encoded()) == birth)
        let death = DeviceStatus(header: MessageHeader(seq: 0, timestampMs: 5), state: .offline, reason: "a \"quoted\"\\ reason\n\u{1}é")
        #expect(try DeviceStatus.decode(death.encoded()) == death)
        let allocation = SiteAllocation(header: MessageHeader(seq: 9, timestampMs: 10), period: 1, expiresMs: 2010, demand: 1000,
                                        allocated: 1000, demandMet: true, allocator: "mpc", devices: ["a": 600, "b": 400], excluded: ["c"])
        #expect(try SiteAllocation.decode(allocation.encoded()) == allocation)
        let demand = DemandMessage(header: MessageHeader(seq: 1, timestampMs: 2), demand: -5000, forecast: [-5000, 0, 100])
        #expect(try DemandMessage.decode(demand.encoded()) == demand)
    }

    /// The telemetry as a mutable JSON object, to break one field at a time.
    static func telemetryObject() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(telemetry.encoded())) as? [String: Any])
    }

    static func payload(_ object: [String: Any]) throws -> [UInt8] { Array(try JSONSerialization.data(withJSONObject: object)) }

    @Test func decoderNamesWhatIsWrong() throws {
        var o = try Self.telemetryObject()
        o["v"] = 2
        #expect(throws: ProtocolError.unsupportedVersion(2)) { try Telemetry.decode(Self.payload(o)) }

        o = try Self.telemetryObject(); o.removeValue(forKey: "soc")
        #expect(throws: ProtocolError.missingField("soc")) { try Telemetry.decode(Self.payload(o)) }

        o = try Self.telemetryObject(); o["voltage_v"] = "51.2"
        #expect(throws: ProtocolError.wrongType(field: "voltage_v", expected: "a number")) { try Telemetry.decode(Self.payload(o)) }

        o = try Self.telemetryObject(); o["soc"] = 1.5
        #expect(throws: ProtocolError.outOfRange(field: "soc", value: 1.5, allowed: "[0.0, 1.0]")) { try Telemetry.decode(Self.payload(o)) }

        o = try Self.telemetryObject(); o["temp_min_c"] = 40.0
        #expect((try? Telemetry.decode(Self.payload(o))) == nil)

        o = try Self.telemetryObject(); o["mode"] = "turbo"
        #expect(throws: ProtocolError.invalidValue(field: "mode", reason: "unknown value \"turbo\"")) { try Telemetry.decode(Self.payload(o)) }

        o = try Self.telemetryObject(); o["faults"] = -1
        #expect(throws: ProtocolError.self) { try Telemetry.decode(Self.payload(o)) }

        var limits = try #require(o["limits"] as? [String: Any]); limits.removeValue(forKey: "charge_power_w")
        o = try Self.telemetryObject(); o["limits"] = limits
        #expect(throws: ProtocolError.missingField("limits.charge_power_w")) { try Telemetry.decode(Self.payload(o)) }

        #expect(throws: ProtocolError.self) { try Telemetry.decode(Array("[1,2]".utf8)) }
        #expect(throws: ProtocolError.self) { try Telemetry.decode(Array("{\"v\":1,".utf8)) }
        #expect(throws: ProtocolError.self) { try Telemetry.decode([]) }
        let huge = [UInt8](repeating: 0x20, count: FleetProtocolVersion.maxJSONBytes + 1)
        #expect(throws: ProtocolError.tooLarge(bytes: huge.count, limit: FleetProtocolVersion.maxJSONBytes)) { try Telemetry.decode(huge) }
    }

    @Test func commandsNeedOneSetpointAndAnExpiryAfterIssue() {
        let both = Array(#"{"v":1,"seq":1,"ts":100,"expires":200,"power_w":5,"current_a":1}"#.utf8)
        #expect(throws: ProtocolError.self) { try SetpointCommand.decode(both) }
        let neither = Array(#"{"v":1,"seq":1,"ts":100,"expires":200}"#.utf8)
        #expect(throws: ProtocolError.missingField("power_w")) { try SetpointCommand.decode(neither) }
        let wrongReset = Array(#"{"v":1,"seq":1,"ts":100,"expires":200,"power_w":5,"reset_faults":1}"#.utf8)
        #expect(throws: ProtocolError.wrongType(field: "reset_faults", expected: "a boolean")) { try SetpointCommand.decode(wrongReset) }
        let backwards = Array(#"{"v":1,"seq":1,"ts":100,"expires":100,"power_w":5}"#.utf8)
        #expect(throws: ProtocolError.invalidValue(field: "expires", reason: "100 is not after ts 100")) { try SetpointCommand.decode(backwards) }
        let command = SetpointCommand(header: MessageHeader(seq: 1, timestampMs: 100), expiresMs: 200, setpoint: .power(1))
        #expect(!command.isExpired(atMs: 199))
        #expect(command.isExpired(atMs: 200))
    }

    @Test func allocationRefusesBadDeviceNames() {
        let bad = Array(#"{"v":1,"seq":1,"ts":1,"period_s":1,"expires":2,"demand_w":0,"allocated_w":0,"demand_met":true,"allocator":"x","devices":{"a/b":1}}"#.utf8)
        #expect(throws: ProtocolError.self) { try SiteAllocation.decode(bad) }
    }

    @Test func rejectionsAreCountedByReason() throws {
        let counter = RejectionCounter(keep: 2)
        #expect(counter.accept("t", Self.telemetry.encoded(), Telemetry.decode) == Self.telemetry)
        #expect(counter.accept("t1", Array("nope".utf8), Telemetry.decode) == nil)
        var o = try Self.telemetryObject(); o["v"] = 9
        #expect(counter.accept("t2", try Self.payload(o), Telemetry.decode) == nil)
        o = try Self.telemetryObject(); o["soh"] = -0.1
        #expect(counter.accept("t3", try Self.payload(o), Telemetry.decode) == nil)
        #expect(counter.total == 3)
        #expect(counter.count(.malformed) == 1)
        #expect(counter.count(.version) == 1)
        #expect(counter.count(.outOfRange) == 1)
        #expect(counter.recent.map(\.topic) == ["t2", "t3"])
    }
}
