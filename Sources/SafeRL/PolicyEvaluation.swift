import Gym
import SeededRandom

/// Runs a trained policy's deterministic action (``PolicyNetwork``: the Gaussian's mean, the tanh-Gaussian's tanh μ)
/// in an environment for whole episodes: the evaluation of the trainers and of `pulse evaluate`. A per-pack policy
/// runs on any fleet size; a flat one needs the observation size it was trained on.
public enum PolicyEvaluation {
    /// `episodes` episodes from seeds `seed` + k; each episode's constraint costs follow `constraintIndices`
    /// (component indices per constraint).
    public static func run(_ policy: PolicyNetwork, in environment: any Environment, episodes: Int, seed: UInt64,
                           constraintIndices: [[Int]]) throws(TrainingError) -> [EpisodeResult] {
        guard case let .box(box) = environment.actionSpace, box.isBounded else {
            throw .incompatible("the policy needs a bounded Box action space, not \(environment.actionSpace)")
        }
        var results: [EpisodeResult] = []
        var rng = Xoshiro256StarStar(seed: seed)
        let components = environment.costNames.count
        for k in 0..<episodes {
            var (o, _) = try RolloutCollector.reset(environment, seed: seed &+ UInt64(k))
            var result = EpisodeResult(reward: 0, components: [Double](repeating: 0, count: components), constraintCosts: [], length: 0)
            while true {
                let raw = try policy.act([o], deterministic: true, using: &rng)[0]
                guard raw.count == box.count else {
                    throw .incompatible("the policy gives \(raw.count) actions, the environment takes \(box.count)")
                }
                let t: Transition
                do { t = try environment.step(scaled(raw, low: box.low, high: box.high)) } catch { throw .environment("step: \(error)") }
                result.reward += t.reward; result.length += 1
                for j in t.costs.indices { result.components[j] += t.costs[j] }
                o = t.observation
                if t.done { break }
            }
            result.constraintCosts = constraintIndices.map { $0.reduce(0) { $0 + result.components[$1] } }
            results.append(result)
        }
        return results
    }

    /// The same for an on-policy ``ActorCritic``.
    public static func run(_ model: ActorCritic, in environment: any Environment, episodes: Int, seed: UInt64,
                           constraintIndices: [[Int]]) throws(TrainingError) -> [EpisodeResult] {
        try run(.gaussian(model), in: environment, episodes: episodes, seed: seed, constraintIndices: constraintIndices)
    }

    /// A raw action in [−1, 1] (clipped) mapped linearly onto [low, high].
    static func scaled(_ raw: [Double], low: [Double], high: [Double]) -> [Double] {
        raw.indices.map { i in low[i] + (min(1, max(-1, raw[i])) + 1) / 2 * (high[i] - low[i]) }
    }
}
