import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

/// An MLP with Gaussian weights (no QR needed), for derivative checks.
func randomMLP(_ sizes: [Int], hidden: Activation = .tanh, output: Activation = .identity,
               seed: UInt64) -> MLP<Double> {
    var g = Xoshiro256StarStar(seed: seed)
    let layers = (0..<(sizes.count - 1)).map { l in
        Linear(weight: Tensor<Double>.randomNormal([sizes[l], sizes[l + 1]],
                                                   standardDeviation: 1 / Double(sizes[l]).squareRoot(), using: &g),
               bias: Tensor<Double>.randomNormal([sizes[l + 1]], standardDeviation: 0.3, using: &g))
    }
    return MLP(layers: layers, hiddenActivation: hidden, outputActivation: output)
}

/// Central finite differences of a scalar function of several tensors, element by element.
func numericalGradients(_ point: [Tensor<Double>], step h: Double = 1e-6,
                        _ f: ([Tensor<Double>]) -> Double) -> [Tensor<Double>] {
    var result: [Tensor<Double>] = []
    for i in point.indices {
        var grad = Tensor<Double>.zeros(point[i].shape)
        for k in 0..<point[i].count {
            var plus = point, minus = point
            plus[i].withUnsafeMutableScalars { $0[k] += h }
            minus[i].withUnsafeMutableScalars { $0[k] -= h }
            let d = (f(plus) - f(minus)) / (2 * h)
            grad.withUnsafeMutableScalars { $0[k] = d }
        }
        result.append(grad)
    }
    return result
}

/// Central finite differences of a tensor-valued function along a direction.
func numericalDirectional(_ point: [Tensor<Double>], direction: [Tensor<Double>], step h: Double = 1e-6,
                          _ f: ([Tensor<Double>]) -> Tensor<Double>) -> Tensor<Double> {
    let plus = zip(point, direction).map { $0 + $1 * h }
    let minus = zip(point, direction).map { $0 - $1 * h }
    return (f(plus) - f(minus)) / (2 * h)
}

/// Largest |a − b| / max(1, |b|) over all elements of all tensors.
func maxRelativeError(_ a: [Tensor<Double>], _ b: [Tensor<Double>]) -> Double {
    var worst = 0.0
    for (x, y) in zip(a, b) {
        #expect(x.shape == y.shape)
        for (u, v) in zip(x.scalars, y.scalars) { worst = max(worst, abs(u - v) / max(1, abs(v))) }
    }
    return worst
}

/// Random standard-normal data of a shape.
func randn(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor<Double> {
    var g = Xoshiro256StarStar(seed: seed)
    return Tensor<Double>.randomNormal(shape, standardDeviation: scale, using: &g)
}
