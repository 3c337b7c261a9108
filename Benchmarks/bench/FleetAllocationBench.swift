import Foundation
import PulseBMS

/// The coordinator's work without a broker, on ``SyntheticFleet`` devices: `allocate_10000_{proportional,mpc,policy}_ms`
/// (median of 5 allocations of a demand of 30–40 % of the fleet's rating; MPC at its default horizon; the policy a
/// random 14→64→64→1 network of the trained policies' shape) and `ingest_decode_msgs_per_s` (telemetry decoded
/// and taken into the registry on one thread).
enum FleetAllocationBench {
    static func run(devices: Int, into report: inout Report, progress: Bool) throws {
        let fleet = SyntheticFleet.devices(count: devices, seed: 1)
        let rated = fleet.map(\.ratedPower).reduce(0, +)
        let choices: [AllocatorChoice] = [.proportional, .mpc(horizon: MPCAllocator.defaultHorizon), .policy(bytes: try randomPolicy(seed: 1))]
        for choice in choices where report.wants("allocate_\(devices)_\(choice.name)_ms") {
            let allocator = try makeAllocator(choice)
            var times: [Double] = []
            for k in 0..<5 {
                let demand = rated * (0.3 + 0.025 * Double(k))
                let problem = AllocationProblem(devices: fleet, demand: demand, forecast: [demand], period: 1, hourOfDay: 12)
                let start = ContinuousClock.now
                let result = try allocator.allocate(problem)
                times.append(milliseconds(ContinuousClock.now - start))
                precondition(result.demandMet, "the \(choice.name) allocator did not meet a feasible demand")
            }
            report.add("allocate_\(devices)_\(choice.name)_ms", times.sorted()[times.count / 2], threads: 1)
        }
        if report.wants("ingest_decode_msgs_per_s") {
            let payloads = (0..<devices).map { SyntheticFleet.device($0, seed: 1, timestampMs: epochMilliseconds()).telemetry.encoded() }
            let names = (0..<devices).map { SyntheticFleet.name($0) }
            let registry = DeviceRegistry(period: 1), rejections = RejectionCounter()
            let start = ContinuousClock.now
            for (i, payload) in payloads.enumerated() {
                if let t = rejections.accept("t", payload, Telemetry.decode) {
                    _ = registry.ingest(telemetry: t, from: names[i], receivedMs: Double(epochMilliseconds()))
                }
            }
            precondition(rejections.total == 0, "synthetic telemetry was refused")
            report.add("ingest_decode_msgs_per_s", Double(devices) / (milliseconds(ContinuousClock.now - start) / 1000), threads: 1)
        }
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

    static func milliseconds(_ d: Duration) -> Double {
        (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) * 1000
    }
}
