import ArgumentParser
import Foundation
import LinearAlgebra

/// `pulse doctor [--json]`: what PulseBMS links against and what it can reach on this machine.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report the native libraries PulseBMS links against and finds on this machine.",
        discussion: """
        OpenBLAS (with LAPACKE) is linked into this binary. HDF5 and libmosquitto are looked
        up as shared libraries and asked for their versions; the mosquitto broker and
        pkg-config are looked up on PATH. Exits non-zero if a required library is missing.
        """)

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        let report = DoctorReport(
            openBLAS: .init(configuration: OpenBLAS.configuration, threads: OpenBLAS.threadCount),
            components: [Probe.hdf5(), Probe.libmosquitto(), Probe.broker(), Probe.pkgConfig()])
        print(json ? try report.json() : report.table())
        let missing = report.components.filter { $0.required && !$0.found }
        guard missing.isEmpty else {
            let names = missing.map { "\($0.name) (\($0.hint))" }.joined(separator: ", ")
            FileHandle.standardError.write(Data("error: missing required: \(names)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Everything `pulse doctor` found.
struct DoctorReport: Encodable {
    struct OpenBLASInfo: Encodable {
        let configuration: String
        let threads: Int
    }

    let openBLAS: OpenBLASInfo
    let components: [Component]
    var ok: Bool { components.allSatisfy { $0.found || !$0.required } }

    enum CodingKeys: String, CodingKey { case openBLAS = "openblas", components, ok }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(openBLAS, forKey: .openBLAS)
        try container.encode(components, forKey: .components)
        try container.encode(ok, forKey: .ok)
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table() -> String {
        var lines = ["linked into this binary",
                     "  OpenBLAS      \(openBLAS.configuration)",
                     "                \(openBLAS.threads) thread\(openBLAS.threads == 1 ? "" : "s")",
                     "on this machine"]
        for c in components {
            let state = c.found ? "ok     " : (c.required ? "MISSING" : "absent ")
            let name = c.name.padding(toLength: 13, withPad: " ", startingAt: 0)
            let version = (c.version ?? "-").padding(toLength: 9, withPad: " ", startingAt: 0)
            lines.append("  \(state) \(name) \(version) \(c.path ?? c.hint)")
            lines.append("          \(c.required ? "required" : "optional"): \(c.purpose)")
        }
        lines.append(ok ? "ok: everything required is present" : "not ok: a required library is missing")
        return lines.joined(separator: "\n")
    }
}

/// One library or program `pulse doctor` looks for.
struct Component: Encodable {
    let name: String
    let required: Bool
    let purpose: String
    let found: Bool
    let version: String?
    let path: String?
    /// How to get it when it is missing.
    let hint: String
}
