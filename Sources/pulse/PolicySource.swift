import ArgumentParser
import Foundation
import PulseBMS
import Yams

/// A trained policy named on the command line (`pulse evaluate`, `pulse export`): a run directory — its final
/// `policy.weights`, or with `best` its `policy_best.weights` — or a bare weights file.
struct PolicySource {
    let model: PolicyNetwork
    let environmentID: String
    let options: Options
    let training: [String: String]
    let weightsPath: String
    /// The run's constraints (nil for a bare weights file).
    let constraints: [ConstraintConfig]?

    init(path: String, best: Bool, env: String?) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ValidationError("no run directory or weights file at \(path)")
        }
        var id = env, options: Options = [:], training: [String: String] = [:], constraints: [ConstraintConfig]?
        if isDirectory.boolValue {
            let run = try RunDirectory.open(at: path)
            let config = try YAMLDecoder().decode(TrainingConfig.self, from: try run.readConfig())
            id = id ?? config.environment.id
            options = config.environment.options
            constraints = config.constraints
            training["algorithm"] = config.algorithm.rawValue
            training["run"] = path
            weightsPath = best ? run.file("policy_best.weights") : run.policyWeightsPath
            guard FileManager.default.fileExists(atPath: weightsPath) else {
                throw ValidationError("\(weightsPath) does not exist\(best ? ": no evaluation of that run met its constraints" : "")")
            }
        } else {
            guard !best else { throw ValidationError("--best needs a run directory") }
            weightsPath = path
        }
        let contents = try WeightsFile.read(from: weightsPath, as: Float.self)
        model = try PolicyNetwork.load(contents)
        guard let envID = id ?? contents.metadata["env"] else { throw ValidationError("the weights name no environment: give --env") }
        environmentID = envID
        self.options = options
        self.constraints = constraints
        training["weights"] = weightsPath
        training["distribution"] = contents.metadata["policy.distribution"] ?? "gaussian"
        self.training = training
    }

    /// The MLP and the number of its outputs that are the action mean (a SAC network also outputs log-stds).
    var network: (mlp: MLP<Float>, actions: Int) {
        switch model {
        case let .gaussian(m): (m.policy, m.layout.actionsPerRow)
        case let .tanhGaussian(p): (p.network, p.layout.actionsPerRow)
        }
    }
}
