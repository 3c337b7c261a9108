/// Multilinear interpolation on a rectilinear grid, with linear extrapolation beyond its ends, as PyBaMM's
/// linear `Interpolant` does.
public struct LinearInterpolant: Sendable {
    /// One strictly increasing axis per argument.
    public let axes: [[Double]]
    /// Values over the grid, flattened in C order (last axis fastest).
    public let values: [Double]

    /// Creates an interpolant; fails unless every axis is strictly increasing with at least two points and
    /// `values.count` is the product of the axis lengths.
    public init(axes: [[Double]], values: [Double], name: String) throws(ParameterError) {
        guard !axes.isEmpty, axes.count <= 3 else {
            throw .wrongKind(name: name, expected: "a table over 1 to 3 axes, got \(axes.count)")
        }
        for (index, axis) in axes.enumerated() {
            guard axis.count >= 2 else {
                throw .wrongKind(name: name, expected: "at least 2 points on axis \(index), got \(axis.count)")
            }
            for i in 1..<axis.count where !(axis[i] > axis[i - 1]) {
                throw .wrongKind(name: name, expected: "strictly increasing grid on axis \(index) at point \(i)")
            }
        }
        let count = axes.reduce(1) { $0 * $1.count }
        guard values.count == count else {
            throw .wrongKind(name: name, expected: "\(count) table values, got \(values.count)")
        }
        self.axes = axes
        self.values = values
    }

    /// The cell index and fraction for `x` on `axis`.
    @inline(__always)
    static func locate(_ x: Double, on axis: [Double]) -> (Int, Double) {
        var low = 0
        var high = axis.count - 1
        if x <= axis[0] {
            high = 1
        } else if x >= axis[high] {
            low = high - 1
        } else {
            while high - low > 1 {
                let mid = (low + high) / 2
                if axis[mid] <= x { low = mid } else { high = mid }
            }
        }
        return (low, (x - axis[low]) / (axis[low + 1] - axis[low]))
    }

    /// Interpolates at one point (one coordinate per axis).
    public func callAsFunction(_ x: Double) -> Double {
        precondition(axes.count == 1, "1-D call on a \(axes.count)-D interpolant")
        let (i, t) = LinearInterpolant.locate(x, on: axes[0])
        return values[i] + t * (values[i + 1] - values[i])
    }

    /// Interpolates at one point of a 2-D table.
    public func callAsFunction(_ x: Double, _ y: Double) -> Double {
        precondition(axes.count == 2, "2-D call on a \(axes.count)-D interpolant")
        let (i, s) = LinearInterpolant.locate(x, on: axes[0])
        let (j, t) = LinearInterpolant.locate(y, on: axes[1])
        let n = axes[1].count
        let v00 = values[i * n + j], v01 = values[i * n + j + 1]
        let v10 = values[(i + 1) * n + j], v11 = values[(i + 1) * n + j + 1]
        return (1 - s) * ((1 - t) * v00 + t * v01) + s * ((1 - t) * v10 + t * v11)
    }

    /// Interpolates at one point of a 3-D table.
    public func callAsFunction(_ x: Double, _ y: Double, _ z: Double) -> Double {
        precondition(axes.count == 3, "3-D call on a \(axes.count)-D interpolant")
        let (i, r) = LinearInterpolant.locate(x, on: axes[0])
        let (j, s) = LinearInterpolant.locate(y, on: axes[1])
        let (k, t) = LinearInterpolant.locate(z, on: axes[2])
        let n1 = axes[1].count, n2 = axes[2].count
        func v(_ a: Int, _ b: Int, _ c: Int) -> Double { values[((i + a) * n1 + j + b) * n2 + k + c] }
        let front = (1 - s) * ((1 - t) * v(0, 0, 0) + t * v(0, 0, 1)) + s * ((1 - t) * v(0, 1, 0) + t * v(0, 1, 1))
        let back = (1 - s) * ((1 - t) * v(1, 0, 0) + t * v(1, 0, 1)) + s * ((1 - t) * v(1, 1, 0) + t * v(1, 1, 1))
        let result = (1 - r) * front + r * back
        return result
    }
}
