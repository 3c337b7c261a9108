import ArgumentParser
import Foundation

/// `train Experiments/NAME.yaml`: trains a safe-RL policy from an experiment config.
///
/// No trainer exists in this build yet; for now the command checks its arguments and
/// says so. A later issue replaces `run()` with the training loop.
@main
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a safe-RL policy (CPO, PPO-Lagrangian, SAC-Lagrangian) from an experiment config.",
        discussion: """
        Interface once the trainers exist:
          train Experiments/NAME.yaml [--seed N] [--steps N] [--out DIR]
        writes the resolved config, metrics (CSV, HDF5), checkpoints and plots
        into the run directory.

        This build has no training algorithm yet: it checks that the config
        file is readable, then exits with an error.
        """)

    @Argument(help: "Path to the experiment config (YAML), e.g. Experiments/NAME.yaml.")
    var config: String

    @Option(help: "Seed for every random draw of the run (overrides the config's).")
    var seed: UInt64?

    @Option(help: "Environment steps to train for (overrides the config's).")
    var steps: Int?

    @Option(help: "Run directory to write the results into.")
    var out: String?

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps)") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: config, isDirectory: &isDirectory) else {
            throw TrainError.configMissing(config)
        }
        guard !isDirectory.boolValue else { throw TrainError.configIsDirectory(config) }
        guard FileManager.default.isReadableFile(atPath: config) else { throw TrainError.configUnreadable(config) }
        throw TrainError.noAlgorithm(config)
    }
}

/// Why `train` stopped; printed as one line, with a non-zero exit status.
enum TrainError: Error, CustomStringConvertible {
    case configMissing(String)
    case configIsDirectory(String)
    case configUnreadable(String)
    case noAlgorithm(String)

    var description: String {
        switch self {
        case .configMissing(let path): "config file not found: \(path)"
        case .configIsDirectory(let path): "config path is a directory, not a file: \(path)"
        case .configUnreadable(let path): "config file is not readable: \(path)"
        case .noAlgorithm(let path):
            "no training algorithm is available in this build yet (PPO, PPO-Lagrangian, CPO and SAC-Lagrangian are planned); \(path) was not run"
        }
    }
}
