import NeuralNetworks
import Tensors

/// Weights files of an ``ActorCritic``: the MLPs `policy`, `value` and `cost_value`, the tensor `policy.log_std`,
/// and the observation layout as metadata (`policy.layout` = `flat:<observation>,<action>` or
/// `per_pack:<site>,<pack>`). `pulse evaluate` runs the policy part; reading a file back needs all three networks.
extension ActorCritic {
    public func weightsFile(metadata extra: [String: String] = [:], tensors: [(name: String, tensor: Tensor<Float>)] = []) -> [UInt8] {
        var metadata = extra
        metadata["policy.layout"] = layout.encoded
        if costPerRow { metadata["cost_value.per_row"] = "true" }
        return WeightsFile.encode(models: [("policy", policy), ("value", value), ("cost_value", costValue)],
                                  tensors: [("policy.log_std", logStd)] + tensors, metadata: metadata)
    }

    /// Reads the networks back; throws `.checkpoint` when a part is missing or malformed.
    public init(weights contents: WeightsFile.Contents<Float>) throws(TrainingError) {
        guard let text = contents.metadata["policy.layout"], let layout = ObservationLayout(encoded: text) else {
            throw .checkpoint("the weights have no valid policy.layout entry")
        }
        guard let logStd = contents.tensor(named: "policy.log_std") else { throw .checkpoint("the weights have no policy.log_std") }
        do {
            let policy = try contents.mlp(named: "policy")
            guard policy.inputSize == layout.rowWidth, policy.outputSize == layout.actionsPerRow,
                  logStd.shape == [layout.actionsPerRow] else {
                throw TrainingError.checkpoint("the policy's sizes \(policy.sizes) do not match its layout \(text)")
            }
            self.layout = layout
            self.policy = policy
            self.logStd = logStd
            costPerRow = contents.metadata["cost_value.per_row"] == "true"
            let costWidth = costPerRow ? layout.rowWidth : layout.criticWidth
            value = try contents.mlp(named: "value")
            costValue = try contents.mlp(named: "cost_value")
            guard value.inputSize == layout.criticWidth, costValue.inputSize == costWidth else {
                throw TrainingError.checkpoint("the critics take \(value.inputSize) and \(costValue.inputSize) inputs, the layout \(text) gives \(layout.criticWidth) and \(costWidth)")
            }
        } catch let error as TrainingError {
            throw error
        } catch {
            throw .checkpoint("\(error)")
        }
    }
}

extension ObservationLayout {
    var encoded: String {
        switch self {
        case let .flat(o, a): "flat:\(o),\(a)"
        case let .perPack(s, p): "per_pack:\(s),\(p)"
        }
    }

    init?(encoded text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2 else { return nil }
        let numbers = parts[1].split(separator: ",").compactMap { Int($0) }
        guard numbers.count == 2, numbers.allSatisfy({ $0 > 0 }) else { return nil }
        switch parts[0] {
        case "flat": self = .flat(observation: numbers[0], action: numbers[1])
        case "per_pack": self = .perPack(site: numbers[0], pack: numbers[1])
        default: return nil
        }
    }
}
