import LinearAlgebra
import Tensors

/// MLPs in weights files: the architecture as metadata, the parameters as tensors.
///
/// An MLP saved under `name` (default `"mlp"`) writes the metadata
/// ```
/// <name>.kind              = mlp
/// <name>.sizes             = 96,64,64,16
/// <name>.hiddenActivation  = tanh
/// <name>.outputActivation  = identity
/// ```
/// and the tensors `<name>.layers.<l>.weight` (`[in, out]`) and `<name>.layers.<l>.bias`
/// (`[out]`). Several MLPs (an actor and a critic) and other tensors can share one file.
extension WeightsFile {
    /// The metadata and named tensors that describe `mlp` under `name`.
    public static func entries<S: TensorScalar>(for mlp: MLP<S>, name: String = "mlp")
        -> (metadata: [String: String], tensors: [(name: String, tensor: Tensor<S>)]) {
        let metadata = [
            "\(name).kind": "mlp",
            "\(name).sizes": mlp.sizes.map(String.init).joined(separator: ","),
            "\(name).hiddenActivation": mlp.hiddenActivation.rawValue,
            "\(name).outputActivation": mlp.outputActivation.rawValue,
        ]
        var tensors: [(name: String, tensor: Tensor<S>)] = []
        for (l, layer) in mlp.layers.enumerated() {
            tensors.append(("\(name).layers.\(l).weight", layer.weight))
            tensors.append(("\(name).layers.\(l).bias", layer.bias))
        }
        return (metadata, tensors)
    }

    /// The bytes of one MLP saved under `name`.
    public static func encode<S: TensorScalar>(_ mlp: MLP<S>, name: String = "mlp") -> [UInt8] {
        let e = entries(for: mlp, name: name)
        return encode(e.tensors, metadata: e.metadata)
    }

    /// The bytes of several named MLPs plus extra tensors and metadata, in one file.
    public static func encode<S: TensorScalar>(models: [(name: String, mlp: MLP<S>)],
                                               tensors: [(name: String, tensor: Tensor<S>)] = [],
                                               metadata: [String: String] = [:]) -> [UInt8] {
        var allMetadata = metadata
        var allTensors: [(name: String, tensor: Tensor<S>)] = []
        for (name, mlp) in models {
            let e = entries(for: mlp, name: name)
            allMetadata.merge(e.metadata) { _, _ in preconditionViolated("WeightsFile: metadata for \"\(name)\" collides") }
            allTensors += e.tensors
        }
        return encode(allTensors + tensors, metadata: allMetadata)
    }

    /// The MLP saved under `name` in `bytes`.
    public static func decodeMLP<S: TensorScalar>(_ bytes: [UInt8], as type: S.Type, name: String = "mlp")
        throws(WeightsFileError) -> MLP<S> {
        try decodeContents(bytes, as: type).mlp(named: name)
    }
}

extension WeightsFile.Contents {
    /// The MLP saved under `name`, its shapes checked against its metadata.
    public func mlp(named name: String = "mlp") throws(WeightsFileError) -> MLP<Scalar> {
        func value(_ key: String) throws(WeightsFileError) -> String {
            guard let v = metadata["\(name).\(key)"] else { throw .missingMetadata(key: "\(name).\(key)") }
            return v
        }
        let kind = try value("kind")
        guard kind == "mlp" else { throw .invalidMetadata(key: "\(name).kind", value: kind) }
        let sizesText = try value("sizes")
        let sizes = sizesText.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard sizes.count >= 2, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw .invalidMetadata(key: "\(name).sizes", value: sizesText)
        }
        var activations: [Activation] = []
        for key in ["hiddenActivation", "outputActivation"] {
            let text = try value(key)
            guard let a = Activation(rawValue: text) else { throw .invalidMetadata(key: "\(name).\(key)", value: text) }
            activations.append(a)
        }
        var layers: [Linear<Scalar>] = []
        for l in 0..<(sizes.count - 1) {
            let n = sizes[l]!, m = sizes[l + 1]!
            let w = try tensor("\(name).layers.\(l).weight", shape: [n, m])
            let b = try tensor("\(name).layers.\(l).bias", shape: [m])
            layers.append(Linear(weight: w, bias: b))
        }
        let extra = "\(name).layers.\(sizes.count - 1).weight"
        guard tensor(named: extra) == nil else {
            throw .inconsistent("tensor \"\(extra)\" exists but \"\(name).sizes\" = \(sizesText) implies \(sizes.count - 1) layers")
        }
        return MLP(layers: layers, hiddenActivation: activations[0], outputActivation: activations[1])
    }

    /// The tensor called `name`, which must have `shape`.
    func tensor(_ name: String, shape: [Int]) throws(WeightsFileError) -> Tensor<Scalar> {
        guard let t = tensor(named: name) else { throw .missingTensor(name: name) }
        guard t.shape == shape else { throw .shapeMismatch(name: name, expected: shape, found: t.shape) }
        return t
    }
}
