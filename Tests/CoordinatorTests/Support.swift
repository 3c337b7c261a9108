import Coordinator
import FleetProtocol
import NeuralNetworks
import PolicyFormat
import SeededRandom

/// Fixtures shared by the coordinator's tests.
enum Fixture {
    /// A birth's pack: 100 NMC cells in series, 50 A·h, 365 V nominal, 20 kW both ways.
    static func pack(chemistry: String = "NMC", power: Double = 20_000) -> DeviceStatus.PackInfo {
        DeviceStatus.PackInfo(chemistry: chemistry, series: 100, parallel: 1, capacity: 50, nominalVoltage: 365,
                              resistance: 0.1, maxDischargePower: power, maxChargePower: power,
                              cellVoltageMin: 3.0, cellVoltageMax: 4.2)
    }

    /// Telemetry with the given state and limits (current limits generous unless given).
    static func telemetry(seq: UInt64 = 1, ts: Int64 = 1_000_000, soc: Double = 0.5, soh: Double = 0.9,
                          energy: Double = 16_000, voltage: Double = 370, current: Double = 0,
                          temperature: Double = 25, dischargePower: Double = 20_000, chargePower: Double = 20_000,
                          dischargeCurrent: Double = 200, chargeCurrent: Double = 200,
                          socMin: Double = 0.1, socMax: Double = 0.95, faults: UInt32 = 0,
                          cellMax: Double = 3.8) -> Telemetry {
        Telemetry(header: MessageHeader(seq: seq, timestampMs: ts), voltage: voltage, current: current,
                  power: voltage * current, cellVoltageMin: cellMax - 0.02, cellVoltageMax: cellMax,
                  temperatureMin: temperature - 1, temperatureMax: temperature, stateOfCharge: soc,
                  stateOfHealth: soh, energy: energy,
                  limits: Telemetry.Limits(dischargeCurrent: dischargeCurrent, chargeCurrent: chargeCurrent,
                                           dischargePower: dischargePower, chargePower: chargePower,
                                           socMin: socMin, socMax: socMax),
                  faults: faults)
    }

    static func birth(_ pack: DeviceStatus.PackInfo? = Fixture.pack(), ts: Int64 = 1_000_000) -> DeviceStatus {
        DeviceStatus(header: MessageHeader(seq: 0, timestampMs: ts), state: .online, pack: pack)
    }

    static func death(ts: Int64 = 1_000_000, reason: String = "will") -> DeviceStatus {
        DeviceStatus(header: MessageHeader(seq: 0, timestampMs: ts), state: .offline, reason: reason)
    }

    /// A random per-pack FleetDispatch policy (14 → 16 → 1, tanh, weights in [0, 1]) with the given metadata.
    static func policy(environment: String = PolicyObservation.environment, layout: String? = PolicyObservation.layout,
                       inputs: Int = 14, seed: UInt64 = 3) throws -> [UInt8] {
        var rng = Xoshiro256StarStar(seed: seed)
        let mlp = MLP<Float>(sizes: [inputs, 16, 1], using: &rng)
        var metadata = PolicyMetadata.unnamed(environment: environment, inputs: inputs, actions: 1)
        metadata.layout = layout
        let head = PolicyExport.Head(normalisation: .identity(inputs: inputs),
                                     action: ActionHead(squash: .tanh, low: [0], high: [1]), metadata: metadata)
        return try PolicyExport.f32(mlp, head: head).encode()
    }

    /// A device of an allocation problem.
    static func device(_ i: Int, telemetry: Telemetry, pack: DeviceStatus.PackInfo? = Fixture.pack()) -> AllocatableDevice {
        AllocatableDevice(name: "d\(i)", index: i, telemetry: telemetry, pack: pack)
    }
}
