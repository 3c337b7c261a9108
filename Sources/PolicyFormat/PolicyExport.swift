import NeuralNetworks
import Tensors

/// Builds `.pbp` policies from NeuralNetworks MLPs: f32 as trained, or int8 after post-training calibration.
///
/// The MLP's weights are `[in, out]` (x·W); the file stores `[out][in]`. Only the first `actions` outputs of
/// the last layer are exported (a SAC policy's log-std half is dropped: the deterministic action needs only
/// the mean).
public enum PolicyExport {
    /// What goes around the network: normalisation, the action head, metadata and limits.
    public struct Head: Sendable {
        public var normalisation: ObservationNormalisation
        public var action: ActionHead
        public var metadata: PolicyMetadata
        public var safetyLimits: SafetyLimits?

        public init(normalisation: ObservationNormalisation, action: ActionHead, metadata: PolicyMetadata, safetyLimits: SafetyLimits? = nil) {
            self.normalisation = normalisation
            self.action = action
            self.metadata = metadata
            self.safetyLimits = safetyLimits
        }
    }

    /// The float layers of `mlp` as `[out][in]` weights, the last truncated to `actions` outputs.
    static func floatLayers(_ mlp: MLP<Float>, actions: Int) throws(PolicyFormatError) -> [(w: [Float], b: [Float], inputs: Int, outputs: Int, activation: PolicyActivation)] {
        guard actions >= 1, actions <= mlp.outputSize else {
            throw .unsupportedModel("\(actions) actions from an MLP with \(mlp.outputSize) outputs")
        }
        guard mlp.layers.count <= PolicyFile.maxLayers, mlp.sizes.allSatisfy({ $0 <= PolicyFile.maxWidth }) else {
            throw .unsupportedModel("sizes \(mlp.sizes) exceed \(PolicyFile.maxLayers) layers or width \(PolicyFile.maxWidth)")
        }
        var out: [(w: [Float], b: [Float], inputs: Int, outputs: Int, activation: PolicyActivation)] = []
        for (k, layer) in mlp.layers.enumerated() {
            guard let activation = PolicyActivation(mlp.activation(afterLayer: k)) else {
                throw .unsupportedModel("layer \(k) uses \(mlp.activation(afterLayer: k)); the runtime has identity, tanh and relu")
            }
            let n = layer.inputSize, m = k == mlp.layers.count - 1 ? actions : layer.outputSize
            let full = layer.outputSize
            let weight = layer.weight.scalars, bias = layer.bias.scalars
            var w = [Float](repeating: 0, count: n * m)
            for o in 0..<m { for i in 0..<n { w[o * n + i] = weight[i * full + o] } }
            out.append((w, Array(bias[0..<m]), n, m, activation))
        }
        return out
    }

    /// An f32 policy: the MLP's weights bit for bit.
    public static func f32(_ mlp: MLP<Float>, head: Head) throws(PolicyFormatError) -> PolicyFile {
        let layers = try floatLayers(mlp, actions: head.action.count).map {
            PolicyLayer(inputs: $0.inputs, outputs: $0.outputs, activation: $0.activation, weights: .f32(weight: $0.w, bias: $0.b))
        }
        return try checked(PolicyFile(metadata: head.metadata, normalisation: head.normalisation, layers: layers,
                                      action: head.action, safetyLimits: head.safetyLimits))
    }

    /// An int8 policy calibrated on `calibration`, rows of raw observations (before normalisation) such as a
    /// rollout records: per-tensor activation ranges are their minimum and maximum over the rows
    /// (`Int8Calibration`), weights are quantised symmetrically per output channel.
    public static func int8(_ mlp: MLP<Float>, head: Head, calibration: [[Float]]) throws(PolicyFormatError) -> PolicyFile {
        let float = try floatLayers(mlp, actions: head.action.count)
        var metadata = head.metadata
        metadata.calibrationRows = calibration.count
        let layers = try Int8Calibration.quantise(float, normalisation: head.normalisation, rows: calibration,
                                                  squashedOutput: head.action.squash == .tanh)
        return try checked(PolicyFile(metadata: metadata, normalisation: head.normalisation, layers: layers,
                                      action: head.action, safetyLimits: head.safetyLimits))
    }

    static func checked(_ file: PolicyFile) throws(PolicyFormatError) -> PolicyFile {
        if let problem = file.validate().first { throw problem }
        return file
    }
}
