import ArgumentParser
import BatteryGym
import Foundation
import Gym
import NeuralNetworks
import PolicyFormat
import RunLog
import SafeRL
import SeededRandom
import Yams

/// `pulse export RUN|WEIGHTS --format f32|int8 --output policy.pbp`: a trained policy as a `.pbp` file for the
/// edge runtime (docs/policy-format.md).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a trained policy (a run directory or a policy.weights file) as a .pbp file for the edge runtime.",
        discussion: """
        The file holds the network that maps one row of the policy's input (the whole observation for a flat \
        policy; [site features | one pack's features] for a per-pack policy) to that row's action mean, tanh as \
        the squash, and the environment's action bounds. int8 calibrates its activation ranges on observations \
        recorded by rolling out the policy's deterministic action in the run's environment from seed S until \
        --calibration-steps steps are recorded (default 1440: one day of the fleet environments' 60 s steps; \
        every pack row of a step counts as a calibration row). --limits FILE.json adds a SAFETY_LIMITS section \
        (the JSON of PolicyFormat.SafetyLimits: cellOvervoltageV, …, derating).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case f32, int8 }

    @Argument(help: "A run directory (from `train`) or a policy weights file.") var source: String
    @Flag(help: "With a run directory: its best feasible evaluated policy (policy_best.weights).") var best = false
    @Option(help: "f32 (weights as trained) or int8 (post-training quantisation).") var format: Format = .f32
    @Option(name: .shortAndLong, help: "The .pbp file to write.") var output: String
    @Option(help: "Environment id (default: the run's, or the weights file's).") var env: String?
    @Option(help: "Number of packs of the calibration environment (fleet environments).") var packs: Int?
    @Option(name: .customLong("option"), help: ArgumentHelp("Any environment option, repeatable.", valueName: "KEY=VALUE"))
    var extra: [String] = []
    @Option(help: "int8: environment steps of observations to calibrate on.") var calibrationSteps: Int = 1440
    @Option(help: "int8: seed of the first calibration episode.") var seed: UInt64 = 0
    @Option(help: "A JSON file of safety limits to embed.") var limits: String?

    func validate() throws {
        guard calibrationSteps > 0 else { throw ValidationError("--calibration-steps must be positive, not \(calibrationSteps)") }
    }

    func run() throws {
        let source = try PolicySource(path: source, best: best, env: env)
        var options = source.options
        if let packs { options["packs"] = .int(packs) }
        options.merge(try EnvironmentChoice.parse(extra)) { _, new in new }
        let environment = try BatteryGym.make(source.environmentID, options: options)
        guard case let .box(box) = environment.actionSpace, box.isBounded else {
            throw ValidationError("\(source.environmentID) has no bounded Box action space: \(environment.actionSpace)")
        }
        let layout = source.model.layout
        let (mlp, actions) = source.network
        let bounds = try Self.actionBounds(layout: layout, box: box)
        var metadata = PolicyMetadata(environment: source.environmentID, observations: Self.inputNames(layout),
                                      actions: (0..<actions).map { .init(name: "action[\($0)]", unit: "normalised") },
                                      training: source.training, layout: Self.describe(layout))
        metadata.training["format"] = format.rawValue
        var safety: SafetyLimits? = nil
        if let limits {
            do { safety = try JSONDecoder().decode(SafetyLimits.self, from: Data(contentsOf: URL(fileURLWithPath: limits))) } catch {
                throw ValidationError("cannot read safety limits from \(limits): \(error)")
            }
        }
        let head = PolicyExport.Head(normalisation: .identity(inputs: layout.rowWidth),
                                     action: ActionHead(squash: .tanh, low: bounds.low, high: bounds.high),
                                     metadata: metadata, safetyLimits: safety)
        let file: PolicyFile
        var note = ""
        switch format {
        case .f32: file = try PolicyExport.f32(mlp, head: head)
        case .int8:
            let rows = try Self.calibrationRows(source.model, in: environment, box: box, steps: calibrationSteps, seed: seed)
            file = try PolicyExport.int8(mlp, head: head, calibration: rows)
            // The int8 runtime against the f32 one on the calibration rows, in action units.
            let exact = try EdgePolicy(bytes: try PolicyExport.f32(mlp, head: head).encode())
            let quantised = try EdgePolicy(bytes: file.encode())
            var worst: Float = 0, sum: Float = 0
            for row in rows {
                let a = try exact.infer(row), b = try quantised.infer(row)
                for j in a.indices { worst = max(worst, abs(a[j] - b[j])); sum += abs(a[j] - b[j]) }
            }
            note = "; int8 − f32 action error on \(rows.count) calibration rows: max \(worst), mean \(sum / Float(rows.count * actions))"
        }
        let bytes = file.encode()
        _ = try EdgePolicy(bytes: bytes)  // the runtime loads what was written
        try WeightsFile.writeBytes(bytes, to: output)
        print("wrote \(output): \(format.rawValue), \(file.layers.map { "\($0.inputs)→\($0.outputs)" }.joined(separator: ", ")), "
              + "\(bytes.count) bytes, arena \(file.arenaBytes) bytes\(note)")
    }

    /// One action's bounds per row: the Box's, which for a per-pack policy must be the same for every pack.
    static func actionBounds(layout: ObservationLayout, box: Box) throws -> (low: [Float], high: [Float]) {
        switch layout {
        case .flat:
            return (box.low.map(Float.init), box.high.map(Float.init))
        case .perPack:
            guard Set(box.low).count == 1, Set(box.high).count == 1 else {
                throw ValidationError("the packs' action bounds differ; a per-pack policy needs one bound for all")
            }
            return ([Float(box.low[0])], [Float(box.high[0])])
        }
    }

    static func inputNames(_ layout: ObservationLayout) -> [PolicyMetadata.Channel] {
        switch layout {
        case let .flat(o, _): (0..<o).map { .init(name: "obs[\($0)]") }
        case let .perPack(s, p): (0..<s).map { .init(name: "site[\($0)]") } + (0..<p).map { .init(name: "pack[\($0)]") }
        }
    }

    static func describe(_ layout: ObservationLayout) -> String {
        switch layout {
        case let .flat(o, a): "flat:\(o),\(a)"
        case let .perPack(s, p): "per_pack:\(s),\(p)"
        }
    }

    /// Network input rows met by the policy's deterministic action, episode after episode from `seed`.
    static func calibrationRows(_ model: PolicyNetwork, in environment: any Environment, box: Box, steps: Int,
                                seed: UInt64) throws -> [[Float]] {
        var rows: [[Float]] = [], recorded = 0, episode: UInt64 = 0
        var rng = Xoshiro256StarStar(seed: seed)
        while recorded < steps {
            var (o, _) = try environment.reset(seed: seed &+ episode)
            episode += 1
            while recorded < steps {
                let input = model.layout.input([o])
                let width = input.shape[1], scalars = input.scalars
                for r in 0..<input.shape[0] { rows.append(Array(scalars[(r * width)..<((r + 1) * width)])) }
                recorded += 1
                let raw = try model.act([o], deterministic: true, using: &rng)[0]
                var action = [Double](repeating: 0, count: raw.count)
                for i in raw.indices {
                    let s: Double = min(1, max(-1, raw[i]))
                    action[i] = box.low[i] + (s + 1) / 2 * (box.high[i] - box.low[i])
                }
                let t = try environment.step(action)
                o = t.observation
                if t.done { break }
            }
        }
        return rows
    }
}
