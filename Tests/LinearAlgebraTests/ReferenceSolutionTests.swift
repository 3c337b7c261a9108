import Testing
@testable import LinearAlgebra

// LinearAlgebra against known solutions: hand-computed BLAS results, integer solutions of
// small systems, and dense reference computations (naive loops, LU) for the structured
// solvers. Float and Double where it is cheap. All top-level names carry a `Reference`
// prefix: other files of this target are written independently.

// MARK: - Helpers

/// A deterministic generator (SplitMix64) of doubles in [−0.5, 0.5); the test target
/// depends on LinearAlgebra only.
private struct ReferenceRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53) - 0.5
    }
    mutating func matrix<T: BLASScalar>(_ rows: Int, _ columns: Int) -> Matrix<T> {
        Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in T(next()) })
    }
    mutating func vector<T: BLASScalar>(_ n: Int) -> [T] { (0..<n).map { _ in T(next()) } }
}

/// A few hundred ulps: Double ≈ 5.7e-14, Float ≈ 3.1e-5, times `factor`.
private func referenceTolerance<T: BinaryFloatingPoint>(_: T.Type, _ factor: T = 1) -> T { T.ulpOfOne * 256 * factor }

/// Element-wise |a − b| ≤ tol·max(1, |b|), with the worst offender in the failure message.
private func expectClose<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], _ tol: T, _ what: String = "",
                                                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard a.count == b.count else {
        Issue.record("\(what): \(a.count) values vs \(b.count) expected", sourceLocation: sourceLocation)
        return
    }
    var worst = (index: -1, error: T(0))
    for (i, (x, y)) in zip(a, b).enumerated() {
        let e = abs(x - y) / max(1, abs(y))
        if !(e <= worst.error) { worst = (i, e) }  // NaN counts as worst
    }
    #expect(worst.index < 0 || worst.error <= tol,
            "\(what) [\(T.self)]: relative error \(worst.error) > \(tol) at \(worst.index): \(a) vs \(b)",
            sourceLocation: sourceLocation)
}

/// C = A·B by naive loops (independent of BLAS).
private func referenceProduct<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>) -> Matrix<T> {
    precondition(a.columns == b.rows)
    var c = Matrix<T>(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns {
        var s: T = 0
        for p in 0..<a.columns { s += a.elements[i * a.columns + p] * b.elements[p * b.columns + j] }
        c.elements[i * b.columns + j] = s
    } }
    return c
}

private func referenceTranspose<T: BLASScalar>(_ a: Matrix<T>) -> Matrix<T> {
    var t = Matrix<T>(rows: a.columns, columns: a.rows)
    for i in 0..<a.rows { for j in 0..<a.columns { t.elements[j * a.rows + i] = a.elements[i * a.columns + j] } }
    return t
}

private func column<T: BLASScalar>(_ m: Matrix<T>, _ j: Int) -> [T] { (0..<m.rows).map { m.elements[$0 * m.columns + j] } }

private func columnVector<T: BLASScalar>(_ v: [T]) -> Matrix<T> { Matrix(rows: v.count, columns: 1, elements: v) }

/// Runs `body` and returns the `LAPACKError` it throws, recording an issue if it does not throw.
private func expectLAPACKError(_ what: String, sourceLocation: SourceLocation = #_sourceLocation,
                               _ body: () throws(LAPACKError) -> Void) -> LAPACKError? {
    do {
        try body()
        Issue.record("\(what): expected a LAPACKError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

// MARK: - BLAS level 1

@Suite struct ReferenceBLASLevel1 {
    func strided<T: BLASScalar>(_: T.Type) {
        // dot: plain, strided x and y, and a negative stride (BLAS walks x from the end).
        let x: [T] = [1, 2, 3], y: [T] = [4, 5, 6]
        #expect(BLAS.dot(3, x, y) == 32)
        let xs: [T] = [1, 99, 2, 99, 3], ys: [T] = [4, -1, -1, 5, -1, -1, 6]
        #expect(BLAS.dot(3, xs, strideX: 2, ys, strideY: 3) == 32)
        #expect(BLAS.dot(3, x, strideX: -1, y) == 28)  // 3·4 + 2·5 + 1·6
        #expect(BLAS.dot(0, x, y) == 0)

        // axpy: y ← αx + y touching only the strided elements of y.
        var ya: [T] = [10, -7, 20, -7, 30]
        BLAS.axpy(3, alpha: -2, xs, strideX: 2, &ya, strideY: 2)
        #expect(ya == [8, -7, 16, -7, 24])

        // scal: only every other element changes.
        var s: [T] = [1, 2, 3, 4, 5, 6]
        BLAS.scal(3, alpha: 3, &s, strideX: 2)
        #expect(s == [3, 2, 9, 4, 15, 6])

        // copy: gather a stride-2 source into a stride-1 destination, and scatter back.
        var c: [T] = [0, 0, 0]
        BLAS.copy(3, xs, strideX: 2, &c)
        #expect(c == [1, 2, 3])
        var scattered: [T] = [-1, -1, -1, -1, -1, -1]
        BLAS.copy(3, y, &scattered, strideY: 2)
        #expect(scattered == [4, -1, 5, -1, 6, -1])

        // swap with different strides.
        var p: [T] = [1, 2, 3], q: [T] = [7, 0, 8, 0, 9]
        BLAS.swap(3, &p, &q, strideY: 2)
        #expect(p == [7, 8, 9] && q == [1, 0, 2, 0, 3])

        // nrm2 (strided), and without overflow where the naive sum of squares would overflow.
        let v: [T] = [3, 1000, 4, 1000]
        #expect(abs(BLAS.nrm2(2, v, strideX: 2) - 5) <= referenceTolerance(T.self, 5))
        let huge = T.greatestFiniteMagnitude / 4
        let big = BLAS.nrm2(2, [huge, huge])
        #expect(big.isFinite && abs(big / huge - T(2).squareRoot()) <= referenceTolerance(T.self))

        // asum: Σ|xᵢ| over a stride.
        let signs: [T] = [-1, 100, 2, 100, -3.5, 100]
        #expect(BLAS.asum(3, signs, strideX: 2) == 6.5)
        #expect(BLAS.asum(6, signs) == 306.5)

        // iamax: zero-based, the first of equal magnitudes, counted in strided elements.
        #expect(BLAS.iamax(4, [T(1), -7, 3, 7]) == 1)
        #expect(BLAS.iamax(1, [T(-2)]) == 0)
        #expect(BLAS.iamax(3, [T(1), 50, -5, 50, 4, 50], strideX: 2) == 1)
        #expect(BLAS.iamax(5, [T(0), 0, 0, 0, -0.5]) == 4)
    }

    @Test func float() { strided(Float.self) }
    @Test func double() { strided(Double.self) }
}

// MARK: - BLAS level 2

@Suite struct ReferenceBLASLevel2 {
    func gemvGerSymv<T: BLASScalar>(_: T.Type) {
        // A = [[1, 2, 3], [4, 5, 6]] stored with lda = 4 (the −100s must be ignored).
        let a: [T] = [1, 2, 3, -100,
                      4, 5, 6, -100]
        // y ← 2·A·x − y with x strided by 2 and y by 3.
        let x: [T] = [1, 0, -1, 0, 2]                 // x = (1, −1, 2): A·x = (5, 11)
        var y: [T] = [1, 50, 50, 3]                   // y = (1, 3)
        BLAS.gemv(rows: 2, cols: 3, alpha: 2, a, lda: 4, x, strideX: 2, beta: -1, &y, strideY: 3)
        #expect(y == [9, 50, 50, 19])

        // y ← 3·Aᵀ·x + 0.5·y: Aᵀ·(1, −2) = (−7, −8, −9).
        var yt: [T] = [2, 4, 6]
        BLAS.gemv(.transpose, rows: 2, cols: 3, alpha: 3, a, lda: 4, [1, -2], beta: 0.5, &yt)
        #expect(yt == [-20, -22, -24])

        // β = 0 must overwrite y, even if y holds NaN (BLAS does not read y then).
        var yn: [T] = [.nan, .nan]
        BLAS.gemv(rows: 2, cols: 3, a, lda: 4, [1, 1, 1], &yn)
        #expect(yn == [6, 15])

        // ger: A ← −1·x·yᵀ + A on a 2×3 block of a 2×4 array, x strided.
        var g: [T] = [1, 1, 1, 42,
                      1, 1, 1, 42]
        BLAS.ger(rows: 2, cols: 3, alpha: -1, [2, 0, 3], strideX: 2, [1, 2, 3], &g, lda: 4)
        #expect(g == [-1, -3, -5, 42, -2, -5, -8, 42])

        // symv: S = [[2, 1, 0], [1, 3, -1], [0, -1, 4]], the other triangle holds garbage.
        let upperOnly: [T] = [2, 1, 0,
                              99, 3, -1,
                              99, 99, 4]
        let lowerOnly: [T] = [2, 99, 99,
                              1, 3, 99,
                              0, -1, 4]
        // S·(1, 2, 3) = (4, 4, 10); y ← 2·S·x + 1·y with y = (1, 1, 1).
        for (triangle, s) in [(Triangle.upper, upperOnly), (.lower, lowerOnly)] {
            var ys: [T] = [1, 1, 1]
            BLAS.symv(triangle, n: 3, alpha: 2, s, [1, 2, 3], beta: 1, &ys)
            #expect(ys == [9, 9, 21], "symv \(triangle)")
        }
    }

    @Test func float() { gemvGerSymv(Float.self) }
    @Test func double() { gemvGerSymv(Double.self) }
}

// MARK: - BLAS level 3

@Suite struct ReferenceBLASLevel3 {
    // A (2×4) and B (4×3), all dimensions different so that a wrong default ld shows.
    static let a: [Double] = [1, 2, 0, -1,
                              3, -1, 2, 1]
    static let b: [Double] = [1, 0, 2,
                              0, 1, -1,
                              2, 1, 0,
                              1, -2, 1]
    // A·B = [[0, 4, -1], [8, -1, 8]]; with α = 2, β = −1 and C = 1: [[−1, 7, −3], [15, −3, 15]].
    static let expected: [Double] = [-1, 7, -3, 15, -3, 15]

    func gemm<T: BLASScalar>(_: T.Type, _ ta: Transpose, _ tb: Transpose) {
        let a = Self.a.map { T($0) }, b = Self.b.map { T($0) }
        let at = referenceTranspose(Matrix(rows: 2, columns: 4, elements: a)).elements  // 4×2
        let bt = referenceTranspose(Matrix(rows: 4, columns: 3, elements: b)).elements  // 3×4
        var c = [T](repeating: 1, count: 6)
        BLAS.gemm(ta, tb, m: 2, n: 3, k: 4, alpha: 2, ta == .none ? a : at, tb == .none ? b : bt, beta: -1, &c)
        #expect(c == Self.expected.map { T($0) }, "gemm(\(ta), \(tb)) [\(T.self)]")
    }

    @Test(arguments: [(Transpose.none, Transpose.none), (.transpose, .none), (.none, .transpose), (.transpose, .transpose)])
    func gemmTransposes(_ ta: Transpose, _ tb: Transpose) {
        gemm(Float.self, ta, tb)
        gemm(Double.self, ta, tb)
    }

    /// Explicit leading dimensions: A, B and C embedded in wider arrays; padding untouched.
    @Test func gemmPaddedLeadingDimensions() {
        var a = [Double](repeating: .nan, count: 2 * 6), b = [Double](repeating: .nan, count: 4 * 5)
        for i in 0..<2 { for p in 0..<4 { a[i * 6 + p] = Self.a[i * 4 + p] } }
        for p in 0..<4 { for j in 0..<3 { b[p * 5 + j] = Self.b[p * 3 + j] } }
        var c = [Double](repeating: 77, count: 2 * 4)
        for i in 0..<2 { for j in 0..<3 { c[i * 4 + j] = 1 } }
        BLAS.gemm(m: 2, n: 3, k: 4, alpha: 2, a, lda: 6, b, ldb: 5, beta: -1, &c, ldc: 4)
        #expect(c == [-1, 7, -3, 77, 15, -3, 15, 77])
    }

    /// β = 0 ignores C's old contents; α = 0 leaves β·C.
    @Test func gemmAlphaBetaEdgeValues() {
        let a = Self.a.map { Float($0) }, b = Self.b.map { Float($0) }
        var c = [Float](repeating: .nan, count: 6)
        BLAS.gemm(m: 2, n: 3, k: 4, a, b, &c)
        #expect(c == [0, 4, -1, 8, -1, 8])
        var d: [Float] = [1, 2, 3, 4, 5, 6]
        BLAS.gemm(m: 2, n: 3, k: 4, alpha: 0, a, b, beta: 3, &d)
        #expect(d == [3, 6, 9, 12, 15, 18])
    }

    func syrk<T: BLASScalar>(_: T.Type) {
        // A (2×3) = [[1, 2, 3], [4, 5, 6]]: A·Aᵀ = [[14, 32], [32, 77]],
        // Aᵀ·A = [[17, 22, 27], [22, 29, 36], [27, 36, 45]].
        let a: [T] = [1, 2, 3, 4, 5, 6]
        // C ← 2·A·Aᵀ − C with C = all 1s; the other triangle keeps its sentinel.
        var upper: [T] = [1, 1, -9, 1], lower: [T] = [1, -9, 1, 1]
        BLAS.syrk(.upper, .none, n: 2, k: 3, alpha: 2, a, beta: -1, &upper)
        BLAS.syrk(.lower, .none, n: 2, k: 3, alpha: 2, a, beta: -1, &lower)
        #expect(upper == [27, 63, -9, 153])
        #expect(lower == [27, -9, 63, 153])

        var ataUpper = [T](repeating: -9, count: 9), ataLower = [T](repeating: -9, count: 9)
        BLAS.syrk(.upper, .transpose, n: 3, k: 2, a, &ataUpper)
        BLAS.syrk(.lower, .transpose, n: 3, k: 2, a, &ataLower)
        #expect(ataUpper == [17, 22, 27, -9, 29, 36, -9, -9, 45])
        #expect(ataLower == [17, -9, -9, 22, 29, -9, 27, 36, 45])
    }

    @Test func syrkFloat() { syrk(Float.self) }
    @Test func syrkDouble() { syrk(Double.self) }
}

// MARK: - Dense LU

@Suite struct ReferenceLU {
    // A·(2, 3, −1) = (8, −11, −3) and A·(1, −2, 4) = (−4, 7, 4); Aᵀ·(1, 1, 1) = (−3, 1, 3).
    static let a: [[Double]] = [[2, 1, -1], [-3, -1, 2], [-2, 1, 2]]

    func gesv<T: LAPACKScalar>(_: T.Type) throws {
        let a = Matrix<T>(Self.a.map { $0.map { T($0) } })
        let tol = referenceTolerance(T.self, 4)
        expectClose(try LU.solve(a, [8, -11, -3]), [2, 3, -1], tol, "gesv one rhs")
        // Two right-hand sides, row-major n×2.
        let x = try LU.solve(a, Matrix<T>([[8, -4], [-11, 7], [-3, 4]]))
        #expect(x.rows == 3 && x.columns == 2)
        expectClose(x.elements, [2, 1, 3, -2, -1, 4], tol, "gesv two rhs")
        // A permutation-like matrix: needs row interchanges (A[0,0] = 0).
        let p = Matrix<T>([[0, 2, 0], [0, 0, 3], [4, 0, 0]])
        expectClose(try LU.solve(p, [2, 6, 12]), [3, 1, 2], tol, "gesv pivoting")
        // Zero right-hand sides: returned unchanged.
        #expect(try LU.solve(a, Matrix<T>(rows: 3, columns: 0)) == Matrix<T>(rows: 3, columns: 0))
        // The input matrices are value types: not overwritten by LAPACK.
        #expect(a == Matrix<T>(Self.a.map { $0.map { T($0) } }))
    }

    @Test func gesvFloat() throws { try gesv(Float.self) }
    @Test func gesvDouble() throws { try gesv(Double.self) }

    func factorization<T: LAPACKScalar>(_: T.Type) throws {
        let a = Matrix<T>(Self.a.map { $0.map { T($0) } })
        let tol = referenceTolerance(T.self, 4)
        let lu = try LU.Factorization(a)
        #expect(lu.n == 3)
        expectClose(try lu.solve([8, -11, -3]), [2, 3, -1], tol, "getrs")
        expectClose(try lu.solve([-4, 7, 4]), [1, -2, 4], tol, "getrs reused")
        expectClose(try lu.solve(Matrix<T>([[8, -4], [-11, 7], [-3, 4]])).elements, [2, 1, 3, -2, -1, 4], tol, "getrs 2 rhs")
        // Aᵀ·x = b.
        expectClose(try lu.solve([-3, 1, 3], transposed: true), [1, 1, 1], tol, "getrs transposed")
        let bt = referenceProduct(referenceTranspose(a), Matrix<T>([[1, 0], [-1, 2], [2, 5]]))
        expectClose(try lu.solve(bt, transposed: true).elements, [1, 0, -1, 2, 2, 5], tol, "getrs transposed 2 rhs")
    }

    @Test func factorizationFloat() throws { try factorization(Float.self) }
    @Test func factorizationDouble() throws { try factorization(Double.self) }

    @Test func singularThrowsInsteadOfTrapping() {
        // Row 1 = 2·row 0: elimination leaves an exactly zero pivot.
        let singular = Matrix<Double>([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
        if let e = expectLAPACKError("gesv", { () throws(LAPACKError) in _ = try LU.solve(singular, [1, 2, 3]) }) {
            #expect(e.routine == "gesv")
            #expect(e.info > 0 && e.info <= 3)
            #expect(!e.isIllegalArgument)
            #expect(e.description.contains("singular"), "\(e.description)")
        }
        if let e = expectLAPACKError("getrf", { () throws(LAPACKError) in _ = try LU.Factorization(singular) }) {
            #expect(e.routine == "getrf")
            #expect(e.info > 0 && e.info <= 3)
            #expect(e.description.contains("singular"), "\(e.description)")
        }
        // The zero matrix fails at the first pivot; Float too.
        #expect(throws: LAPACKError(routine: "gesv", info: 1)) { try LU.solve(Matrix<Float>(rows: 2, columns: 2), [1, 1]) }
    }

    @Test func errorDescriptions() {
        #expect(LAPACKError(routine: "gbtrf", info: 4).description.contains("singular"))
        #expect(LAPACKError(routine: "potrf", info: 2).description.contains("positive definite"))
        #expect(LAPACKError(routine: "gels", info: 2).description.contains("full rank"))
        #expect(LAPACKError(routine: "gtsv", info: 2).description.contains("zero pivot"))
        let illegal = LAPACKError(routine: "gesv", info: -4)
        #expect(illegal.isIllegalArgument)
        #expect(illegal.description.contains("argument 4") && illegal.description.contains("illegal"))
    }
}

// MARK: - Band LU

@Suite struct ReferenceBandedMatrix {
    /// A random band matrix and its dense twin; `dominantDiagonal` nil puts zeros on the
    /// diagonal, which forces gbtrf to pivot (and use the fill-in rows).
    private func randomBand<T: LAPACKScalar>(_: T.Type, n: Int, lower: Int, upper: Int, dominantDiagonal: Bool,
                                     rng: inout ReferenceRandom) -> (BandedMatrix<T>, Matrix<T>) {
        var band = BandedMatrix<T>(n: n, lower: lower, upper: upper)
        var dense = Matrix<T>(rows: n, columns: n)
        for i in 0..<n {
            for j in max(0, i - lower)...min(n - 1, i + upper) {
                let v: T
                if i == j { v = dominantDiagonal ? T(Double(lower + upper) + 1 + rng.next()) : 0 }
                else { v = T(rng.next()) }
                band[i, j] = v
                dense[i, j] = v
            }
        }
        return (band, dense)
    }

    func againstDense<T: LAPACKScalar>(_: T.Type, lower: Int, upper: Int, dominant: Bool, seed: UInt64) throws {
        let n = 12
        var rng = ReferenceRandom(seed: seed)
        var (band, dense) = randomBand(T.self, n: n, lower: lower, upper: upper, dominantDiagonal: dominant, rng: &rng)
        // The band's view matches the dense matrix, including zeros outside the band.
        for i in 0..<n { for j in 0..<n { #expect(band[i, j] == dense[i, j]) } }
        #expect(band.ldab == 2 * lower + upper + 1)

        try band.factor()
        #expect(band.isFactored)
        let b1: [T] = rng.vector(n), b2: [T] = rng.vector(n)
        let tol = referenceTolerance(T.self, dominant ? 8 : 200)
        // One factorisation, two right-hand sides (array API, then the in-place buffer API).
        let x1 = try band.solve(b1)
        var x2 = b2
        try x2.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<T>) throws(LAPACKError) in
            try band.solve(p)
        }
        expectClose(x1, try LU.solve(dense, b1), tol, "band(\(lower),\(upper)) rhs 1 vs dense LU")
        expectClose(x2, try LU.solve(dense, b2), tol, "band(\(lower),\(upper)) rhs 2 vs dense LU")
        // Residuals against the dense matrix, by naive loops.
        expectClose(referenceProduct(dense, columnVector(x1)).elements, b1, tol, "residual 1")
        expectClose(referenceProduct(dense, columnVector(x2)).elements, b2, tol, "residual 2")
    }

    @Test func pentadiagonalDominant() throws {
        try againstDense(Float.self, lower: 2, upper: 2, dominant: true, seed: 1)
        try againstDense(Double.self, lower: 2, upper: 2, dominant: true, seed: 1)
    }

    @Test func nonSymmetricBandLower1Upper3() throws {
        try againstDense(Float.self, lower: 1, upper: 3, dominant: true, seed: 2)
        try againstDense(Double.self, lower: 1, upper: 3, dominant: true, seed: 2)
    }

    /// Zero diagonal: no solution without row interchanges, so the kl fill-in rows are used.
    @Test func needsPivoting() throws {
        try againstDense(Double.self, lower: 2, upper: 1, dominant: false, seed: 3)
        try againstDense(Double.self, lower: 1, upper: 1, dominant: false, seed: 4)
    }

    /// Several right-hand sides at once (n×k, row-major) against single solves.
    @Test func matrixRightHandSide() throws {
        var rng = ReferenceRandom(seed: 5)
        var (band, dense) = randomBand(Double.self, n: 12, lower: 2, upper: 2, dominantDiagonal: true, rng: &rng)
        try band.factor()
        let b: Matrix<Double> = rng.matrix(12, 3)
        let x = try band.solve(b)
        #expect(x.rows == 12 && x.columns == 3)
        expectClose(x.elements, try LU.solve(dense, b).elements, referenceTolerance(Double.self, 8), "band n×3 rhs")
    }

    @Test func zeroRefillRefactor() throws {
        var rng = ReferenceRandom(seed: 6)
        var (band, _) = randomBand(Double.self, n: 12, lower: 2, upper: 2, dominantDiagonal: true, rng: &rng)
        try band.factor()
        _ = try band.solve(rng.vector(12))

        band.zero()
        #expect(!band.isFactored)
        for i in 0..<12 { for j in 0..<12 { #expect(band[i, j] == 0) } }
        #expect(band.band.allSatisfy { $0 == 0 }, "zero() clears the fill-in rows too")

        // Refill with a different matrix (lower 1, upper 2 inside the same 2/2 band).
        var dense = Matrix<Double>(rows: 12, columns: 12)
        for i in 0..<12 {
            for j in max(0, i - 1)...min(11, i + 2) {
                let v = i == j ? 5 + rng.next() : rng.next()
                band[i, j] = v
                dense[i, j] = v
            }
        }
        try band.factor()
        let b: [Double] = rng.vector(12)
        expectClose(try band.solve(b), try LU.solve(dense, b), referenceTolerance(Double.self, 8), "refactored")
    }

    @Test func singularBandThrows() {
        // Column 2 is entirely zero inside the band: U[3,3] = 0 whatever the pivoting.
        var band = BandedMatrix<Double>(n: 5, lower: 1, upper: 1)
        for i in 0..<5 { band[i, i] = 2 }
        for i in 0..<4 { band[i, i + 1] = 1; band[i + 1, i] = 1 }
        band[1, 2] = 0; band[2, 2] = 0; band[3, 2] = 0
        if let e = expectLAPACKError("gbtrf", { () throws(LAPACKError) in try band.factor() }) {
            #expect(e.routine == "gbtrf")
            #expect(e.info > 0 && e.info <= 5)
            #expect(e.description.contains("singular"), "\(e.description)")
        }
        var zero = BandedMatrix<Float>(n: 3, lower: 2, upper: 0)
        #expect(throws: LAPACKError(routine: "gbtrf", info: 1)) { try zero.factor() }
    }
}

// MARK: - Cholesky

@Suite struct ReferenceCholesky {
    // The classic example: A = L·Lᵀ with L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]]; A·(1, 2, 3) = (−20, −43, 192).
    static let a: [[Double]] = [[4, 12, -16], [12, 37, -43], [-16, -43, 98]]

    func spd<T: LAPACKScalar>(_: T.Type) throws {
        let a = Matrix<T>(Self.a.map { $0.map { T($0) } })
        let tol = referenceTolerance(T.self, 64)
        let chol = try Cholesky(a)
        let l = chol.lower
        expectClose(l.elements, [2, 0, 0, 6, 1, 0, -8, 5, 3], tol, "L")
        for i in 0..<3 { for j in (i + 1)..<3 { #expect(l[i, j] == 0) } }
        expectClose(referenceProduct(l, referenceTranspose(l)).elements, a.elements, tol, "L·Lᵀ")
        expectClose(try chol.solve([-20, -43, 192]), [1, 2, 3], tol, "potrs")
        let b = referenceProduct(a, Matrix<T>([[1, -1], [2, 0], [3, 1]]))
        expectClose(try chol.solve(b).elements, [1, -1, 2, 0, 3, 1], tol, "potrs 2 rhs")

        // Only the lower triangle is read.
        var garbage = a
        garbage[0, 1] = 1000; garbage[0, 2] = -1000; garbage[1, 2] = 7
        let g = try Cholesky(garbage)
        expectClose(g.lower.elements, l.elements, tol, "upper triangle ignored")
        expectClose(try g.solve([-20, -43, 192]), [1, 2, 3], tol, "upper triangle ignored, solve")
    }

    @Test func spdFloat() throws { try spd(Float.self) }
    @Test func spdDouble() throws { try spd(Double.self) }

    @Test func notPositiveDefiniteThrows() {
        // Eigenvalues 3 and −1: the 2×2 leading minor is negative.
        if let e = expectLAPACKError("potrf", { () throws(LAPACKError) in _ = try Cholesky(Matrix<Double>([[1, 2], [2, 1]])) }) {
            #expect(e.routine == "potrf" && e.info == 2)
            #expect(e.description.contains("positive definite"), "\(e.description)")
        }
        #expect(throws: LAPACKError(routine: "potrf", info: 1)) { try Cholesky(Matrix<Float>([[-1, 0], [0, 1]])) }
        #expect(throws: LAPACKError(routine: "potrf", info: 3)) {
            try Cholesky(Matrix<Double>([[1, 0, 0], [0, 1, 0], [0, 0, 0]]))  // semi-definite
        }
    }
}

// MARK: - Symmetric eigenproblem

@Suite struct ReferenceSymmetricEigen {
    func twoByTwo<T: LAPACKScalar>(_: T.Type) throws {
        let tol = referenceTolerance(T.self, 8)
        let (values, vectors) = try SymmetricEigen.decompose(Matrix<T>([[2, 1], [1, 2]]))
        expectClose(values, [1, 3], tol, "eigenvalues")
        // Up to sign: (1, −1)/√2 for λ = 1, (1, 1)/√2 for λ = 3.
        let h = T(0.5).squareRoot()
        let v0 = column(vectors, 0), v1 = column(vectors, 1)
        expectClose(v0.map { $0 * (v0[0] < 0 ? -1 : 1) }, [h, -h], tol, "v for λ = 1")
        expectClose(v1.map { $0 * (v1[0] < 0 ? -1 : 1) }, [h, h], tol, "v for λ = 3")
        expectClose(try SymmetricEigen.eigenvalues(Matrix<T>([[2, 1], [1, 2]])), [1, 3], tol, "eigenvalues only")
    }

    @Test func twoByTwoFloat() throws { try twoByTwo(Float.self) }
    @Test func twoByTwoDouble() throws { try twoByTwo(Double.self) }

    func random<T: LAPACKScalar>(_: T.Type) throws {
        let n = 5
        var rng = ReferenceRandom(seed: 7)
        var a = Matrix<T>(rows: n, columns: n)
        for i in 0..<n { for j in i..<n { let v = T(4 * rng.next()); a[i, j] = v; a[j, i] = v } }
        let tol = referenceTolerance(T.self, 32)

        let (w, v) = try SymmetricEigen.decompose(a)
        #expect(w == w.sorted(), "ascending")
        let av = referenceProduct(a, v)
        for j in 0..<n {
            expectClose(column(av, j), column(v, j).map { $0 * w[j] }, tol, "A·v = λv for λ\(j)")
        }
        expectClose(referenceProduct(referenceTranspose(v), v).elements, Matrix<T>.identity(n).elements, tol, "VᵀV = I")
        // Σλ = trace(A).
        expectClose([w.reduce(0, +)], [(0..<n).reduce(T(0)) { $0 + a[$1, $1] }], tol, "trace")

        // Only the requested triangle is read.
        var upperOnly = a, lowerOnly = a
        for i in 0..<n { for j in 0..<i { upperOnly[i, j] = 1000; lowerOnly[j, i] = -1000 } }
        expectClose(try SymmetricEigen.decompose(upperOnly, triangle: .upper).values, w, tol, "upper triangle")
        expectClose(try SymmetricEigen.decompose(lowerOnly, triangle: .lower).values, w, tol, "lower triangle")
        expectClose(try SymmetricEigen.eigenvalues(lowerOnly, triangle: .lower), w, tol, "eigenvalues, lower")
    }

    @Test func randomFloat() throws { try random(Float.self) }
    @Test func randomDouble() throws { try random(Double.self) }
}

// MARK: - Least squares

@Suite struct ReferenceLeastSquares {
    func overdetermined<T: LAPACKScalar>(_: T.Type) throws {
        var rng = ReferenceRandom(seed: 8)
        let a: Matrix<T> = rng.matrix(6, 3)
        let b: Matrix<T> = rng.matrix(6, 2)
        let tol = referenceTolerance(T.self, 64)
        let x = try LeastSquares.solve(a, b)
        #expect(x.rows == 3 && x.columns == 2)
        // Normal equations: (AᵀA)·x = Aᵀb.
        let at = referenceTranspose(a)
        let normal = try LU.solve(referenceProduct(at, a), referenceProduct(at, b))
        expectClose(x.elements, normal.elements, tol, "gels vs normal equations")
        // The residual is orthogonal to the columns of A.
        var r = referenceProduct(a, x)
        for k in r.elements.indices { r.elements[k] -= b.elements[k] }
        expectClose(referenceProduct(at, r).elements, [T](repeating: 0, count: 6), tol, "Aᵀ(Ax − b) = 0")
        // One right-hand side at a time gives the same columns.
        expectClose(try LeastSquares.solve(a, column(b, 1)), column(x, 1), tol, "single rhs")

        // A straight line through exact data: y = 1 + 2t.
        let line = Matrix<T>([[1, 0], [1, 1], [1, 2], [1, 3]])
        expectClose(try LeastSquares.solve(line, [1, 3, 5, 7]), [1, 2], tol, "exact fit")
    }

    @Test func overdeterminedFloat() throws { try overdetermined(Float.self) }
    @Test func overdeterminedDouble() throws { try overdetermined(Double.self) }

    func underdetermined<T: LAPACKScalar>(_: T.Type) throws {
        var rng = ReferenceRandom(seed: 9)
        let a: Matrix<T> = rng.matrix(3, 5)
        let b: [T] = rng.vector(3)
        let tol = referenceTolerance(T.self, 64)
        let x = try LeastSquares.solve(a, b)
        #expect(x.count == 5)
        // Minimum norm: x = Aᵀ(AAᵀ)⁻¹b.
        let y = try LU.solve(referenceProduct(a, referenceTranspose(a)), b)
        expectClose(x, referenceProduct(referenceTranspose(a), columnVector(y)).elements, tol, "minimum-norm solution")
        expectClose(referenceProduct(a, columnVector(x)).elements, b, tol, "A·x = b")
        // Known case: x₁ + x₂ = 2 has minimum-norm solution (1, 1).
        expectClose(try LeastSquares.solve(Matrix<T>([[1, 1]]), [2]), [1, 1], tol, "x₁ + x₂ = 2")
    }

    @Test func underdeterminedFloat() throws { try underdetermined(Float.self) }
    @Test func underdeterminedDouble() throws { try underdetermined(Double.self) }

    @Test func rankDeficientThrows() {
        // A zero column: R[1,1] is exactly zero.
        let tall = Matrix<Double>([[1, 0], [2, 0], [3, 0]])
        if let e = expectLAPACKError("gels", { () throws(LAPACKError) in _ = try LeastSquares.solve(tall, [1, 2, 3]) }) {
            #expect(e.routine == "gels" && e.info == 2)
            #expect(e.description.contains("full rank"), "\(e.description)")
        }
        // A zero row in the underdetermined case: L[1,1] is exactly zero.
        let wide = Matrix<Float>([[1, 2, 3], [0, 0, 0]])
        if let e = expectLAPACKError("gels", { () throws(LAPACKError) in _ = try LeastSquares.solve(wide, [1, 2]) }) {
            #expect(e.routine == "gels" && e.info > 0)
        }
    }
}

// MARK: - QR

@Suite struct ReferenceQR {
    func factor<T: LAPACKScalar>(_: T.Type, _ m: Int, _ n: Int) throws {
        var rng = ReferenceRandom(seed: UInt64(10 + 7 * m + n))
        let a: Matrix<T> = rng.matrix(m, n)
        let k = min(m, n)
        let tol = referenceTolerance(T.self, 16)
        let (q, r) = try QR.factor(a)
        #expect(q.rows == m && q.columns == k, "Q is \(q.rows)×\(q.columns)")
        #expect(r.rows == k && r.columns == n, "R is \(r.rows)×\(r.columns)")
        guard q.rows == m && q.columns == k && r.rows == k && r.columns == n else { return }
        expectClose(referenceProduct(referenceTranspose(q), q).elements, Matrix<T>.identity(k).elements, tol, "QᵀQ = I (\(m)×\(n))")
        for i in 0..<k { for j in 0..<i { #expect(r[i, j] == 0, "R[\(i), \(j)] below the diagonal") } }
        expectClose(referenceProduct(q, r).elements, a.elements, tol, "Q·R = A (\(m)×\(n))")
    }

    @Test(arguments: [(6, 4), (4, 4), (3, 5), (5, 1), (1, 3)])
    func shapes(_ m: Int, _ n: Int) throws {
        try factor(Float.self, m, n)
        try factor(Double.self, m, n)
    }

    @Test func square2x2Known() throws {
        // A = [[3, 1], [4, 2]]: |R[0,0]| = 5, |R[1,1]| = |det A| / 5 = 0.4.
        let (q, r) = try QR.factor(Matrix<Double>([[3, 1], [4, 2]]))
        #expect(abs(abs(r[0, 0]) - 5) < 1e-14 && abs(abs(r[1, 1]) - 0.4) < 1e-14)
        expectClose(referenceProduct(q, r).elements, [3, 1, 4, 2], 1e-14, "Q·R")
    }
}

// MARK: - Tridiagonal

@Suite struct ReferenceTridiagonal {
    func dense<T: BLASScalar>(lower: [T], diagonal: [T], upper: [T]) -> Matrix<T> {
        let n = diagonal.count
        var a = Matrix<T>(rows: n, columns: n)
        for i in 0..<n {
            a[i, i] = diagonal[i]
            if i > 0 { a[i, i - 1] = lower[i - 1] }
            if i < n - 1 { a[i, i + 1] = upper[i] }
        }
        return a
    }

    func randomDominant<T: LAPACKScalar>(_: T.Type) throws {
        let n = 10
        var rng = ReferenceRandom(seed: 11)
        let lower: [T] = rng.vector(n - 1), upper: [T] = rng.vector(n - 1), rhs: [T] = rng.vector(n)
        let diagonal: [T] = (0..<n).map { _ in T(2 + rng.next()) }
        let expected = try LU.solve(dense(lower: lower, diagonal: diagonal, upper: upper), rhs)
        let tol = referenceTolerance(T.self, 8)
        expectClose(try Tridiagonal.solve(lower: lower, diagonal: diagonal, upper: upper, rhs: rhs), expected, tol, "Thomas")
        expectClose(try Tridiagonal.solvePivoting(lower: lower, diagonal: diagonal, upper: upper, rhs: rhs), expected, tol, "gtsv")

        // The in-place, allocation-free form; scratch may be longer than n − 1.
        var x = rhs
        var scratch = [T](repeating: .nan, count: n + 3)
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
        expectClose(x, expected, tol, "Thomas in place")
    }

    @Test func randomDominantFloat() throws { try randomDominant(Float.self) }
    @Test func randomDominantDouble() throws { try randomDominant(Double.self) }

    @Test func sizeOneAndZero() throws {
        #expect(try Tridiagonal.solve(lower: [], diagonal: [4.0], upper: [], rhs: [2]) == [0.5])
        #expect(try Tridiagonal.solvePivoting(lower: [], diagonal: [4.0], upper: [], rhs: [2]) == [0.5])
        #expect(try Tridiagonal.solve(lower: [], diagonal: [Float(-2)], upper: [], rhs: [3]) == [-1.5])
        #expect(try Tridiagonal.solve(lower: [Double](), diagonal: [], upper: [], rhs: []) == [])
        #expect(try Tridiagonal.solvePivoting(lower: [Double](), diagonal: [], upper: [], rhs: []) == [])
        #expect(throws: LAPACKError(routine: "tridiagonal", info: 1)) {
            try Tridiagonal.solve(lower: [], diagonal: [0.0], upper: [], rhs: [1])
        }
    }

    @Test func zeroPivotThrowsAndPivotingSolves() throws {
        // [[0, 1], [1, 0]]·x = (2, 3) ⇒ x = (3, 2): Thomas has no first pivot.
        if let e = expectLAPACKError("tridiagonal", { () throws(LAPACKError) in
            _ = try Tridiagonal.solve(lower: [1.0], diagonal: [0, 0], upper: [1], rhs: [2, 3])
        }) {
            #expect(e.routine == "tridiagonal" && e.info == 1)
            #expect(e.description.contains("zero pivot"), "\(e.description)")
        }
        #expect(try Tridiagonal.solvePivoting(lower: [1.0], diagonal: [0, 0], upper: [1], rhs: [2, 3]) == [3, 2])
        #expect(try Tridiagonal.solvePivoting(lower: [Float(1)], diagonal: [0, 0], upper: [1], rhs: [2, 3]) == [3, 2])

        // A zero pivot in the second row: [[1, 1, 0], [1, 1, 1], [0, 1, 5]] (det −1).
        let (l, d, u): ([Double], [Double], [Double]) = ([1, 1], [1, 1, 5], [1, 1])
        #expect(throws: LAPACKError(routine: "tridiagonal", info: 2)) {
            try Tridiagonal.solve(lower: l, diagonal: d, upper: u, rhs: [1, 2, 3])
        }
        let expected = try LU.solve(dense(lower: l, diagonal: d, upper: u), [1, 2, 3])
        expectClose(try Tridiagonal.solvePivoting(lower: l, diagonal: d, upper: u, rhs: [1, 2, 3]), expected, 1e-14, "gtsv")

        // Truly singular: gtsv reports it too.
        if let e = expectLAPACKError("gtsv", { () throws(LAPACKError) in
            _ = try Tridiagonal.solvePivoting(lower: [1.0], diagonal: [1, 1], upper: [1], rhs: [1, 1])
        }) {
            #expect(e.routine == "gtsv" && e.info > 0)
        }
    }
}

// MARK: - OpenBLAS threads

/// Serialized: the thread count is process-wide state.
@Suite(.serialized) struct ReferenceOpenBLASThreads {
    struct Boom: Error {}

    @Test func threadCountRoundTripAndWithThreadsRestores() throws {
        let original = OpenBLAS.threadCount
        #expect(original >= 1)
        defer { OpenBLAS.threadCount = original }

        OpenBLAS.threadCount = 1
        #expect(OpenBLAS.threadCount == 1)
        OpenBLAS.threadCount = original
        #expect(OpenBLAS.threadCount == original)

        let inside = OpenBLAS.withThreads(1) { OpenBLAS.threadCount }
        #expect(inside == 1)
        #expect(OpenBLAS.threadCount == original)
        // Restored when the body throws, too.
        #expect(throws: Boom.self) { try OpenBLAS.withThreads(1) { throw Boom() } }
        #expect(OpenBLAS.threadCount == original)
        // A BLAS call inside still works.
        let product = OpenBLAS.withThreads(1) { BLAS.dot(3, [1.0, 2, 3], [1.0, 1, 1]) }
        #expect(product == 6)
    }

    @Test func configurationIsNonEmpty() {
        #expect(!OpenBLAS.configuration.isEmpty)
        #expect(OpenBLAS.configuration != "unknown")
    }

    @Test func zeroThreadsTraps() async {
        await #expect(processExitsWith: .failure) {
            OpenBLAS.threadCount = 0
        }
    }
}

// MARK: - Matrix

@Suite struct ReferenceMatrix {
    @Test func initialisersAndSubscript() {
        let m = Matrix<Double>(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m[0, 2] == 3 && m[1, 0] == 4)
        #expect(Matrix<Double>([[1, 2, 3], [4, 5, 6]]) == m)
        let filled = Matrix<Float>(rows: 2, columns: 2, repeating: 7)
        #expect(filled.elements == [7, 7, 7, 7])
        #expect(Matrix<Float>(rows: 3, columns: 1).elements == [0, 0, 0])
        let empty = Matrix<Double>([])
        #expect(empty.rows == 0 && empty.columns == 0)
        var e = m
        e[1, 1] = -5
        #expect(e.elements == [1, 2, 3, 4, -5, 6] && m[1, 1] == 5)
    }

    @Test func identityTransposeProduct() {
        #expect(Matrix<Double>.identity(3).elements == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Matrix<Float>.identity(0).elements.isEmpty)
        let m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        #expect(m.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(m.transposed.transposed == m)
        #expect(Matrix<Double>([[1, 2, 3]]).transposed == Matrix([[1], [2], [3]]))
        // [[1,2,3],[4,5,6]]·[[1,0],[0,1],[1,-1]] = [[4, -1], [10, -1]].
        #expect(m.multiplied(by: Matrix([[1, 0], [0, 1], [1, -1]])) == Matrix([[4, -1], [10, -1]]))
        #expect(m.multiplied(by: .identity(3)) == m)
        #expect(Matrix<Double>.identity(2).multiplied(by: m) == m)
        let f = Matrix<Float>([[1, 2], [3, 4]])
        #expect(f.multiplied(by: f) == Matrix([[7, 10], [15, 22]]))
        // Outer product (k = 1) and empty inner dimension (k = 0 → zeros).
        #expect(Matrix<Double>([[1], [2]]).multiplied(by: Matrix([[3, 4, 5]])) == Matrix([[3, 4, 5], [6, 8, 10]]))
        #expect(Matrix<Double>(rows: 2, columns: 0).multiplied(by: Matrix(rows: 0, columns: 3)) == Matrix(rows: 2, columns: 3))
    }

    /// A product with no columns (B is k×0) is an empty 2×0 matrix, not a trap.
    /// (Regression: `multiplied(by:)` once short-circuited only `columns == 0` and then
    /// trapped in `BLAS.gemm`'s check `ldb = 0 < max(1, n)`.)
    @Test func productWithZeroColumnsIsEmpty() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            let p = Matrix<Double>(rows: 2, columns: 3, repeating: 1).multiplied(by: Matrix(rows: 3, columns: 0))
            precondition(p.rows == 2 && p.columns == 0)
        }
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.isEmpty, "the child wrote: \(stderr.filter { $0.isASCII && !$0.isNewline }.prefix(300))")
    }

    /// A product with no rows (A is 0×k) is an empty 0×n matrix, not a trap.
    @Test func productWithZeroRowsIsEmpty() async {
        await #expect(processExitsWith: .success) {
            let p = Matrix<Double>(rows: 0, columns: 3).multiplied(by: Matrix(rows: 3, columns: 2, repeating: 1))
            precondition(p.rows == 0 && p.columns == 2)
        }
    }

    @Test func wrongElementCountTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Matrix<Double>(rows: 2, columns: 2, elements: [1, 2, 3])
        }
    }

    @Test func raggedRowsTrap() async {
        await #expect(processExitsWith: .failure) {
            _ = Matrix<Float>([[1, 2], [3]])
        }
    }

    @Test func shapeMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Matrix<Double>(rows: 2, columns: 3).multiplied(by: Matrix(rows: 2, columns: 3))
        }
    }
}
