import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import RunLog

@Suite("NotebookExport")
struct NotebookExportTests {
    static let columns = ["epoch", "env_steps", "return_mean", "return_std", "cost_mean", "cost_std"]

    /// A finished run under `<root>/runs/<name>`: config, both metrics files, summary; no SVG.
    static func makeRun(in root: TemporaryDirectory, name: String = "cpo-seed3", epochs: Int = 14, summary: Bool = true) throws -> (RunDirectory, MetricsTable) {
        let run = try RunDirectory.create(at: root.file("runs/\(name)"), config: "algorithm: cpo\ncost_limit: 25 # \"\"\" | \\ \n")
        let rows = (0..<epochs).map { e -> [Double] in
            let e = Double(e)
            return [e, e * 4096, -200 + 12.5 * e, 8, 60 - 3 * e, e == 3 ? .nan : 2]
        }
        let table = try MetricsTable(columns: columns, rows: rows)
        let csv = try CSVTable.create(at: run.metricsCSVPath, columns: columns)
        for row in rows { try csv.append(row) }
        let h5 = try HDF5File.create(at: run.metricsHDF5Path, fileLocking: false)
        try h5.writeTable(table, to: RunDirectory.metricsDataset)
        try h5.close()
        if summary {
            struct Summary: Encodable { let algorithm = "cpo"; let cost_limit = 25.0; let seed = 3; let env = ["id": "fleet|arbitrage"] }
            try run.writeSummary(Summary())
        }
        return (run, table)
    }

    static func text(_ cell: [String: Any]) -> String { (cell["source"] as? [String])?.joined() ?? "" }

    @Test("the notebook is nbformat 4 JSON with the summary, config, SVG output, last rows and every row")
    func structure() throws {
        let root = try TemporaryDirectory("notebook")
        let (run, table) = try Self.makeRun(in: root)
        let path = try NotebookExport.export(run, to: root.file("notebooks-export"), lastRows: 5)
        #expect(path == root.file("notebooks-export/cpo-seed3.ipynb"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(json["nbformat"] as? Int == 4 && json["nbformat_minor"] as? Int == 5)
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect((metadata["kernelspec"] as? [String: Any])?["name"] as? String == "python3")
        let cells = try #require(json["cells"] as? [[String: Any]])
        #expect(cells.count == 8)
        for (index, cell) in cells.enumerated() {
            #expect(cell["id"] as? String == "cell-\(index + 1)")
            #expect(cell["metadata"] is [String: Any] && cell["source"] is [String])
            let type = cell["cell_type"] as? String
            #expect(type == "markdown" || type == "code")
            if type == "code" { #expect(cell["outputs"] is [Any] && cell["execution_count"] is NSNull) }
        }

        let title = Self.text(cells[0])
        #expect(title.hasPrefix("# Run `cpo-seed3`"))
        #expect(title.contains("| algorithm | cpo |") && title.contains("| cost_limit | 25 |") && title.contains("| seed | 3 |"))
        #expect(title.contains("| env.id | fleet\\|arbitrage |"))
        #expect(title.contains("```yaml\nalgorithm: cpo\ncost_limit: 25 # \"\"\" | \\ \n```"))
        #expect(Self.text(cells[1]).contains("RUN_DIR = Path(\"../runs/cpo-seed3\")") && Self.text(cells[1]).contains("COST_LIMIT = 25.0"))

        // The figure: saved as display_data output, a well-formed SVG with the cost limit.
        let outputs = try #require(cells[3]["outputs"] as? [[String: Any]])
        #expect(outputs.count == 1 && outputs[0]["output_type"] as? String == "display_data")
        let svg = try #require(((outputs[0]["data"] as? [String: Any])?["image/svg+xml"] as? [String])?.joined())
        let document = try XMLDocument(xmlString: svg, options: [])
        #expect(try document.nodes(forXPath: "//*[local-name()='line'][@class='cost-limit']").count == 1)
        #expect(try document.nodes(forXPath: "//*[local-name()='polyline'][@class='series']").count == 2)

        let lastRows = Self.text(cells[4])
        #expect(lastRows.hasPrefix("## Metrics: last 5 of 14 epochs"))
        #expect(lastRows.contains("| epoch | env_steps | return_mean | return_std | cost_mean | cost_std |"))
        #expect(lastRows.contains("| 13 | 53248 | -37.5 | 8 | 21 | 2 |") && !lastRows.contains("| 8 | 32768 |"))

        // Every row, embedded as CSV text that reads back to the same table.
        let embedded = Self.text(cells[5])
        let start = try #require(embedded.range(of: "METRICS_CSV = \"\"\"")), end = try #require(embedded.range(of: "\"\"\"\n", range: start.upperBound..<embedded.endIndex))
        let csv = String(embedded[start.upperBound..<end.lowerBound])
        #expect(try CSVTable.parse(csv).isIdentical(to: table))
        #expect(Self.text(cells[6]).contains("h5py.File(METRICS_H5, \"r\")") && Self.text(cells[6]).contains("return embedded"))
        #expect(Self.text(cells[7]).contains("axhline(COST_LIMIT"))
    }

    @Test("the run's own learning_curve.svg is embedded; a run without summary or metrics")
    func variants() throws {
        let root = try TemporaryDirectory("notebook")
        let (run, _) = try Self.makeRun(in: root, name: "unfinished", epochs: 0, summary: false)
        var curve = LearningCurve(title: "two seeds <own>", costLimit: 5)
        try curve.addSeries(name: "a", steps: [0, 1], returns: [0, 1], costs: [1, 2])
        try run.writeLearningCurve(curve)
        let bytes = try NotebookExport.notebook(for: run, notebookDirectory: root.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let cells = try #require(json["cells"] as? [[String: Any]])
        #expect(Self.text(cells[0]).contains("no `summary.json`"))
        #expect(Self.text(cells[1]).contains("RUN_DIR = Path(\"runs/unfinished\")") && Self.text(cells[1]).contains("COST_LIMIT = None"))
        let data = try #require((cells[3]["outputs"] as? [[String: Any]])?.first?["data"] as? [String: Any])
        #expect((data["image/svg+xml"] as? [String])?.joined() == curve.svg())
        #expect(Self.text(cells[4]).contains("No epoch was logged."))

        try FileManager.default.removeItem(atPath: run.metricsCSVPath)
        #expect(throws: RunLogError.runDirectoryIncomplete(path: run.path, missing: ["metrics.csv"])) {
            try NotebookExport.export(run, to: root.file("out"))
        }
        #expect(!FileManager.default.fileExists(atPath: root.file("out/unfinished.ipynb")))
    }

    @Test("nbformat validates the notebook, its code compiles, and its relative path finds metrics.h5 with h5py",
          .enabled(if: Tools.pythonHas(["nbformat", "h5py"]), "python3 with nbformat and h5py is not installed (pip install nbformat h5py)"))
    func nbformatAndH5py() throws {
        let root = try TemporaryDirectory("notebook")
        let (run, table) = try Self.makeRun(in: root)
        let outputDirectory = root.file("notebooks-export")
        let path = try NotebookExport.export(run, to: outputDirectory)
        let script = """
        import os, sys, nbformat, h5py
        nb = nbformat.read(sys.argv[1], as_version=4)
        nbformat.validate(nb)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        for source in code:
            compile(source, "cell", "exec")
        os.chdir(os.path.dirname(sys.argv[1]))  # Jupyter runs a notebook in its own directory
        scope = {}
        exec(code[0], scope)
        with h5py.File(scope["METRICS_H5"], "r") as f:
            t = f["metrics"]
            print(len(code), t.shape[0], t.shape[1], ",".join(c.decode() if isinstance(c, bytes) else c for c in t.attrs["columns"]))
        """
        let result = try Tools.run(try #require(Tools.find("python3")), ["-c", script, path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == "5 \(table.rowCount) 6 \(Self.columns.joined(separator: ","))\n", "\(result.output)\(result.error)")
    }
}
