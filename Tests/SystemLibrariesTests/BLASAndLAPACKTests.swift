import CBLAS
import CLAPACKE
import Testing

/// OpenBLAS and LAPACKE link, and compute what they should.
@Suite struct BLASAndLAPACKTests {
    @Test func ddotOfSmallVectors() {
        let x: [Double] = [1, 2, 3, 4]
        let y: [Double] = [0.5, -1, 2, 0.25]
        let dot = cblas_ddot(Int32(x.count), x, 1, y, 1)
        let expected: Double = 0.5 - 2 + 6 + 1
        #expect(dot == expected)
    }

    @Test func openBLASReportsItsConfiguration() throws {
        let config = try #require(openblas_get_config())
        let text = String(cString: config)
        #expect(!text.isEmpty)
        #expect(openblas_get_num_threads() >= 1)
    }

    @Test func dgesvSolvesTwoByTwo() {
        // [2 1; 1 3] x = [3; 5]  →  x = [0.8; 1.4]
        var a: [Double] = [2, 1,
                           1, 3]
        var b: [Double] = [3, 5]
        var pivots = [Int32](repeating: 0, count: 2)
        let info = LAPACKE_dgesv(pulse_lapack_row_major(), 2, 1, &a, 2, &pivots, &b, 1)
        #expect(info == 0)
        #expect(abs(b[0] - 0.8) < 1e-12)
        #expect(abs(b[1] - 1.4) < 1e-12)
    }

    @Test func dgesvReportsASingularMatrix() {
        var a: [Double] = [1, 2,
                           2, 4]
        var b: [Double] = [1, 2]
        var pivots = [Int32](repeating: 0, count: 2)
        let info = LAPACKE_dgesv(pulse_lapack_row_major(), 2, 1, &a, 2, &pivots, &b, 1)
        #expect(info > 0, "a singular matrix must give info > 0, got \(info)")
    }
}
