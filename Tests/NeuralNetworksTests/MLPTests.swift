import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct MLPTests {
    @Test(arguments: Activation.allCases)
    func tapeForwardEqualsInference(_ activation: Activation) {
        let mlp = randomMLP([5, 7, 6, 3], hidden: activation, output: activation, seed: 1)
        let x = randn([4, 5], seed: 2)
        let tape = Tape<Double>()
        let y = mlp.apply(tape.constant(x), parameters: mlp.parameterVariables(on: tape))
        #expect(y.shape == [4, 3])
        #expect(y.value.maxAbsoluteDifference(mlp(x)) < 1e-14)
        // A single input row gives a single output row.
        let row = x.slice(1..<2, alongAxis: 0)
        #expect(mlp(row.reshaped([5])).maxAbsoluteDifference(mlp(row).reshaped([3])) < 1e-15)
    }

    @Test func tapeForwardEqualsInferenceInFloat() {
        var g = Xoshiro256StarStar(seed: 3)
        let mlp = MLP<Float>(sizes: [96, 64, 64, 16], using: &g)
        let x = Tensor<Float>.randomNormal([64, 96], using: &g)
        let tape = Tape<Float>()
        let y = mlp.apply(tape.constant(x), parameters: mlp.parameterVariables(on: tape))
        #expect(y.value.maxAbsoluteDifference(mlp(x)) < 1e-5)
    }

    @Test func sizesParametersAndCount() {
        let mlp = randomMLP([96, 64, 64, 16], seed: 4)
        #expect(mlp.sizes == [96, 64, 64, 16])
        #expect(mlp.parameterCount == 96 * 64 + 64 + 64 * 64 + 64 + 64 * 16 + 16)
        #expect(mlp.parameters.map(\.shape) == [[96, 64], [64], [64, 64], [64], [64, 16], [16]])
        var copy = mlp
        copy.parameters = mlp.parameters.map { $0 * 2 }
        #expect(copy.layers[1].weight == mlp.layers[1].weight * 2)
        #expect(copy.layers[2].bias == mlp.layers[2].bias * 2)
    }

    @Test func updateParametersMovesAndRestores() {
        var mlp = randomMLP([3, 4, 2], seed: 5)
        let before = mlp.parameters
        let count = mlp.updateParameters { p -> Int in
            for i in p.indices { p[i].withUnsafeMutableScalars { for k in $0.indices { $0[k] += 1 } } }
            return p.count
        }
        #expect(count == 4)
        #expect(zip(mlp.parameters, before).allSatisfy { $0.maxAbsoluteDifference($1 + 1) == 0 })
    }

    /// An MLP feeding a state-independent DiagonalGaussian: the tape's gradient of a
    /// weighted sum of log-probabilities, w.r.t. every weight, bias and logStd, agrees with
    /// central finite differences.
    @Test(arguments: Activation.allCases)
    func gradientCheckThroughGaussianLogProbability(_ activation: Activation) {
        let mlp = randomMLP([4, 6, 5, 3], hidden: activation, seed: 6)
        let x = randn([5, 4], seed: 7)
        let actions = randn([5, 3], seed: 8)
        let weights = randn([5], seed: 9)
        let logStd = Tensor<Double>([0.1, -0.4, 0.3])
        func loss(_ p: [Tensor<Double>]) -> (Tape<Double>, Variable<Double>, [Variable<Double>]) {
            let tape = Tape<Double>()
            let vars = p.map { tape.variable($0) }
            let mean = mlp.apply(tape.constant(x), parameters: Array(vars.dropLast()))
            let dist = DiagonalGaussian(mean: mean, logStd: vars.last!)
            let out = (dist.logProbability(of: actions) * weights).sum()
            return (tape, out, vars)
        }
        let point = mlp.parameters + [logStd]
        let (tape, out, vars) = loss(point)
        let analytic = tape.gradients(of: out, wrt: vars)
        let numeric = numericalGradients(point) { loss($0).1.value.scalar }
        #expect(maxRelativeError(analytic, numeric) < 1e-6)
    }

    @Test(arguments: Activation.allCases)
    func jvpMatchesFiniteDifferences(_ activation: Activation) {
        let mlp = randomMLP([4, 6, 5, 3], hidden: activation, output: .tanh, seed: 10)
        let x = randn([5, 4], seed: 11)
        let directions = mlp.parameters.enumerated().map { randn($1.shape, seed: 100 + UInt64($0)) }
        let (output, tangent) = mlp.jvp(x, parameterTangents: directions)
        #expect(output.maxAbsoluteDifference(mlp(x)) < 1e-14)
        let numeric = numericalDirectional(mlp.parameters, direction: directions) { p in
            var m = mlp
            m.parameters = p
            return m(x)
        }
        #expect(maxRelativeError([tangent], [numeric]) < 1e-7)

        // With an input tangent as well.
        let xDot = randn([5, 4], seed: 12)
        let both = mlp.jvp(x, inputTangent: xDot, parameterTangents: directions).tangent
        let numericBoth = numericalDirectional(mlp.parameters + [x], direction: directions + [xDot]) { p in
            var m = mlp
            m.parameters = Array(p.dropLast())
            return m(p.last!)
        }
        #expect(maxRelativeError([both], [numericBoth]) < 1e-7)
    }

    /// The tangent of `jvp` equals the tape's forward mode through `apply`.
    @Test func jvpMatchesTapeForwardMode() {
        let mlp = randomMLP([3, 8, 2], hidden: .elu, seed: 13)
        let x = randn([6, 3], seed: 14)
        let directions = mlp.parameters.enumerated().map { randn($1.shape, seed: 200 + UInt64($0)) }
        let tape = Tape<Double>()
        let vars = mlp.parameterVariables(on: tape)
        let y = mlp.apply(tape.constant(x), parameters: vars)
        let tapeTangent = tape.tangents(of: [y], seeds: zip(vars, directions).map { (variable: $0, tangent: $1) })[0]
        #expect(mlp.jvp(x, parameterTangents: directions).tangent.maxAbsoluteDifference(tapeTangent) < 1e-13)
    }
}
