import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct ActivationTests {
    /// The fused tape node's value, gradient and tangent for each activation.
    @Test(arguments: Activation.allCases)
    func tapeNodeMatchesFiniteDifferences(_ activation: Activation) {
        let x = randn([3, 5], seed: 1, scale: 2)
        let seed = randn([3, 5], seed: 2), direction = randn([3, 5], seed: 3)
        let tape = Tape<Double>()
        let v = tape.variable(x)
        let y = activation.apply(v)
        #expect(y.value == activation.apply(x))
        let grad = tape.gradients(of: y, seed: seed, wrt: [v])
        let numeric = numericalGradients([x]) { p in (activation.apply(p[0]) * seed).sum().scalar }
        #expect(maxRelativeError(grad, numeric) < 1e-7)
        let tangent = tape.tangents(of: [y], seeds: [(variable: v, tangent: direction)])[0]
        let numericTangent = numericalDirectional([x], direction: [direction]) { activation.apply($0[0]) }
        #expect(maxRelativeError([tangent], [numericTangent]) < 1e-7)
    }

    /// The same values as the Tensors functions they stand for.
    @Test func valuesMatchTensorFunctions() {
        let x = randn([4, 4], seed: 4, scale: 3)
        #expect(Activation.identity.apply(x) == x)
        #expect(Activation.tanh.apply(x).maxAbsoluteDifference(x.tanh()) < 1e-15)
        #expect(Activation.relu.apply(x) == x.relu())
        #expect(Activation.elu.apply(x).maxAbsoluteDifference(x.elu()) < 1e-15)
        #expect(Activation.softplus.apply(x).maxAbsoluteDifference(x.softplus()) < 1e-15)
        #expect(Activation(rawValue: "tanh") == .tanh && Activation.allCases.count == 5)
    }
}
