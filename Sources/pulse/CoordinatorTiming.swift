import Coordinator
import FleetProtocol
import Foundation
import NeuralNetworks
import PolicyFormat
import SeededRandom

/// `pulse coordinator --time-allocation N`: how long each allocator takes on N synthetic devices
/// (``SyntheticFleet``), and how fast telemetry decodes into the registry on one thread — no broker. Prints one
/// JSON object per line. A quick measurement for choosing settings; the `fleet` benchmark measures end to end.
struct CoordinatorTiming {
    var devices: Int
    var horizon: Int
    var period: Double
    var seed: UInt64
    /// A policy to time; without one, a random 14→64→64→1 network of the trained policies' shape.
    var policy: [UInt8]?
    var repeats = 5

    func run() throws {
        let fleet = SyntheticFleet.devices(count: devices, seed: seed)
        let rated = fleet.map(\.ratedPower).reduce(0, +)
        let policyBytes = try policy ?? Self.randomPolicy(seed: seed)
        var choices: [AllocatorChoice] = [.proportional]
        for h in Set([1, 2, 4, 8, horizon]).sorted() { choices.append(.mpc(horizon: h)) }
        choices.append(.policy(bytes: policyBytes))
        for choice in choices {
            let allocator = try makeAllocator(choice)
            var times: [Double] = [], met = true, fallbacks = 0, share = 0.0
            for k in 0..<repeats {
                // A demand that changes a little from period to period, as a site's does: 30–40 % of the rating.
                let demand = rated * (0.3 + 0.1 * Double(k) / Double(max(repeats - 1, 1)))
                let problem = AllocationProblem(devices: fleet, demand: demand, forecast: [demand], period: period, hourOfDay: 12)
                let start = ContinuousClock.now
                let result = try allocator.allocate(problem)
                times.append(Self.ms(ContinuousClock.now - start))
                met = met && result.demandMet
                if result.fallback != nil { fallbacks += 1 }
                share = result.allocated / demand
            }
            var row: [String: Any] = ["measurement": "allocation", "allocator": allocator.name, "devices": devices,
                                      "first_ms": times[0], "median_ms": Self.median(times), "max_ms": times.max()!,
                                      "repeats": repeats, "demand_met": met, "allocated_share": share, "fallbacks": fallbacks]
            if case let .mpc(h) = choice { row["horizon"] = h }
            try Self.printJSON(row)
        }
        try timeIngest()
        try timeCommands(fleet)
    }

    /// Telemetry decoded and taken into a registry, one thread.
    private func timeIngest() throws {
        let payloads = (0..<devices).map { SyntheticFleet.device($0, seed: seed, timestampMs: epochMilliseconds()).telemetry.encoded() }
        let names = (0..<devices).map { SyntheticFleet.name($0) }
        let registry = DeviceRegistry(period: period), rejections = RejectionCounter()
        let start = ContinuousClock.now
        for (i, payload) in payloads.enumerated() {
            if let t = rejections.accept("t", payload, Telemetry.decode) {
                registry.ingest(telemetry: t, from: names[i], receivedMs: Double(epochMilliseconds()))
            }
        }
        let seconds = Self.ms(ContinuousClock.now - start) / 1000
        try Self.printJSON(["measurement": "ingest_decode", "messages": devices, "msgs_per_s": Double(devices) / seconds,
                            "us_per_msg": seconds * 1e6 / Double(devices), "rejected": rejections.total])
    }

    /// Setpoint commands encoded (what publishing costs besides the library's own work).
    private func timeCommands(_ fleet: [AllocatableDevice]) throws {
        let now = epochMilliseconds()
        let start = ContinuousClock.now
        var bytes = 0
        for (i, _) in fleet.enumerated() {
            bytes += SetpointCommand(header: MessageHeader(seq: UInt64(i), timestampMs: now), expiresMs: now + 3000,
                                     setpoint: .power(1000)).encoded().count
        }
        try Self.printJSON(["measurement": "command_encoding", "commands": fleet.count,
                            "ms": Self.ms(ContinuousClock.now - start), "bytes": bytes])
    }

    /// A random policy of the shape the FleetDispatch experiments train (two hidden layers of 64, tanh).
    static func randomPolicy(seed: UInt64) throws -> [UInt8] {
        var rng = Xoshiro256StarStar(seed: seed)
        let mlp = MLP<Float>(sizes: [14, 64, 64, 1], using: &rng)
        var metadata = PolicyMetadata.unnamed(environment: PolicyObservation.environment, inputs: 14, actions: 1)
        metadata.layout = PolicyObservation.layout
        let head = PolicyExport.Head(normalisation: .identity(inputs: 14), action: ActionHead(squash: .tanh, low: [0], high: [1]),
                                     metadata: metadata)
        return try PolicyExport.f32(mlp, head: head).encode()
    }

    static func ms(_ d: Duration) -> Double {
        (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) * 1000
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func printJSON(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
