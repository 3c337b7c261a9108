import ArgumentParser
import Electrochemistry
import Foundation

/// `pulse fit-ecm`: fits a Thevenin equivalent-circuit set to this package's SPMe of a physics-based set.
struct FitECM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-ecm",
        abstract: "Fit an equivalent-circuit (Thevenin, 5 RC pairs) parameter set to the SPMe of a parameter set.",
        discussion: """
        Simulates 1C discharge pulses followed by rest with the SPMe at 21 SoC points and 0/10/25/40/60 °C, then fits \
        OCV, R0 and the RC resistances (fixed time constants 1, 10, 60, 300, 1200 s) by non-negative least squares \
        (EquivalentCircuitFit). The JSON it writes is accepted by `pulse simulate --model ecm --parameters FILE`. \
        The shipped sets Chen2020 (NMC) and Prada2013 (LFP) were made this way.
        """)

    @Option(help: ArgumentHelp("Physics-based parameter set: a built-in name or a JSON/BPX file.", valueName: "NAME|FILE"))
    var parameters: String?

    @Option(help: "Length of each discharge pulse [s]: long enough to capture the diffusion overpotential.")
    var pulseDuration: Double = 120

    @Option(help: "Name recorded in the fitted set (default: the source set's name).")
    var name: String?

    @Option(help: ArgumentHelp("Where to write the fitted set (JSON).", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("Refit the shipped sets (Chen2020, Prada2013) and write their Swift sources into DIR (Sources/Electrochemistry/Models/ECM).", valueName: "DIR"))
    var regenerateShipped: String?

    func validate() throws {
        if regenerateShipped == nil && (parameters == nil || output == nil) {
            throw ValidationError("give --parameters NAME|FILE and --output FILE (or --regenerate-shipped DIR)")
        }
        guard pulseDuration.isFinite, pulseDuration > 0 else {
            throw ValidationError("--pulse-duration \(pulseDuration) must be a positive number of seconds")
        }
    }

    func run() throws {
        if let directory = regenerateShipped { return try regenerate(into: directory) }
        guard let parameters, let output else { return }
        let source: ParameterSet
        do { source = try SimulateParameters.load(parameters, ambient: nil) } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(64)
        }
        let started = Date()
        FileHandle.standardError.write(Data("fitting \(source.name) (21 SoC points × 5 temperatures)…\n".utf8))
        do {
            let set = try EquivalentCircuitFit.fit(
                source: source, name: name ?? "\(source.name) ECM",
                citations: source.citations + ["Fitted to the PulseBMS SPMe by `pulse fit-ecm` (EquivalentCircuitFit)"],
                configuration: .standard(pulseDuration: pulseDuration))
            try set.write(toFile: output)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let seconds = Date().timeIntervalSince(started)
        print("wrote \(output) in \(String(format: "%.1f", seconds)) s")
    }

    /// Refits the shipped sets and writes `EquivalentCircuitParameters+<Name>.swift` into `directory`.
    func regenerate(into directory: String) throws {
        for entry in EquivalentCircuitFit.shipped {
            let path = "\(directory)/EquivalentCircuitParameters+\(entry.name).swift"
            do {
                try EquivalentCircuitFit.regenerateSource(entry.identifier)
                    .write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("error: \(entry.name): \(error)\n".utf8))
                throw ExitCode.failure
            }
            print("wrote \(path)")
        }
    }
}
