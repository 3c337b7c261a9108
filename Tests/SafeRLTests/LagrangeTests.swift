import Testing
@testable import SafeRL

@Suite("Lagrange multipliers")
struct LagrangeTests {
    @Test("gradient ascent moves λ by η (J_C − d) and never below zero")
    func gradientAscent() {
        var m = LagrangeMultiplier(limit: 10, initialValue: 0.5, update: .gradientAscent(learningRate: 0.1))
        #expect(m.observe(cost: 15) == 1.0)
        #expect(abs(m.observe(cost: 12) - 1.2) < 1e-12)
        #expect(abs(m.observe(cost: 0) - 0.2) < 1e-12)   // 1.2 − 0.1·10
        #expect(m.observe(cost: 0) == 0)                   // 0.2 − 1 is projected onto λ ≥ 0
        #expect(m.observe(cost: .nan) == 0)    // an epoch without episodes leaves it
    }

    @Test("PID: λ = K_P Δ + K_I I + K_D (J − J_prev)₊ with the integral clipped at zero (Stooke et al. 2020)")
    func pid() {
        var m = LagrangeMultiplier(limit: 5, update: .pid(kp: 1, ki: 0.5, kd: 2, smoothing: 0))
        // Δ = 3, I = 3, ∂ = 0 → 3 + 1.5 = 4.5
        #expect(m.observe(cost: 8) == 4.5)
        // Δ = 5, I = 8, ∂ = 2 → 5 + 4 + 4 = 13
        #expect(m.observe(cost: 10) == 13)
        // Δ = −5, I = 3, ∂ = 0 → −5 + 1.5 = −3.5 → 0
        #expect(m.observe(cost: 0) == 0)
        #expect(m.integral == 3)
        // Δ = −5 again: I = max(0, −2) = 0 → λ = 0
        #expect(m.observe(cost: 0) == 0 && m.integral == 0)
        var restored = LagrangeMultiplier(limit: 5, update: .pid(kp: 1, ki: 0.5, kd: 2, smoothing: 0))
        restored.state = m.state
        #expect(restored == m)
    }

    @Test("PPO-Lagrangian's advantage: (Â_R − λ Â_C)/(1 + λ) over standardised advantages")
    func combinedAdvantage() {
        let r = [1.0, -1, 1, -1], c = [2.0, 2, -2, -2]
        let combined = PPOUpdate.combinedAdvantageFor(reward: r, costs: [c], multipliers: [1])
        // Both standardise to ±1: (r − c)/2.
        #expect(zip(combined, [0.0, -1, 1, 0]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(combined)")
        #expect(PPOUpdate.combinedAdvantageFor(reward: r, costs: [c], multipliers: [0]) == PPOUpdate.standardised(r))
    }
}
