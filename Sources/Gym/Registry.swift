/// A registered environment: its versioned id, defaults and how to build it (Gymnasium's `EnvSpec`).
public struct EnvironmentSpec: Sendable {
    /// `Namespace/Name-vN`, e.g. `PulseBMS/FleetDispatch-v0`.
    public let id: String
    /// Episode length enforced by a ``TimeLimit`` wrapper in `make`, or nil for none.
    public let maxEpisodeSteps: Int?
    /// Default options, overridden by the options passed to `make`.
    public let defaults: Options
    /// One-line summary shown by `pulse env list`.
    public let summary: String
    /// Builds the bare environment from the merged options.
    public let build: @Sendable (Options) throws(GymError) -> any Environment

    public init(id: String, maxEpisodeSteps: Int? = nil, defaults: Options = [:], summary: String,
                build: @escaping @Sendable (Options) throws(GymError) -> any Environment) {
        self.id = id; self.maxEpisodeSteps = maxEpisodeSteps; self.defaults = defaults
        self.summary = summary; self.build = build
    }
}

/// The parts of a versioned id `Namespace/Name-vN`.
public struct EnvironmentID: Sendable, Equatable {
    public let namespace: String?
    public let name: String
    public let version: Int

    public init(parsing id: String) throws(GymError) {
        var rest = Substring(id)
        var namespace: String?
        if let slash = rest.firstIndex(of: "/") {
            namespace = String(rest[..<slash])
            rest = rest[rest.index(after: slash)...]
            guard !(namespace ?? "").isEmpty else { throw .malformedID(id) }
        }
        let chars = Array(rest)
        var dash = chars.count - 2
        while dash >= 0 && !(chars[dash] == "-" && chars[dash + 1] == "v") { dash -= 1 }
        guard dash > 0, let version = Int(String(chars[(dash + 2)...])), version >= 0, !chars.contains("/") else {
            throw .malformedID(id)
        }
        self.namespace = namespace
        self.name = String(chars[..<dash])
        self.version = version
    }
}

/// Registered environments by id, and `make`: Gymnasium's registry (`gymnasium.register`, `gymnasium.make`).
public struct Registry: Sendable {
    public private(set) var specs: [String: EnvironmentSpec] = [:]

    public init(_ specs: [EnvironmentSpec] = []) {
        for s in specs { self.specs[s.id] = s }
    }

    /// Adds `spec`, replacing any entry with its id.
    public mutating func register(_ spec: EnvironmentSpec) { specs[spec.id] = spec }

    /// Registered ids, sorted.
    public var ids: [String] { specs.keys.sorted() }

    /// Builds `id` with `options` over its defaults, wrapped in ``TimeLimit`` when the spec sets
    /// `maxEpisodeSteps` (the option `max_episode_steps` overrides it; 0 disables it). An unknown id is an
    /// error that suggests other versions of the same name.
    public func make(_ id: String, options: Options = [:]) throws(GymError) -> any Environment {
        let parsed = try EnvironmentID(parsing: id)
        guard let spec = specs[id] else {
            let sameName = ids.filter { (try? EnvironmentID(parsing: $0))?.name == parsed.name }
            throw .unknownEnvironment(id: id, known: sameName.isEmpty ? ids : sameName)
        }
        var merged = spec.defaults
        for (k, v) in options where k != "max_episode_steps" { merged[k] = v }
        let env = try spec.build(merged)
        env.spec = spec
        let limit = try options.int("max_episode_steps", default: spec.maxEpisodeSteps ?? 0, in: 0...Int.max)
        return limit > 0 ? try TimeLimit(env, maxEpisodeSteps: limit) : env
    }
}
