import ArgumentParser
import Foundation
import PulseBMS

/// `swift run -c release bench SUITE [--json] [--compare]`: the PulseBMS benchmark harness.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure PulseBMS in release mode, against the reference tools where installed.",
        discussion: """
        Suites: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")).
        Each measurement is the median of --repeats timed runs after --warmup untimed ones.
        With --compare, the suite's reference script (PyTorch, PyBaMM) runs on this machine in
        the same invocation and the ratios reference/PulseBMS are printed (> 1 means PulseBMS is faster).
        """)

    @Argument(help: "The suite to run: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")).")
    var suite: Suite

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Also run the reference implementation and report speed-up ratios.")
    var compare = false

    @Option(help: "Timed repetitions per measurement.")
    var repeats: Int = 50

    @Option(help: "Untimed warm-up repetitions per measurement.")
    var warmup: Int = 10

    @Option(help: "Run only the measurement with this JSON key (for profiling).")
    var only: String?

    @Option(help: """
        OpenBLAS threads for every PulseBMS measurement. By default each measurement uses \
        what suits its size: 1 for minibatch-sized work (PPO, 64 rows), up to 2 for \
        batch-sized work (CPO, 2048 rows), as measured by this harness.
        """)
    var threads: Int?

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be at least 0, got \(warmup)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        #if DEBUG
        FileHandle.standardError.write(Data("warning: bench was built in debug mode; use `swift run -c release bench`\n".utf8))
        #endif
        TensorMemory.retainFreedMemory()
        let timer = Timer(repeats: repeats, warmup: warmup)
        var report = Report(suite: suite.rawValue, threads: threads, only: only)
        switch suite {
        case .tensors: TensorsSuite.run(timer: timer, into: &report, progress: !json)
        case .cell: CellSuite.run(timer: timer, into: &report, progress: !json)
        case .aging:
            AgingSuite.run(timer: timer, into: &report, progress: !json)
            PackSuite.run(timer: timer, into: &report, progress: !json)
        case .env: EnvSuite.run(timer: timer, into: &report, progress: !json)
        case .control: ControlSuite.run(timer: timer, into: &report, progress: !json)
        case .train: try TrainSuite.run(timer: timer, into: &report, progress: !json)
        case .edge: try EdgeSuite.run(into: &report, progress: !json)
        case .fleet: try FleetSuite.run(timer: timer, into: &report, progress: !json)
        }
        if compare {
            report.reference = try ReferenceRunner.run(suite: suite, repeats: repeats, warmup: warmup, progress: !json)
        }
        print(json ? report.json() : report.table())
    }
}

/// The benchmark suites; later issues add theirs here.
enum Suite: String, CaseIterable, ExpressibleByArgument {
    case tensors
    case cell
    case aging
    case env
    case control
    case train
    case edge
    case fleet
}
