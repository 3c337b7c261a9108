import LinearAlgebra
import SeededRandom

/// An n-dimensional array of `Float` or `Double`: a shape and row-major scalars.
///
/// `Tensor` is a value type; its storage is a Swift array, so copies are cheap and
/// copy on write. Shapes are checked at every operation: a mismatch is a programmer
/// error and traps with a message naming both shapes. A rank-0 tensor (shape `[]`)
/// holds one scalar.
public struct Tensor<Scalar: TensorScalar>: Sendable {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public private(set) var scalars: [Scalar]

    /// A tensor of `shape` holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Scalar]) {
        checkPrecondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        checkPrecondition(shape.reduce(1, *) == scalars.count,
                     "Tensor: shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` whose scalars are written by `body` into uninitialised storage.
    /// `body` must initialise every element.
    @inlinable
    public init(shape: [Int], initializingWith body: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        let count = shape.reduce(1, *)
        self.init(shape: shape, scalars: [Scalar](unsafeUninitializedCapacity: count) { buffer, initialised in
            body(buffer)
            initialised = count
        })
    }

    /// A rank-0 tensor holding `value`.
    public init(_ value: Scalar) { self.init(shape: [], scalars: [value]) }

    /// A rank-1 tensor of `values`.
    public init(_ values: [Scalar]) { self.init(shape: [values.count], scalars: values) }

    /// A rank-2 tensor of `rows`, which must all have the same length.
    public init(_ rows: [[Scalar]]) {
        let cols = rows.first?.count ?? 0
        checkPrecondition(rows.allSatisfy { $0.count == cols }, "Tensor: ragged rows \(rows.map(\.count))")
        self.init(shape: [rows.count, cols], scalars: rows.flatMap { $0 })
    }

    /// A tensor of `shape` with every element `value`.
    public init(repeating value: Scalar, shape: [Int]) {
        self.init(shape: shape, scalars: [Scalar](repeating: value, count: shape.reduce(1, *)))
    }

    /// All zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }
    /// All ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

    /// Independent normal draws with the given mean and standard deviation.
    public static func randomNormal<G: RandomNumberGenerator>(
        _ shape: [Int], mean: Double = 0, standardDeviation: Double = 1, using generator: inout G
    ) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
            Scalar(generator.nextNormal(mean: mean, standardDeviation: standardDeviation))
        })
    }

    /// Independent uniform draws in [low, high).
    public static func randomUniform<G: RandomNumberGenerator>(
        _ shape: [Int], low: Double = 0, high: Double = 1, using generator: inout G
    ) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
            Scalar(generator.nextUniform(in: low, high))
        })
    }

    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The single element of a one-element tensor.
    public var scalar: Scalar {
        checkPrecondition(scalars.count == 1, "Tensor.scalar: tensor of shape \(shape) has \(scalars.count) elements")
        return scalars[0]
    }

    /// The element at a full multi-index.
    public subscript(indices: Int...) -> Scalar {
        get { scalars[flatIndex(indices)] }
        set { scalars[flatIndex(indices)] = newValue }
    }

    func flatIndex(_ indices: [Int]) -> Int {
        checkPrecondition(indices.count == shape.count, "Tensor: index \(indices) has rank \(indices.count), shape \(shape) has rank \(shape.count)")
        var flat = 0
        for (i, (index, extent)) in zip(indices, shape).enumerated() {
            checkPrecondition(index >= 0 && index < extent, "Tensor: index \(indices) out of range for shape \(shape) (axis \(i))")
            flat = flat * extent + index
        }
        return flat
    }

    /// The same scalars viewed with another shape of equal element count; -1 infers one extent.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            checkPrecondition(known > 0 && count % known == 0, "reshape: cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = count / known
        }
        checkPrecondition(resolved.reduce(1, *) == count, "reshape: cannot reshape \(shape) to \(newShape)")
        var copy = self
        copy.shape = resolved
        return copy
    }

    /// Calls `body` with the scalars' storage.
    @inlinable
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the scalars' storage, for in-place updates (optimisers).
    public mutating func withUnsafeMutableScalars<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Largest absolute element-wise difference to `other`, which must have the same shape.
    public func maxAbsoluteDifference(_ other: Tensor) -> Scalar {
        checkPrecondition(shape == other.shape, "maxAbsoluteDifference: shape mismatch \(shape) vs \(other.shape)")
        var m: Scalar = 0
        for i in 0..<count { m = Swift.max(m, abs(scalars[i] - other.scalars[i])) }
        return m
    }
}

extension Tensor: Equatable {
    public static func == (a: Tensor, b: Tensor) -> Bool { a.shape == b.shape && a.scalars == b.scalars }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor\(shape)[\(shown)\(count > 8 ? ", …" : "")]"
    }
}
