/// Running mean and variance of a vector stream, merged batch by batch with the parallel algorithm of
/// Chan, Golub & LeVeque ("Updating formulae and a pairwise algorithm for computing sample variances", 1979),
/// starting from mean 0, variance 1 and a pseudo-count of 1e-4 as Gymnasium does.
public struct RunningMeanStd: Sendable, Equatable {
    public private(set) var mean: [Double]
    public private(set) var variance: [Double]
    public private(set) var count: Double

    public init(dimension: Int) {
        mean = Array(repeating: 0, count: dimension)
        variance = Array(repeating: 1, count: dimension)
        count = 1e-4
    }

    /// Merges one sample.
    public mutating func update(_ x: [Double]) {
        let total = count + 1
        for i in mean.indices {
            let delta = x[i] - mean[i]
            mean[i] += delta / total
            variance[i] = (variance[i] * count + delta * delta * count / total) / total
        }
        count = total
    }

    /// (x − mean)/√(var + ε), entry by entry.
    public func normalize(_ x: [Double], epsilon: Double = 1e-8) -> [Double] {
        var y = x
        for i in y.indices { y[i] = (x[i] - mean[i]) / (variance[i] + epsilon).squareRoot() }
        return y
    }
}
