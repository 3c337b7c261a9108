import ArgumentParser
import Electrochemistry
import Foundation

/// `pulse simulate`: runs a PyBaMM-style experiment on a cell model and writes PyBaMM's CSV columns.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment on a cell model and write the result as CSV.",
        discussion: """
        Steps use PyBaMM's strings, e.g. "Discharge at 1C until 2.5 V", "Hold at 4.2 V until C/50", \
        "Rest for 30 minutes (1 minute period)". Rows follow PyBaMM: within each step on \
        linspace(0, D, round(D/period) + 1) over the step's nominal duration D, plus a row where a \
        termination fires; consecutive steps share their boundary time. A step whose termination \
        already holds at its start is skipped (reported in the summary); the run fails only if all \
        are skipped. As in PyBaMM, the experiment stops where the voltage leaves the parameter \
        set's cut-offs widened by 1 V (an error if the first step starts outside them).

        --ambient sets both "Ambient temperature [K]" and "Initial temperature [K]". Without \
        --initial-soc or --initial-stoichiometry the parameter set's initial concentrations apply. \
        If the model fails, the rows computed so far are still written and the exit status is non-zero.

        Columns: t [s], I [A] (positive on discharge), V [V], T [K], sto_n_surf, sto_p_surf, \
        sto_n_avg, sto_p_avg, discharge capacity [A.h]; with --sei also SEI capacity loss [A.h], SEI thickness [m].
        """)

    @Option(help: "The model: \(SimulateModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model: SimulateModelKind

    @Option(help: "A built-in parameter set (Chen2020, Prada2013, Ecker2015, Marquis2019, OKane2022) or a JSON file (reference format or BPX). With --model ecm: an equivalent-circuit set (Chen2020 alias nmc, Prada2013 alias lfp) or a JSON file from `pulse fit-ecm`.")
    var parameters: String

    @Option(help: "Thermal model: isothermal or lumped.")
    var thermal: ThermalOption = .isothermal

    @Option(help: ArgumentHelp("SEI growth on the negative particles (--model spm or spme): \(SEIGrowth.allCases.map(\.rawValue).joined(separator: ", ")). Adds the columns SEI capacity loss [A.h] and SEI thickness [m].", valueName: "LAW"))
    var sei: SEIGrowth?

    @Option(help: "Ambient (and initial) temperature [K].")
    var ambient: Double?

    @Option(name: .customLong("initial-soc"), help: "Initial state of charge in [0, 1] (electrode balancing).")
    var initialSoC: Double?

    @Option(name: .customLong("initial-stoichiometry"),
            help: ArgumentHelp("Initial particle stoichiometries, negative and positive.", valueName: "XN,XP"))
    var initialStoichiometry: String?

    @Option(name: .customLong("experiment"), help: "An experiment step; repeat for several steps, run in order.")
    var experimentSteps: [String] = []

    @Option(name: .customLong("experiment-file"), help: "A file with one step per line ('#' starts a comment).")
    var experimentFile: String?

    @Option(help: ArgumentHelp("A drive cycle: CSV of time and current or power (header \"t [s],I [A]\" or \"t [s],P [W]\"), interpolated linearly as PyBaMM does; it runs after any --experiment steps.", valueName: "FILE"))
    var profile: String?

    @Option(help: "Output period [s] of steps without their own \"(… period)\"; a --profile without it writes a row at every sample.")
    var period: Double?

    @Option(help: "The CSV file to write.")
    var output: String

    @Option(help: "State of health: capacity retention q in (0, 1] (physics models: loss of lithium inventory and of negative active material; ECM: capacity × q).")
    var soh: Double = 1

    @Option(name: .customLong("resistance-growth"), help: "Resistance growth r > 0 (physics models: a film on the negative particles; ECM: resistances × r).")
    var resistanceGrowth: Double = 1

    @Option(name: .customLong("lli-share"), help: "Share of the capacity fade that is loss of lithium inventory, in [0, 1].")
    var lliShare: Double = CellHealth.defaultLithiumInventoryShare

    /// The health the --soh, --resistance-growth and --lli-share options describe.
    func health() throws -> CellHealth {
        do { return try CellHealth(capacityRetention: soh, resistanceGrowth: resistanceGrowth, lithiumInventoryShare: lliShare) }
        catch { throw ValidationError("\(error)") }
    }

    func validate() throws {
        if !experimentSteps.isEmpty && experimentFile != nil {
            throw ValidationError("give the experiment either as --experiment \"STEP\" (repeatable) or as --experiment-file FILE, not both")
        }
        if experimentSteps.isEmpty && experimentFile == nil && profile == nil {
            throw ValidationError("give an experiment: --experiment \"STEP\" (repeatable), --experiment-file FILE or --profile FILE")
        }
        if initialSoC != nil && initialStoichiometry != nil {
            throw ValidationError("--initial-soc and --initial-stoichiometry are mutually exclusive")
        }
        if let soc = initialSoC, !(0...1).contains(soc) {
            throw ValidationError("--initial-soc \(soc) is not in [0, 1]")
        }
        if let ambient, !(ambient.isFinite && ambient > 0) {
            throw ValidationError("--ambient \(ambient) must be a positive temperature in kelvin")
        }
        if sei != nil && model != .spm && model != .spme {
            throw ValidationError("--sei needs --model spm or spme, not \(model.rawValue)")
        }
        if let period, !(period.isFinite && period > 0) {
            throw ValidationError("--period \(period) must be a positive number of seconds")
        }
        _ = try initialCondition()
        let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
        if !FileManager.default.isWritableFile(atPath: directory) {
            throw ValidationError("--output \(output): the directory \(directory) does not exist or is not writable")
        }
    }

    /// The initial state the options ask for.
    func initialCondition() throws -> InitialCondition {
        if let soc = initialSoC { return .stateOfCharge(soc) }
        guard let text = initialStoichiometry else { return .parameterSet }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let n = parts[0], let p = parts[1], n > 0, n < 1, p > 0, p < 1 else {
            throw ValidationError("--initial-stoichiometry \"\(text)\" must be two numbers in (0, 1) as XN,XP, e.g. 0.9,0.27")
        }
        return .stoichiometries(negative: n, positive: p)
    }

    func run() throws {
        do {
            try simulate()
        } catch let error as SimulateSetupError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func simulate() throws {
        let experiment: Experiment
        do {
            var steps: [ExperimentStep]
            if let experimentFile {
                steps = try Experiment(contentsOfFile: experimentFile).steps
            } else {
                steps = try Experiment(experimentSteps).steps
            }
            if let profile {
                let cycle = try Profile(contentsOfCSV: profile)
                steps.append(try .profile(cycle, period: period))
            }
            experiment = Experiment(steps: steps)
        } catch {
            throw SimulateSetupError(message: error.description)
        }
        let request = ModelRequest(kind: model, parameters: parameters, thermal: thermal, ambient: ambient,
                                   initial: try initialCondition(), sei: sei, health: try health())
        let setup = try SimulateModelFactory.makeModel(request)
        if let ambient { setup.model.ambientTemperature = ambient }
        let reporter = SimulationProgressReporter()
        let simulation = Simulation(experiment: experiment, defaultPeriod: period ?? 10, voltageLimits: setup.voltageLimits)
        let result: SimulationResult
        do {
            result = try simulation.run(setup.model, progress: reporter.update)
        } catch {
            reporter.finish()
            let partial = error.partialResult
            if !partial.rows.isEmpty {
                try SimulationCSV.write(partial, to: output)
                print(Self.summary(partial, output: output, wallTime: reporter.elapsed))
            }
            throw SimulateSetupError(message: error.description)
        }
        reporter.finish()
        try SimulationCSV.write(result, to: output)
        print(Self.summary(result, output: output, wallTime: reporter.elapsed))
        if case .voltageLimit(let limit)? = result.steps.last?.ending, let last = result.steps.last {
            let rest = experiment.steps.count - last.index - 1
            FileHandle.standardError.write(Data("warning: the experiment stopped in step \(last.index + 1) at \(limit.displayText); \(rest) step\(rest == 1 ? "" : "s") not run\n".utf8))
        }
    }

    /// The closing report: rows, simulated and wall time, and each step's ending.
    static func summary(_ result: SimulationResult, output: String, wallTime: Double) -> String {
        let simulated = result.simulatedTime
        var lines = ["wrote \(result.rows.count) rows to \(output): simulated "
                     + String(format: "%.1f s (%.3f h) in %.3f s wall time", simulated, simulated / 3600, wallTime)]
        for step in result.steps {
            let ending: String
            switch step.ending {
            case .duration: ending = "ran its full duration"
            case .event(let termination): ending = "ended at \(termination.displayText)"
            case .skipped(let termination): ending = "SKIPPED: \(termination.displayText) already held at its start"
            case .failed(let error): ending = "failed: \(error)"
            case .voltageLimit(let limit):
                ending = "STOPPED the experiment: the voltage reached the model's limit (\(limit.displayText))"
            }
            lines.append(String(format: "  step %d \"%@\": %.1f s → %.1f s, %d rows, ", step.index + 1, step.text,
                                step.startTime, step.endTime, step.rows.count) + ending)
        }
        let skipped = result.skippedSteps.count
        if skipped > 0 { lines.append("\(skipped) step\(skipped == 1 ? "" : "s") skipped") }
        return lines.joined(separator: "\n")
    }
}
