import Foundation
import PulseBMS

/// The protocol's codec on the coordinator's hot path: `telemetry_encode_us` and `telemetry_decode_us`, the median
/// time to write and to read (with every range check) one telemetry payload.
enum FleetCodecBench {
    static func run(timer: Timer, into report: inout Report) throws {
        let telemetry = Telemetry(
            header: MessageHeader(seq: 1234, timestampMs: epochMilliseconds()), voltage: 51.234, current: -12.5678, power: -643.9,
            cellVoltageMin: 3.1901, cellVoltageMax: 3.2107, temperatureMin: 24.51, temperatureMax: 27.25, stateOfCharge: 0.5512,
            stateOfHealth: 0.8134, energy: 4100.5,
            limits: .init(dischargeCurrent: 100, chargeCurrent: 50.5, dischargePower: 5000, chargePower: 2500, socMin: 0.1, socMax: 0.9),
            faults: 0, warnings: 16, mode: .online, policyCRC: 0xDEAD_BEEF)
        let batch = 1000
        if report.wants("telemetry_encode_us") {
            var bytes = 0
            let t = timer.measure { for _ in 0..<batch { bytes &+= telemetry.encoded().count } }
            report.add("telemetry_encode_us", t.median / Double(batch) * 1e6, threads: 1)
            precondition(bytes > 0)
        }
        if report.wants("telemetry_decode_us") {
            let payload = telemetry.encoded()
            var failures = 0
            let t = timer.measure {
                for _ in 0..<batch where (try? Telemetry.decode(payload)) == nil { failures += 1 }
            }
            precondition(failures == 0, "the benchmark's telemetry failed to decode")
            report.add("telemetry_decode_us", t.median / Double(batch) * 1e6, threads: 1)
        }
    }
}
