/// The rules a policy must meet to be written, and that a read policy is checked against: the same checks
/// `pe_policy_load` makes in C, plus the consistency of the int8 multipliers with the scales, which the C
/// runtime trusts (the CRC-32 protects them from damage).
extension PolicyFile {
    /// Every broken rule; empty when the policy can be encoded and loaded by the runtime.
    public func validate() -> [PolicyFormatError] {
        var out: [PolicyFormatError] = []
        let n = inputCount
        if n == 0 || n > Self.maxWidth { out.append(.badDimension("\(n) inputs, expected 1…\(Self.maxWidth)")) }
        if normalisation.scale.count != n { out.append(.badDimension("\(normalisation.scale.count) scales for \(n) means")) }
        if !(normalisation.clip.isFinite && normalisation.clip >= 0) { out.append(.badValue("observation clip \(normalisation.clip)")) }
        if !(normalisation.mean + normalisation.scale).allSatisfy(\.isFinite) { out.append(.badValue("a non-finite observation mean or scale")) }
        if layers.isEmpty || layers.count > Self.maxLayers { out.append(.badDimension("\(layers.count) layers, expected 1…\(Self.maxLayers)")) }
        var previous: PolicyLayer? = nil
        for (k, l) in layers.enumerated() {
            out += check(layer: l, index: k, previous: previous)
            previous = l
        }
        if let last = layers.last {
            if action.count == 0 || action.count > last.outputs {
                out.append(.badDimension("\(action.count) actions from a last layer of \(last.outputs) outputs"))
            }
        }
        if action.high.count != action.low.count { out.append(.badDimension("\(action.high.count) upper and \(action.low.count) lower action bounds")) }
        for i in 0..<min(action.low.count, action.high.count) where !(action.low[i].isFinite && action.high[i].isFinite && action.low[i] < action.high[i] && (action.high[i] - action.low[i]).isFinite) {
            out.append(.badValue("action \(i) bounds [\(action.low[i]), \(action.high[i])]"))
        }
        if let safetyLimits { out += safetyLimits.problems.map { .badValue("safety limits: \($0)") } }
        for s in otherSections where SectionType(rawValue: s.type) != nil {
            out.append(.badSectionTable("an extra section reuses the known type \(s.type)"))
        }
        if 5 + otherSections.count > Self.maxSections { out.append(.badSectionTable("more than \(Self.maxSections) sections")) }
        return out
    }

    private func check(layer l: PolicyLayer, index k: Int, previous: PolicyLayer?) -> [PolicyFormatError] {
        var out: [PolicyFormatError] = []
        let expectedInputs = previous?.outputs ?? inputCount
        guard (1...Self.maxWidth).contains(l.inputs), (1...Self.maxWidth).contains(l.outputs), l.inputs == expectedInputs else {
            return [.badDimension("layer \(k) is \(l.inputs)→\(l.outputs), expected \(expectedInputs) inputs and widths 1…\(Self.maxWidth)")]
        }
        if l.precision != precision { out.append(.badValue("layer \(k) is \(l.precision), layer 0 is \(precision)")) }
        switch l.weights {
        case let .f32(w, b):
            if w.count != l.inputs * l.outputs || b.count != l.outputs {
                out.append(.badDimension("layer \(k) has \(w.count) weights and \(b.count) biases for \(l.inputs)→\(l.outputs)"))
            }
            if !(w + b).allSatisfy(\.isFinite) { out.append(.badValue("layer \(k) has a non-finite weight or bias")) }
        case let .int8(q):
            out += check(quantised: q, layer: l, index: k, previous: previous)
        }
        return out
    }

    private func check(quantised q: QuantisedDense, layer l: PolicyLayer, index k: Int, previous: PolicyLayer?) -> [PolicyFormatError] {
        var out: [PolicyFormatError] = []
        let m = l.outputs
        guard q.weights.count == l.inputs * m, q.weightScales.count == m, q.bias.count == m, q.multipliers.count == m,
              q.shifts.count == m, (q.tanhTable == nil) == (l.activation != .tanh), q.tanhTable.map({ $0.count == 256 }) ?? true else {
            return [.badDimension("layer \(k): int8 array sizes do not match \(l.inputs)→\(m) (or a tanh table where none belongs)")]
        }
        for t in [q.input, q.preActivation, q.output] where !(t.scale.isFinite && t.scale >= .leastNormalMagnitude && (-128...127).contains(t.zeroPoint)) {
            out.append(.badQuantisation("layer \(k): scale \(t.scale), zero point \(t.zeroPoint)"))
        }
        if l.activation != .tanh && q.preActivation != q.output {
            out.append(.badQuantisation("layer \(k): without tanh the output quantisation must equal the dense output's"))
        }
        if let previous, case let .int8(p) = previous.weights, p.output != q.input {
            out.append(.badQuantisation("layer \(k): input quantisation \(q.input) is not layer \(k - 1)'s output \(p.output)"))
        }
        let biasRoom = Int64(Int32.max) - 255 * 128 * Int64(l.inputs)
        if let b = q.bias.first(where: { abs(Int64($0)) > biasRoom }) {
            out.append(.badQuantisation("layer \(k): bias \(b) leaves the int32 accumulator less than 255·128·\(l.inputs) of room"))
        }
        for o in 0..<m {
            let s = q.weightScales[o], mult = q.multipliers[o], shift = q.shifts[o]
            guard s.isFinite && s >= .leastNormalMagnitude, (-31...30).contains(shift), mult == 0 || mult >= 1 << 30 else {
                out.append(.badQuantisation("layer \(k) channel \(o): weight scale \(s), multiplier \(mult), shift \(shift)"))
                continue
            }
            let real = Double(q.input.scale) * Double(s) / Double(q.preActivation.scale)
            let stored = QuantisedDense.realMultiplier(mult, shift)
            let expected = QuantisedDense.realMultiplier(QuantisedDense.fixedPoint(real).multiplier, QuantisedDense.fixedPoint(real).shift)
            if abs(stored - expected) > 1e-6 * max(real, 1e-30) {
                out.append(.badQuantisation("layer \(k) channel \(o): multiplier \(mult)·2^(\(shift)−31) is not input·weight/output scale \(real)"))
            }
        }
        return out
    }
}
