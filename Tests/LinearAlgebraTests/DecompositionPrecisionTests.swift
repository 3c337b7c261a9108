import Testing
@testable import LinearAlgebra

/// `syevd`, `gels` and `geqrf` + `orgqr` against known answers, in Float and Double.
@Suite struct DecompositionPrecisionTests {
    func eigenKnown<T: LAPACKScalar>(_: T.Type) throws {
        let (values, vectors) = try SymmetricEigen.decompose(Matrix<T>([[2, 1], [1, 2]]))
        expectNear(values, [1, 3], ulpTolerance(T.self))
        let h = T(0.5).squareRoot()
        // λ = 1 ↔ ±(1, −1)/√2, λ = 3 ↔ ±(1, 1)/√2.
        expectNear([vectors[0, 0] * vectors[1, 0], vectors[0, 1] * vectors[1, 1]], [-h * h, h * h], ulpTolerance(T.self))
        expectNear([abs(vectors[0, 0]), abs(vectors[0, 1])], [h, h], ulpTolerance(T.self))

        // The 1-D Laplacian: λₖ = 2 − 2cos(kπ/4) = 2 − √2, 2, 2 + √2. The upper triangle is
        // garbage, to show that `.lower` reads only the lower one.
        let laplacian = Matrix<T>([[2, 99, 99], [-1, 2, 99], [0, -1, 2]])
        let s = T(2).squareRoot()
        let (w, v) = try SymmetricEigen.decompose(laplacian, triangle: .lower)
        expectNear(w, [2 - s, 2, 2 + s], ulpTolerance(T.self))
        #expect(orthonormalityError(v) <= ulpTolerance(T.self))
        let a = Matrix<T>([[2, -1, 0], [-1, 2, -1], [0, -1, 2]])
        let av = a.multiplied(by: v)
        for j in 0..<3 { for i in 0..<3 { #expect(abs(av[i, j] - w[j] * v[i, j]) <= ulpTolerance(T.self)) } }
        expectNear(try SymmetricEigen.eigenvalues(a), w, ulpTolerance(T.self))
    }

    @Test func eigenFloat() throws { try eigenKnown(Float.self) }
    @Test func eigenDouble() throws { try eigenKnown(Double.self) }

    func leastSquares<T: LAPACKScalar>(_: T.Type) throws {
        // Over-determined: equals the normal equations' solution (AᵀA)x = Aᵀb.
        let a: Matrix<T> = sampleMatrix(7, 3, seed: 21)
        let b: Matrix<T> = sampleMatrix(7, 2, seed: 22)
        let x = try LeastSquares.solve(a, b)
        let normal = try LU.solve(a.transposed.multiplied(by: a), a.transposed.multiplied(by: b))
        expectNear(x, normal, ulpTolerance(T.self, ulps: 10_000))
        // A consistent system is solved exactly.
        let exact: Matrix<T> = sampleMatrix(3, 1, seed: 23)
        expectNear(try LeastSquares.solve(a, a.multiplied(by: exact)), exact, ulpTolerance(T.self, ulps: 10_000))

        // Under-determined: A·x = b, and x = Aᵀy lies in A's row space (the minimum-norm solution).
        let wide: Matrix<T> = sampleMatrix(2, 5, seed: 24)
        let rhs: [T] = [1, -2]
        let xm = try LeastSquares.solve(wide, rhs)
        #expect(xm.count == 5)
        expectNear(wide.multiplied(by: Matrix(rows: 5, columns: 1, elements: xm)).elements, rhs, ulpTolerance(T.self))
        let y = try LU.solve(wide.multiplied(by: wide.transposed), rhs)
        expectNear(xm, wide.transposed.multiplied(by: Matrix(rows: 2, columns: 1, elements: y)).elements,
                    ulpTolerance(T.self, ulps: 10_000))
    }

    @Test func leastSquaresFloat() throws { try leastSquares(Float.self) }
    @Test func leastSquaresDouble() throws { try leastSquares(Double.self) }

    /// A zero column makes R[2,2] exactly zero.
    @Test func rankDeficientLeastSquaresThrows() {
        let error = thrownLAPACKError { () throws(LAPACKError) in
            try LeastSquares.solve(Matrix<Double>([[1, 0], [2, 0], [3, 0]]), [1, 2, 3])
        }
        #expect(error == LAPACKError(routine: "gels", info: 2))
        #expect(error?.description.contains("full rank") == true)
    }

    /// Proportional columns (or rows) leave a diagonal element that is roundoff, not exactly zero.
    func numericallyRankDeficient<T: LAPACKScalar>(_: T.Type) {
        let tall = thrownLAPACKError { () throws(LAPACKError) in
            try LeastSquares.solve(Matrix<T>([[1, 2], [2, 4], [3, 6]]), [1, 2, 3])
        }
        #expect(tall == LAPACKError(routine: "gels", info: 2))
        let wide = thrownLAPACKError { () throws(LAPACKError) in
            try LeastSquares.solve(Matrix<T>([[0.1, 0.2, 0.3], [0.3, 0.6, 0.9]]), [1, 2])
        }
        #expect(wide == LAPACKError(routine: "gels", info: 2))
    }

    @Test func numericallyRankDeficientFloat() { numericallyRankDeficient(Float.self) }
    @Test func numericallyRankDeficientDouble() { numericallyRankDeficient(Double.self) }

    func qr<T: LAPACKScalar>(_: T.Type, rows m: Int, columns n: Int) throws {
        let a: Matrix<T> = sampleMatrix(m, n, seed: UInt64(100 * m + n))
        let (q, r) = try QR.factor(a)
        let k = min(m, n)
        #expect(q.rows == m && q.columns == k && r.rows == k && r.columns == n)
        #expect(orthonormalityError(q) <= ulpTolerance(T.self))
        for i in 0..<k { for j in 0..<i { #expect(r[i, j] == 0, "R[\(i),\(j)] below the diagonal") } }
        expectNear(q.multiplied(by: r), a, ulpTolerance(T.self))

        // orthonormalized: orthonormal columns (tall) or rows (wide), spanning a's, R's diagonal ≥ 0.
        let o = try QR.orthonormalized(a)
        #expect(o.rows == m && o.columns == n)
        #expect(orthonormalityError(m >= n ? o : o.transposed) <= ulpTolerance(T.self))
        if m >= n {
            let rPositive = o.transposed.multiplied(by: a)  // = R with a non-negative diagonal
            for j in 0..<n { #expect(rPositive[j, j] >= 0) }
            expectNear(o.multiplied(by: rPositive), a, ulpTolerance(T.self))
        }
    }

    @Test(arguments: [(6, 4), (4, 4), (3, 5), (1, 3), (5, 1)])
    func qrFloat(rows: Int, columns: Int) throws { try qr(Float.self, rows: rows, columns: columns) }

    @Test(arguments: [(6, 4), (4, 4), (3, 5), (1, 3), (5, 1)])
    func qrDouble(rows: Int, columns: Int) throws { try qr(Double.self, rows: rows, columns: columns) }

    @Test func qrOfAKnownMatrix() throws {
        // A = [[3, 0], [4, 5]]: the first column has norm 5; |R| = [[5, 4], [0, 3]].
        let (q, r) = try QR.factor(Matrix<Double>([[3, 0], [4, 5]]))
        expectNear([abs(r[0, 0]), abs(r[0, 1]), r[1, 0], abs(r[1, 1])], [5, 4, 0, 3], 1e-14)
        expectNear([abs(q[0, 0]), abs(q[1, 0])], [0.6, 0.8], 1e-14)
    }
}
