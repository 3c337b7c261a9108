import Foundation

extension NotebookExport {
    /// The text of the notebook's cells for one run.
    struct Sources {
        let runName: String
        /// The run directory relative to the notebook's directory.
        let runPath: String
        let costLimit: Double?

        typealias Column = RunDirectory.Column

        /// The title cell: run name, summary table and config.
        func title(summary: [String: Any]?, config: String, rows: Int) -> String {
            var text = "# Run `\(runName)`\n\n"
            text += "Exported by PulseBMS from `\(runPath)` (\(rows) epochs). The figure and every metrics row are "
            text += "embedded below, so this notebook reads without the run directory; the code cells reload "
            text += "`metrics.h5` from it when it is there.\n\n## Summary\n\n"
            if let summary, !summary.isEmpty {
                text += "| key | value |\n| --- | --- |\n"
                for (key, value) in Self.flatten(summary) {
                    text += "| \(Self.cell(key)) | \(Self.cell(value)) |\n"
                }
            } else {
                text += "The run has no `summary.json` (it has not finished, or it stopped early).\n"
            }
            let fence = config.contains("```") ? "~~~~" : "```"
            return text + "\n## Config\n\n\(fence)yaml\n\(config.hasSuffix("\n") ? config : config + "\n")\(fence)\n"
        }

        /// The key paths ("a.b") and printed values of a JSON object, sorted by key.
        static func flatten(_ object: [String: Any], prefix: String = "") -> [(String, String)] {
            object.keys.sorted().flatMap { key -> [(String, String)] in
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                let value = object[key]!
                if let nested = value as? [String: Any] { return flatten(nested, prefix: path) }
                return [(path, printed(value))]
            }
        }

        /// A JSON value as text: strings bare, numbers as Swift prints them, the rest as JSON.
        static func printed(_ value: Any) -> String {
            if let string = value as? String { return string }
            if value is NSNull { return "null" }
            if let number = value as? NSNumber {
                // JSONSerialization gives booleans as NSNumbers of C type char.
                if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
                let double = number.doubleValue
                return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : "\(double)"
            }
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }

        /// `text` made safe inside a Markdown table cell.
        static func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }

        /// The markdown table of the last `count` rows.
        func lastRowsTable(_ metrics: MetricsTable, count: Int) -> String {
            let shown = metrics.lastRows(count)
            var text = "## Metrics: last \(shown.count) of \(metrics.rowCount) epochs\n\n"
            guard !shown.isEmpty else { return text + "No epoch was logged.\n" }
            text += "| " + metrics.columns.map(Self.cell).joined(separator: " | ") + " |\n"
            text += "|" + String(repeating: " ---: |", count: metrics.columns.count) + "\n"
            for row in shown {
                text += "| " + row.map { String(format: "%.6g", $0) }.joined(separator: " | ") + " |\n"
            }
            return text
        }

        /// Paths and constants every later cell uses.
        var setup: String {
            """
            # Paths are relative to this notebook; edit RUN_DIR if the run directory has moved.
            from pathlib import Path

            RUN_DIR = Path(\(NotebookExport.pythonString(runPath)))
            METRICS_H5 = RUN_DIR / "\(RunDirectory.File.metricsHDF5)"
            LEARNING_CURVE_SVG = RUN_DIR / "\(RunDirectory.File.learningCurve)"
            TITLE = \(NotebookExport.pythonString(runName))
            COST_LIMIT = \(costLimit.map { $0.isFinite ? "\($0)" : "None" } ?? "None")
            """
        }

        /// Shows the figure again from the run directory (its export-time rendering is the saved output).
        var showFigure: String {
            """
            from IPython.display import SVG, display

            if LEARNING_CURVE_SVG.exists():
                display(SVG(filename=str(LEARNING_CURVE_SVG)))
            else:
                print(f"{LEARNING_CURVE_SVG} is not there; the output saved below is the figure at export time")
            """
        }

        /// Every row of metrics.csv as an inline string and a DataFrame built from it.
        func embeddedData(_ csv: String) -> String {
            """
            # Every row of metrics.csv, embedded when the notebook was exported.
            import io
            import pandas as pd

            METRICS_CSV = \(NotebookExport.pythonBlock(csv))
            embedded = pd.read_csv(io.StringIO(METRICS_CSV))
            embedded.tail()
            """
        }

        /// Reloads metrics.h5 with h5py, falling back to the embedded rows.
        var loadMetrics: String {
            """
            # Reload the metrics from metrics.h5 with h5py; without the file (or h5py), use the embedded rows.
            def load_metrics():
                try:
                    import h5py
                    with h5py.File(METRICS_H5, "r") as f:
                        table = f["\(RunDirectory.metricsDataset)"]
                        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in table.attrs["columns"]]
                        return pd.DataFrame(table[...], columns=columns), str(METRICS_H5)
                except (ImportError, OSError, KeyError) as error:
                    print(f"using the embedded metrics ({type(error).__name__}: {error})")
                    return embedded, "the data embedded in this notebook"

            metrics, source = load_metrics()
            print(f"{len(metrics)} epochs from {source}")
            """
        }

        /// Re-plots return and cost against steps with matplotlib.
        var plot: String {
            """
            import matplotlib.pyplot as plt

            def plot(metrics):
                x = "\(Column.environmentSteps)" if "\(Column.environmentSteps)" in metrics else metrics.columns[0]
                fig, (ax_return, ax_cost) = plt.subplots(2, 1, sharex=True, figsize=(8, 6.5))
                # The cost column: cost_mean, else the first per-constraint cost_<name>_mean.
                cost = "\(Column.costMean)" if "\(Column.costMean)" in metrics else next(
                    (c for c in metrics.columns if c.startswith("cost_") and c.endswith("_mean")), "\(Column.costMean)")
                panels = ((ax_return, "\(Column.returnMean)", "\(Column.returnStd)", "episode return"),
                          (ax_cost, cost, cost[:-len("_mean")] + "_std", f"episode cost ({cost})"))
                for ax, mean, std, label in panels:
                    ax.set_ylabel(label)
                    ax.grid(alpha=0.3)
                    if mean not in metrics:
                        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
                        continue
                    ax.plot(metrics[x], metrics[mean])
                    if std in metrics:
                        ax.fill_between(metrics[x], metrics[mean] - metrics[std], metrics[mean] + metrics[std], alpha=0.2)
                if COST_LIMIT is not None:
                    ax_cost.axhline(COST_LIMIT, color="tab:red", linestyle="--", label=f"cost limit {COST_LIMIT:g}")
                    ax_cost.legend()
                ax_cost.set_xlabel("environment steps" if x == "\(Column.environmentSteps)" else x)
                fig.suptitle(TITLE)
                fig.tight_layout()
                return fig

            plot(metrics);
            """
        }
    }
}
