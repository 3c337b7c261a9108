import Tensors

/// Post-training int8 quantisation of dense layers (Jacob et al., CVPR 2018, arXiv:1712.05877; Krishnamoorthi,
/// "Quantizing deep convolutional networks for efficient inference", arXiv:1806.08342): activations
/// asymmetric per tensor from calibrated [min, max] ranges, weights symmetric per output channel
/// (scale max|w|/127, zero point 0), int32 bias at scale s_in·s_w, and the requantisation multiplier
/// s_in·s_w/s_out in Q0.31 fixed point. tanh layers requantise to a pre-activation tensor and map it through
/// a 256-entry table onto TFLite's fixed tanh output quantisation (scale 1/128, zero point 0).
enum Int8Calibration {
    /// A running [min, max], empty (+∞, −∞) before the first value.
    struct Range {
        var lowerBound = Float.infinity, upperBound = -Float.infinity
    }

    typealias FloatLayer = (w: [Float], b: [Float], inputs: Int, outputs: Int, activation: PolicyActivation)

    /// The ranges of every tensor over the rows: the normalised input, then per layer the dense output before
    /// and after the activation.
    static func ranges(_ layers: [FloatLayer], normalisation: ObservationNormalisation, rows: [[Float]])
        throws(PolicyFormatError) -> (input: Range, pre: [Range], post: [Range]) {
        guard !rows.isEmpty else { throw .unsupportedModel("int8 export needs at least one calibration row") }
        var input = Range()
        var pre = [Range](repeating: Range(), count: layers.count), post = pre
        func widen(_ r: inout Range, _ v: Float) { r.lowerBound = min(r.lowerBound, v); r.upperBound = max(r.upperBound, v) }
        for row in rows {
            guard row.count == normalisation.mean.count, row.allSatisfy(\.isFinite) else {
                throw .unsupportedModel("a calibration row has \(row.count) entries (or a non-finite one), the policy reads \(normalisation.mean.count)")
            }
            var x = row.indices.map { normalisation.apply(row[$0], at: $0) }
            for v in x { widen(&input, v) }
            for (k, l) in layers.enumerated() {
                var y = [Float](repeating: 0, count: l.outputs)
                for o in 0..<l.outputs {
                    var acc = l.b[o]
                    for i in 0..<l.inputs { acc += l.w[o * l.inputs + i] * x[i] }
                    widen(&pre[k], acc)
                    y[o] = l.activation == .tanh ? Float.tanh(acc) : l.activation == .relu ? max(acc, 0) : acc
                    widen(&post[k], y[o])
                }
                x = y
            }
        }
        return (input, pre, post)
    }

    /// Where tanh saturates at int8 resolution: beyond ±3.2, tanh x is within 1/256 of ±1 — under half of the
    /// output quantum 1/128 — so a wider pre-activation range would only spend resolution on values that map to
    /// the same saturated output. Calibrated tanh pre-activation ranges are clipped to it.
    static let tanhSaturation: Float = 3.2

    static func quantise(_ layers: [FloatLayer], normalisation: ObservationNormalisation, rows: [[Float]],
                         squashedOutput: Bool = false) throws(PolicyFormatError) -> [PolicyLayer] {
        let r = try ranges(layers, normalisation: normalisation, rows: rows)
        var input = Quantisation(low: r.input.lowerBound, high: r.input.upperBound)
        var out: [PolicyLayer] = []
        for (k, l) in layers.enumerated() {
            let pre: Quantisation, output: Quantisation
            var table: [Int8]? = nil
            switch l.activation {
            case .tanh:
                pre = Quantisation(low: max(r.pre[k].lowerBound, -tanhSaturation), high: min(r.pre[k].upperBound, tanhSaturation))
                output = .tanhOutput
                table = (-128...127).map { q in output.quantise(Float.tanh(pre.dequantise(Int8(q)))) }
            case .relu:
                pre = Quantisation(low: 0, high: r.post[k].upperBound)
                output = pre
            case .identity where squashedOutput && k == layers.count - 1:
                // The action head's tanh follows: the same saturation applies to the last layer's outputs.
                pre = Quantisation(low: max(r.pre[k].lowerBound, -tanhSaturation), high: min(r.pre[k].upperBound, tanhSaturation))
                output = pre
            case .identity:
                pre = Quantisation(low: r.pre[k].lowerBound, high: r.pre[k].upperBound)
                output = pre
            }
            var scales = [Float](repeating: 1, count: l.outputs), bias = [Int32](repeating: 0, count: l.outputs)
            var mult = bias, shift = bias
            var weights = [Int8](repeating: 0, count: l.inputs * l.outputs)
            for o in 0..<l.outputs {
                let row = l.w[(o * l.inputs)..<((o + 1) * l.inputs)]
                let largest = row.reduce(0) { max($0, abs($1)) }
                let s = largest > 0 ? largest / 127 : 1
                scales[o] = s
                for i in 0..<l.inputs { weights[o * l.inputs + i] = Int8(max(-127, min(127, (row[row.startIndex + i] / s).rounded()))) }
                let biasScale = Double(input.scale) * Double(s)
                // Clamped to leave the accumulator room for 255·128·inputs (the runtime's overflow guard).
                let room = Double(Int32.max) - 255 * 128 * Double(l.inputs)
                bias[o] = Int32(max(-room, min(room, (Double(l.b[o]) / biasScale).rounded())))
                (mult[o], shift[o]) = QuantisedDense.fixedPoint(biasScale / Double(pre.scale))
            }
            let q = QuantisedDense(input: input, preActivation: pre, output: output, weightScales: scales, bias: bias,
                                   multipliers: mult, shifts: shift, tanhTable: table, weights: weights)
            out.append(PolicyLayer(inputs: l.inputs, outputs: l.outputs, activation: l.activation, weights: .int8(q)))
            input = output
        }
        return out
    }
}
