import Testing
@testable import Electrochemistry

@Suite("Not-a-knot cubic spline")
struct CubicSplineTests {
    @Test func reproducesACubicExactlyOnAnUnevenGrid() throws {
        let cubic = { (x: Double) in 0.5 - 2 * x + 3 * x * x - 1.7 * x * x * x }
        let x = [0, 0.07, 0.2, 0.33, 0.5, 0.61, 0.9, 1.0]
        let spline = try CubicSpline(x: x, y: x.map(cubic), name: "test")
        for t in stride(from: -0.1, through: 1.1, by: 0.013) {
            #expect(abs(spline(t) - cubic(t)) < 1e-12, "at \(t)")
        }
    }

    @Test func interpolatesItsKnots() throws {
        let x = (0..<12).map { Double($0) * Double($0) / 121 }
        let y = x.map { ($0 * 9).squareRoot() }
        let spline = try CubicSpline(x: x, y: y, name: "test")
        for (a, b) in zip(x, y) { #expect(abs(spline(a) - b) < 1e-13) }
    }

    @Test func rejectsBadPoints() {
        #expect(throws: ParameterError.self) { try CubicSpline(x: [0, 1, 2], y: [0, 1, 2], name: "short") }
        #expect(throws: ParameterError.self) { try CubicSpline(x: [0, 1, 1, 2], y: [0, 1, 2, 3], name: "flat") }
        #expect(throws: ParameterError.self) { try CubicSpline(x: [0, 1, 2, 3], y: [0, .nan, 2, 3], name: "nan") }
    }
}
