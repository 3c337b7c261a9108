/// Experiment files: one PyBaMM step string per line.
///
/// ```
/// # CCCV charge, then rest
/// Charge at 1C until 4.2 V
/// Hold at 4.2 V until C/20   # CV phase
/// Rest for 30 minutes (1 minute period)
/// ```
///
/// Blank lines and everything after a `#` are ignored.
extension Experiment {
    /// Parses the text of an experiment file.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - source: the name used in error messages, usually the path.
    /// - Throws: ``ExperimentError/invalidExperimentLine(source:line:step:part:reason:)``
    ///   with the 1-based line number of the first bad step, or
    ///   ``ExperimentError/emptyExperiment(source:)`` if no step is present.
    public init(parsingFile text: String, source: String = "<experiment>") throws(ExperimentError) {
        var steps: [ExperimentStep] = []
        for (number, line) in ExperimentTextFile.numberedLines(text) {
            let content = line.firstIndex(of: "#").map { line[..<$0] } ?? line
            let step = StepStringParser.trimmed(content)
            if step.isEmpty { continue }
            do {
                steps.append(try ExperimentStep(parsing: String(step)))
            } catch {
                throw error.located(source: source, line: number)
            }
        }
        guard !steps.isEmpty else { throw .emptyExperiment(source: source) }
        self.init(steps: steps)
    }

    /// Reads an experiment file from `path` (see ``init(parsingFile:source:)``).
    ///
    /// - Throws: ``ExperimentError/unreadableFile(path:reason:)`` if the file cannot be
    ///   read, or a parse error naming the path and line.
    public init(contentsOfFile path: String) throws(ExperimentError) {
        let text = try ExperimentTextFile.read(path: path)
        try self.init(parsingFile: text, source: path)
    }
}
