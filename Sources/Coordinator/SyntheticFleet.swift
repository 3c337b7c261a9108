import FleetProtocol
import SeededRandom

/// Seeded synthetic devices — births and telemetry of plausible second-life packs — for measuring the allocators
/// without a broker, for tests, and for load generators.
///
/// Each pack: LFP (3.2 V, 2.5–3.65 V cells), NMC (3.65 V, 3.0–4.2 V) or LMO (3.8 V, 3.0–4.2 V); 96–200 cells in
/// series, 20–100 A·h; SoH 0.7–0.95; rated power 0.5C at nominal voltage; SoC 0.15–0.9 within a window of
/// [0.1, 0.95]; resistance 1.5 mΩ per series cell over the parallel capacity (20 A·h reference); temperatures
/// 20–35 °C; current and power limits from the rating.
public enum SyntheticFleet {
    /// Device names `prefix-00000`, … .
    public static func name(_ i: Int, prefix: String = "dev") -> String {
        let digits = String(i)
        return prefix + "-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// The birth and the latest telemetry of device `i` of a fleet with `seed` (each device draws from its own
    /// stream, so a device does not depend on the fleet's size).
    public static func device(_ i: Int, seed: UInt64, timestampMs: Int64 = 0, seq: UInt64 = 1)
        -> (pack: DeviceStatus.PackInfo, telemetry: Telemetry) {
        var rng = Xoshiro256StarStar(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(i))
        let chemistry = ["LFP", "NMC", "LMO"][Int(rng.next() % 3)]
        let (nominal, vMin, vMax): (Double, Double, Double) = switch chemistry {
        case "LFP": (3.2, 2.5, 3.65)
        case "NMC": (3.65, 3.0, 4.2)
        default: (3.8, 3.0, 4.2)
        }
        let series = 96 + Int(rng.next() % 105), capacity = rng.nextUniform(in: 20, 100)
        let packVoltage = nominal * Double(series)
        let rated = 0.5 * capacity * packVoltage
        let resistance = 0.0015 * Double(series) * 20 / capacity
        let pack = DeviceStatus.PackInfo(chemistry: chemistry, series: series, parallel: 1, capacity: capacity,
                                         nominalVoltage: packVoltage, resistance: resistance, maxDischargePower: rated,
                                         maxChargePower: rated, cellVoltageMin: vMin, cellVoltageMax: vMax)
        let soh = rng.nextUniform(in: 0.7, 0.95), soc = rng.nextUniform(in: 0.15, 0.9)
        let cell = vMin + (vMax - vMin) * (0.15 + 0.7 * soc)
        let temperature = rng.nextUniform(in: 20, 35)
        let current = 0.5 * capacity * soh
        let limits = Telemetry.Limits(dischargeCurrent: current, chargeCurrent: current, dischargePower: rated * soh,
                                      chargePower: rated * soh, socMin: 0.1, socMax: 0.95)
        let telemetry = Telemetry(header: MessageHeader(seq: seq, timestampMs: timestampMs), voltage: cell * Double(series),
                                  current: 0, power: 0, cellVoltageMin: cell - 0.01, cellVoltageMax: cell + 0.01,
                                  temperatureMin: temperature - 1, temperatureMax: temperature, stateOfCharge: soc,
                                  stateOfHealth: soh, energy: capacity * soh * packVoltage, limits: limits)
        return (pack, telemetry)
    }

    /// `count` allocatable devices of the fleet with `seed`.
    public static func devices(count: Int, seed: UInt64) -> [AllocatableDevice] {
        (0..<count).map { i in
            let d = device(i, seed: seed)
            return AllocatableDevice(name: name(i), index: i, telemetry: d.telemetry, pack: d.pack)
        }
    }
}
