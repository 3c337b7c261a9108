import Foundation

/// The directory one training run writes, and the one place its layout is defined:
///
///     <run>/
///       config.yaml           the resolved experiment config
///       metrics.csv           one row per epoch (`CSVTable`)
///       metrics.h5            the same rows as the table "/metrics" (`HDF5File`); attributes
///                             may hold the config text, algorithm and environment id
///       checkpoints/          checkpoint-<epoch, 6 digits>.bin, written by the trainer
///       policy.weights        the final policy weights
///       learning_curve.svg    `LearningCurve`
///       summary.json          a JSON object: the run's final numbers (`cost_limit` is drawn if present)
///
/// Metrics use the column names in `Column` where they apply, so that plots and notebooks find them.
/// Small files are written atomically (a temporary file, synced, then renamed).
public struct RunDirectory: Sendable, Equatable {
    /// File and folder names inside a run directory.
    public enum File {
        public static let config = "config.yaml"
        public static let metricsCSV = "metrics.csv"
        public static let metricsHDF5 = "metrics.h5"
        public static let checkpoints = "checkpoints"
        public static let policyWeights = "policy.weights"
        public static let learningCurve = "learning_curve.svg"
        public static let summary = "summary.json"
    }

    /// Conventional metrics column names.
    public enum Column {
        public static let epoch = "epoch"
        public static let environmentSteps = "env_steps"
        public static let returnMean = "return_mean"
        public static let returnStd = "return_std"
        public static let costMean = "cost_mean"
        public static let costStd = "cost_std"
    }

    /// The path of the metrics table inside metrics.h5.
    public static let metricsDataset = "/metrics"

    /// The run directory's path, as given.
    public let path: String

    private init(path: String) { self.path = path }

    /// The last path component: the run's name.
    public var name: String { URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent }

    /// The path of `name` inside the run directory.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The path of config.yaml.
    public var configPath: String { file(File.config) }
    /// The path of metrics.csv.
    public var metricsCSVPath: String { file(File.metricsCSV) }
    /// The path of metrics.h5.
    public var metricsHDF5Path: String { file(File.metricsHDF5) }
    /// The path of the checkpoints/ folder.
    public var checkpointsPath: String { file(File.checkpoints) }
    /// The path of policy.weights.
    public var policyWeightsPath: String { file(File.policyWeights) }
    /// The path of learning_curve.svg.
    public var learningCurvePath: String { file(File.learningCurve) }
    /// The path of summary.json.
    public var summaryPath: String { file(File.summary) }

    // MARK: - Creating and opening

    /// Creates a new run directory at `path` (and its parents) with checkpoints/ and config.yaml.
    /// Throws `.runDirectoryNotEmpty` if something other than an empty directory is there.
    public static func create(at path: String, config: String) throws(RunLogError) -> RunDirectory {
        let (exists, isDirectory) = FileIO.exists(path)
        if exists {
            guard isDirectory, try FileIO.contents(path).isEmpty else { throw .runDirectoryNotEmpty(path: path) }
        }
        let run = RunDirectory(path: path)
        try FileIO.createDirectory(run.checkpointsPath)
        try run.writeConfig(config)
        return run
    }

    /// Opens an existing run directory to read it (report, export): it must hold config.yaml.
    public static func open(at path: String) throws(RunLogError) -> RunDirectory {
        try open(at: path, requiring: [File.config])
    }

    /// Opens an existing run directory to continue training: it must hold config.yaml, both
    /// metrics files and checkpoints/.
    public static func openForResume(at path: String) throws(RunLogError) -> RunDirectory {
        try open(at: path, requiring: [File.config, File.metricsCSV, File.metricsHDF5, File.checkpoints])
    }

    private static func open(at path: String, requiring names: [String]) throws(RunLogError) -> RunDirectory {
        let (exists, isDirectory) = FileIO.exists(path)
        guard exists, isDirectory else { throw .runDirectoryIncomplete(path: path, missing: ["the directory itself"]) }
        let run = RunDirectory(path: path)
        let missing = names.filter { !FileIO.exists(run.file($0)).exists }
        guard missing.isEmpty else { throw .runDirectoryIncomplete(path: path, missing: missing) }
        return run
    }

    // MARK: - Checkpoints

    /// A checkpoint file and the epoch it was written after.
    public struct Checkpoint: Sendable, Equatable {
        public let epoch: Int
        public let path: String
    }

    /// The path of the checkpoint written after `epoch`: checkpoints/checkpoint-000042.bin.
    public func checkpointPath(epoch: Int) -> String {
        let digits = String(epoch)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return (checkpointsPath as NSString).appendingPathComponent("checkpoint-\(padded).bin")
    }

    /// The checkpoints in checkpoints/, by epoch. Other files (temporary ones too) are ignored.
    public func checkpoints() throws(RunLogError) -> [Checkpoint] {
        guard FileIO.exists(checkpointsPath).isDirectory else { return [] }
        return try FileIO.contents(checkpointsPath).compactMap { name -> Checkpoint? in
            guard name.hasPrefix("checkpoint-"), name.hasSuffix(".bin") else { return nil }
            let digits = name.dropFirst("checkpoint-".count).dropLast(".bin".count)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let epoch = Int(digits) else { return nil }
            return Checkpoint(epoch: epoch, path: (checkpointsPath as NSString).appendingPathComponent(name))
        }.sorted { $0.epoch < $1.epoch }
    }

    /// The checkpoint of the highest epoch, or nil if there is none.
    public func latestCheckpoint() throws(RunLogError) -> Checkpoint? { try checkpoints().last }

    // MARK: - Small files

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func writeAtomically(_ text: String, to path: String) throws(RunLogError) {
        try FileIO.writeAtomically(Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` atomically.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(RunLogError) {
        try FileIO.writeAtomically(bytes, to: path)
    }

    /// Replaces config.yaml.
    public func writeConfig(_ yaml: String) throws(RunLogError) { try Self.writeAtomically(yaml, to: configPath) }

    /// The text of config.yaml.
    public func readConfig() throws(RunLogError) -> String { try FileIO.readText(configPath) }

    /// Writes `summary` as summary.json (pretty, keys sorted).
    public func writeSummary<Summary: Encodable>(_ summary: Summary) throws(RunLogError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try Self.writeAtomically([UInt8](encoder.encode(summary)) + [UInt8(ascii: "\n")], to: summaryPath)
        } catch let error as RunLogError {
            throw error
        } catch {
            throw .invalidContents(path: summaryPath, detail: "cannot encode the summary as JSON: \(error)")
        }
    }

    /// The JSON object of summary.json.
    public func readSummary() throws(RunLogError) -> [String: Any] {
        let bytes = try FileIO.readBytes(summaryPath)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)), let dictionary = object as? [String: Any] else {
            throw .invalidContents(path: summaryPath, detail: "not a JSON object")
        }
        return dictionary
    }

    /// Renders `curve` to learning_curve.svg.
    public func writeLearningCurve(_ curve: LearningCurve) throws(RunLogError) {
        try Self.writeAtomically(curve.svg(), to: learningCurvePath)
    }
}
