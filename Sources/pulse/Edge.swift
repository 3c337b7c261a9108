import ArgumentParser
import Dispatch
import EdgeAgent
import Electrochemistry
import FleetProtocol
import Foundation
import PolicyFormat
import Synchronization

/// `pulse edge`: one simulated edge device on MQTT (``EdgeAgent``).
struct Edge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge",
        abstract: "Run a simulated edge device: a pack behind the safety monitor, on an MQTT broker.",
        discussion: """
        The device publishes its birth (retained status with the pack) and telemetry on pulsebms/SITE/DEVICE/…, \
        executes setpoint commands clamped to the safety monitor's limits, falls back to --offline when commands \
        expire, and swaps in .pbp policies published on its policy topic. Times (--period, --step, --duration) are \
        simulated seconds; --speed X runs X simulated seconds per wall second. One status line per telemetry \
        period (or every --print-every periods). SIGINT/SIGTERM stop it cleanly: it publishes its offline status \
        and disconnects.
        """)

    @Option(help: ArgumentHelp("The broker.", valueName: "mqtt://HOST:PORT"))
    var broker: String

    @Option(help: "Site name ([A-Za-z0-9_-], 1–64).")
    var site: String

    @Option(help: "Device name ([A-Za-z0-9_-], 1–64, not 'coordinator').")
    var device: String

    @Option(help: ArgumentHelp("A fleet spec file (JSON or YAML, as `pulse fleet sample --spec`); the device is pack --index of it.", valueName: "SPEC.json"))
    var pack: String?

    @Option(help: ArgumentHelp("A named fleet (see `pulse fleet presets`); the device is pack --index of it. Default small-mixed-4.", valueName: "NAME"))
    var preset: String?

    @Option(help: "Which pack of the sampled fleet (0-based).")
    var index: Int = 0

    @Option(help: ArgumentHelp("Simulated seconds between telemetry messages.", valueName: "SECONDS"))
    var period: Double = 1

    @Option(help: ArgumentHelp("Simulated seconds per control step (default: the period, at most 1 s).", valueName: "SECONDS"))
    var step: Double?

    @Option(help: ArgumentHelp("Simulated seconds per wall-clock second (1 = real time).", valueName: "X"))
    var speed: Double = 1

    @Option(help: ArgumentHelp("Cell model of the pack.", valueName: "ecm|spm|spme"))
    var fidelity: String = "ecm"

    @Option(help: ArgumentHelp("What to run without a valid command.", valueName: "safe-idle|local-policy"))
    var offline: String = "safe-idle"

    @Option(help: ArgumentHelp("A .pbp policy to load at start.", valueName: "FILE.pbp"))
    var policy: String?

    @Option(help: "Seed of the fleet sampler that draws the pack.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Stop after this many simulated seconds (default: run until SIGINT/SIGTERM).", valueName: "SECONDS"))
    var duration: Double?

    @Option(help: ArgumentHelp("Longest a command is held after receipt, whatever its expiry [wall s].", valueName: "SECONDS"))
    var commandLifetime: Double = 60

    @Option(help: ArgumentHelp("Telemetry QoS.", valueName: "0|1"))
    var telemetryQos: Int = 1

    @Option(help: ArgumentHelp("Print a status line every N telemetry periods (0: none).", valueName: "N"))
    var printEvery: Int = 1

    func validate() throws {
        if pack != nil && preset != nil { throw ValidationError("give at most one of --pack SPEC.json or --preset NAME") }
        guard ["ecm", "spm", "spme"].contains(fidelity.lowercased()) else {
            throw ValidationError("--fidelity '\(fidelity)' is not one of ecm, spm, spme")
        }
        guard EdgeAgentConfiguration.OfflineMode(rawValue: offline) != nil else {
            throw ValidationError("--offline '\(offline)' is not one of safe-idle, local-policy")
        }
        guard telemetryQos == 0 || telemetryQos == 1 else { throw ValidationError("--telemetry-qos must be 0 or 1, not \(telemetryQos)") }
        guard printEvery >= 0 else { throw ValidationError("--print-every must be ≥ 0, not \(printEvery)") }
    }

    func run() async throws {
        let agent: EdgeAgent
        do { agent = try EdgeAgent(configuration: try makeConfiguration(), log: Self.logLine) } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        let info = agent.packInfo
        Self.out("# edge \(site)/\(device) on \(broker): \(info.chemistry) \(info.series)s\(info.parallel)p, "
              + "\(Self.format(info.capacity, 1)) A.h, \(Self.format(info.nominalVoltage, 1)) V nominal, "
              + "rated \(Self.format(info.maxDischargePower, 0)) W discharge / \(Self.format(info.maxChargePower, 0)) W charge; "
              + "speed \(speed)×, offline \(offline)")
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { agent.stop() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        let every = printEvery
        let counter = LineCounter()
        do {
            try await agent.run { telemetry in
                guard every > 0, counter.next() % every == 0 else { return }
                Self.out(Self.statusLine(telemetry, agent.snapshot))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let s = agent.snapshot
        Self.out("# stopped after \(s.steps) steps (\(Self.format(s.last.time, 0)) s simulated): telemetry \(s.telemetrySent) sent, "
              + "\(s.telemetrySkipped) skipped; commands \(s.commands.accepted) accepted, \(s.commands.rejectedExpired) expired, "
              + "\(s.commands.rejectedInvalid) invalid, \(s.commands.rejectedBackwards) out of order; \(s.rejections) malformed; "
              + "policies \(s.policySwaps) swapped, \(s.policyRefusals) refused; faults \(Self.faultNames(s.faults))")
    }

    func makeConfiguration() throws -> EdgeAgentConfiguration {
        let source: EdgeAgentConfiguration.PackSource
        if let pack {
            do { source = .spec(try FleetSpecFile.load(pack), index: index) } catch { throw EdgeAgentError.pack("\(error)") }
        } else {
            source = .preset(name: preset ?? "small-mixed-4", index: index)
        }
        var c = try EdgeAgentConfiguration(site: site, device: device, broker: broker, pack: source)
        c.fidelity = PackFidelity(rawValue: fidelity.lowercased()) ?? .ecm
        c.telemetryPeriod = period
        c.controlStep = step ?? min(period, 1)
        c.speed = speed
        c.commandMaxLifetime = commandLifetime
        c.offlineMode = EdgeAgentConfiguration.OfflineMode(rawValue: offline) ?? .safeIdle
        c.initialPolicyFile = policy
        c.seed = seed
        c.duration = duration
        c.telemetryQoS = telemetryQos == 0 ? .atMostOnce : .atLeastOnce
        return c
    }

    static func statusLine(_ t: Telemetry, _ s: EdgeAgentSnapshot) -> String {
        let crc = t.policyCRC.map { "0x" + String($0, radix: 16) } ?? "-"
        return "t=\(format(s.last.time, 0))s \(t.mode.rawValue) P=\(format(t.power, 1))W I=\(format(t.current, 2))A "
            + "V=\(format(t.voltage, 2))V SoC=\(format(t.stateOfCharge, 3)) T=\(format(t.temperatureMax, 1))C "
            + "limits=-\(format(t.limits.chargeCurrent, 2))/+\(format(t.limits.dischargeCurrent, 2))A "
            + "faults=\(faultNames(t.faults)) commands=\(s.commands.accepted)/\(s.commands.rejectedExpired) "
            + "rejected=\(s.rejections) policy=\(crc) \(s.connected ? "connected" : "offline")"
    }

    static func faultNames(_ mask: UInt32) -> String {
        var names = SafetyCheck.checks(in: mask).map(\.description)
        if mask & EdgeController.packModelFault != 0 { names.append("pack_model") }
        return names.isEmpty ? "-" : names.joined(separator: ",")
    }

    /// `x` with `digits` decimals (no "-0.0" for a value that rounds to zero).
    static func format(_ x: Double, _ digits: Int) -> String {
        let text = String(format: "%.\(digits)f", x)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// One line on standard output, unbuffered (the status lines are read live, often through a pipe).
    static func out(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static let logLine: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data("[edge] \(line)\n".utf8))
    }
}

/// Counts status lines across the agent's telemetry callbacks.
private final class LineCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// 0, 1, 2, …
    func next() -> Int { count.add(1, ordering: .relaxed).oldValue }
}
