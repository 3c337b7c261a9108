import Testing
@testable import LinearAlgebra

/// Band LU (`gbtrf`/`gbtrs`) against the dense LU of the same matrix.
@Suite struct BandedMatrixTests {
    /// A band matrix with entries in [−1, 1) and, if `dominant`, a diagonal of lower + upper + 2.
    func randomBand<T: LAPACKScalar>(n: Int, lower: Int, upper: Int, dominant: Bool, seed: UInt64) -> BandedMatrix<T> {
        let values: Matrix<T> = sampleMatrix(n, n, seed: seed)
        var band = BandedMatrix<T>(n: n, lower: lower, upper: upper)
        for i in 0..<n {
            for j in max(0, i - lower)...min(n - 1, i + upper) {
                band[i, j] = values[i, j] + (dominant && i == j ? T(lower + upper + 2) : 0)
            }
        }
        return band
    }

    /// Tridiagonal, pentadiagonal and lopsided bands; the non-dominant ones need row pivoting.
    func matchesDense<T: LAPACKScalar>(_: T.Type, lower: Int, upper: Int, dominant: Bool) throws {
        let n = 9
        var band: BandedMatrix<T> = randomBand(n: n, lower: lower, upper: upper, dominant: dominant, seed: UInt64(7 * lower + upper))
        let dense = band.dense
        #expect(BandedMatrix(dense, lower: lower, upper: upper).dense == dense)
        let x: Matrix<T> = sampleMatrix(n, 3, seed: 5)
        let b = dense.multiplied(by: x)
        expectNear(band.multiplied(by: (0..<n).map { x[$0, 0] }), (0..<n).map { b[$0, 0] }, ulpTolerance(T.self))
        try band.factor()
        #expect(band.isFactored)
        let tol = ulpTolerance(T.self, ulps: dominant ? 1000 : 100_000)
        // Several right-hand sides at once, then one at a time with the same factors.
        let solved = try band.solve(b)
        expectNear(solved, try LU.solve(dense, b), tol)
        expectNear(solved, x, tol)
        for column in 0..<3 {
            var single = (0..<n).map { b[$0, column] }
            try single.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
                try band.solve(p)
            }
            expectNear(single, (0..<n).map { x[$0, column] }, tol)
        }
    }

    @Test(arguments: [(1, 1, true), (2, 2, true), (1, 1, false), (2, 1, false), (1, 3, false)])
    func bandsFloat(lower: Int, upper: Int, dominant: Bool) throws {
        try matchesDense(Float.self, lower: lower, upper: upper, dominant: dominant)
    }

    @Test(arguments: [(1, 1, true), (2, 2, true), (1, 1, false), (2, 1, false), (1, 3, false)])
    func bandsDouble(lower: Int, upper: Int, dominant: Bool) throws {
        try matchesDense(Double.self, lower: lower, upper: upper, dominant: dominant)
    }

    /// The finite-volume Laplacian [−1, 2, −1] with x = (1, …, n): the DFN solver's building block.
    @Test func tridiagonalLaplacianExact() throws {
        let n = 6
        var band = BandedMatrix<Double>(n: n, lower: 1, upper: 1)
        for i in 0..<n {
            band[i, i] = 2
            if i > 0 { band[i, i - 1] = -1 }
            if i < n - 1 { band[i, i + 1] = -1 }
        }
        let x = (1...n).map(Double.init)
        let b = band.multiplied(by: x)
        #expect(b == [0, 0, 0, 0, 0, 7])
        try band.factor()
        expectNear(try band.solve(b), x, 1e-13)
    }

    @Test func zeroRefillAndRefactor() throws {
        var band: BandedMatrix<Double> = randomBand(n: 7, lower: 2, upper: 1, dominant: false, seed: 3)
        try band.factor()
        band.zero()
        #expect(!band.isFactored)
        for i in 0..<7 { band[i, i] = 2; if i > 0 { band[i, i - 1] = 1 } }
        try band.factor()
        // Lower bidiagonal [2 on the diagonal, 1 below]: x = (1, …, 1) gives b = (2, 3, …, 3).
        expectNear(try band.solve([2, 3, 3, 3, 3, 3, 3]), [Double](repeating: 1, count: 7), 1e-14)
    }

    /// A zero column leaves an exactly zero pivot, whatever the row interchanges.
    @Test func singularBandReportsThePivot() {
        var band = BandedMatrix<Float>(n: 5, lower: 1, upper: 1)
        for i in 0..<5 where i != 2 { band[i, i] = 4; if i > 0 { band[i, i - 1] = 1 } }
        band[1, 2] = 0; band[3, 2] = 0
        let error = thrownLAPACKError { () throws(LAPACKError) in try band.factor() }
        #expect(error == LAPACKError(routine: "gbtrf", info: 3))
        #expect(error?.description == "gbtrf: matrix is singular (U[3,3] is exactly zero, info = 3)")
    }

    @Test func storageLayoutIsLAPACKs() {
        var band = BandedMatrix<Double>(n: 4, lower: 1, upper: 2)
        #expect(band.ldab == 5)
        band[2, 3] = 7
        band[3, 2] = 8
        #expect(band.band[(1 + 2 + 2 - 3) + 3 * 5] == 7)
        #expect(band.band[(1 + 2 + 3 - 2) + 2 * 5] == 8)
        #expect(band[0, 3] == 0 && !band.contains(0, 3) && band.contains(0, 2))
    }

    @Test func settingAfterFactorTraps() async {
        await #expect(processExitsWith: .failure) {
            var band = BandedMatrix<Double>(n: 2, lower: 0, upper: 0)
            band[0, 0] = 1; band[1, 1] = 1
            try? band.factor()
            band[0, 0] = 2
        }
    }
}
