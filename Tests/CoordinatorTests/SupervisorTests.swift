import Coordinator
import Electrochemistry
import FleetProtocol
import Testing

/// The cloud supervisor on telemetry from simulated packs (the equivalent-circuit pack model stepped once a second
/// through a varying power profile): healthy packs raise no flag, a diverging one does.
@Suite struct SupervisorTests {
    struct Simulated {
        var pack: DeviceStatus.PackInfo
        var telemetry: [Telemetry]
    }

    /// `steps` seconds of pack `index` of the `mixed-lfp-nmc-64` fleet, with `corrupt` applied to each telemetry.
    static func simulate(index: Int, steps: Int = 300, corrupt: (Int, inout Telemetry) -> Void = { _, _ in }) throws -> Simulated {
        let sampled = FleetSampler(spec: try FleetSpec.preset(named: "mixed-lfp-nmc-64")).sample(seed: 1)[index]
        let pack = try sampled.makePack(fidelity: .ecm, thermal: .lumped)
        let nominal = sampled.chemistry.nominalVoltage * Double(sampled.layout.series)
        let capacity = sampled.cellCapacity * Double(sampled.layout.parallel)
        let rated = 0.5 * capacity * nominal
        let info = DeviceStatus.PackInfo(chemistry: sampled.chemistry.rawValue.uppercased(), series: sampled.layout.series,
                                         parallel: sampled.layout.parallel, capacity: capacity, nominalVoltage: nominal,
                                         resistance: 0.01, maxDischargePower: rated, maxChargePower: rated,
                                         cellVoltageMin: 2.5, cellVoltageMax: 4.2)
        let profile = [0.8, 0.3, -0.5, 0, 0.6, -0.8, 0.1]
        var out: [Telemetry] = []
        for k in 0..<steps {
            let o = try pack.step(power: profile[(k / 20) % profile.count] * rated, dt: 1)
            var t = Telemetry(header: MessageHeader(seq: UInt64(k + 1), timestampMs: 1_000_000 + Int64(k) * 1000),
                              voltage: o.voltage, current: o.current, power: o.power, cellVoltageMin: o.minimumCellVoltage,
                              cellVoltageMax: o.maximumCellVoltage, temperatureMin: o.minimumTemperature - 273.15,
                              temperatureMax: o.maximumTemperature - 273.15, stateOfCharge: o.stateOfCharge,
                              stateOfHealth: sampled.stateOfHealth, energy: sampled.energy * 1000,
                              limits: Telemetry.Limits(dischargeCurrent: capacity, chargeCurrent: capacity, dischargePower: rated,
                                                       chargePower: rated, socMin: 0.05, socMax: 0.95))
            corrupt(k, &t)
            out.append(t)
        }
        return Simulated(pack: info, telemetry: out)
    }

    /// Feeds a simulated device to a fresh registry; returns its final snapshot and the registry.
    static func run(_ s: Simulated, name: String = "d") -> (DeviceSnapshot, DeviceRegistry) {
        let registry = DeviceRegistry(period: 1)
        registry.ingest(status: Fixture.birth(s.pack), from: name, receivedMs: 1_000_000)
        for t in s.telemetry { registry.ingest(telemetry: t, from: name, receivedMs: Double(t.header.timestampMs) + 5) }
        return (registry.device(name, atMs: 1_000_000 + Double(s.telemetry.count) * 1000)!, registry)
    }

    @Test func healthyPacksRaiseNoFlag() throws {
        for index in 0..<4 {
            let (device, registry) = Self.run(try Self.simulate(index: index))
            #expect(device.flags.isEmpty, "pack \(index): \(device.flags), residuals \(device.residuals)")
            #expect(registry.counters.flagsRaised.allSatisfy { $0 == 0 }, "pack \(index)")
            #expect(abs(device.residuals.soc) < 0.005, "pack \(index): SoC residual \(device.residuals.soc)")
        }
    }

    @Test func aJumpingSoCEstimateIsFlagged() throws {
        let s = try Self.simulate(index: 0) { k, t in if k >= 150 { t.stateOfCharge = min(1, t.stateOfCharge + 0.06) } }
        let (device, registry) = Self.run(s)
        #expect(device.flags == [.socDivergence])
        #expect(registry.counters.flagsRaised[0] == 1)
    }

    @Test func aDeviceClockStepDoesNotBlindTheSupervisor() throws {
        // One sample an hour in the future (a clock fixed by NTP right after), then the SoC jump of the test above.
        let s = try Self.simulate(index: 0) { k, t in
            if k == 100 { t.header.timestampMs += 3_600_000 }
            if k >= 150 { t.stateOfCharge = min(1, t.stateOfCharge + 0.06) }
        }
        #expect(Self.run(s).0.flags == [.socDivergence])
    }

    @Test func aVoltageThatLeavesTheFittedModelIsFlagged() throws {
        // A string of cells lost: the pack voltage sags by a tenth from t = 150 s.
        let s = try Self.simulate(index: 1) { k, t in if k >= 150 { t.voltage *= 0.9 } }
        let (device, _) = Self.run(s)
        #expect(device.flags.contains(.voltageDivergence), "residuals \(device.residuals)")
        #expect(!device.flags.contains(.socDivergence))
    }

    @Test func aSustainedTemperatureRiseIsFlagged() throws {
        // 6 °C/min from t = 200 s, as a cell heating on its own would.
        let s = try Self.simulate(index: 2) { k, t in if k >= 200 { t.temperatureMax += Double(k - 200) * 0.1 } }
        let (device, _) = Self.run(s)
        #expect(device.flags.contains(.temperatureRise), "residuals \(device.residuals)")
        // A single hot reading is noise, not a flag.
        let blip = try Self.simulate(index: 2) { k, t in if k == 200 { t.temperatureMax += 3 } }
        #expect(Self.run(blip).0.flags.isEmpty)
    }

    @Test func aPackHotterThanItsPeersIsFlaggedAndCanBeExcluded() {
        let registry = DeviceRegistry(period: 1)
        var now = 1_000_000.0
        for k in 0..<8 {
            for (name, temperature) in [("a", 25.0), ("b", 27.0), ("c", 26.0), ("hot", 41.0)] {
                registry.ingest(telemetry: Fixture.telemetry(seq: UInt64(k + 1), ts: Int64(now), temperature: temperature),
                                from: name, receivedMs: now)
            }
            _ = registry.allocationSet(atMs: now, excludeFlagged: false)
            now += 1000
        }
        #expect(registry.device("hot", atMs: now)?.flags == [.temperatureAbovePeers])
        #expect(["a", "b", "c"].allSatisfy { registry.device($0, atMs: now)?.flags.isEmpty == true })
        #expect(registry.counts(atMs: now).flagged == 1)
        let kept = registry.allocationSet(atMs: now, excludeFlagged: false)
        #expect(kept.devices.count == 4)
        let excluded = registry.allocationSet(atMs: now, excludeFlagged: true)
        #expect(excluded.devices.map(\.name) == ["a", "b", "c"])
        #expect(excluded.excluded.map(\.reason) == [.flagged])
    }
}
