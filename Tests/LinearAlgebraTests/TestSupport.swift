import Testing
@testable import LinearAlgebra

/// A tolerance of `ulps` units in the last place at 1 (1000 ulps ≈ 1.2e-4 in Float, 2.2e-13 in Double).
func ulpTolerance<T: BinaryFloatingPoint>(_: T.Type = T.self, ulps: T = 1000) -> T { ulps * T.ulpOfOne }

/// Whether every |aᵢ − bᵢ| ≤ tol·max(1, |bᵢ|).
func isNear<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], _ tol: T) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in abs(x - y) <= tol * max(1, abs(y)) }
}

/// Expects two arrays to agree to `tol` (relative above 1), printing both on failure.
func expectNear<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], _ tol: T,
                                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(isNear(a, b, tol), "\(a) differs from \(b) by more than \(tol)", sourceLocation: sourceLocation)
}

/// Expects two matrices to have the same shape and agree to `tol`.
func expectNear<T: BLASScalar>(_ a: Matrix<T>, _ b: Matrix<T>, _ tol: T,
                                sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.rows == b.rows && a.columns == b.columns,
            "shape \(a.rows)×\(a.columns) differs from \(b.rows)×\(b.columns)", sourceLocation: sourceLocation)
    expectNear(a.elements, b.elements, tol, sourceLocation: sourceLocation)
}

/// A deterministic pseudo-random matrix with entries in [−1, 1) (a linear congruential sequence).
func sampleMatrix<T: BLASScalar>(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix<T> {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    let elements = (0..<(rows * columns)).map { _ -> T in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return T(Double(state >> 11) / Double(1 << 53) * 2 - 1)
    }
    return Matrix(rows: rows, columns: columns, elements: elements)
}

/// The largest |(QᵀQ − I)ᵢⱼ|: zero for orthonormal columns.
func orthonormalityError<T: BLASScalar>(_ q: Matrix<T>) -> T {
    let g = q.transposed.multiplied(by: q)
    return zip(g.elements, Matrix<T>.identity(q.columns).elements).map { abs($0 - $1) }.max() ?? 0
}

/// The LAPACKError `body` throws, or nil (recording an issue) if it returns.
func thrownLAPACKError<R>(_ body: () throws(LAPACKError) -> R,
                    sourceLocation: SourceLocation = #_sourceLocation) -> LAPACKError? {
    do {
        _ = try body()
        Issue.record("expected a LAPACKError, but the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
