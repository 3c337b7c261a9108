import ArgumentParser
import Electrochemistry
import Foundation

/// `pulse fleet`: second-life fleet specs, presets and samples.
struct Fleet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Sample heterogeneous second-life battery fleets (docs/packs-and-fleets.md).",
        subcommands: [FleetSample.self, FleetPresets.self])
}

/// `pulse fleet sample (--preset NAME | --spec FILE) --seed N [--json]`.
struct FleetSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Print a seeded sample of a fleet, one pack a row.",
        discussion: """
        Columns: id, chemistry, layout (series s, parallel p), new-cell capacity [A.h], present pack energy [kWh] \
        (s·p·Q·SoH·nominal cell voltage), state of health (capacity retention), resistance growth R/R_new, initial \
        SoC, and the BLAST-Lite aging model of the chemistry. The same spec and seed always give the same fleet.
        """)

    @Option(help: ArgumentHelp("A named fleet (see `pulse fleet presets`).", valueName: "NAME"))
    var preset: String?

    @Option(help: ArgumentHelp("A fleet spec file, JSON or YAML.", valueName: "FILE.json|FILE.yaml"))
    var spec: String?

    @Option(help: "Seed of the sampler.")
    var seed: UInt64 = 0

    @Flag(help: "Print JSON lines (one object per pack) instead of a table.")
    var json = false

    func validate() throws {
        if (preset == nil) == (spec == nil) { throw ValidationError("give exactly one of --preset NAME or --spec FILE") }
    }

    func run() throws {
        let fleet: FleetSpec
        do {
            if let preset { fleet = try FleetSpec.preset(named: preset) } else { fleet = try FleetSpecFile.load(spec ?? "") }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        let packs = FleetSampler(spec: fleet).sample(seed: seed)
        if json {
            for pack in packs { print(FleetTable.jsonLine(pack)) }
        } else {
            print("# fleet \(fleet.name), seed \(seed), \(packs.count) packs, fidelity \(fleet.fidelity.rawValue)")
            print(FleetTable.table(packs))
        }
    }
}

/// `pulse fleet presets`.
struct FleetPresets: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "presets", abstract: "List the named fleets.")

    func run() throws {
        for name in FleetSpec.presetNames {
            let spec = FleetSpec.presets[name]!
            let mix = spec.chemistries.map { "\($0.chemistry.rawValue) \($0.cellCapacity) A.h \($0.layouts.map(\.description).joined(separator: "|"))" }
            print("\(name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(spec.count) packs: \(mix.joined(separator: "; ")); SoH \(spec.stateOfHealth)")
        }
    }
}
