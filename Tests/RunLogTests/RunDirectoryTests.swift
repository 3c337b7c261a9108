import Foundation
import Testing
@testable import RunLog

@Suite("RunDirectory")
struct RunDirectoryTests {
    struct Summary: Codable, Equatable {
        var algorithm: String
        var cost_limit: Double
        var final_return: Double
    }

    @Test("create lays out the run; an occupied directory is refused; resume needs every file")
    func createAndResume() throws {
        let directory = try TemporaryDirectory("run")
        let path = directory.file("runs/ppo-seed1")
        let run = try RunDirectory.create(at: path, config: "algorithm: ppo\n")
        #expect(run.name == "ppo-seed1")
        #expect(try run.readConfig() == "algorithm: ppo\n")
        #expect(FileIO.exists(run.checkpointsPath) == (true, true))
        #expect(run.metricsCSVPath == path + "/metrics.csv" && run.metricsHDF5Path == path + "/metrics.h5")
        #expect(run.summaryPath.hasSuffix("/summary.json") && run.learningCurvePath.hasSuffix("/learning_curve.svg"))
        #expect(run.policyWeightsPath.hasSuffix("/policy.weights"))

        #expect(throws: RunLogError.runDirectoryNotEmpty(path: path)) { try RunDirectory.create(at: path, config: "") }
        try "x".write(toFile: directory.file("plain-file"), atomically: true, encoding: .utf8)
        #expect(throws: RunLogError.runDirectoryNotEmpty(path: directory.file("plain-file"))) {
            try RunDirectory.create(at: directory.file("plain-file"), config: "")
        }
        try FileManager.default.createDirectory(atPath: directory.file("empty"), withIntermediateDirectories: false)
        _ = try RunDirectory.create(at: directory.file("empty"), config: "a: 1\n")

        #expect(throws: RunLogError.runDirectoryIncomplete(path: path, missing: ["metrics.csv", "metrics.h5"])) {
            try RunDirectory.openForResume(at: path)
        }
        _ = try CSVTable.create(at: run.metricsCSVPath, columns: ["epoch"])
        try HDF5File.create(at: run.metricsHDF5Path, fileLocking: false).close()
        #expect(try RunDirectory.openForResume(at: path) == run)
        #expect(try RunDirectory.open(at: path) == run)
        let absent = directory.file("absent")
        #expect(throws: RunLogError.runDirectoryIncomplete(path: absent, missing: ["the directory itself"])) {
            try RunDirectory.open(at: absent)
        }
        try FileManager.default.removeItem(atPath: run.configPath)
        #expect(throws: RunLogError.runDirectoryIncomplete(path: path, missing: ["config.yaml"])) { try RunDirectory.open(at: path) }
    }

    @Test("checkpoints are listed by epoch, ignoring temporary and foreign files")
    func checkpoints() throws {
        let directory = try TemporaryDirectory("run")
        let run = try RunDirectory.create(at: directory.file("run"), config: "")
        #expect(try run.latestCheckpoint() == nil)
        #expect(run.checkpointPath(epoch: 42).hasSuffix("/checkpoints/checkpoint-000042.bin"))
        #expect(run.checkpointPath(epoch: 1_234_567).hasSuffix("/checkpoint-1234567.bin"))
        for epoch in [5, 100, 20, 1_234_567] { try RunDirectory.writeAtomically([1, 2, 3], to: run.checkpointPath(epoch: epoch)) }
        for junk in ["checkpoint-000200.bin.tmp-99", "checkpoint-.bin", "checkpoint-12a.bin", "notes.txt", "checkpoint-000300.weights"] {
            try RunDirectory.writeAtomically("junk", to: run.checkpointsPath + "/" + junk)
        }
        let listed = try run.checkpoints()
        #expect(listed.map(\.epoch) == [5, 20, 100, 1_234_567])
        #expect(listed.map(\.path) == [5, 20, 100, 1_234_567].map(run.checkpointPath))
        #expect(try run.latestCheckpoint() == RunDirectory.Checkpoint(epoch: 1_234_567, path: run.checkpointPath(epoch: 1_234_567)))
        #expect(try FileIO.readBytes(run.checkpointPath(epoch: 20)) == [1, 2, 3])
    }

    @Test("small files are replaced atomically and leave no temporary file; summary JSON round trips")
    func smallFiles() throws {
        let directory = try TemporaryDirectory("run")
        let run = try RunDirectory.create(at: directory.file("run"), config: "first\n")
        try run.writeConfig("second: ✓\n")
        #expect(try run.readConfig() == "second: ✓\n")
        try run.writeSummary(Summary(algorithm: "cpo", cost_limit: 25, final_return: -3.5))
        let summary = try run.readSummary()
        #expect(summary["algorithm"] as? String == "cpo" && summary["cost_limit"] as? Double == 25)
        let decoded = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: URL(fileURLWithPath: run.summaryPath)))
        #expect(decoded == Summary(algorithm: "cpo", cost_limit: 25, final_return: -3.5))
        var curve = LearningCurve(title: "t", costLimit: 1)
        try curve.addSeries(name: "a", steps: [0, 1], returns: [0, 1], costs: [2, 0])
        try run.writeLearningCurve(curve)
        #expect(try FileIO.readText(run.learningCurvePath) == curve.svg())
        #expect(try FileIO.contents(run.path).sorted() == ["checkpoints", "config.yaml", "learning_curve.svg", "summary.json"])

        #expect {
            try RunDirectory.writeAtomically("x", to: directory.file("no/such/dir/file"))
        } throws: { error in
            guard case let .io(operation, _, code, _) = error as? RunLogError else { return false }
            return operation == "create" && code == ENOENT
        }
        try "[1, 2]".write(toFile: run.summaryPath, atomically: true, encoding: .utf8)
        #expect(throws: RunLogError.invalidContents(path: run.summaryPath, detail: "not a JSON object")) { try run.readSummary() }
    }

    @Test("relative paths between directories")
    func relativePaths() {
        #expect(FileIO.relativePath(from: "/a/b/notebooks", to: "/a/b/runs/x/metrics.h5") == "../runs/x/metrics.h5")
        #expect(FileIO.relativePath(from: "/a/b", to: "/a/b/m.h5") == "m.h5")
        #expect(FileIO.relativePath(from: "/a/b/c", to: "/x") == "../../../x")
        #expect(FileIO.relativePath(from: "/a/./b/../b", to: "/a/b") == ".")
    }
}
