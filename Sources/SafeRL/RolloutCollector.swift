import Gym
import SeededRandom

/// One finished episode: its return, each cost component's sum, each constraint's cost and its length.
public struct EpisodeResult: Sendable, Equatable {
    public var reward: Double
    public var components: [Double]
    public var constraintCosts: [Double]
    public var length: Int
}

/// Runs a policy in a vector environment (``VectorEnvironment``, next-step autoreset) to fill a
/// ``RolloutBuffer``, and a deterministic policy in a separate environment for evaluation.
///
/// Policies act in [−1, 1] per action entry: the on-policy Gaussian sample is squashed by tanh (``ActorCritic/squash(_:)``)
/// and mapped linearly onto the action space's bounds (the buffer keeps the raw sample, whose log-probability the
/// update needs).
final class RolloutCollector {
    let vector: VectorEnvironment
    let evaluation: any Environment
    let layout: ObservationLayout
    let low: [Double], high: [Double]
    let componentNames: [String]
    let constraintIndices: [[Int]]
    /// The episode length, from the registry's time limit or the reset's `info["episode_steps"]`, if known.
    let episodeSteps: Int?
    /// Rows per observation, and whether the environment reports each row's (pack's) own cost components in
    /// `info["pack_costs"]` (rows × components, at reset too).
    let rows: Int
    let costsPerRow: Bool

    init(config: TrainingConfig, make: (Int) throws(GymError) -> any Environment) throws(TrainingError) {
        do {
            vector = try VectorEnvironment(count: config.environments, threads: config.threads, make: make)
            evaluation = try make(config.environments)
        } catch { throw .environment("building \(config.environment.id): \(error)") }
        guard case let .box(box) = vector.singleActionSpace, box.isBounded else {
            throw .incompatible("the trainers need a bounded Box action space, \(config.environment.id) has \(vector.singleActionSpace)")
        }
        low = box.low; high = box.high
        let names = vector.costNames
        componentNames = names
        var indices: [[Int]] = []
        for c in config.constraints { indices.append(try c.componentIndices(in: names)) }
        constraintIndices = indices
        let (o, info) = try Self.reset(evaluation, seed: 0)
        episodeSteps = evaluation.spec?.maxEpisodeSteps ?? info["episode_steps"]?.number.map { Int($0) }
        if let l = info["layout"]?.vector, l.count == 3, l[0] >= 0, l[1] > 0 {
            layout = .perPack(site: Int(l[0]), pack: Int(l[1]))
            guard Int(l[2]) == box.count else {
                throw .incompatible("\(Int(l[2])) packs but \(box.count) actions")
            }
        } else {
            layout = .flat(observation: o.count, action: box.count)
        }
        rows = try layout.rows(observationLength: o.count)
        costsPerRow = rows > 1 && info["pack_costs"]?.vector?.count == rows * names.count
    }

    /// Steps per sub-environment per epoch: `rollout_steps`, else the episode length, else 1,000.
    func rolloutSteps(_ h: Hyperparameters) -> Int { h.rolloutSteps ?? episodeSteps ?? 1000 }

    /// Each row's constraint costs (row-major, rows × constraints) from a step's `info["pack_costs"]`.
    func rowConstraintCosts(_ info: Info) -> [Double] {
        let k = constraintIndices.count, c = componentNames.count
        var out = [Double](repeating: 0, count: rows * k)
        guard let packCosts = info["pack_costs"]?.vector, packCosts.count == rows * c else { return out }
        for r in 0..<rows { for (j, indices) in constraintIndices.enumerated() { for i in indices { out[r * k + j] += packCosts[r * c + i] } } }
        return out
    }

    static func reset(_ env: any Environment, seed: UInt64) throws(TrainingError) -> (observation: [Double], info: Info) {
        do { return try env.reset(seed: seed, options: [:]) } catch { throw .environment("reset: \(error)") }
    }

    /// The environment's action for a raw policy output.
    func environmentAction(_ raw: [Double]) -> [Double] { PolicyEvaluation.scaled(raw, low: low, high: high) }

    func constraintCosts(_ components: [Double]) -> [Double] {
        constraintIndices.map { $0.reduce(0) { $0 + components[$1] } }
    }

    /// `steps` vector steps from fresh episodes seeded with `seed` (+ i per sub-environment).
    func collect(model: ActorCritic, steps: Int, seed: UInt64, using rng: inout Xoshiro256StarStar)
        throws(TrainingError) -> (buffer: RolloutBuffer, episodes: [EpisodeResult]) {
        let count = vector.count, k = model.costPerRow ? rows * max(constraintIndices.count, 1) : max(constraintIndices.count, 1)
        var observations: [[Double]]
        do { observations = try vector.reset(seed: seed).observations } catch { throw .environment("reset: \(error)") }
        var buffer = RolloutBuffer(environments: count, constraints: k)
        var episodes: [EpisodeResult] = []
        var tracker = EpisodeTracker(environments: count, components: componentNames.count)
        var resetting = [Bool](repeating: false, count: count)
        var finals: [(step: Int, environment: Int, observation: [Double])] = []
        for t in 0..<steps {
            let act = try model.act(observations, deterministic: false, using: &rng)
            let transitions: [Transition]
            do { transitions = try vector.step(act.actions.map { environmentAction(ActorCritic.squash($0)) }) }
            catch { throw .environment("step: \(error)") }
            var rewards = [Double](repeating: 0, count: count), costs = [[Double]](repeating: [Double](repeating: 0, count: k), count: count)
            var terminated = [Bool](repeating: false, count: count), truncated = terminated, valid = terminated
            for (e, tr) in transitions.enumerated() {
                valid[e] = !resetting[e]
                if valid[e] {
                    rewards[e] = tr.reward
                    let c = model.costPerRow ? rowConstraintCosts(tr.info) : constraintCosts(tr.costs)
                    costs[e] = c.isEmpty ? [0] : c
                    terminated[e] = tr.terminated; truncated[e] = tr.truncated && !tr.terminated
                    if let episode = tracker.record(e, tr, constraintCosts: constraintCosts) { episodes.append(episode) }
                    if truncated[e] { finals.append((t, e, tr.observation)) }
                }
                resetting[e] = valid[e] && tr.done
            }
            buffer.append(observations: observations, act: act, rewards: rewards, costs: costs,
                          terminated: terminated, truncated: truncated, valid: valid)
            observations = transitions.map(\.observation)
        }
        // Bootstrap values: the final observations of truncated steps, and the observations after the last step.
        if !finals.isEmpty {
            let v = model.critics(finals.map(\.observation))
            for (i, f) in finals.enumerated() {
                buffer.setBootstrap(step: f.step, environment: f.environment, value: v.values[i], costValues: v.costValues[i])
            }
        }
        let last = model.critics(observations)
        // A sub-environment whose last step ended an episode has a reset observation here; its GAE never reads it.
        buffer.setLastValues(last.values, costValues: last.costValues)
        return (buffer, episodes)
    }

    /// `episodes` episodes of the policy's deterministic action from seeds `seed` + k.
    func evaluate(policy: PolicyNetwork, episodes: Int, seed: UInt64) throws(TrainingError) -> [EpisodeResult] {
        try PolicyEvaluation.run(policy, in: evaluation, episodes: episodes, seed: seed, constraintIndices: constraintIndices)
    }
}

/// The running sums of the episode in progress in each sub-environment of a vector environment.
struct EpisodeTracker {
    private var running: [(reward: Double, components: [Double], length: Int)]
    private let components: Int

    init(environments: Int, components: Int) {
        self.components = components
        running = Array(repeating: (0, [Double](repeating: 0, count: components), 0), count: environments)
    }

    /// Adds sub-environment `e`'s transition (a real one, not an autoreset step); returns the episode it ends.
    mutating func record(_ e: Int, _ t: Transition, constraintCosts: ([Double]) -> [Double]) -> EpisodeResult? {
        running[e].reward += t.reward; running[e].length += 1
        for j in t.costs.indices { running[e].components[j] += t.costs[j] }
        guard t.done else { return nil }
        let r = running[e]
        running[e] = (0, [Double](repeating: 0, count: components), 0)
        return EpisodeResult(reward: r.reward, components: r.components, constraintCosts: constraintCosts(r.components), length: r.length)
    }
}
