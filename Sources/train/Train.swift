import ArgumentParser
import Foundation
import PulseBMS
import RunLog

/// `train Experiments/NAME.yaml [--seed N] [--steps N] [--out DIR]` and `train --resume RUN`.
@main
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a safe-RL policy (PPO, PPO-Lagrangian, CPO, SAC-Lagrangian) from an experiment config.",
        discussion: """
        The config is YAML (Experiments/README.md lists every key and its default). The run directory (default \
        runs/<config name>-seed<N>) receives config.yaml (the resolved config), metrics.csv and metrics.h5 (one \
        row per epoch; metrics.h5 also holds every evaluation episode under /evaluation/episodes), \
        checkpoints/checkpoint-<epoch>.bin, policy.weights, learning_curve.svg and summary.json. \
        --resume RUN continues a run from its latest checkpoint, bit for bit as if it had not stopped.
        """)

    @Argument(help: "Path to the experiment config (YAML), e.g. Experiments/NAME.yaml.")
    var config: String?
    @Option(help: "Seed for every random draw of the run (overrides the config's).") var seed: UInt64?
    @Option(help: "Environment steps to train for (overrides the config's).") var steps: Int?
    @Option(help: "Run directory to write the results into.") var out: String?
    @Option(help: "Continue the run in this directory from its latest checkpoint (with --steps: a new total).")
    var resume: String?
    @Flag(help: "Print one line per epoch instead of a progress bar.") var quiet = false
    @Flag(help: "Check the config (and that its environment builds), print it with every default, and exit.")
    var check = false

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
        guard (config == nil) != (resume == nil) else {
            throw ValidationError(resume == nil ? "give a config file, or --resume RUN" : "give either a config file or --resume RUN, not both")
        }
        if resume != nil && (seed != nil || out != nil || check) {
            throw ValidationError("--resume takes no --seed, --out or --check: the run's own settings are used")
        }
    }

    func run() throws {
        OpenBLAS.threadCount = 1
        do {
            if let resume {
                let session = try TrainingSession.resume(at: resume, steps: steps)
                try session.train(progress: ProgressDisplay(quiet: quiet))
            } else {
                var resolved = try ConfigFile.load(config!)
                if let seed { resolved.seed = seed }
                if let steps { resolved.steps = steps }
                if check {
                    let env = try BatteryGym.make(resolved.environment.id, options: resolved.environment.options)
                    for c in resolved.constraints { _ = try c.componentIndices(in: env.costNames) }
                    print(try ConfigFile.yaml(resolved), terminator: "")
                    return
                }
                let name = URL(fileURLWithPath: config!).deletingPathExtension().lastPathComponent
                let directory = out ?? "runs/\(name)-seed\(resolved.seed)"
                let session = try TrainingSession.start(config: resolved, at: directory)
                try session.train(progress: ProgressDisplay(quiet: quiet))
            }
        } catch {
            FileHandle.standardError.write("train: \(error)\n".data(using: .utf8)!)
            throw ExitCode.failure
        }
    }
}
