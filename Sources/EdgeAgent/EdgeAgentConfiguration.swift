import Electrochemistry
import FleetProtocol
import MQTT

/// Everything an ``EdgeAgent`` needs: who it is, where the broker is, which pack it simulates, and how it runs.
///
/// Times: ``controlStep``, ``telemetryPeriod`` and ``duration`` are **simulated** seconds of the pack; the clock
/// ``speed`` says how many simulated seconds pass per wall-clock second (1 = real time, 60 = one simulated
/// minute per wall second). Command expiry and ``commandMaxLifetime`` are **wall-clock** times, since the
/// coordinator stamps commands with its wall clock.
public struct EdgeAgentConfiguration: Sendable {
    /// Which pack the device simulates.
    public enum PackSource: Sendable, Equatable {
        /// Pack `index` (0-based) of the named fleet preset sampled with ``EdgeAgentConfiguration/seed``
        /// (`FleetSpec.preset(named:)`, `FleetSampler.sample(seed:)`).
        case preset(name: String, index: Int)
        /// Pack `index` of a fleet spec (the JSON format of `pulse fleet sample --spec`; a spec of count 1 is one pack).
        case spec(FleetSpec, index: Int)
    }

    /// What the device runs once it holds no valid command.
    public enum OfflineMode: String, Sendable, CaseIterable {
        /// Current 0.
        case safeIdle = "safe-idle"
        /// The loaded policy on the pack's own features (safe idle while no usable policy is loaded).
        case localPolicy = "local-policy"
    }

    /// Site and device names (`[A-Za-z0-9_-]{1,64}`; the device may not be `coordinator`).
    public var site: String, device: String
    /// The broker connection. The agent sets the will (its offline status) itself.
    public var mqtt: MQTTOptions
    public var pack: PackSource
    /// The cell model family of the simulated pack.
    public var fidelity: PackFidelity = .ecm
    /// Lumped thermal model (cells warm with their losses) or isothermal.
    public var thermal: ThermalOption = .lumped
    /// Ambient temperature [K].
    public var ambientTemperature = 298.15
    /// Simulated seconds between telemetry messages (rounded to whole control steps).
    public var telemetryPeriod = 1.0
    /// Simulated seconds per control step (guard poll, clamp, pack step, monitor check).
    public var controlStep = 1.0
    /// Simulated seconds per wall-clock second.
    public var speed = 1.0
    /// Longest a command is held after receipt, whatever its expiry [wall s].
    public var commandMaxLifetime = 60.0
    public var offlineMode = OfflineMode.safeIdle
    /// A `.pbp` policy loaded at start (it is replaced by any policy published on the device's policy topic).
    public var initialPolicyFile: String?
    /// Seed of the fleet sampler that draws the pack.
    public var seed: UInt64 = 0
    /// QoS of the telemetry (the status and policy topics are always QoS 1).
    public var telemetryQoS = QoS.atLeastOnce
    /// Stop after this many simulated seconds (`nil`: run until stopped).
    public var duration: Double?

    /// A configuration with the given connection.
    public init(site: String, device: String, mqtt: MQTTOptions, pack: PackSource) {
        self.site = site; self.device = device; self.mqtt = mqtt; self.pack = pack
    }

    /// A configuration for the broker at `broker` (`mqtt://host:port`), client id `pulsebms-edge-{site}-{device}`,
    /// keepalive 5 s (the broker publishes the will 7.5 s after the device falls silent).
    public init(site: String, device: String, broker: String, pack: PackSource) throws(EdgeAgentError) {
        var options: MQTTOptions
        do { options = try MQTTOptions(broker: broker, clientID: "pulsebms-edge-\(site)-\(device)") } catch { throw .mqtt(error) }
        options.keepAlive = 5
        self.init(site: site, device: device, mqtt: options, pack: pack)
    }

    /// Control steps per telemetry message.
    public var stepsPerTelemetry: Int { max(1, Int((telemetryPeriod / controlStep).rounded())) }

    /// Checks names and settings; the error names the first bad one.
    public func validate() throws(EdgeAgentError) {
        guard FleetTopic.isValidName(site) else { throw .invalidName(field: "site", value: site) }
        guard FleetTopic.isValidDevice(device) else { throw .invalidName(field: "device", value: device) }
        try Self.check("control step [s]", controlStep, 1e-3...3600)
        try Self.check("telemetry period [s]", telemetryPeriod, controlStep...86_400, "at least the control step \(controlStep) s, at most 86400 s")
        try Self.check("clock speed", speed, 1e-3...1e6)
        try Self.check("command max lifetime [s]", commandMaxLifetime, 1e-3...1e7)
        try Self.check("ambient temperature [K]", ambientTemperature, 200...360)
        if let duration { try Self.check("duration [s]", duration, 1e-3...1e9) }
        switch pack {
        case let .preset(_, index), let .spec(_, index):
            guard index >= 0 else { throw .pack("pack index \(index) is negative") }
        }
    }

    private static func check(_ name: String, _ value: Double, _ range: ClosedRange<Double>, _ expected: String? = nil) throws(EdgeAgentError) {
        guard value.isFinite, range.contains(value) else {
            throw .invalidSetting(name: name, value: value, expected: expected ?? "a value in [\(range.lowerBound), \(range.upperBound)]")
        }
    }
}
