import Testing
import Foundation
@testable import SafeRL

/// CPO's step on two-dimensional problems with H = I, checked against a brute-force search of the trust region.
@Suite("CPO: the dual of the trust-region step with one linear constraint, every case")
struct CPOStepTests {
    /// The best gᵀx over a fine polar grid of ½|x|² ≤ δ with c + bᵀx ≤ 0, or nil if no grid point is feasible.
    static func bruteForce(g: [Double], b: [Double], c: Double, delta: Double) -> (x: [Double], value: Double)? {
        var best: (x: [Double], value: Double)?
        let radius = (2 * delta).squareRoot()
        for i in 0...400 {
            let rr = radius * Double(i) / 400
            for j in 0..<2000 {
                let a = 2 * Double.pi * Double(j) / 2000
                let x = [rr * cos(a), rr * sin(a)]
                guard c + dot(b, x) <= 1e-9 else { continue }
                let v = dot(g, x)
                if best == nil || v > best!.value { best = (x, v) }
            }
        }
        return best
    }

    static func step(g: [Double], b: [Double], c: Double, delta: Double) -> (CPOStep.Solution, [Double]) {
        let s = CPOStep.solve(q: dot(g, g), r: dot(g, b), s: dot(b, b), c: c, delta: delta)
        return (s, [0, 1].map { s.gradientCoefficient * g[$0] - s.costCoefficient * b[$0] })
    }

    @Test("cases 1, 2, 3: the step reaches the brute-force optimum and is feasible",
          arguments: [(-0.05, CPOStep.Case.satisfiedCutting), (0.3, .violatedFeasible), (-5, .satisfiedInactive),
                      (0.0, .violatedFeasible), (0.9, .violatedFeasible)] as [(Double, CPOStep.Case)])
    func feasibleCases(c: Double, expected: CPOStep.Case) throws {
        let g = [1.0, 1], b = [1.0, 0], delta = 0.5
        let (solution, x) = Self.step(g: g, b: b, c: c, delta: delta)
        #expect(solution.optimizationCase == expected)
        let best = try #require(Self.bruteForce(g: g, b: b, c: c, delta: delta))
        // The exact step is at least as good as every grid point, and no better than the grid's resolution allows.
        #expect(dot(g, x) >= best.value - 1e-9 && dot(g, x) <= best.value + 5e-3,
                "step \(x) gives \(dot(g, x)), best \(best.value) at \(best.x)")
        #expect(0.5 * dot(x, x) <= delta * (1 + 1e-9))
        #expect(c + dot(b, x) <= 1e-9)
    }

    @Test("c = 0 exactly (the episode cost at the limit) with the reward gradient along or against the cost gradient, and a tiny c",
          arguments: [([1.0, 1], 0.0), ([-1.0, 1], 0.0), ([-1.0, 1], 1e-320), ([-1.0, 1], -1e-320)] as [([Double], Double)])
    func costAtTheLimit(g: [Double], c: Double) throws {
        let b = [1.0, 0], delta = 0.5
        let (solution, x) = Self.step(g: g, b: b, c: c, delta: delta)
        #expect(solution.lambda.isFinite && solution.nu.isFinite && x.allSatisfy(\.isFinite))
        let best = try #require(Self.bruteForce(g: g, b: b, c: c, delta: delta))
        #expect(dot(g, x) >= best.value - 1e-9 && dot(g, x) <= best.value + 5e-3, "step \(x), best \(best.x)")
        #expect(0.5 * dot(x, x) <= delta * (1 + 1e-9) && c + dot(b, x) <= 1e-9)
    }

    @Test("case 0: no point is feasible, the step is the recovery −√(2δ/s) H⁻¹b, the most constraint decrease")
    func infeasible() {
        let g = [1.0, 1], b = [1.0, 0], delta = 0.5, c = 2.0
        let (solution, x) = Self.step(g: g, b: b, c: c, delta: delta)
        #expect(solution.optimizationCase == .infeasibleRecovery)
        #expect(Self.bruteForce(g: g, b: b, c: c, delta: delta) == nil)
        #expect(abs(x[0] + 1) < 1e-12 && x[1] == 0)
    }

    @Test("case 4: a vanishing cost gradient gives the TRPO step √(2δ/q) H⁻¹g")
    func noCostGradient() {
        let (solution, x) = Self.step(g: [3, 4], b: [0, 0], c: 1, delta: 0.5)
        #expect(solution.optimizationCase == .noCostGradient)
        #expect(abs(x[0] - 0.6) < 1e-12 && abs(x[1] - 0.8) < 1e-12)
    }

    @Test("a general H: the step equals the H = I step in the whitened coordinates")
    func anisotropic() {
        // H = diag(4, 1): with y = H^{1/2} x the problem is the H = I one for g' = H^{-1/2} g, b' = H^{-1/2} b.
        let g = [2.0, 1], b = [2.0, 0], c = 0.2, delta = 0.5
        let hg = [g[0] / 4, g[1]], hb = [b[0] / 4, b[1]]
        let s = CPOStep.solve(q: dot(g, hg), r: dot(g, hb), s: dot(b, hb), c: c, delta: delta)
        let x = [0, 1].map { s.gradientCoefficient * hg[$0] - s.costCoefficient * hb[$0] }
        let (_, y) = Self.step(g: [1, 1], b: [1, 0], c: c, delta: delta)
        #expect(abs(2 * x[0] - y[0]) < 1e-9 && abs(x[1] - y[1]) < 1e-9)
    }

    @Test("conjugate gradients solve an SPD system given only its product")
    func conjugateGradients() {
        let a = [[4.0, 1, 0], [1, 3, 1], [0, 1, 2]], b = [1.0, 2, 3]
        let x = conjugateGradient({ v in a.map { dot($0, v) } }, b, iterations: 10)
        for i in 0..<3 { #expect(abs(dot(a[i], x) - b[i]) < 1e-9) }
    }
}
