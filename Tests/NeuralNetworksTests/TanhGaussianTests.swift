import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct TanhGaussianTests {
    let logTwoPi = Double.log(2 * Double.pi)

    /// The stable form equals log(1 − tanh² u) where the direct form is accurate,
    /// and 2 log 2 − 2|u| far out, where the direct form is −∞.
    @Test func stableLogJacobian() {
        for u in stride(from: -6.0, through: 6.0, by: 0.25) {
            let direct = Double.log(1 - Double.tanh(u) * Double.tanh(u))
            #expect(abs(TanhGaussian<Double>.logOneMinusTanhSquared(u) - direct) < 1e-10)
        }
        for u: Float in [-100, -30, 20, 50, 100] {
            let direct = Float.log(1 - Float.tanh(u) * Float.tanh(u))
            #expect(direct == -.infinity)
            let stable = TanhGaussian<Float>.logOneMinusTanhSquared(u)
            #expect(stable.isFinite)
            #expect(abs(stable - (2 * Float.log(2) - 2 * abs(u))) < 1e-4 * abs(u))
        }
    }

    /// log π(a) of rsample equals the change of variables computed directly:
    /// log N(u; μ, σ) − Σ log(1 − tanh² u) − Σ log h.
    @Test(arguments: [false, true])
    func logProbabilityMatchesChangeOfVariables(bounded: Bool) {
        let tape = Tape<Double>()
        let mu = randn([5, 2], seed: 1), s = Tensor<Double>([-0.5, 0.2]), eps = randn([5, 2], seed: 2)
        let low = Tensor<Double>([-2, 0]), high = Tensor<Double>([2, 10])
        let dist = bounded
            ? TanhGaussian(mean: tape.variable(mu), logStd: tape.variable(s), low: low, high: high)
            : TanhGaussian(mean: tape.variable(mu), logStd: tape.variable(s))
        let (action, logp) = dist.rsample(noise: eps)
        for i in 0..<5 {
            var expected = 0.0
            for j in 0..<2 {
                let sigma = Double.exp(s[j]), u = mu[i, j] + sigma * eps[i, j]
                let scale = bounded ? (high[j] - low[j]) / 2 : 1, offset = bounded ? (high[j] + low[j]) / 2 : 0
                expected += -eps[i, j] * eps[i, j] / 2 - Double.log(sigma) - logTwoPi / 2
                expected -= Double.log(1 - Double.tanh(u) * Double.tanh(u)) + Double.log(scale)
                #expect(abs(action.value[i, j] - (offset + scale * Double.tanh(u))) < 1e-14)
            }
            #expect(abs(logp.value[i] - expected) < 1e-10)
        }
        // The same log-probability from the actions themselves (inverse squash).
        let fromActions = dist.logProbability(of: action.value).value
        #expect(fromActions.maxAbsoluteDifference(logp.value) < 1e-7)
    }

    /// Large pre-squash values: finite log-probabilities in Float that match Double.
    @Test func stableForLargeU() {
        let tape = Tape<Float>()
        let mu = Tensor<Float>([[20, -30], [15, 40]])
        let dist = TanhGaussian(mean: tape.variable(mu), logStd: tape.variable(Tensor<Float>([-1, -1])))
        let eps = Tensor<Float>([[0.5, -0.5], [1, 0]])
        let (action, logp) = dist.rsample(noise: eps)
        #expect(logp.value.scalars.allSatisfy { $0.isFinite })
        #expect(action.value.scalars.allSatisfy { abs($0) <= 1 })
        for i in 0..<2 {
            var expected = 0.0
            for j in 0..<2 {
                let e = Double(eps[i, j]), u = Double(mu[i, j]) + Double.exp(-1) * e
                expected += -e * e / 2 + 1 - logTwoPi / 2 - (2 * Double.log(2) - 2 * abs(u))
            }
            #expect(abs(Double(logp.value[i]) - expected) < 1e-3)
        }
        let grads = tape.gradients(of: logp.sum(), wrt: [dist.mean, dist.logStd])
        #expect(grads.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
    }

    /// Gradients and tangents of rsample's action and log-probability w.r.t. μ and s
    /// against finite differences (SAC's actor loss uses both).
    @Test(arguments: [false, true])
    func reparameterisedDerivativesMatchFiniteDifferences(perRow: Bool) {
        let eps = randn([4, 3], seed: 3)
        let point = [randn([4, 3], seed: 4), randn(perRow ? [4, 3] : [3], seed: 5, scale: 0.3)]
        let w = randn([4], seed: 6), wa = randn([4, 3], seed: 7)
        func record(_ p: [Tensor<Double>]) -> (Tape<Double>, [Variable<Double>], Variable<Double>) {
            let tape = Tape<Double>()
            let v = p.map { tape.variable($0) }
            let dist = TanhGaussian(mean: v[0], logStd: v[1], low: Tensor([-1, 0, 2]), high: Tensor([1, 3, 2.5]))
            let (a, logp) = dist.rsample(noise: eps)
            return (tape, v, (logp * w).sum() + (a * wa).sum())
        }
        let (tape, vars, loss) = record(point)
        let analytic = tape.gradients(of: loss, wrt: vars)
        let numeric = numericalGradients(point) { record($0).2.value.scalar }
        #expect(maxRelativeError(analytic, numeric) < 1e-7)
        let directions = [randn([4, 3], seed: 8), randn(point[1].shape, seed: 9)]
        let tangent = tape.tangents(of: [loss], seeds: zip(vars, directions).map { (variable: $0, tangent: $1) })[0]
        let numericTangent = numericalDirectional(point, direction: directions) { record($0).2.value }
        #expect(maxRelativeError([tangent], [numericTangent]) < 1e-7)
    }

    @Test func samplingIsSeededAndBounded() {
        let tape = Tape<Double>()
        let dist = TanhGaussian(mean: tape.constant(randn([100, 2], seed: 1, scale: 3)), logStd: tape.constant(Tensor([0.5, 1])),
                                low: Tensor([-3, 1]), high: Tensor([-1, 5]))
        var g1 = Xoshiro256StarStar(seed: 4), g2 = Xoshiro256StarStar(seed: 4)
        let a = dist.sample(using: &g1)
        #expect(a == dist.sample(using: &g2))
        for i in 0..<100 {
            #expect(a[i, 0] >= -3 && a[i, 0] <= -1)
            #expect(a[i, 1] >= 1 && a[i, 1] <= 5)
        }
        #expect(dist.deterministicAction.shape == [100, 2])
    }
}
