import Foundation

/// The METADATA section: UTF-8 JSON describing the policy for people and tools. The C runtime skips it;
/// nothing in it changes what the policy computes.
public struct PolicyMetadata: Sendable, Equatable, Codable {
    /// A named quantity with its unit (SI or as the environment documents it; "" when dimensionless).
    public struct Channel: Sendable, Equatable, Codable {
        public var name: String
        public var unit: String

        public init(name: String, unit: String = "") {
            self.name = name
            self.unit = unit
        }
    }

    /// The environment id the policy was trained on (e.g. "FleetDispatch-v0").
    public var environment: String
    /// One entry per network input, in order.
    public var observations: [Channel]
    /// One entry per action, in order.
    public var actions: [Channel]
    /// The training run: algorithm, run directory, weights file, and anything else worth keeping.
    public var training: [String: String]
    /// How the environment's observation maps onto network rows (`flat:o,a` or `per_pack:site,pack`), if known.
    public var layout: String?
    /// Number of observation rows the int8 ranges were calibrated on (int8 files).
    public var calibrationRows: Int?

    public init(environment: String, observations: [Channel], actions: [Channel], training: [String: String] = [:],
                layout: String? = nil, calibrationRows: Int? = nil) {
        self.environment = environment
        self.observations = observations
        self.actions = actions
        self.training = training
        self.layout = layout
        self.calibrationRows = calibrationRows
    }

    /// Generic names `obs[i]` and `action[j]` without units.
    public static func unnamed(environment: String, inputs: Int, actions: Int) -> PolicyMetadata {
        PolicyMetadata(environment: environment, observations: (0..<inputs).map { Channel(name: "obs[\($0)]") },
                       actions: (0..<actions).map { Channel(name: "action[\($0)]") })
    }

    /// Sorted-key JSON, so that the same metadata gives the same bytes.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings, ints and arrays cannot fail.
        return Array((try? encoder.encode(self)) ?? Data("{}".utf8))
    }
}
