import NeuralNetworks
@testable import PolicyFormat
import SeededRandom
import Tensors

/// A policy-shaped MLP with Gaussian weights (std 1/√fan-in) and biases (std 0.2).
func randomPolicyMLP(_ sizes: [Int], hidden: Activation = .tanh, seed: UInt64) -> MLP<Float> {
    var g = Xoshiro256StarStar(seed: seed)
    var layers: [Linear<Float>] = []
    for l in 0..<(sizes.count - 1) {
        let std: Double = 1 / Double(sizes[l]).squareRoot()
        let w = Tensor<Float>.randomNormal([sizes[l], sizes[l + 1]], standardDeviation: std, using: &g)
        let b = Tensor<Float>.randomNormal([sizes[l + 1]], standardDeviation: 0.2, using: &g)
        layers.append(Linear(weight: w, bias: b))
    }
    return MLP(layers: layers, hiddenActivation: hidden, outputActivation: .identity)
}

/// Observation rows with per-input offsets and spreads, so that normalisation matters.
func observationRows(_ count: Int, width: Int, seed: UInt64) -> [[Float]] {
    var g = Xoshiro256StarStar(seed: seed)
    var rows: [[Float]] = []
    for _ in 0..<count {
        var row: [Float] = []
        for i in 0..<width {
            let spread = Float(1 + i % 3), noise = Float(g.nextStandardNormal())
            row.append(Float(i % 5) + spread * noise)
        }
        rows.append(row)
    }
    return rows
}

/// A head that normalises with the rows' statistics-like constants and scales actions onto [−2, 3].
func testHead(inputs: Int, actions: Int, squash: ActionHead.Squash = .tanh, limits: SafetyLimits? = nil) -> PolicyExport.Head {
    let normalisation = ObservationNormalisation(mean: (0..<inputs).map { Float($0 % 5) }, scale: (0..<inputs).map { 1 / Float(1 + $0 % 3) }, clip: 10)
    return PolicyExport.Head(normalisation: normalisation,
                             action: ActionHead(squash: squash, low: [Float](repeating: -2, count: actions), high: [Float](repeating: 3, count: actions)),
                             metadata: PolicyMetadata.unnamed(environment: "Test-v0", inputs: inputs, actions: actions),
                             safetyLimits: limits)
}

/// The reference action of `mlp` (Swift, through NeuralNetworks' MLP inference) for one raw observation.
func referenceActions(_ mlp: MLP<Float>, head: PolicyExport.Head, observation: [Float]) -> [Float] {
    let x = observation.indices.map { head.normalisation.apply(observation[$0], at: $0) }
    let y = mlp(Tensor(shape: [x.count], scalars: x)).scalars
    return (0..<head.action.count).map { head.action.apply(y[$0], at: $0) }
}

/// A 16-byte-aligned copy of bytes lives in EdgePolicy; files for mutation tests come from here.
func sampleFile(precision: Precision, limits: Bool = true, seed: UInt64 = 1) throws -> [UInt8] {
    let mlp = randomPolicyMLP([12, 16, 16, 3], seed: seed)
    let head = testHead(inputs: 12, actions: 3, limits: limits ? .conservativeNMC(capacityAh: 50) : nil)
    let file = precision == .f32 ? try PolicyExport.f32(mlp, head: head)
                                 : try PolicyExport.int8(mlp, head: head, calibration: observationRows(256, width: 12, seed: seed))
    return file.encode()
}

/// The int8 computation of a quantised policy in plain Swift with exact rounding of every requantisation
/// (x·M rounded half away from zero in Double), where the runtime uses the Q0.31 fixed-point multiplier: the
/// two agree to within a quantum per layer, so any larger gap is a runtime bug.
func int8ReferenceActions(_ file: PolicyFile, observation: [Float]) -> [Float] {
    guard case let .int8(first) = file.layers[0].weights else { preconditionFailure("not int8") }
    var x = observation.indices.map { first.input.quantise(file.normalisation.apply(observation[$0], at: $0)) }
    var last = first
    for layer in file.layers {
        guard case let .int8(q) = layer.weights else { preconditionFailure("not int8") }
        var y = [Int8](repeating: 0, count: layer.outputs)
        for o in 0..<layer.outputs {
            var acc = Int64(q.bias[o])
            for i in 0..<layer.inputs { acc += (Int64(x[i]) - Int64(q.input.zeroPoint)) * Int64(q.weights[o * layer.inputs + i]) }
            let m = Double(q.input.scale) * Double(q.weightScales[o]) / Double(q.preActivation.scale)
            let v = max(-128, min(127, (Double(acc) * m).rounded() + Double(q.preActivation.zeroPoint)))
            var r = Int(v)
            switch layer.activation {
            case .tanh: r = Int(q.tanhTable![r + 128])
            case .relu: r = max(r, Int(q.output.zeroPoint))
            case .identity: break
            }
            y[o] = Int8(r)
        }
        x = y
        last = q
    }
    return (0..<file.action.count).map { file.action.apply(last.output.dequantise(x[$0]), at: $0) }
}
