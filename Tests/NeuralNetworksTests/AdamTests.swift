import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct AdamTests {
    /// A 1→32→32→1 tanh MLP fitted to y = sin x on 64 points: the loss falls more than 100×.
    @Test func fitsSine() {
        var g = Xoshiro256StarStar(seed: 17)
        var mlp = MLP<Float>(sizes: [1, 32, 32, 1], hiddenActivation: .tanh, using: &g)
        let xs = (0..<64).map { -Float.pi + 2 * Float.pi * Float($0) / 63 }
        let x = Tensor<Float>(shape: [64, 1], scalars: xs)
        let y = Tensor<Float>(shape: [64, 1], scalars: xs.map { sinApprox($0) })
        var adam = Adam<Float>(parameters: mlp.parameters, learningRate: 1e-2)
        let tape = Tape<Float>()
        func loss() -> Float { (mlp(x) - y).squared().mean().scalar }
        let initial = loss()
        for _ in 0..<1500 {
            tape.reset()
            let vars = mlp.parameterVariables(on: tape)
            let l = (mlp.apply(tape.constant(x), parameters: vars) - y).squared().mean()
            let grads = tape.gradients(of: l, wrt: vars)
            tape.reset()
            adam.step(&mlp, gradients: grads)
        }
        let final = loss()
        #expect(adam.stepCount == 1500)
        #expect(final < initial / 100, "loss \(initial) → \(final)")
    }

    /// With bias correction the first step moves each parameter by lr·g/(|g| + ε) ≈ lr·sign(g).
    @Test func firstStepIsLearningRateTimesSign() {
        var p = [Tensor<Double>([1, 2, 3])]
        var adam = Adam<Double>(parameters: p, learningRate: 0.1, epsilon: 0)
        adam.step(&p, gradients: [Tensor([0.5, -3, 1e-4])])
        #expect(p[0].maxAbsoluteDifference(Tensor([0.9, 2.1, 2.9])) < 1e-12)
    }

    /// Hand-computed two steps of Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
    @Test func twoStepsByHand() {
        var p = [Tensor<Double>([0])]
        var adam = Adam<Double>(parameters: p, learningRate: 0.01)
        adam.step(&p, gradients: [Tensor([2])])
        adam.step(&p, gradients: [Tensor([1])])
        let m1 = 0.2, v1 = 0.004
        let m2 = 0.9 * m1 + 0.1, v2 = 0.999 * v1 + 0.001
        let step1 = 0.01 * (m1 / 0.1) / ((v1 / 0.001).squareRoot() + 1e-8)
        let step2 = 0.01 * (m2 / 0.19) / ((v2 / (1 - 0.999 * 0.999)).squareRoot() + 1e-8)
        #expect(abs(p[0][0] - (-step1 - step2)) < 1e-14)
        #expect(adam.state.stepCount == 2)
        #expect(abs(adam.state.firstMoments[0][0] - m2) < 1e-15)
        #expect(abs(adam.state.secondMoments[0][0] - v2) < 1e-15)
    }

    /// Clipping returns the pre-clip norm and feeds the moments a gradient of norm maxGradientNorm.
    @Test func gradientClippingCapsTheNorm() {
        var p = [Tensor<Double>.zeros([3]), Tensor<Double>.zeros([2, 2])]
        var adam = Adam<Double>(parameters: p, learningRate: 1e-3, maxGradientNorm: 0.5)
        let grads = [Tensor<Double>([3, 0, 4]), Tensor<Double>([[0, 0], [0, 0]])]
        let norm = adam.step(&p, gradients: grads)
        #expect(abs(norm - 5) < 1e-12)
        // m = (1 − β₁)·clipped g, so ‖m‖ = 0.1 · 0.5.
        #expect(abs(Adam.globalNorm(adam.state.firstMoments) - 0.05) < 1e-6)
        // Under the threshold nothing is scaled.
        var q = [Tensor<Double>.zeros([2])]
        var unclipped = Adam<Double>(parameters: q, maxGradientNorm: 10)
        #expect(abs(unclipped.step(&q, gradients: [Tensor([0.3, 0.4])]) - 0.5) < 1e-12)
        #expect(unclipped.state.firstMoments[0].maxAbsoluteDifference(Tensor([0.03, 0.04])) < 1e-15)
    }

    /// Restoring the state reproduces the trajectory bit for bit (checkpoints).
    @Test func stateRoundTripResumesIdentically() {
        var p = [randn([4], seed: 1)], q = p
        var a = Adam<Double>(parameters: p, learningRate: 0.05)
        for k in 0..<3 { a.step(&p, gradients: [randn([4], seed: 10 + UInt64(k))]) }
        var b = Adam<Double>(parameters: q, learningRate: 0.05)
        b.state = a.state
        q = p
        for k in 3..<6 {
            let grad = randn([4], seed: 10 + UInt64(k))
            a.step(&p, gradients: [grad]); b.step(&q, gradients: [grad])
        }
        #expect(p == q)
        #expect(a.stepCount == 6 && b.stepCount == 6)
    }
}

/// sin x by the standard library-free Taylor series (|x| ≤ π), accurate to 1e-7.
private func sinApprox(_ x: Float) -> Float {
    let x = Double(x)
    var term = x, sum = x
    for n in 1..<12 { term *= -x * x / Double((2 * n) * (2 * n + 1)); sum += term }
    return Float(sum)
}
