import Foundation

/// Exports a run directory as a Jupyter notebook (nbformat 4.5) that reads without running anything.
///
/// The notebook holds: a title with the run's summary (summary.json) and config (config.yaml);
/// the learning curve as SVG in a cell's saved output (learning_curve.svg, or drawn from the
/// metrics if the run has none); the last epochs as a table; every row of metrics.csv inside a
/// code cell that builds a pandas DataFrame; and code that reloads metrics.h5 with h5py (its path
/// relative to the notebook, falling back to the embedded rows) and re-plots with matplotlib.
///
///     let path = try NotebookExport.export(run, to: "notebooks-export")  // notebooks-export/<run>.ipynb
public enum NotebookExport {
    /// Writes the notebook of `run` to `<outputDirectory>/<run name>.ipynb` (creating the directory)
    /// and returns its path. The run must hold metrics.csv; summary.json and the SVG are optional.
    @discardableResult
    public static func export(_ run: RunDirectory, to outputDirectory: String, lastRows: Int = 10) throws(RunLogError) -> String {
        try FileIO.createDirectory(outputDirectory)
        let path = (outputDirectory as NSString).appendingPathComponent("\(run.name).ipynb")
        try FileIO.writeAtomically(notebook(for: run, notebookDirectory: outputDirectory, lastRows: lastRows), to: path)
        return path
    }

    /// The notebook of `run` as JSON bytes, for a notebook file that will live in `notebookDirectory`.
    public static func notebook(for run: RunDirectory, notebookDirectory: String, lastRows: Int = 10) throws(RunLogError) -> [UInt8] {
        guard FileIO.exists(run.metricsCSVPath).exists else {
            throw .runDirectoryIncomplete(path: run.path, missing: [RunDirectory.File.metricsCSV])
        }
        let metrics = try CSVTable.read(at: run.metricsCSVPath)
        let config = try run.readConfig()
        let summary: [String: Any]? = FileIO.exists(run.summaryPath).exists ? try run.readSummary() : nil
        let costLimit = (summary?["cost_limit"] as? NSNumber)?.doubleValue
        let svg: String
        if FileIO.exists(run.learningCurvePath).exists {
            svg = try FileIO.readText(run.learningCurvePath)
        } else {
            var curve = LearningCurve(title: run.name, costLimit: costLimit)
            if metrics.column(RunDirectory.Column.environmentSteps) != nil, metrics.column(RunDirectory.Column.returnMean) != nil {
                try curve.addSeries(name: run.name, from: metrics)
            }
            svg = curve.svg()
        }
        let runPath = FileIO.relativePath(from: notebookDirectory, to: run.path)
        let sources = Sources(runName: run.name, runPath: runPath, costLimit: costLimit)

        var cells: [[String: Any]] = []
        func markdown(_ text: String) {
            cells.append(["cell_type": "markdown", "id": "cell-\(cells.count + 1)", "metadata": [String: Any](), "source": lines(text)])
        }
        func code(_ text: String, outputs: [[String: Any]] = []) {
            cells.append(["cell_type": "code", "id": "cell-\(cells.count + 1)", "metadata": [String: Any](),
                          "execution_count": NSNull(), "outputs": outputs, "source": lines(text)])
        }
        markdown(sources.title(summary: summary, config: config, rows: metrics.rowCount))
        code(sources.setup)
        markdown("## Learning curve\n\nAs PulseBMS drew it when the notebook was exported; re-plotted from the data further down.")
        code(sources.showFigure, outputs: [[
            "output_type": "display_data", "metadata": [String: Any](),
            "data": ["image/svg+xml": lines(svg), "text/plain": ["<IPython.core.display.SVG object>"]],
        ]])
        markdown(sources.lastRowsTable(metrics, count: lastRows))
        code(sources.embeddedData(CSVTable.render(metrics)))
        code(sources.loadMetrics)
        code(sources.plot)

        let document: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": [
                "kernelspec": ["display_name": "Python 3", "language": "python", "name": "python3"],
                "language_info": ["name": "python"],
                "pulsebms": ["run": run.name, "run_path": runPath],
            ],
        ]
        do {
            let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return [UInt8](data) + [UInt8(ascii: "\n")]
        } catch {
            throw .invalidContents(path: run.path, detail: "cannot encode the notebook as JSON: \(error)")
        }
    }

    /// `text` as notebook source lines: each line keeps its "\n" except the last.
    static func lines(_ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result = parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }
        if result.last == "" { result.removeLast() }
        return result
    }

    /// `text` as a Python string literal in double quotes.
    static func pythonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += String(format: "\\x%02x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }

    /// `text` as a Python triple-quoted string literal (backslashes and quotes escaped).
    static func pythonBlock(_ text: String) -> String {
        "\"\"\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"\"\""
    }
}
