import Testing
@testable import LinearAlgebra

/// BLAS levels 1–3 on small cases computed by hand, in both Float and Double.
@Suite struct BLASPrecisionTests {
    func level1<T: BLASScalar>(_: T.Type) {
        let x: [T] = [1, 2, 3], y: [T] = [4, 5, 6]
        #expect(BLAS.dot(3, x, y) == 32)
        let strided: [T] = [1, 0, 2, 0, 3]
        #expect(BLAS.dot(3, strided, strideX: 2, y) == 32)

        var z: [T] = [1, 1, 1]
        BLAS.axpy(3, alpha: 2, x, &z)
        #expect(z == [3, 5, 7])
        BLAS.scal(3, alpha: 0.5, &z)
        #expect(z == [1.5, 2.5, 3.5])

        var c = [T](repeating: 0, count: 3)
        BLAS.copy(3, x, &c)
        #expect(c == x)
        var a: [T] = [1, 2], b: [T] = [3, 4]
        BLAS.swap(2, &a, &b)
        #expect(a == [3, 4] && b == [1, 2])

        #expect(abs(BLAS.nrm2(2, [T(3), 4]) - 5) <= ulpTolerance(T.self, ulps: 8))
        #expect(BLAS.asum(3, [T(-1), 2, -3]) == 6)
        #expect(BLAS.iamax(4, [T(1), -7, 3, 7]) == 1)  // first of the largest magnitudes, zero-based
    }

    @Test func level1Float() { level1(Float.self) }
    @Test func level1Double() { level1(Double.self) }

    func level2<T: BLASScalar>(_: T.Type) {
        let a: [T] = [1, 2, 3,
                      4, 5, 6]
        var y = [T](repeating: 0, count: 2)
        BLAS.gemv(rows: 2, cols: 3, a, [1, 1, 1], &y)
        #expect(y == [6, 15])
        y = [1, 1]
        BLAS.gemv(rows: 2, cols: 3, alpha: 2, a, [1, 1, 1], beta: 3, &y)
        #expect(y == [15, 33])
        var yt = [T](repeating: 0, count: 3)
        BLAS.gemv(.transpose, rows: 2, cols: 3, a, [1, 2], &yt)
        #expect(yt == [9, 12, 15])

        var outer = [T](repeating: 0, count: 4)
        BLAS.ger(rows: 2, cols: 2, [1, 2], [3, 4], &outer)
        #expect(outer == [3, 4, 6, 8])

        // Only the upper triangle is read: the 99 must not matter.
        let s: [T] = [1, 2,
                      99, 3]
        var sy = [T](repeating: 0, count: 2)
        BLAS.symv(.upper, n: 2, s, [1, 1], &sy)
        #expect(sy == [3, 5])
    }

    @Test func level2Float() { level2(Float.self) }
    @Test func level2Double() { level2(Double.self) }

    func gemmAllTransposes<T: BLASScalar>(_: T.Type) {
        let a: [T] = [1, 2, 3,
                      4, 5, 6]           // 2×3
        let at: [T] = [1, 4, 2, 5, 3, 6]  // Aᵀ, 3×2
        let b: [T] = [7, 8,
                      9, 10,
                      11, 12]            // 3×2
        let bt: [T] = [7, 9, 11, 8, 10, 12]  // Bᵀ, 2×3
        let expected: [T] = [58, 64, 139, 154]
        for (ta, tb) in [(Transpose.none, Transpose.none), (.transpose, .none), (.none, .transpose), (.transpose, .transpose)] {
            var c = [T](repeating: 0, count: 4)
            BLAS.gemm(ta, tb, m: 2, n: 2, k: 3, ta == .none ? a : at, tb == .none ? b : bt, &c)
            #expect(c == expected, "gemm(\(ta), \(tb))")
        }
        // α, β and a padded leading dimension (A stored 2×4, last column unused).
        let padded: [T] = [1, 2, 3, -100,
                           4, 5, 6, -100]
        var c: [T] = [1, 1, 1, 1]
        BLAS.gemm(m: 2, n: 2, k: 3, alpha: 2, padded, lda: 4, b, beta: -1, &c)
        #expect(c == expected.map { 2 * $0 - 1 })
    }

    @Test func gemmFloat() { gemmAllTransposes(Float.self) }
    @Test func gemmDouble() { gemmAllTransposes(Double.self) }

    func syrkBothSides<T: BLASScalar>(_: T.Type) {
        let a: [T] = [1, 2, 3,
                      4, 5, 6]
        var aat = [T](repeating: 0, count: 4)
        BLAS.syrk(.upper, .none, n: 2, k: 3, a, &aat)
        #expect(aat[0] == 14 && aat[1] == 32 && aat[3] == 77)
        #expect(aat[2] == 0, "the lower triangle is not written")
        var ata = [T](repeating: 0, count: 9)
        BLAS.syrk(.lower, .transpose, n: 3, k: 2, a, &ata)
        #expect([ata[0], ata[3], ata[4], ata[6], ata[7], ata[8]] == [17, 22, 29, 27, 36, 45])
    }

    @Test func syrkFloat() { syrkBothSides(Float.self) }
    @Test func syrkDouble() { syrkBothSides(Double.self) }
}
