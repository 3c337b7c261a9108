import Testing
@testable import Tensors
import SeededRandom

typealias DTensor = Tensor<Double>
typealias DVariable = Variable<Double>

// MARK: - Random inputs

/// Seeded draws used by every test, so failures are reproducible.
struct Inputs {
    var rng: Xoshiro256StarStar

    init(seed: UInt64) { rng = Xoshiro256StarStar(seed: seed) }

    mutating func normal(_ shape: [Int]) -> DTensor { DTensor.randomNormal(shape, using: &rng) }

    mutating func uniform(_ shape: [Int], _ low: Double, _ high: Double) -> DTensor {
        DTensor.randomUniform(shape, low: low, high: high, using: &rng)
    }

    /// Uniform in ±[low, high): magnitude bounded away from 0 (for divisors, relu, elu).
    mutating func awayFromZero(_ shape: [Int], _ low: Double = 0.2, _ high: Double = 2) -> DTensor {
        let magnitude = uniform(shape, low, high)
        let sign = uniform(shape, -1, 1).map { $0 < 0 ? -1 : 1 }
        return magnitude * sign
    }

    /// Two tensors whose broadcast pairs differ by at least `gap` everywhere (no ties for min/max).
    mutating func untied(_ sa: [Int], _ sb: [Int], gap: Double = 0.05) -> (DTensor, DTensor) {
        while true {
            let a = normal(sa), b = normal(sb)
            let distance = referenceElementwise(a, b) { abs($0 - $1) }
            if distance.count == 0 || distance.min() > gap { return (a, b) }
        }
    }
}

// MARK: - Reference broadcasting

/// The broadcast of two shapes, computed independently of `Tensor.broadcastShape`; nil if incompatible.
func referenceBroadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    let pa = [Int](repeating: 1, count: rank - a.count) + a
    let pb = [Int](repeating: 1, count: rank - b.count) + b
    var out: [Int] = []
    for (x, y) in zip(pa, pb) {
        if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else { return nil }
    }
    return out
}

/// The multi-index of flat position `flat` in `shape` (row-major).
func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var rest = flat
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}

/// The element of `t` that broadcasting reads for output multi-index `index` (of higher or equal rank).
func broadcastElement<S>(_ t: Tensor<S>, at index: [Int]) -> S {
    let offset = index.count - t.rank
    var flat = 0
    for axis in 0..<t.rank {
        let i = t.shape[axis] == 1 ? 0 : index[axis + offset]
        flat = flat * t.shape[axis] + i
    }
    return t.scalars[flat]
}

/// `op` over the broadcast of `a` and `b`, by explicit multi-indices (the slow, obvious way).
func referenceElementwise<S>(_ a: Tensor<S>, _ b: Tensor<S>, _ op: (S, S) -> S) -> Tensor<S> {
    let shape = referenceBroadcastShape(a.shape, b.shape)!
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<n).map { k in
        let index = multiIndex(k, shape)
        return op(broadcastElement(a, at: index), broadcastElement(b, at: index))
    })
}

// MARK: - Finite differences

/// The value of `f` at `inputs`, recorded on a fresh tape with constant leaves.
func evaluate(_ inputs: [DTensor], _ f: ([DVariable]) -> DVariable) -> DTensor {
    let tape = Tape<Double>()
    return f(inputs.map { tape.constant($0) }).value
}

/// `t` with element `j` moved by `delta`.
func perturbed(_ t: DTensor, at j: Int, by delta: Double) -> DTensor {
    var scalars = t.scalars
    scalars[j] += delta
    return DTensor(shape: t.shape, scalars: scalars)
}

/// Σ aᵢbᵢ over equal-shaped tensors, without BLAS.
func inner(_ a: DTensor, _ b: DTensor) -> Double {
    precondition(a.shape == b.shape, "inner: \(a.shape) vs \(b.shape)")
    var s = 0.0
    for i in 0..<a.count { s += a.scalars[i] * b.scalars[i] }
    return s
}

enum GradientCheck {
    static let step = 1e-6
    static let relativeTolerance = 1e-6
    /// Absolute floor, scaled by the magnitude of what is differenced (roundoff of a
    /// central difference is ≈ ε·|f|/h ≈ 2e-10·|f|).
    static let absoluteFloor = 1e-8

    static func close(_ analytic: Double, _ numeric: Double, scale: Double) -> Bool {
        abs(analytic - numeric) <= relativeTolerance * max(abs(analytic), abs(numeric)) + absoluteFloor * (1 + scale)
    }
}

/// Checks reverse mode (`Tape.gradients`) and forward mode (`Tape.tangents`) of `f`
/// against central finite differences in Float64.
///
/// - Gradients: of L = Σ f(x) ⊙ W for a fixed random weighting W (given as the seed),
///   for every element of every input; again with `wrt:` a single input (so earlier
///   inputs are skipped); and with every other input a constant (the `needs` = false paths).
/// - Tangents: for `directions` random directions on all inputs at once, and on each
///   input alone (the nil-tangent paths of the pushforwards), element-wise.
func checkGradient(_ inputs: [DTensor], seed: UInt64 = 0x5EED, directions: Int = 2,
                   sourceLocation: SourceLocation = #_sourceLocation,
                   _ f: ([DVariable]) -> DVariable) {
    let h = GradientCheck.step
    var rng = Inputs(seed: seed)
    let tape = Tape<Double>()
    let variables = inputs.map { tape.variable($0) }
    let output = f(variables)
    let y = output.value
    #expect(y == evaluate(inputs, f), "recording with variables and constants disagree", sourceLocation: sourceLocation)

    // Reverse mode.
    let weight = rng.normal(y.shape)
    let gradients = tape.gradients(of: output, seed: weight, wrt: variables)
    #expect(gradients.map(\.shape) == inputs.map(\.shape), "gradient shapes", sourceLocation: sourceLocation)
    guard gradients.map(\.shape) == inputs.map(\.shape) else { return }
    let lossScale = zip(y.scalars, weight.scalars).reduce(0) { $0 + abs($1.0 * $1.1) }
    for i in inputs.indices {
        var failures: [String] = []
        for j in 0..<inputs[i].count {
            var plus = inputs, minus = inputs
            plus[i] = perturbed(inputs[i], at: j, by: h)
            minus[i] = perturbed(inputs[i], at: j, by: -h)
            let numeric = (inner(evaluate(plus, f), weight) - inner(evaluate(minus, f), weight)) / (2 * h)
            let analytic = gradients[i].scalars[j]
            if !GradientCheck.close(analytic, numeric, scale: lossScale) {
                failures.append("element \(j): tape \(analytic), finite difference \(numeric)")
            }
        }
        #expect(failures.isEmpty,
                "gradient of input \(i) (shape \(inputs[i].shape)), output \(y.shape): \(failures.prefix(6).joined(separator: "; "))",
                sourceLocation: sourceLocation)

        // The same gradient when only this input is asked for …
        let alone = tape.gradients(of: output, seed: weight, wrt: [variables[i]])[0]
        #expect(alone.shape == inputs[i].shape && alone.maxAbsoluteDifference(gradients[i]) <= 1e-12 * (1 + lossScale),
                "gradient of input \(i) alone differs from the joint one", sourceLocation: sourceLocation)
        // … and when every other input is a constant.
        if inputs.count > 1 {
            let t = Tape<Double>()
            let leaves = inputs.indices.map { $0 == i ? t.variable(inputs[$0]) : t.constant(inputs[$0]) }
            let out = f(leaves)
            let g = t.gradients(of: out, seed: weight, wrt: [leaves[i]])[0]
            #expect(g.shape == inputs[i].shape && g.maxAbsoluteDifference(gradients[i]) <= 1e-12 * (1 + lossScale),
                    "gradient of input \(i) with the others constant differs", sourceLocation: sourceLocation)
        }
    }

    // Forward mode.
    func checkTangent(_ direction: [DTensor?], _ label: String) {
        let seeds = inputs.indices.compactMap { i in direction[i].map { (variable: variables[i], tangent: $0) } }
        let tangent = tape.tangents(of: [output], seeds: seeds)[0]
        #expect(tangent.shape == y.shape, "\(label): tangent shape \(tangent.shape) vs output \(y.shape)",
                sourceLocation: sourceLocation)
        guard tangent.shape == y.shape else { return }
        let plus = inputs.indices.map { i in direction[i].map { inputs[i] + $0 * h } ?? inputs[i] }
        let minus = inputs.indices.map { i in direction[i].map { inputs[i] - $0 * h } ?? inputs[i] }
        let (yp, ym) = (evaluate(plus, f), evaluate(minus, f))
        var failures: [String] = []
        for k in 0..<y.count {
            let numeric = (yp.scalars[k] - ym.scalars[k]) / (2 * h)
            if !GradientCheck.close(tangent.scalars[k], numeric, scale: abs(y.scalars[k])) {
                failures.append("element \(k): tape \(tangent.scalars[k]), finite difference \(numeric)")
            }
        }
        #expect(failures.isEmpty, "\(label), output \(y.shape): \(failures.prefix(6).joined(separator: "; "))",
                sourceLocation: sourceLocation)
    }
    for d in 0..<directions {
        let v = inputs.map { rng.normal($0.shape) }
        checkTangent(v, "tangent along direction \(d) on all inputs")
        if inputs.count > 1 {
            for i in inputs.indices {
                checkTangent(inputs.indices.map { $0 == i ? v[i] : nil }, "tangent along direction \(d) on input \(i) only")
            }
        }
    }
}
