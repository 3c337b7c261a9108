import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct GaussianPolicyFisherTests {
    /// F·v must equal the Hessian of the mean KL(π_old ‖ π_θ) at θ_old applied to v,
    /// here by central differences of the KL's gradient (computed by reverse mode).
    @Test func matchesFiniteDifferenceHessianOfKL() {
        let mlp = randomMLP([5, 7, 3], seed: 11)
        var g = Xoshiro256StarStar(seed: 12)
        let observations = Tensor<Double>.randomNormal([9, 5], using: &g)
        let logStd = Tensor<Double>.randomNormal([3], standardDeviation: 0.3, using: &g)
        let point = mlp.parameters + [logStd]
        let v = Tensor<Double>.randomNormal([ParameterVector.flatten(point).count], using: &g)

        let tape = Tape<Double>()
        let parameters = mlp.parameters.map(tape.variable)
        let mean = mlp.apply(tape.constant(observations), parameters: parameters)
        let fisher = GaussianPolicyFisher(tape: tape, mean: mean, parameters: parameters, logStd: logStd)
        let fv = fisher.product(v)

        let oldMean = mlp(observations)
        func klGradient(_ theta: [Tensor<Double>]) -> Tensor<Double> {
            let t = Tape<Double>()
            let vars = theta.map(t.variable)
            let new = DiagonalGaussian(mean: mlp.apply(t.constant(observations), parameters: Array(vars.dropLast())),
                                       logStd: vars[vars.count - 1])
            let old = DiagonalGaussian(mean: t.constant(oldMean), logStd: t.constant(logStd))
            return ParameterVector.flatten(t.gradients(of: new.klDivergence(from: old).mean(), wrt: vars))
        }
        let h = 1e-5
        let shapes = point.map { $0.shape }
        let plus = zip(point, ParameterVector.unflatten(v * h, shapes: shapes)).map { $0 + $1 }
        let minus = zip(point, ParameterVector.unflatten(v * -h, shapes: shapes)).map { $0 + $1 }
        let hv = (klGradient(plus) - klGradient(minus)) / (2 * h)
        let scale = max(1, hv.norm())
        #expect(fv.maxAbsoluteDifference(hv) < 1e-6 * scale, "F·v differs from the KL Hessian: \(fv) vs \(hv)")
    }

    @Test func isSymmetricPositiveSemidefinite() {
        let mlp = randomMLP([4, 6, 2], seed: 21)
        var g = Xoshiro256StarStar(seed: 22)
        let tape = Tape<Double>()
        let parameters = mlp.parameters.map(tape.variable)
        let mean = mlp.apply(tape.constant(Tensor.randomNormal([8, 4], using: &g)), parameters: parameters)
        let fisher = GaussianPolicyFisher(tape: tape, mean: mean, parameters: parameters,
                                          logStd: Tensor<Double>([0.1, -0.4]))
        let u = Tensor<Double>.randomNormal([fisher.dimension], using: &g)
        let w = Tensor<Double>.randomNormal([fisher.dimension], using: &g)
        #expect(abs(u.dot(fisher.product(w)) - w.dot(fisher.product(u))) < 1e-10)
        #expect(u.dot(fisher.product(u)) > 0)
    }
}
