import Foundation
import Testing
@testable import RunLog

/// Files written by `HDF5File` as other HDF5 readers see them: the `h5dump` CLI (Debian package
/// hdf5-tools, installed by .ci/install-deps) and h5py; and h5py's files as `HDF5File` reads them.
/// Each test is skipped only when its tool is not installed.
@Suite("HDF5 cross-checks")
struct HDF5CrossCheckTests {
    /// Writes a small metrics file: a 2 × 3 table, a root attribute and a group with an attribute.
    static func writeSample(_ path: String) throws {
        let file = try HDF5File.create(at: path, fileLocking: false)
        try file.createTable("metrics", columns: ["epoch", "return_mean", "cost_mean"], chunkRows: 8)
        try file.appendRow([0, -12.5, 30.25], to: "metrics")
        try file.appendRow([1, 3.75, 0.5], to: "metrics")
        try file.setAttribute("algorithm", to: "ppo_lagrangian")
        try file.setAttribute("env_id", to: "fleet-arbitrage-v0")
        try file.createGroup("evaluation")
        try file.setAttribute("episodes", to: ["10", "20"], on: "evaluation")
        try file.close()
    }

    @Test("h5dump sees an unlimited 2-D dataset, its values, and the string attributes",
          .enabled(if: Tools.find("h5dump") != nil, "h5dump is not installed (apt-get install hdf5-tools)"))
    func h5dump() throws {
        let directory = try TemporaryDirectory("h5dump")
        let path = directory.file("metrics.h5")
        try Self.writeSample(path)
        let result = try Tools.run(try #require(Tools.find("h5dump")), [path])
        #expect(result.status == 0, "\(result.error)")
        let dump = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(dump.contains("DATASET \"metrics\""), "\(result.output)")
        #expect(dump.contains("DATASPACE SIMPLE { ( 2, 3 ) / ( H5S_UNLIMITED, 3 ) }"), "\(result.output)")
        #expect(dump.contains("(0,0): 0, -12.5, 30.25, (1,0): 1, 3.75, 0.5"), "\(result.output)")
        #expect(dump.contains("(0): \"epoch\", \"return_mean\", \"cost_mean\""), "\(result.output)")
        #expect(dump.contains("ATTRIBUTE \"algorithm\" { DATATYPE H5T_STRING { STRSIZE H5T_VARIABLE;"), "\(result.output)")
        #expect(dump.contains("(0): \"ppo_lagrangian\""), "\(result.output)")
        #expect(dump.contains("GROUP \"evaluation\""), "\(result.output)")
    }

    @Test("h5py reads what HDF5File writes, and HDF5File reads what h5py writes",
          .enabled(if: Tools.pythonHas(["h5py", "numpy"]), "python3 with h5py is not installed (pip install h5py)"))
    func h5py() throws {
        let directory = try TemporaryDirectory("h5py")
        let ours = directory.file("ours.h5"), theirs = directory.file("theirs.h5")
        try Self.writeSample(ours)
        let script = """
        import json, sys, h5py, numpy as np
        with h5py.File(sys.argv[1], "r") as f:
            d = f["metrics"]
            print(json.dumps({
                "columns": [c.decode() if isinstance(c, bytes) else c for c in d.attrs["columns"]],
                "data": d[...].tolist(), "dtype": str(d.dtype), "maxshape": list(d.maxshape),
                "algorithm": f.attrs["algorithm"], "episodes": list(f["evaluation"].attrs["episodes"]),
            }))
        with h5py.File(sys.argv[2], "w") as f:
            d = f.create_dataset("runs/metrics", data=np.array([[1.0, 2.0], [3.0, np.nan]]))
            d.attrs["columns"] = ["steps", "cost"]
            f.attrs["fixed"] = np.bytes_("fixed-length text")
            f.attrs["text"] = "variable ✓"
        """
        let result = try Tools.run(try #require(Tools.find("python3")), ["-c", script, ours, theirs])
        try #require(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(json["columns"] as? [String] == ["epoch", "return_mean", "cost_mean"])
        #expect(json["data"] as? [[Double]] == [[0, -12.5, 30.25], [1, 3.75, 0.5]])
        #expect(json["dtype"] as? String == "float64")
        #expect((json["maxshape"] as? [Any])?.first is NSNull, "rows unlimited: \(String(describing: json["maxshape"]))")
        #expect(json["algorithm"] as? String == "ppo_lagrangian")
        #expect(json["episodes"] as? [String] == ["10", "20"])

        let file = try HDF5File.open(at: theirs, mode: .readWrite, fileLocking: false)
        let table = try file.readTable("runs/metrics")
        #expect(table.columns == ["steps", "cost"])
        #expect(table.rows[0] == [1, 2] && table.rows[1][0] == 3 && table.rows[1][1].isNaN)
        #expect(try file.stringAttribute("fixed") == "fixed-length text")
        #expect(try file.stringAttribute("text") == "variable ✓")
        // h5py made a contiguous dataset, which cannot grow: the append fails with HDF5's reason.
        #expect {
            try file.appendRow([5, 6], to: "runs/metrics")
        } throws: { error in
            guard case let .hdf5(call, _, object, _) = error as? RunLogError else { return false }
            return call == "H5Dset_extent" && object == "/runs/metrics"
        }
    }
}
