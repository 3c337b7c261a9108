import Testing
import SeededRandom
@testable import Control

@Suite("Separable allocation (water-filling)")
struct SeparableAllocationTests {
    /// The KKT conditions, checked directly: bounds, the sum, and one multiplier for every free variable.
    static func checkOptimal(_ s: SeparableAllocation.Solution, a: [Double], b: [Double], l: [Double], u: [Double], total: Double) {
        #expect(abs(s.x.reduce(0, +) - total) <= 1e-9 * max(1, abs(total)))
        for i in a.indices {
            #expect(s.x[i] >= l[i] - 1e-12 && s.x[i] <= u[i] + 1e-12)
            let gradient = a[i] * s.x[i] + b[i]   // = −λ if free, ≥ −λ at the lower bound, ≤ −λ at the upper
            if s.x[i] > l[i] + 1e-9 && s.x[i] < u[i] - 1e-9 { #expect(abs(gradient + s.multiplier) <= 1e-7 * max(1, abs(gradient))) }
            else if s.x[i] <= l[i] + 1e-9 { #expect(gradient >= -s.multiplier - 1e-7) }
            else { #expect(gradient <= -s.multiplier + 1e-7) }
        }
    }

    @Test("a hand-solved case: equal weights split evenly until a bound binds, the rest is passed on")
    func handSolved() throws {
        let s = try SeparableAllocation.solve(a: [1, 1, 1], b: [0, 0, 0], lower: [0, 0, 0], upper: [1, 5, 5], total: 9)
        #expect(s.totalMet)
        #expect(abs(s.x[0] - 1) < 1e-12 && abs(s.x[1] - 4) < 1e-12 && abs(s.x[2] - 4) < 1e-12)
        // Projection of q = (3, 0, 0) onto {Σx = 3, 0 ≤ x ≤ 2}: x₁ is capped at 2 and the remaining 1 goes to the
        // others equally: (2, 0.5, 0.5).
        let p = try SeparableAllocation.solve(a: [1, 1, 1], b: [-3, 0, 0], lower: [0, 0, 0], upper: [2, 2, 2], total: 3)
        #expect(abs(p.x[0] - 2) < 1e-12 && abs(p.x[1] - 0.5) < 1e-12 && abs(p.x[2] - 0.5) < 1e-12)
    }

    @Test("random problems meet their KKT conditions", arguments: 0..<20)
    func random(_ seed: Int) throws {
        var rng = Xoshiro256StarStar(seed: UInt64(seed))
        let n = 1 + Int(rng.next() % 60)
        let a = (0..<n).map { _ in rng.nextUniform(in: 0.1, 10) }
        let b = (0..<n).map { _ in rng.nextUniform(in: -5, 5) }
        let l = (0..<n).map { _ in rng.nextUniform(in: -3, 0) }
        let u = l.map { $0 + rng.nextUniform(in: 0, 4) }
        let total = rng.nextUniform(in: l.reduce(0, +), u.reduce(0, +))
        let s = try SeparableAllocation.solve(a: a, b: b, lower: l, upper: u, total: total)
        #expect(s.totalMet)
        Self.checkOptimal(s, a: a, b: b, l: l, u: u, total: total)
    }

    @Test("a total out of reach saturates every variable at the nearer bound and says so")
    func unreachable() throws {
        let s = try SeparableAllocation.solve(a: [1, 2], b: [0, 0], lower: [-1, -1], upper: [1, 2], total: 10)
        #expect(!s.totalMet && s.x == [1, 2])
        let t = try SeparableAllocation.solve(a: [1, 2], b: [0, 0], lower: [-1, -1], upper: [1, 2], total: -10)
        #expect(!t.totalMet && t.x == [-1, -1])
    }

    @Test("fixed variables (l = u) and bad data", arguments: [true, false])
    func degenerate(_ valid: Bool) throws {
        if valid {
            let s = try SeparableAllocation.solve(a: [1, 1, 1], b: [0, 0, 0], lower: [1, 0, 0], upper: [1, 3, 3], total: 3)
            #expect(s.x[0] == 1 && abs(s.x[1] - 1) < 1e-12 && abs(s.x[2] - 1) < 1e-12)
        } else {
            #expect(throws: ControlError.self) { try SeparableAllocation.solve(a: [0], b: [0], lower: [0], upper: [1], total: 0.5) }
            #expect(throws: ControlError.self) { try SeparableAllocation.solve(a: [1], b: [0], lower: [2], upper: [1], total: 0.5) }
            #expect(throws: ControlError.self) { try SeparableAllocation.solve(a: [1, 1], b: [0], lower: [0], upper: [1], total: 0.5) }
        }
    }
}
