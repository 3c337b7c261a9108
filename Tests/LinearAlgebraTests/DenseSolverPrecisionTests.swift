import Testing
@testable import LinearAlgebra

/// LU (`gesv`, `getrf`/`getrs`) and Cholesky (`potrf`/`potrs`) against known solutions, in Float and Double.
@Suite struct DenseSolverPrecisionTests {
    /// A·x = b with x = (2, 3, −1), and a second column whose solution is e₁.
    func gesvKnownSolution<T: LAPACKScalar>(_: T.Type) throws {
        let a = Matrix<T>([[2, 1, -1], [-3, -1, 2], [-2, 1, 2]])
        expectNear(try LU.solve(a, [8, -11, -3]), [2, 3, -1], ulpTolerance(T.self))
        let x = try LU.solve(a, Matrix([[8, 2], [-11, -3], [-3, -2]]))
        expectNear(x, Matrix([[2, 1], [3, 0], [-1, 0]]), ulpTolerance(T.self))
        #expect(a == Matrix([[2, 1, -1], [-3, -1, 2], [-2, 1, 2]]), "the input is not overwritten")
    }

    @Test func gesvFloat() throws { try gesvKnownSolution(Float.self) }
    @Test func gesvDouble() throws { try gesvKnownSolution(Double.self) }

    /// Row 1 is twice row 0: elimination leaves an exactly zero U[3,3].
    func singularGivesInfo<T: LAPACKScalar>(_: T.Type) {
        let a = Matrix<T>([[1, 2, 3], [2, 4, 6], [1, 1, 1]])
        let error = thrownLAPACKError { () throws(LAPACKError) in try LU.solve(a, [1, 2, 3]) }
        #expect(error == LAPACKError(routine: "gesv", info: 3))
        #expect(error?.description == "gesv: matrix is singular (U[3,3] is exactly zero, info = 3)")
        #expect(error?.isIllegalArgument == false)
        let factorError = thrownLAPACKError { () throws(LAPACKError) in try LU.Factorization(a) }
        #expect(factorError == LAPACKError(routine: "getrf", info: 3))
    }

    @Test func singularFloat() { singularGivesInfo(Float.self) }
    @Test func singularDouble() { singularGivesInfo(Double.self) }

    func factorisationReused<T: LAPACKScalar>(_: T.Type) throws {
        let a: Matrix<T> = sampleMatrix(5, 5, seed: 11)
        let lu = try LU.Factorization(a)
        #expect(lu.n == 5)
        for seed in 1...3 as ClosedRange<UInt64> {
            let x: Matrix<T> = sampleMatrix(5, 2, seed: seed)
            expectNear(try lu.solve(a.multiplied(by: x)), x, ulpTolerance(T.self, ulps: 10_000))
            expectNear(try lu.solve(a.transposed.multiplied(by: x), transposed: true), x, ulpTolerance(T.self, ulps: 10_000))
        }
        let b: [T] = [1, 2, 3, 4, 5]
        expectNear(try lu.solve(b), try LU.solve(a, b), ulpTolerance(T.self))
    }

    @Test func factorisationFloat() throws { try factorisationReused(Float.self) }
    @Test func factorisationDouble() throws { try factorisationReused(Double.self) }

    /// A = L·Lᵀ with L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]], exactly.
    func choleskyKnownFactor<T: LAPACKScalar>(_: T.Type) throws {
        let a = Matrix<T>([[4, 12, -16], [12, 37, -43], [-16, -43, 98]])
        let chol = try Cholesky(a)
        #expect(chol.n == 3)
        expectNear(chol.lower, Matrix([[2, 0, 0], [6, 1, 0], [-8, 5, 3]]), ulpTolerance(T.self))
        expectNear(try chol.solve([-20, -43, 192]), [1, 2, 3], ulpTolerance(T.self, ulps: 10_000))
        let x = try chol.solve(Matrix([[-20, 4], [-43, 12], [192, -16]]))
        expectNear(x, Matrix([[1, 1], [2, 0], [3, 0]]), ulpTolerance(T.self, ulps: 10_000))
    }

    @Test func choleskyFloat() throws { try choleskyKnownFactor(Float.self) }
    @Test func choleskyDouble() throws { try choleskyKnownFactor(Double.self) }

    func notPositiveDefinite<T: LAPACKScalar>(_: T.Type) {
        let indefinite = thrownLAPACKError { () throws(LAPACKError) in try Cholesky(Matrix<T>([[1, 2], [2, 1]])) }
        #expect(indefinite == LAPACKError(routine: "potrf", info: 2))
        #expect(indefinite?.description.contains("not positive definite") == true)
        let negative = thrownLAPACKError { () throws(LAPACKError) in try Cholesky(Matrix<T>([[-1, 0], [0, 1]])) }
        #expect(negative?.info == 1)
    }

    @Test func notPositiveDefiniteFloat() { notPositiveDefinite(Float.self) }
    @Test func notPositiveDefiniteDouble() { notPositiveDefinite(Double.self) }

    @Test func emptySystemsAreTrivial() throws {
        let empty = Matrix<Double>(rows: 0, columns: 0)
        #expect(try LU.solve(empty, [Double]()) == [])
        #expect(try Cholesky(empty).solve([Double]()) == [])
    }
}
