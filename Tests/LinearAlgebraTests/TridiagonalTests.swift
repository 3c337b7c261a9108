import Testing
@testable import LinearAlgebra

/// The Thomas algorithm and `gtsv` against the dense LU of the same matrix.
@Suite struct TridiagonalTests {
    /// The dense matrix with the given three diagonals.
    func dense<T: LAPACKScalar>(_ lower: [T], _ diagonal: [T], _ upper: [T]) -> Matrix<T> {
        var a = Matrix<T>(rows: diagonal.count, columns: diagonal.count)
        for i in diagonal.indices {
            a[i, i] = diagonal[i]
            if i > 0 { a[i, i - 1] = lower[i - 1]; a[i - 1, i] = upper[i - 1] }
        }
        return a
    }

    func matchesDense<T: LAPACKScalar>(_: T.Type) throws {
        let n = 10
        let values: Matrix<T> = sampleMatrix(3, n, seed: 31)
        let lower = (0..<(n - 1)).map { values[0, $0] }
        let upper = (0..<(n - 1)).map { values[2, $0] }
        let diagonal = (0..<n).map { values[1, $0] + 3 }  // diagonally dominant
        let rhs = (0..<n).map { T($0) - 4 }
        let expected = try LU.solve(dense(lower, diagonal, upper), rhs)
        expectNear(try Tridiagonal.solve(lower: lower, diagonal: diagonal, upper: upper, rhs: rhs), expected, ulpTolerance(T.self))
        expectNear(try Tridiagonal.solvePivoting(lower: lower, diagonal: diagonal, upper: upper, rhs: rhs), expected, ulpTolerance(T.self))

        // The in-place form: rhs becomes x, scratch is the only workspace.
        var x = rhs
        var scratch = [T](repeating: 0, count: n - 1)
        try lower.withUnsafeBufferPointer { (l) throws(LAPACKError) in
            try diagonal.withUnsafeBufferPointer { (d) throws(LAPACKError) in
                try upper.withUnsafeBufferPointer { (u) throws(LAPACKError) in
                    try x.withUnsafeMutableBufferPointer { (xb: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
                        try scratch.withUnsafeMutableBufferPointer { (s: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
                            try Tridiagonal.solve(lower: l, diagonal: d, upper: u, rhs: xb, scratch: s)
                        }
                    }
                }
            }
        }
        expectNear(x, expected, ulpTolerance(T.self))
    }

    @Test func denseFloat() throws { try matchesDense(Float.self) }
    @Test func denseDouble() throws { try matchesDense(Double.self) }

    @Test func zeroPivotThrowsInsteadOfDividing() {
        // [[1, 1], [1, 1]]: the second pivot is 1 − 1·1 = 0.
        let error = thrownLAPACKError { () throws(LAPACKError) in
            try Tridiagonal.solve(lower: [1.0], diagonal: [1, 1], upper: [1], rhs: [1, 2])
        }
        #expect(error == LAPACKError(routine: "tridiagonal", info: 2))
        #expect(error?.description.contains("zero pivot at row 2") == true)
        let first = thrownLAPACKError { () throws(LAPACKError) in
            try Tridiagonal.solve(lower: [1.0, 1], diagonal: [0, 0, 1], upper: [1, 1], rhs: [1, 2, 3])
        }
        #expect(first?.info == 1)
        // Singular for gtsv too, whatever the pivoting.
        let pivoting = thrownLAPACKError { () throws(LAPACKError) in
            try Tridiagonal.solvePivoting(lower: [Float(1)], diagonal: [1, 1], upper: [1], rhs: [1, 2])
        }
        #expect(pivoting == LAPACKError(routine: "gtsv", info: 2))
    }

    /// A zero leading diagonal defeats Thomas but not partial pivoting.
    @Test func pivotingHandlesZeroDiagonal() throws {
        let lower: [Double] = [1, 1], diagonal: [Double] = [0, 0, 1], upper: [Double] = [1, 1]
        let x: [Double] = [1, -2, 3]
        let b = dense(lower, diagonal, upper).multiplied(by: Matrix(rows: 3, columns: 1, elements: x)).elements
        expectNear(try Tridiagonal.solvePivoting(lower: lower, diagonal: diagonal, upper: upper, rhs: b), x, 1e-14)
    }

    @Test func trivialSizes() throws {
        #expect(try Tridiagonal.solve(lower: [], diagonal: [4.0], upper: [], rhs: [2]) == [0.5])
        #expect(try Tridiagonal.solvePivoting(lower: [], diagonal: [Float(4)], upper: [], rhs: [2]) == [0.5])
        #expect(try Tridiagonal.solve(lower: [Double](), diagonal: [], upper: [], rhs: []) == [])
    }
}
