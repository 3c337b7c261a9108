/// The MQTT topics of the PulseBMS contract, version 1 (docs/architecture.md, "MQTT contract"):
///
/// | topic | direction | QoS | retained |
/// | --- | --- | --- | --- |
/// | `pulsebms/{site}/{device}/telemetry` | edge → cloud | 0 or 1 | no |
/// | `pulsebms/{site}/{device}/commands` | cloud → edge | 1 | no |
/// | `pulsebms/{site}/{device}/status` | edge → cloud | 1 | yes (the death is the MQTT will) |
/// | `pulsebms/{site}/coordinator/allocation` | coordinator → all | 1 | yes |
/// | `pulsebms/{site}/coordinator/demand` | operator → coordinator | 1 | no |
/// | `pulsebms/{site}/{device}/policy` | coordinator → edge | 1 | yes (`.pbp` bytes) |
///
/// Site and device names match `[A-Za-z0-9_-]{1,64}`; `coordinator` is reserved and is not a device name.
public enum FleetTopic: Sendable, Hashable, CustomStringConvertible {
    case telemetry(site: String, device: String)
    case commands(site: String, device: String)
    case status(site: String, device: String)
    case policy(site: String, device: String)
    case allocation(site: String)
    case demand(site: String)

    public static let root = "pulsebms"
    /// The name in the device position of the site-wide topics.
    public static let coordinator = "coordinator"

    /// Per-device message kinds, as the last topic level.
    public enum DeviceKind: String, Sendable, CaseIterable {
        case telemetry, commands, status, policy
    }

    /// Whether `name` is a valid site or device name: 1–64 of `[A-Za-z0-9_-]`.
    public static func isValidName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard (1...64).contains(utf8.count) else { return false }
        return utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }
    }

    /// Whether `name` can name a device: a valid name other than the reserved `coordinator`.
    public static func isValidDevice(_ name: String) -> Bool { isValidName(name) && name != coordinator }

    /// The subscription filter for one kind of message from every device of `site`: `pulsebms/{site}/+/{kind}`.
    public static func everyDevice(_ kind: DeviceKind, site: String) -> String { "\(root)/\(site)/+/\(kind.rawValue)" }

    public var description: String {
        switch self {
        case let .telemetry(site, device): "\(Self.root)/\(site)/\(device)/telemetry"
        case let .commands(site, device): "\(Self.root)/\(site)/\(device)/commands"
        case let .status(site, device): "\(Self.root)/\(site)/\(device)/status"
        case let .policy(site, device): "\(Self.root)/\(site)/\(device)/policy"
        case let .allocation(site): "\(Self.root)/\(site)/\(Self.coordinator)/allocation"
        case let .demand(site): "\(Self.root)/\(site)/\(Self.coordinator)/demand"
        }
    }

    /// The topic string.
    public var string: String { description }

    /// Parses a topic of the contract; a topic that is not one (wrong root, level count, kind or name) is refused.
    public init(parsing topic: String) throws(ProtocolError) {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard levels.count == 4, levels[0] == Self.root else { throw .badTopic(topic) }
        let site = String(levels[1]), device = String(levels[2]), kind = levels[3]
        guard Self.isValidName(site) else { throw .badTopic(topic) }
        if device == Self.coordinator {
            switch kind {
            case "allocation": self = .allocation(site: site)
            case "demand": self = .demand(site: site)
            default: throw .badTopic(topic)
            }
            return
        }
        guard Self.isValidName(device), let deviceKind = DeviceKind(rawValue: String(kind)) else { throw .badTopic(topic) }
        switch deviceKind {
        case .telemetry: self = .telemetry(site: site, device: device)
        case .commands: self = .commands(site: site, device: device)
        case .status: self = .status(site: site, device: device)
        case .policy: self = .policy(site: site, device: device)
        }
    }

    /// The site the topic belongs to.
    public var site: String {
        switch self {
        case let .telemetry(site, _), let .commands(site, _), let .status(site, _), let .policy(site, _),
             let .allocation(site), let .demand(site): site
        }
    }

    /// The device of a per-device topic, `nil` for the site-wide ones.
    public var device: String? {
        switch self {
        case let .telemetry(_, device), let .commands(_, device), let .status(_, device), let .policy(_, device): device
        case .allocation, .demand: nil
        }
    }
}
