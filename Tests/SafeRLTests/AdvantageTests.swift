import Testing
@testable import SafeRL

@Suite("GAE for the reward and each cost")
struct AdvantageTests {
    static func act(_ values: [Double], _ costValues: [[Double]]) -> ActorCritic.Act {
        ActorCritic.Act(actions: values.map { _ in [0] }, logProbabilities: values.map { _ in 0 }, values: values, costValues: costValues)
    }

    @Test("one environment, three steps, termination at the end: the textbook recursion")
    func terminated() {
        var b = RolloutBuffer(environments: 1, constraints: 1)
        let r = [1.0, 2, 3], v = [0.5, 0.25, 1.0], c = [0.0, 1, 0], cv = [0.1, 0.2, 0.3]
        for t in 0..<3 {
            b.append(observations: [[0]], act: Self.act([v[t]], [[cv[t]]]), rewards: [r[t]], costs: [[c[t]]],
                     terminated: [t == 2], truncated: [false], valid: [true])
        }
        let gamma = 0.9, lambda = 0.8
        b.finish(gamma: gamma, lambda: lambda, costGamma: gamma, costLambda: lambda, lastValues: [99], lastCostValues: [[99]])
        // δ₂ = 3 − 1 (terminal: no bootstrap), δ₁ = 2 + 0.9·1 − 0.25, δ₀ = 1 + 0.9·0.25 − 0.5.
        let d2 = 3 - 1.0, d1 = 2 + 0.9 * 1 - 0.25, d0 = 1 + 0.9 * 0.25 - 0.5
        let a2 = d2, a1 = d1 + 0.72 * a2, a0 = d0 + 0.72 * a1
        #expect(abs(b.advantages[0] - a0) < 1e-12 && abs(b.advantages[1] - a1) < 1e-12 && abs(b.advantages[2] - a2) < 1e-12)
        #expect(abs(b.returns[0] - (a0 + 0.5)) < 1e-12)
        let e2 = 0 - 0.3, e1 = 1 + 0.9 * 0.3 - 0.2, e0 = 0 + 0.9 * 0.2 - 0.1
        let ca2 = e2, ca1 = e1 + 0.72 * ca2, ca0 = e0 + 0.72 * ca1
        #expect(abs(b.costAdvantages[0][0] - ca0) < 1e-12 && abs(b.costAdvantages[1][0] - ca1) < 1e-12)
    }

    @Test("truncation bootstraps from the final observation's value; the autoreset step is skipped; the tail bootstraps")
    func truncationAndAutoreset() {
        var b = RolloutBuffer(environments: 2, constraints: 2)
        // Env 0: truncated at t = 0, autoreset at t = 1 (invalid), new episode step at t = 2.
        // Env 1: three ordinary steps.
        let rows: [(valid: [Bool], truncated: [Bool])] = [([true, true], [true, false]), ([false, true], [false, false]), ([true, true], [false, false])]
        for (t, row) in rows.enumerated() {
            b.append(observations: [[0], [0]], act: Self.act([1, 1], [[0, 0], [0, 0]]), rewards: [1, 1], costs: [[1, 0], [0, 1]],
                     terminated: [false, false], truncated: row.truncated, valid: row.valid)
            _ = t
        }
        b.setBootstrap(step: 0, environment: 0, value: 10, costValues: [5, 6])
        b.finish(gamma: 0.5, lambda: 1, costGamma: 0.5, costLambda: 1, lastValues: [4, 2], lastCostValues: [[0, 0], [0, 0]])
        // Env 0, t = 0: δ = 1 + 0.5·10 − 1 = 5, nothing carried from the next episode.
        #expect(b.advantages[0] == 5)
        #expect(b.costAdvantages[0] == [3.5, 3.0])  // 1 + 0.5·5 and 0 + 0.5·6
        #expect(!b.valid[2] && b.validIndices == [0, 1, 3, 4, 5])
        // Env 0, t = 2: bootstrap from lastValues[0] = 4: δ = 1 + 2 − 1 = 2.
        #expect(b.advantages[4] == 2)
        // Env 1: δ₂ = 1 + 0.5·2 − 1 = 1, δ₁ = 0.5, δ₀ = 0.5; A₁ = 0.5 + 0.5·1 = 1, A₀ = 0.5 + 0.5·1 = 1.
        #expect(b.advantages[5] == 1 && b.advantages[3] == 1 && b.advantages[1] == 1)
    }
}
