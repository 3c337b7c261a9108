import Testing
@testable import LinearAlgebra

/// `Matrix` basics, `LAPACKError` messages, and the traps that name a bad shape.
@Suite struct MatrixAndErrorTests {
    @Test func matrixConstructionAndAccess() {
        var m = Matrix<Float>(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4 && m[0, 2] == 3)
        m[1, 2] = 60
        #expect(m.elements == [1, 2, 3, 4, 5, 60])
        #expect(m == Matrix([[1, 2, 3], [4, 5, 60]]))
        #expect(m.transposed == Matrix([[1, 4], [2, 5], [3, 60]]))
        #expect(m.transposed.transposed == m)
        #expect(Matrix<Double>(rows: 2, columns: 2, repeating: 7).elements == [7, 7, 7, 7])
        #expect(Matrix<Double>.identity(3).elements == [1, 0, 0, 0, 1, 0, 0, 0, 1])
    }

    @Test func matrixProduct() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        let b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])
        #expect(a.multiplied(by: b) == Matrix([[58, 64], [139, 154]]))
        #expect(a.multiplied(by: .identity(3)) == a)
        #expect(Matrix<Float>.identity(2).multiplied(by: Matrix([[1, 2], [3, 4]])) == Matrix([[1, 2], [3, 4]]))
    }

    @Test func errorMessagesNameRoutineAndInfo() {
        #expect(LAPACKError(routine: "gesv", info: 4).description
                == "gesv: matrix is singular (U[4,4] is exactly zero, info = 4)")
        #expect(LAPACKError(routine: "potrf", info: 2).description
                == "potrf: matrix is not positive definite (the leading minor of order 2 is not positive, info = 2)")
        #expect(LAPACKError(routine: "syevd", info: 1).description.hasPrefix("syevd: the eigenvalue algorithm failed to converge"))
        #expect(LAPACKError(routine: "gels", info: 3).description.contains("diagonal element 3"))
        #expect(LAPACKError(routine: "getrs", info: -4).description == "getrs: argument 4 had an illegal value (info = -4)")
        #expect(LAPACKError(routine: "getrs", info: -4).isIllegalArgument)
        #expect(LAPACKError(routine: "orgqr", info: 5).description == "orgqr: failed with info = 5")
        #expect(LAPACKError(routine: "gesv", info: 1) != LAPACKError(routine: "getrf", info: 1))
    }

    @Test func elementCountMismatchTrapsWithTheShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Matrix<Double>(rows: 2, columns: 3, elements: [1, 2, 3, 4])
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("2×3 needs 6 elements, got 4"), "stderr: \(text.suffix(300))")
    }

    @Test func solveShapeMismatchTrapsWithBothShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = try? LU.solve(Matrix<Double>.identity(3), Matrix<Double>(rows: 2, columns: 1))
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.contains("3×3") && text.contains("2×1"), "stderr: \(text.suffix(300))")
    }
}
