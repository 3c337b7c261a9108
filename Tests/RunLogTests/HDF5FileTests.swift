import Foundation
import Testing
@testable import RunLog

/// `HDF5File` against real files in a temporary directory. File locking is off: exit tests
/// elsewhere in this process spawn children that inherit open descriptors (and HDF5's flock
/// with them), and every file here is private to its test.
@Suite("HDF5File")
struct HDF5FileTests {
    static let columns = ["epoch", "env_steps", "return_mean", "cost_mean"]
    static let yaml = "algorithm: ppo_lagrangian\nenv: fleet-arbitrage-v0 # ünïcode ✓\ncost_limit: 25\n"

    static func row(_ epoch: Int) -> [Double] {
        [Double(epoch), Double(epoch) * 2048, -100 + .pi * Double(epoch), 1.0 / Double(epoch + 3)]
    }

    @Test("round trip: nested groups, a table with awkward values, string and string-list attributes")
    func roundTrip() throws {
        let directory = try TemporaryDirectory("h5")
        let path = directory.file("metrics.h5")
        let table = try MetricsTable(columns: Self.columns, rows: [
            [0, 0, -1.5e-300, 1e300], [1, 2048, .nan, .infinity], [2, 4096, -.infinity, 0.1 + 0.2],
        ])
        do {
            let file = try HDF5File.create(at: path, fileLocking: false)
            try file.createGroup("evaluation/final")
            try file.createGroup("evaluation")  // exists: no error
            try file.writeTable(table, to: "metrics")
            try file.writeTable(try MetricsTable(columns: ["x"], rows: [[7]]), to: "evaluation/final/returns")
            try file.setAttribute("config_yaml", to: Self.yaml)
            try file.setAttribute("algorithm", to: "cpo", on: "/evaluation")
            try file.setAttribute("algorithm", to: "ppo_lagrangian", on: "/evaluation")  // replaces
            try file.setAttribute("seeds", to: ["1", "2", ""], on: "metrics")
            try file.close()
            #expect(!file.isOpen)
            try file.close()  // second close does nothing
        }
        let file = try HDF5File.open(at: path, fileLocking: false)
        let read = try file.readTable("/metrics")
        #expect(read.isIdentical(to: table), "\(read)")
        #expect(try file.readTable("evaluation/final/returns").rows == [[7]])
        #expect(try file.stringAttribute("config_yaml") == Self.yaml)
        #expect(try file.stringAttribute("algorithm", on: "evaluation") == "ppo_lagrangian")
        #expect(try file.stringListAttribute("seeds", on: "metrics") == ["1", "2", ""])
        #expect(try file.stringListAttribute("columns", on: "metrics") == Self.columns)
        #expect(try file.exists("evaluation/final") && file.exists("/metrics"))
        #expect(try !file.exists("evaluation/missing/deeper") && !file.exists("nothing"))
        #expect(try file.hasAttribute("config_yaml") && !file.hasAttribute("nope"))
        #expect(throws: RunLogError.invalidData(path: path, detail: "attribute \"seeds\" of \"/metrics\" holds 3 strings, not one")) {
            try file.stringAttribute("seeds", on: "metrics")
        }
    }

    @Test("rows appended one at a time survive close and reopen, and truncation drops later rows")
    func appendAcrossReopen() throws {
        let directory = try TemporaryDirectory("h5")
        let path = directory.file("metrics.h5")
        do {
            let file = try HDF5File.create(at: path, fileLocking: false)
            try file.createTable("metrics", columns: Self.columns, chunkRows: 2)
            #expect(try file.rowCount(of: "metrics") == 0)
            #expect(try file.readTable("metrics").rowCount == 0)
            for epoch in 0..<3 { try file.appendRow(Self.row(epoch), to: "metrics") }
        }  // released: deinit closes
        do {
            let file = try HDF5File.open(at: path, mode: .readWrite, fileLocking: false)
            #expect(try file.rowCount(of: "metrics") == 3)
            try file.appendRows([Self.row(3), Self.row(4)], to: "metrics")
            try file.appendRows([], to: "metrics")
            try file.close()
        }
        let file = try HDF5File.open(at: path, mode: .readWrite, fileLocking: false)
        #expect(try file.readTable("metrics").rows == (0..<5).map(Self.row))
        try file.truncateTable("metrics", toRows: 2)
        try file.appendRow(Self.row(9), to: "metrics")
        #expect(try file.readTable("metrics").rows == [Self.row(0), Self.row(1), Self.row(9)])
        #expect(throws: RunLogError.self) { try file.truncateTable("metrics", toRows: 4) }
    }

    @Test("after every append the bytes on disk are a complete file, while the writer keeps it open")
    func validAfterEveryAppend() throws {
        let directory = try TemporaryDirectory("h5")
        let path = directory.file("metrics.h5")
        let file = try HDF5File.create(at: path, fileLocking: false)
        try file.createTable("metrics", columns: Self.columns, chunkRows: 4)
        for epoch in 0..<6 {
            try file.appendRow(Self.row(epoch), to: "metrics")
            // A copy of the file as it is on disk now is what a crash would leave behind.
            let snapshot = directory.file("snapshot-\(epoch).h5")
            try FileManager.default.copyItem(atPath: path, toPath: snapshot)
            let copy = try HDF5File.open(at: snapshot, fileLocking: false)
            #expect(try copy.readTable("metrics").rows == (0...epoch).map(Self.row))
        }
    }

    @Test("errors name the file, the object and the failing call")
    func errors() throws {
        let directory = try TemporaryDirectory("h5")
        let missing = directory.file("absent.h5")
        #expect {
            try HDF5File.open(at: missing, fileLocking: false)
        } throws: { error in
            guard case let .hdf5(call, path, _, message) = error as? RunLogError else { return false }
            return call == "H5Fopen" && path == missing && message.contains("No such file")
        }
        let badPath = directory.file("no/such/dir/metrics.h5")
        #expect {
            try HDF5File.create(at: badPath, fileLocking: false)
        } throws: { error in
            guard case let .hdf5(call, path, _, _) = error as? RunLogError else { return false }
            return call == "H5Fcreate" && path == badPath && "\(error)".contains(badPath)
        }
        let notHDF5 = directory.file("text.h5")
        try "not an HDF5 file".write(toFile: notHDF5, atomically: true, encoding: .utf8)
        #expect(throws: RunLogError.self) { try HDF5File.open(at: notHDF5, fileLocking: false) }

        let path = directory.file("metrics.h5")
        let file = try HDF5File.create(at: path, fileLocking: false)
        try file.createTable("metrics", columns: ["a", "b"])
        #expect(throws: RunLogError.missingObject(path: path, object: "/evaluation/returns")) {
            try file.readTable("evaluation/returns")
        }
        #expect(throws: RunLogError.missingObject(path: path, object: "/metrics attribute \"algorithm\"")) {
            try file.stringAttribute("algorithm", on: "metrics")
        }
        #expect(throws: RunLogError.missingObject(path: path, object: "/nowhere")) {
            try file.setAttribute("x", to: "y", on: "nowhere")
        }
        #expect(throws: RunLogError.invalidData(path: path, detail: "row 1 has 3 values for the 2 columns of \"/metrics\"")) {
            try file.appendRows([[1, 2], [1, 2, 3]], to: "metrics")
        }
        #expect(try file.rowCount(of: "metrics") == 0, "a rejected append writes nothing")
        #expect(throws: RunLogError.invalidData(path: path, detail: "object \"/metrics\" exists already")) {
            try file.createTable("metrics", columns: ["a"])
        }
        #expect(throws: RunLogError.invalidData(path: "\(path):/t", detail: "column \"a\" appears twice")) {
            try file.createTable("t", columns: ["a", "a"])
        }
        try file.close()
        #expect(throws: RunLogError.closed(path: path)) { try file.appendRow([1, 2], to: "metrics") }

        let readOnly = try HDF5File.open(at: path, fileLocking: false)
        #expect(!readOnly.isWritable)
        #expect(throws: RunLogError.hdf5(call: "write", path: path, object: "/", message: "the file is open read-only")) {
            try readOnly.appendRow([1, 2], to: "metrics")
        }
        #expect(RunLogError.hdf5(call: "H5Fopen", path: "/x.h5", object: "/", message: "unable to open file").description
            == "HDF5 H5Fopen failed on \"/x.h5\": unable to open file")
    }
}
