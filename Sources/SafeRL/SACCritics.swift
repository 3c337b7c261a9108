import NeuralNetworks
import SeededRandom
import Tensors

/// SAC-Lagrangian's critics: twin soft Q-functions Q₁, Q₂ (clipped double-Q, Fujimoto et al. 2018, as adopted by
/// Haarnoja et al. 2018, arXiv:1812.05905), a cost Q-function Q_C with one output per constraint (Ha et al. 2020,
/// arXiv:2002.08550; Yang et al. 2021, "WCSAC"), and a Polyak-averaged target copy of each.
///
/// Every network reads one row `[row features | that row's action(s)]` and the observation's value is the mean
/// over its rows. For fleets (one row per pack) this is a factorisation assumption,
/// Q(s, a) ≈ (1/N) Σᵢ q(s_site, sᵢ, aᵢ): packs interact only through the site features, which makes the critic
/// permutation invariant and independent of N (Zaheer et al., "Deep Sets", 2017), at the price of missing
/// pack–pack interactions in the fleet's value. For flat layouts (one row) it is the ordinary critic. (The
/// on-policy critics read the fleet summary ``ObservationLayout/criticInput(_:)`` instead; a Q-function must pair
/// each pack's action with that pack's features, which a summary over packs loses.)
struct SACCritics {
    var q1: MLP<Float>, q2: MLP<Float>, cost: MLP<Float>
    var q1Target: MLP<Float>, q2Target: MLP<Float>, costTarget: MLP<Float>

    /// Fresh critics (tanh hidden layers, orthogonal initialisation, gain 1 on the heads); targets start as copies.
    init(layout: ObservationLayout, hidden: [Int], constraints: Int, using rng: inout Xoshiro256StarStar) {
        let width = layout.rowWidth + layout.actionsPerRow
        q1 = MLP(sizes: [width] + hidden + [1], outputGain: 1, using: &rng)
        q2 = MLP(sizes: [width] + hidden + [1], outputGain: 1, using: &rng)
        cost = MLP(sizes: [width] + hidden + [max(constraints, 1)], outputGain: 1, using: &rng)
        q1Target = q1; q2Target = q2; costTarget = cost
    }

    /// The networks by their weights-file names, online then target.
    var named: [(name: String, mlp: MLP<Float>)] {
        [("q1", q1), ("q2", q2), ("cost_q", cost), ("q1_target", q1Target), ("q2_target", q2Target), ("cost_q_target", costTarget)]
    }

    /// Reads the networks of ``named`` back, checking their sizes against these.
    mutating func restore(_ contents: WeightsFile.Contents<Float>) throws(TrainingError) {
        var read: [MLP<Float>] = []
        for (name, current) in named {
            let m: MLP<Float>
            do { m = try contents.mlp(named: name) } catch { throw .checkpoint("\(error)") }
            guard m.sizes == current.sizes else { throw .checkpoint("critic \(name) has sizes \(m.sizes), this run's has \(current.sizes)") }
            read.append(m)
        }
        q1 = read[0]; q2 = read[1]; cost = read[2]; q1Target = read[3]; q2Target = read[4]; costTarget = read[5]
    }

    /// θ′ ← (1 − τ) θ′ + τ θ for each target (Polyak averaging).
    mutating func updateTargets(tau: Float) {
        Self.polyak(&q1Target, toward: q1, tau: tau)
        Self.polyak(&q2Target, toward: q2, tau: tau)
        Self.polyak(&costTarget, toward: cost, tau: tau)
    }

    private static func polyak(_ target: inout MLP<Float>, toward online: MLP<Float>, tau: Float) {
        let source = online.parameters
        target.updateParameters { p in
            for i in p.indices {
                source[i].withUnsafeScalars { s in
                    p[i].withUnsafeMutableScalars { t in for k in 0..<t.count { t[k] = (1 - tau) * t[k] + tau * s[k] } }
                }
            }
        }
    }

    // MARK: Pooled values

    /// The critic input `[B·rows, rowWidth + d]`: each row's features and its action(s).
    static func input(rows x: Tensor<Float>, actions: Tensor<Float>) -> Tensor<Float> {
        Tensor.concatenate([x, actions], alongAxis: 1)
    }

    /// `network`'s values of `observations` observations on `tape`, pooled by the mean over rows: `[B, k]`.
    static func pooled(_ network: MLP<Float>, input: Variable<Float>, parameters: [Variable<Float>], observations: Int) -> Variable<Float> {
        let k = network.outputSize
        let perRow = network.apply(input, parameters: parameters)
        let rows = input.shape[0] / max(observations, 1)
        return rows == 1 ? perRow : perRow.reshaped([observations, rows, k]).mean(alongAxis: 1)
    }

    /// The same off the tape: `[B, k]`.
    static func pooled(_ network: MLP<Float>, input: Tensor<Float>, observations: Int) -> Tensor<Float> {
        let k = network.outputSize
        let perRow = network(input)
        let rows = input.shape[0] / max(observations, 1)
        return rows == 1 ? perRow : perRow.reshaped([observations, rows, k]).mean(alongAxis: 1)
    }
}
