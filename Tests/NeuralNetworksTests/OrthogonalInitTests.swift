import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct OrthogonalInitTests {
    /// WᵀW = g²I when in ≥ out (orthonormal columns), WWᵀ = g²I when in < out.
    @Test func weightsAreScaledOrthogonal() {
        var g = Xoshiro256StarStar(seed: 21)
        let mlp = MLP<Double>(sizes: [96, 64, 128, 16], hiddenGain: Double(2).squareRoot(), outputGain: 0.01, using: &g)
        let gains = [Double(2).squareRoot(), Double(2).squareRoot(), 0.01]
        for (l, layer) in mlp.layers.enumerated() {
            let w = layer.weight
            let tallOrSquare = w.shape[0] >= w.shape[1]
            let gram = tallOrSquare ? Tensor.matmul(w, transposed: true, w) : Tensor.matmul(w, transposed: false, w, transposed: true)
            let n = gram.shape[0]
            var identity = Tensor<Double>.zeros([n, n])
            for i in 0..<n { identity[i, i] = gains[l] * gains[l] }
            #expect(gram.maxAbsoluteDifference(identity) < 1e-12 * max(1, gains[l] * gains[l]), "layer \(l)")
            #expect(layer.bias == Tensor.zeros([w.shape[1]]))
        }
    }

    @Test func sameSeedSameWeightsOtherSeedOtherWeights() {
        var a = Xoshiro256StarStar(seed: 5), b = Xoshiro256StarStar(seed: 5), c = Xoshiro256StarStar(seed: 6)
        let ma = MLP<Float>(sizes: [8, 16, 4], using: &a)
        let mb = MLP<Float>(sizes: [8, 16, 4], using: &b)
        let mc = MLP<Float>(sizes: [8, 16, 4], using: &c)
        #expect(ma.parameters == mb.parameters)
        #expect(ma.parameters != mc.parameters)
        #expect(a == b)
    }

    @Test func floatDefaultsGiveSqrtTwoHiddenAndUnitOutput() {
        var g = Xoshiro256StarStar(seed: 8)
        let mlp = MLP<Float>(sizes: [10, 10, 10], using: &g)
        // Square layers: every column has norm = gain.
        let hidden = mlp.layers[0].weight, output = mlp.layers[1].weight
        let h = Tensor.matmul(hidden, transposed: true, hidden), o = Tensor.matmul(output, transposed: true, output)
        for i in 0..<10 {
            #expect(abs(h[i, i] - 2) < 1e-5)
            #expect(abs(o[i, i] - 1) < 1e-5)
        }
    }
}
