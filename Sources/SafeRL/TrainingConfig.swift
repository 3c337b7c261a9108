import Gym

/// An experiment: environment, algorithm and its hyperparameters, constraints, budget and evaluation schedule.
/// `Experiments/README.md` documents every key and its default; `train` reads it from YAML.
public struct TrainingConfig: Sendable, Equatable, Codable {
    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        case ppo, ppoLagrangian = "ppo_lagrangian", cpo, sacLagrangian = "sac_lagrangian"
        /// Whether the algorithm uses the constraints (PPO reports costs but ignores them).
        public var isConstrained: Bool { self != .ppo }
    }

    /// `env`: registry id and options.
    public var environment: EnvironmentConfig
    /// `algorithm`: ppo, ppo_lagrangian, cpo or sac_lagrangian.
    public var algorithm: Algorithm
    /// `hyperparameters`.
    public var hyperparameters: Hyperparameters
    /// `constraints`: default one constraint on the sum of all cost components, limit 0.
    public var constraints: [ConstraintConfig]
    /// `seed` (default 0): every random draw of the run follows from it.
    public var seed: UInt64
    /// `steps` (default 1,000,000): environment steps to train for (summed over the vector environments).
    public var steps: Int
    /// `environments` (default 8): sub-environments of the vector environment.
    public var environments: Int
    /// `threads` (default 1): threads stepping them. Metrics are bit-identical for the same seed and thread count.
    public var threads: Int
    /// `evaluation`.
    public var evaluation: EvaluationConfig
    /// `checkpoint_every` (default 10): epochs between checkpoints (the last epoch is always saved).
    public var checkpointEvery: Int
    /// `init_weights` (default none): a weights file (`policy.weights` of an earlier run) whose networks the run
    /// starts from instead of a fresh initialisation — fine-tuning, e.g. at a higher model fidelity. On-policy
    /// algorithms only; the networks must match this config's. `{seed}` in the path stands for the run's seed.
    public var initialWeights: String?

    /// `init_weights` with `{seed}` replaced by the seed.
    public var initialWeightsPath: String? { initialWeights?.replacing("{seed}", with: String(seed)) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case environment = "env", algorithm, hyperparameters, constraints, seed, steps, environments, threads, evaluation
        case checkpointEvery = "checkpoint_every", initialWeights = "init_weights"
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue), in: "the config")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        environment = try c.decode(EnvironmentConfig.self, forKey: .environment)
        algorithm = try c.decode(Algorithm.self, forKey: .algorithm)
        hyperparameters = c.contains(.hyperparameters)
            ? try Hyperparameters(from: c.superDecoder(forKey: .hyperparameters), algorithm: algorithm)
            : Hyperparameters(defaultsFor: algorithm)
        constraints = try c.value(.constraints, default: [ConstraintConfig(costs: nil, limit: 0)])
        seed = try c.value(.seed, default: 0)
        steps = try c.value(.steps, default: 1_000_000, in: 1...Int.max)
        environments = try c.value(.environments, default: 8, in: 1...1024)
        threads = try c.value(.threads, default: 1, in: 1...64)
        evaluation = try c.value(.evaluation, default: EvaluationConfig())
        checkpointEvery = try c.value(.checkpointEvery, default: 10, in: 1...1_000_000)
        initialWeights = try c.decodeIfPresent(String.self, forKey: .initialWeights)
        if initialWeights != nil && algorithm == .sacLagrangian {
            throw TrainingError.invalidConfig("init_weights is for the on-policy algorithms (ppo, ppo_lagrangian, cpo)")
        }
        if algorithm == .cpo && constraints.count != 1 {
            throw TrainingError.invalidConfig("cpo takes exactly one constraint (got \(constraints.count)); sum the cost components in one")
        }
        guard !constraints.isEmpty || !algorithm.isConstrained else {
            throw TrainingError.invalidConfig("\(algorithm.rawValue) needs at least one constraint")
        }
    }
}

/// `env`: `id` (a registered id) and `options` (environment options, as `pulse env` takes them).
public struct EnvironmentConfig: Sendable, Equatable, Codable {
    public var id: String
    public var options: Options

    public init(id: String, options: Options = [:]) { self.id = id; self.options = options }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, options }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue), in: "env")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        options = [:]
        if c.contains(.options) {
            let o = try c.nestedContainer(keyedBy: AnyKey.self, forKey: .options)
            for key in o.allKeys {
                if let v = try? o.decode(Int.self, forKey: key) { options[key.stringValue] = .int(v) }
                else if let v = try? o.decode(Double.self, forKey: key) { options[key.stringValue] = .double(v) }
                else if let v = try? o.decode(Bool.self, forKey: key) { options[key.stringValue] = .bool(v) }
                else { options[key.stringValue] = .string(try o.decode(String.self, forKey: key)) }
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        var o = c.nestedContainer(keyedBy: AnyKey.self, forKey: .options)
        for (k, v) in options.sorted(by: { $0.key < $1.key }) {
            let key = AnyKey(stringValue: k)
            switch v {
            case let .int(x): try o.encode(x, forKey: key)
            case let .double(x): try o.encode(x, forKey: key)
            case let .bool(x): try o.encode(x, forKey: key)
            case let .string(x): try o.encode(x, forKey: key)
            }
        }
    }
}

/// One constraint: the episode sum of the named cost components (`costs`, default all) at most `limit`.
public struct ConstraintConfig: Sendable, Equatable, Codable {
    public var costs: [String]?
    public var limit: Double

    public init(costs: [String]?, limit: Double) { self.costs = costs; self.limit = limit }

    enum CodingKeys: String, CodingKey, CaseIterable { case costs, limit }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue), in: "a constraint")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        costs = try c.decodeIfPresent([String].self, forKey: .costs)
        limit = try c.value(.limit, default: 0, in: 0...Double.greatestFiniteMagnitude)
    }

    /// Indices of the components among `names`; throws on an unknown name.
    public func componentIndices(in names: [String]) throws(TrainingError) -> [Int] {
        guard let costs else { return Array(names.indices) }
        var indices: [Int] = []
        for name in costs {
            guard let i = names.firstIndex(of: name) else {
                throw .invalidConfig("cost component \"\(name)\" is not one of the environment's: \(names.joined(separator: ", "))")
            }
            indices.append(i)
        }
        return indices
    }

    /// A short name: the components joined by "+", or "total".
    public var name: String { costs?.joined(separator: "+") ?? "total" }
}

/// `evaluation`: every `every_epochs` epochs (default 5; 0 turns it off, the final evaluation still runs), `episodes`
/// (default 4) episodes of the deterministic (mean) policy from seeds `seed` (default 1,000,000) + k.
public struct EvaluationConfig: Sendable, Equatable, Codable {
    public var everyEpochs = 5
    public var episodes = 4
    public var seed: UInt64 = 1_000_000

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case everyEpochs = "every_epochs", episodes, seed }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue), in: "evaluation")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        everyEpochs = try c.value(.everyEpochs, default: 5, in: 0...1_000_000)
        episodes = try c.value(.episodes, default: 4, in: 1...10_000)
        seed = try c.value(.seed, default: 1_000_000)
    }
}
