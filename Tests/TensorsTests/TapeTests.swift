import Testing
@testable import Tensors
import SeededRandom

/// Two-layer perceptron parameters and a batch.
struct MLP<Scalar: TensorScalar> {
    var x, w1, b1, w2, b2: Tensor<Scalar>

    init(batch: Int = 5, inputs: Int = 3, hidden: Int = 4, outputs: Int = 2, seed: UInt64) {
        var g = Xoshiro256StarStar(seed: seed)
        x = .randomNormal([batch, inputs], using: &g)
        w1 = .randomNormal([inputs, hidden], standardDeviation: 0.8, using: &g)
        b1 = .randomNormal([hidden], standardDeviation: 0.3, using: &g)
        w2 = .randomNormal([hidden, outputs], standardDeviation: 0.8, using: &g)
        b2 = .randomNormal([outputs], standardDeviation: 0.3, using: &g)
    }

    var all: [Tensor<Scalar>] { [x, w1, b1, w2, b2] }

    /// tanh(x·W₁ + b₁)·W₂ + b₂, from variables in the order of `all`.
    static func forward(_ v: [Variable<Scalar>]) -> Variable<Scalar> {
        (v[0].matmul(v[1]) + v[2]).tanh().matmul(v[3]) + v[4]
    }
}

@Suite struct CompositeTests {
    @Test func mlpGradientsAndTangents() {
        checkGradient(MLP<Double>(seed: 40).all, directions: 3) { MLP.forward($0) }
    }

    @Test func mlpScalarLossGradients() {
        // A scalar loss: ½·mean((f(x) − target)²), gradient with the default seed.
        var g = Inputs(seed: 41)
        let target = g.normal([5, 2])
        checkGradient(MLP<Double>(seed: 41).all) { v in ((MLP.forward(v) - target).squared() * 0.5).mean() }
    }

    /// ⟨u, J v⟩ = ⟨Jᵀ u, v⟩ on one recording, for several (u, v): the identity the
    /// Fisher–vector product (one pushforward then one pullback) relies on.
    @Test func tangentsAndGradientsAreAdjointDouble() {
        let mlp = MLP<Double>(batch: 7, inputs: 4, hidden: 8, outputs: 3, seed: 42)
        let tape = Tape<Double>()
        let x = tape.constant(mlp.x)
        let params = [mlp.w1, mlp.b1, mlp.w2, mlp.b2].map { tape.variable($0) }
        let out = MLP.forward([x] + params)
        var g = Xoshiro256StarStar(seed: 43)
        for _ in 0..<4 {
            let u = DTensor.randomNormal(out.shape, using: &g)
            let v = params.map { DTensor.randomNormal($0.shape, using: &g) }
            let jv = tape.tangents(of: [out], seeds: zip(params, v).map { ($0, $1) })[0]
            let jtu = tape.gradients(of: out, seed: u, wrt: params)
            let lhs = inner(u, jv)
            let rhs = zip(jtu, v).reduce(0) { $0 + inner($1.0, $1.1) }
            #expect(abs(lhs - rhs) <= 1e-12 * (1 + abs(lhs)), "⟨u, Jv⟩ = \(lhs), ⟨Jᵀu, v⟩ = \(rhs)")
        }
    }

    @Test func tangentsAndGradientsAreAdjointFloat() {
        let mlp = MLP<Float>(batch: 16, inputs: 6, hidden: 32, outputs: 4, seed: 44)
        let tape = Tape<Float>()
        let params = mlp.all.map { tape.variable($0) }
        let out = MLP.forward(params)
        var g = Xoshiro256StarStar(seed: 45)
        for _ in 0..<4 {
            let u = Tensor<Float>.randomNormal(out.shape, using: &g)
            let v = params.map { Tensor<Float>.randomNormal($0.shape, using: &g) }
            let jv = tape.tangents(of: [out], seeds: zip(params, v).map { ($0, $1) })[0]
            let jtu = tape.gradients(of: out, seed: u, wrt: params)
            let lhs = Double(u.dot(jv))
            let rhs = zip(jtu, v).reduce(0.0) { $0 + Double($1.0.dot($1.1)) }
            let scale = Double(u.norm() * jv.norm()) + 1
            #expect(abs(lhs - rhs) <= 1e-5 * scale, "⟨u, Jv⟩ = \(lhs), ⟨Jᵀu, v⟩ = \(rhs)")
        }
    }

    /// Float gradients and tangents of the MLP agree with the Double ones.
    @Test func mlpFloatMatchesDouble() {
        let md = MLP<Double>(seed: 46)
        let mf = MLP<Float>(seed: 46)
        let td = Tape<Double>(), tf = Tape<Float>()
        let vd = md.all.map { td.variable($0) }, vf = mf.all.map { tf.variable($0) }
        let od = MLP.forward(vd), of = MLP.forward(vf)
        let gd = td.gradients(of: od, wrt: vd), gf = tf.gradients(of: of, wrt: vf)
        func close(_ f: Tensor<Float>, _ d: DTensor) -> Bool {
            f.shape == d.shape && zip(f.scalars, d.scalars).allSatisfy { abs(Double($0) - $1) <= 1e-5 * (1 + abs($1)) }
        }
        #expect(close(of.value, od.value))
        for (f, d) in zip(gf, gd) { #expect(close(f, d), "\(f) vs \(d)") }
        let seedsD = vd.map { (variable: $0, tangent: DTensor.ones($0.shape)) }
        let seedsF = vf.map { (variable: $0, tangent: Tensor<Float>.ones($0.shape)) }
        #expect(close(tf.tangents(of: [of], seeds: seedsF)[0], td.tangents(of: [od], seeds: seedsD)[0]))
    }
}

@Suite struct TapeBehaviourTests {
    @Test func unusedAndLaterVariablesGetZeros() {
        let tape = Tape<Double>()
        let x = tape.variable(DTensor([1, 2, 3]))
        let unused = tape.variable(DTensor([[1, 2], [3, 4]]))
        let y = (x * x).sum()
        let later = tape.variable(DTensor([5]))
        let g = tape.gradients(of: y, wrt: [x, unused, later])
        #expect(g[0] == DTensor([2, 4, 6]))
        #expect(g[1] == DTensor.zeros([2, 2]))
        #expect(g[2] == DTensor.zeros([1]))
    }

    @Test func constantsGetNoGradientAndZeroTangent() {
        let tape = Tape<Double>()
        let c = tape.constant(DTensor([1, 2]))
        let x = tape.variable(DTensor([3, 4]))
        let y = c * x
        #expect(tape.gradients(of: y, wrt: [c, x]) == [DTensor([0, 0]), DTensor([1, 2])])
        // A tangent only on x, then none at all.
        #expect(tape.tangents(of: [y], seeds: [(x, DTensor([1, 1]))])[0] == DTensor([1, 2]))
        #expect(tape.tangents(of: [y], seeds: [])[0] == DTensor([0, 0]))
    }

    @Test func gradientOfOutputItselfIsSeed() {
        let tape = Tape<Double>()
        let x = tape.variable(DTensor([1, 2]))
        let y = x.exp()
        let seed = DTensor([0.5, -2])
        #expect(tape.gradients(of: y, seed: seed, wrt: [y])[0] == seed)
    }

    /// Gradients with respect to an intermediate (non-leaf) variable together with a leaf
    /// it depends on: L = Σ tanh(x)², wrt [x, h = tanh x]: ∂L/∂h = 2h.
    @Test func gradientWithRespectToIntermediateAndLeaf() {
        let tape = Tape<Double>()
        let x = tape.variable(DTensor([0.1, -0.4, 0.9]))
        let h = x.tanh()
        let loss = h.squared().sum()
        let hv = h.value
        let expectedH = hv * 2
        let expectedX = hv * 2 * hv.map { 1 - $0 * $0 }
        // Alone, the intermediate's gradient is right …
        let alone = tape.gradients(of: loss, wrt: [h])[0]
        #expect(alone.maxAbsoluteDifference(expectedH) < 1e-14)
        // … and together with x it must be the same.
        let both = tape.gradients(of: loss, wrt: [x, h])
        #expect(both[0].maxAbsoluteDifference(expectedX) < 1e-14)
        #expect(both[1].maxAbsoluteDifference(expectedH) < 1e-14,
                "∂L/∂h with wrt [x, h] is \(both[1]), expected \(expectedH)")
    }

    @Test func multipleOutputsTangents() {
        let tape = Tape<Double>()
        let x = tape.variable(DTensor([1, 2]))
        let a = x * 3, b = x.squared()
        let t = tape.tangents(of: [a, b, x], seeds: [(x, DTensor([1, -1]))])
        #expect(t == [DTensor([3, -3]), DTensor([2, -4]), DTensor([1, -1])])
    }

    @Test func resetForgetsNodes() {
        let tape = Tape<Float>()
        let x = tape.variable(Tensor<Float>([1, 2]))
        _ = (x * x).sum()
        #expect(tape.count == 3)
        tape.reset()
        #expect(tape.count == 0)
        let y = tape.variable(Tensor<Float>([3]))
        #expect(y.index == 0)
        #expect(tape.gradients(of: (y * y).sum(), wrt: [y])[0] == Tensor<Float>([6]))
    }
}
