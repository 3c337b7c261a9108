/// A safe-RL environment with Gymnasium's API (Gymnasium 1.x `Env`) and Safety-Gymnasium's cost signal.
///
/// `reset(seed:options:)` starts an episode; `step(_:)` advances it by one action. Besides the reward, a step
/// reports one cost per constraint (named by ``costNames``, each ≥ 0, counted per step as Safety-Gymnasium
/// does) and their sum. `terminated` means the episode reached a terminal state of the task; `truncated`
/// means it was cut short (a time limit) — bootstrapping differs between the two.
///
/// Seeding: `reset(seed: s)` reseeds the environment's generator, so the same seed and the same actions
/// give the same trajectory; `reset(seed: nil)` continues the generator of the previous episode.
public protocol Environment: AnyObject {
    var observationSpace: Space { get }
    var actionSpace: Space { get }
    /// Names of the cost components, in the order of ``Transition/costs``.
    var costNames: [String] { get }
    /// The registry entry the environment was made from, if any.
    var spec: EnvironmentSpec? { get set }
    /// The innermost environment under any wrappers (Gymnasium's `env.unwrapped`).
    var unwrapped: any Environment { get }

    func reset(seed: UInt64?, options: Options) throws(GymError) -> (observation: [Double], info: Info)
    func step(_ action: [Double]) throws(GymError) -> Transition
}

extension Environment {
    /// A bare environment is its own innermost environment; wrappers return their base's.
    public var unwrapped: any Environment { self }

    /// `reset` without options.
    public func reset(seed: UInt64? = nil) throws(GymError) -> (observation: [Double], info: Info) {
        try reset(seed: seed, options: [:])
    }
}

/// The outcome of one step.
public struct Transition: Sendable {
    public var observation: [Double]
    public var reward: Double
    /// One entry per ``Environment/costNames``.
    public var costs: [Double]
    public var terminated: Bool
    public var truncated: Bool
    public var info: Info

    public init(observation: [Double], reward: Double, costs: [Double], terminated: Bool, truncated: Bool,
                info: Info = [:]) {
        self.observation = observation; self.reward = reward; self.costs = costs
        self.terminated = terminated; self.truncated = truncated; self.info = info
    }

    /// The summed cost.
    public var cost: Double { costs.reduce(0, +) }
    /// Whether the episode is over (terminated or truncated).
    public var done: Bool { terminated || truncated }
}

/// Auxiliary step or reset information, Gymnasium's `info` dict.
public typealias Info = [String: InfoValue]

/// A value in ``Info``.
public enum InfoValue: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case vector([Double])
    case text(String)
    case flag(Bool)
    case record([String: InfoValue])

    public var number: Double? { if case let .number(x) = self { return x }; return nil }
    public var vector: [Double]? { if case let .vector(x) = self { return x }; return nil }
    public var record: [String: InfoValue]? { if case let .record(x) = self { return x }; return nil }

    public var description: String {
        switch self {
        case let .number(x): return "\(x)"
        case let .vector(x): return "\(x)"
        case let .text(x): return x
        case let .flag(x): return "\(x)"
        case let .record(x): return "\(x.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })"
        }
    }
}
