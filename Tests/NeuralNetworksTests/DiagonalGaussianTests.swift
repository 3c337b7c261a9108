import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct DiagonalGaussianTests {
    let logTwoPi = Double.log(2 * Double.pi)

    func gaussian(_ tape: Tape<Double>, mean: [[Double]], logStd: [Double]) -> DiagonalGaussian<Double> {
        DiagonalGaussian(mean: tape.variable(Tensor(mean)), logStd: tape.variable(Tensor(logStd)))
    }

    /// N(1, 2²) at 3: −½·1² − log 2 − ½ log 2π.
    @Test func oneDimensionalLogProbabilityAndEntropy() {
        let tape = Tape<Double>()
        let d = gaussian(tape, mean: [[1], [0]], logStd: [Double.log(2)])
        let logp = d.logProbability(of: Tensor([[3], [0]])).value
        #expect(abs(logp[0] - (-0.5 - Double.log(2) - logTwoPi / 2)) < 1e-15)
        #expect(abs(logp[1] - (-Double.log(2) - logTwoPi / 2)) < 1e-15)
        let h = d.entropy().value
        #expect(h.shape == [2])
        // ½ log(2πe σ²) = 2.112085713764618
        #expect(abs(h[0] - 2.112085713764618) < 1e-14)
        #expect(h[0] == h[1])
    }

    /// Independent dimensions add: the 2-D log-density is the sum of the 1-D ones.
    @Test func perRowLogStdAndSumOverDimensions() {
        let tape = Tape<Double>()
        let d = DiagonalGaussian(mean: tape.variable(Tensor([[0.5, -1], [2, 0]])),
                                 logStd: tape.variable(Tensor([[0.2, -0.3], [0, 1]])))
        let a = Tensor<Double>([[1, 1], [1, 1]])
        let logp = d.logProbability(of: a).value
        func oneD(_ x: Double, _ m: Double, _ s: Double) -> Double {
            let z = (x - m) / Double.exp(s)
            return -z * z / 2 - s - logTwoPi / 2
        }
        #expect(abs(logp[0] - (oneD(1, 0.5, 0.2) + oneD(1, -1, -0.3))) < 1e-14)
        #expect(abs(logp[1] - (oneD(1, 2, 0) + oneD(1, 0, 1))) < 1e-14)
        let h = d.entropy().value
        #expect(abs(h[0] - (-0.1 + (1 + logTwoPi))) < 1e-14)
        #expect(abs(h[1] - (1 + (1 + logTwoPi))) < 1e-14)
    }

    /// p = N(0, 1), q = N(1, 2²): KL(p‖q) = log 2 + 2/8 − ½, KL(q‖p) = −log 2 + 5/2 − ½.
    @Test func klDivergenceClosedFormAndDirection() {
        let tape = Tape<Double>()
        let p = gaussian(tape, mean: [[0]], logStd: [0])
        let q = gaussian(tape, mean: [[1]], logStd: [Double.log(2)])
        let pq = Double.log(2) + 0.25 - 0.5, qp = -Double.log(2) + 2.5 - 0.5
        #expect(abs(DiagonalGaussian.klDivergence(p, q).value[0] - pq) < 1e-15)
        #expect(abs(DiagonalGaussian.klDivergence(q, p).value[0] - qp) < 1e-15)
        // q.klDivergence(from: p) is KL(p ‖ q).
        #expect(abs(q.klDivergence(from: p).value[0] - pq) < 1e-15)
        #expect(abs(p.klDivergence(from: q).value[0] - qp) < 1e-15)
        // KL(p‖p) = 0, also with per-row logStd.
        let r = DiagonalGaussian(mean: tape.variable(randn([4, 3], seed: 1)), logStd: tape.variable(randn([4, 3], seed: 2)))
        #expect(r.klDivergence(from: r).value.scalars.allSatisfy { abs($0) < 1e-15 })
    }

    /// Pullbacks and pushforwards of log-probability, entropy and KL against finite
    /// differences, with shared and per-row log standard deviations.
    @Test(arguments: [false, true])
    func derivativesMatchFiniteDifferences(perRow: Bool) {
        let B = 4, d = 3
        let sShape = perRow ? [B, d] : [d]
        let point = [randn([B, d], seed: 3), randn(sShape, seed: 4, scale: 0.5),
                     randn([B, d], seed: 5), randn(sShape, seed: 6, scale: 0.5)]
        let actions = randn([B, d], seed: 7)
        let weights = randn([B], seed: 8)
        func record(_ p: [Tensor<Double>]) -> (Tape<Double>, [Variable<Double>], [Variable<Double>]) {
            let tape = Tape<Double>()
            let v = p.map { tape.variable($0) }
            let a = DiagonalGaussian(mean: v[0], logStd: v[1]), b = DiagonalGaussian(mean: v[2], logStd: v[3])
            return (tape, v, [a.logProbability(of: actions), a.entropy(), b.klDivergence(from: a),
                              a.klDivergence(from: b), a.reparameterizedSample(noise: actions)])
        }
        let (tape, vars, outputs) = record(point)
        let directions = point.enumerated().map { randn($1.shape, seed: 50 + UInt64($0)) }
        for k in outputs.indices {
            let seed = k == 4 ? randn([B, d], seed: 9) : weights
            let analytic = tape.gradients(of: outputs[k], seed: seed, wrt: vars)
            let numeric = numericalGradients(point) { p in (record(p).2[k].value * seed).sum().scalar }
            #expect(maxRelativeError(analytic, numeric) < 1e-7, "gradient of output \(k)")
            let tangent = tape.tangents(of: [outputs[k]], seeds: zip(vars, directions).map { (variable: $0, tangent: $1) })[0]
            let numericTangent = numericalDirectional(point, direction: directions) { record($0).2[k].value }
            #expect(maxRelativeError([tangent], [numericTangent]) < 1e-7, "tangent of output \(k)")
        }
    }

    @Test func samplingStatisticsAndDeterminism() {
        let n = 20_000
        let tape = Tape<Double>()
        let mean = Tensor<Double>(shape: [n, 2], scalars: (0..<n).flatMap { _ in [1.0, -2.0] })
        let d = DiagonalGaussian(mean: tape.constant(mean), logStd: tape.constant(Tensor([Double.log(0.5), Double.log(3)])))
        var g1 = Xoshiro256StarStar(seed: 99), g2 = Xoshiro256StarStar(seed: 99)
        let s = d.sample(using: &g1)
        #expect(s == d.sample(using: &g2))
        for (j, (mu, sigma)) in [(1.0, 0.5), (-2.0, 3.0)].enumerated() {
            let column = s.slice(j..<(j + 1), alongAxis: 1)
            let m = column.mean().scalar
            let sd = ((column - m).squared().mean().scalar).squareRoot()
            #expect(abs(m - mu) < 4 * sigma / Double(n).squareRoot(), "mean of column \(j)")
            #expect(abs(sd / sigma - 1) < 0.03, "std of column \(j)")
        }
    }

    @Test func floatLogProbabilityMatchesDouble() {
        let tape = Tape<Float>(), tapeD = Tape<Double>()
        let m = randn([8, 16], seed: 1), s = randn([16], seed: 2, scale: 0.3), a = randn([8, 16], seed: 3)
        let f = DiagonalGaussian(mean: tape.variable(Tensor(shape: m.shape, scalars: m.scalars.map(Float.init))),
                                 logStd: tape.variable(Tensor(shape: s.shape, scalars: s.scalars.map(Float.init))))
            .logProbability(of: Tensor(shape: a.shape, scalars: a.scalars.map(Float.init))).value
        let dd = DiagonalGaussian(mean: tapeD.variable(m), logStd: tapeD.variable(s)).logProbability(of: a).value
        for i in 0..<8 { #expect(abs(Double(f[i]) - dd[i]) < 1e-4 * max(1, abs(dd[i]))) }
    }
}
