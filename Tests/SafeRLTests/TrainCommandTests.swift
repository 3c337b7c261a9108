import Foundation
import Testing

/// `train`, `pulse evaluate` and `pulse report` end to end, on the executables built beside the test bundle.
@Suite("train command: run directory, resume, evaluate, report", .serialized)
struct TrainCommandTests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ tool: String, _ arguments: [String]) throws -> Run {
        let url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(tool)
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "no \(tool) at \(url.path): build it first")
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out; process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static let config = """
    env:
      id: PulseBMS/FleetDispatch-v0
      options: {packs: 2, episode_hours: 1, fidelity: ecm}
    algorithm: ppo_lagrangian
    constraints: [{limit: 3}]
    seed: 4
    steps: 240
    environments: 2
    checkpoint_every: 1
    hyperparameters: {hidden: [8], update_epochs: 1, minibatches: 2}
    evaluation: {every_epochs: 1, episodes: 1}
    """

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("train-\(name)-\(UUID().uuidString)").path
    }

    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    }

    @Test("a run writes its directory; resumed, it matches an uninterrupted run; evaluate and report read it")
    func endToEnd() throws {
        let base = Self.temporary("e2e")
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let yaml = base + "/tiny.yaml"
        try Self.config.write(toFile: yaml, atomically: true, encoding: .utf8)
        let first = base + "/first", straight = base + "/stopped"

        let a = try Self.run("train", [yaml, "--out", first, "--quiet"])
        #expect(a.status == 0, "\(a.stderr)")
        for file in ["config.yaml", "metrics.csv", "metrics.h5", "policy.weights", "learning_curve.svg", "summary.json",
                     "checkpoints/checkpoint-000002.bin"] {
            #expect(FileManager.default.fileExists(atPath: first + "/" + file), "\(file) missing")
        }
        #expect(try Self.lines(first + "/metrics.csv").count == 3)
        #expect(try String(contentsOfFile: first + "/config.yaml", encoding: .utf8).contains("rollout_steps: 60"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: first + "/summary.json"))) as! [String: Any]
        #expect(summary["cost_limit"] as? Double == 3 && (summary["evaluation"] as? [String: Any])?["return_mean"] != nil)

        // A run that stopped after epoch 1 (its later checkpoint gone; rows after the checkpoint are dropped on
        // resume) continues to the same metrics as the run that did not stop.
        try FileManager.default.copyItem(atPath: first, toPath: straight)
        try FileManager.default.removeItem(atPath: straight + "/checkpoints/checkpoint-000002.bin")
        let resumed = try Self.run("train", ["--resume", straight, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let resumedRows = try Self.lines(straight + "/metrics.csv"), straightRows = try Self.lines(first + "/metrics.csv")
        #expect(resumedRows.count == 3 && resumedRows == straightRows)
        // A resume with a larger budget trains on.
        let longer = try Self.run("train", ["--resume", first, "--steps", "360", "--quiet"])
        #expect(longer.status == 0, "\(longer.stderr)")
        #expect(try Self.lines(first + "/metrics.csv").count == 4)

        let evaluation = try Self.run("pulse", ["evaluate", first, "--episodes", "2", "--json"])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as! [String: Any]
        #expect(object["cost_limit"] as? Double == 3 && object["episodes"] as? Int == 2 && object["return_mean"] is Double)
        let larger = try Self.run("pulse", ["evaluate", first + "/policy.weights", "--packs", "3", "--episodes", "1", "--option", "episode_hours=1"])
        #expect(larger.status == 0 && larger.stdout.contains("return"), "\(larger.stderr)")
        let report = try Self.run("pulse", ["report", first, "--output", base + "/notebooks"])
        #expect(report.status == 0, "\(report.stderr)")
        let notebook = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + "/notebooks/first.ipynb"))) as! [String: Any]
        #expect(notebook["nbformat"] as? Int == 4)
    }

    @Test("bad input: a typo in the config, a missing file, a resume without checkpoint, an occupied directory")
    func badInput() throws {
        let base = Self.temporary("bad")
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let typo = base + "/typo.yaml"
        try Self.config.replacingOccurrences(of: "update_epochs", with: "update_epoch").write(toFile: typo, atomically: true, encoding: .utf8)
        let a = try Self.run("train", [typo, "--out", base + "/x"])
        #expect(a.status != 0 && a.stderr.contains("update_epoch"), "\(a.stderr)")
        let b = try Self.run("train", [base + "/absent.yaml"])
        #expect(b.status != 0 && b.stderr.contains("not found"))
        let c = try Self.run("train", ["--resume", base])
        #expect(c.status != 0)
        let good = base + "/good.yaml"
        try Self.config.write(toFile: good, atomically: true, encoding: .utf8)
        let d = try Self.run("train", [good, "--out", base])   // the directory holds the configs
        #expect(d.status != 0 && d.stderr.contains(base))
    }

    @Test("every config in Experiments/ checks out", arguments: try FileManager.default.contentsOfDirectory(
        atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Experiments").path).filter { $0.hasSuffix(".yaml") })
    func experiments(file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let r = try Self.run("train", [root.appendingPathComponent("Experiments/\(file)").path, "--check"])
        #expect(r.status == 0 && r.stdout.contains("algorithm:"), "\(file): \(r.stderr)")
    }
}
