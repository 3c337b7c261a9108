/// A dense row-major matrix: the currency of the LAPACK wrappers.
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements, row after row; `elements.count == rows * columns`.
    public var elements: [Scalar]

    /// A matrix of the given size holding `elements` row after row.
    public init(rows: Int, columns: Int, elements: [Scalar]) {
        checkPrecondition(rows >= 0 && columns >= 0, "Matrix: negative size \(rows)×\(columns)")
        checkPrecondition(elements.count == rows * columns,
                          "Matrix: \(rows)×\(columns) needs \(rows * columns) elements, got \(elements.count)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix with every element `value`.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        self.init(rows: rows, columns: columns, elements: [Scalar](repeating: value, count: rows * columns))
    }

    /// A matrix from nested rows, which must all have the same length.
    public init(_ rowArrays: [[Scalar]]) {
        let columns = rowArrays.first?.count ?? 0
        checkPrecondition(rowArrays.allSatisfy { $0.count == columns }, "Matrix: ragged rows \(rowArrays.map(\.count))")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// The element in row `i`, column `j`.
    public subscript(i: Int, j: Int) -> Scalar {
        get {
            checkPrecondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix: index [\(i), \(j)] out of range for \(rows)×\(columns)")
            return elements[i * columns + j]
        }
        set {
            checkPrecondition(i >= 0 && i < rows && j >= 0 && j < columns, "Matrix: index [\(i), \(j)] out of range for \(rows)×\(columns)")
            elements[i * columns + j] = newValue
        }
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] } }
        return t
    }

    /// The product self·other through BLAS `gemm`.
    public func multiplied(by other: Matrix) -> Matrix {
        checkPrecondition(columns == other.rows, "Matrix: shape mismatch \(rows)×\(columns) · \(other.rows)×\(other.columns)")
        var c = Matrix(rows: rows, columns: other.columns)
        if rows == 0 || columns == 0 || other.columns == 0 { return c }  // nothing for BLAS to do
        elements.withUnsafeBufferPointer { a in
            other.elements.withUnsafeBufferPointer { b in
                c.elements.withUnsafeMutableBufferPointer { cc in
                    BLAS.gemm(m: rows, n: other.columns, k: columns, a.baseAddress!, b.baseAddress!, cc.baseAddress!)
                }
            }
        }
        return c
    }
}
