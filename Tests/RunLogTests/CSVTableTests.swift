import Foundation
import Testing
@testable import RunLog

@Suite("CSVTable")
struct CSVTableTests {
    static let columns = ["epoch", "env_steps", "return_mean", "cost, \"weighted\""]

    @Test("rows are on disk after each append, before close, and values read back bit for bit")
    func writeAndReadBack() throws {
        let directory = try TemporaryDirectory("csv")
        let path = directory.file("metrics.csv")
        let rows: [[Double]] = [
            [0, 0, 0.1 + 0.2, -0.0], [1, 2048, .pi, .leastNonzeroMagnitude], [2, 4096, -.infinity, .infinity],
            [3, 6144, 1.7976931348623157e308, 1e-7], [4, 8192, .nan, 123456789012345680],
        ]
        let table = try CSVTable.create(at: path, columns: Self.columns)
        for (index, row) in rows.enumerated() {
            try table.append(row)
            // Read by another reader while the writer still holds the file open.
            let read = try CSVTable.read(at: path)
            #expect(read.isIdentical(to: try MetricsTable(columns: Self.columns, rows: Array(rows[...index]))), "\(read)")
        }
        #expect(table.rowCount == 5)
        try table.close()
        try table.close()
        #expect(throws: RunLogError.self) { try table.append([1, 2, 3, 4]) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("epoch,env_steps,return_mean,\"cost, \"\"weighted\"\"\"\n0.0,0.0,0.30000000000000004,-0.0\n"))
        #expect(text.contains("2.0,4096.0,-inf,inf\n") && text.contains("4.0,8192.0,nan,"))
        #expect(CSVTable.render(try CSVTable.read(at: path)) == text)
    }

    @Test("resume: the header must match, a row cut short is dropped, rows after a checkpoint can be dropped")
    func resume() throws {
        let directory = try TemporaryDirectory("csv")
        let path = directory.file("metrics.csv")
        do {
            let table = try CSVTable.create(at: path, columns: ["epoch", "value"])
            for epoch in 0..<4 { try table.append([Double(epoch), Double(epoch) / 3]) }
        }
        do {
            let table = try CSVTable.openForAppend(at: path, columns: ["epoch", "value"])
            #expect(table.rowCount == 4)
            try table.append([4, 4.0 / 3])
        }
        #expect(try CSVTable.read(at: path).column("epoch") == [0, 1, 2, 3, 4])

        // A crash in the middle of a row leaves a line without its newline.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("5,1.66".utf8))
        try handle.close()
        do {
            let table = try CSVTable.openForAppend(at: path, columns: ["epoch", "value"])
            #expect(table.rowCount == 5)
            try table.append([5, 5.0 / 3])
        }
        #expect(try CSVTable.read(at: path).column("value") == (0...5).map { Double($0) / 3 })

        do {
            let table = try CSVTable.openForAppend(at: path, columns: ["epoch", "value"], keepingRows: 2)
            #expect(table.rowCount == 2)
            try table.append([9, 9])
        }
        #expect(try CSVTable.read(at: path).rows == [[0, 0], [1, 1.0 / 3], [9, 9]])
        #expect(throws: RunLogError.invalidData(path: path, detail: "cannot keep 7 rows of a file with 3")) {
            try CSVTable.openForAppend(at: path, columns: ["epoch", "value"], keepingRows: 7)
        }
        #expect(throws: RunLogError.headerMismatch(path: path, expected: ["epoch", "return"], found: ["epoch", "value"])) {
            try CSVTable.openForAppend(at: path, columns: ["epoch", "return"])
        }
        #expect(try CSVTable.read(at: path).rowCount == 3, "a refused resume leaves the file alone")

        // An empty file (a crash before the header) gets the header.
        let empty = directory.file("empty.csv")
        try Data("epo".utf8).write(to: URL(fileURLWithPath: empty))
        let table = try CSVTable.openForAppend(at: empty, columns: ["epoch", "value"])
        try table.append([1, 2])
        #expect(try String(contentsOfFile: empty, encoding: .utf8) == "epoch,value\n1.0,2.0\n")
    }

    @Test("malformed files and bad rows are typed errors naming file and line")
    func errors() throws {
        let directory = try TemporaryDirectory("csv")
        let missing = directory.file("absent.csv")
        #expect {
            try CSVTable.read(at: missing)
        } throws: { error in
            guard case let .io(operation, path, code, _) = error as? RunLogError else { return false }
            return operation == "open" && path == missing && code == ENOENT
        }
        #expect(throws: RunLogError.self) { try CSVTable.openForAppend(at: missing, columns: ["a"]) }
        #expect(throws: RunLogError.self) { try CSVTable.create(at: directory.file("no/dir/m.csv"), columns: ["a"]) }
        #expect(throws: RunLogError.malformedCSV(path: "t", line: 3, detail: "\"x\" is not a number")) {
            try CSVTable.parse("a,b\n1,2\n3,x\n", source: "t")
        }
        #expect(throws: RunLogError.malformedCSV(path: "t", line: 2, detail: "3 fields, expected 2")) {
            try CSVTable.parse("a,b\n1,2,3\n", source: "t")
        }
        #expect(throws: RunLogError.malformedCSV(path: "t", line: 1, detail: "no header")) {
            try CSVTable.parse("", source: "t")
        }
        #expect(throws: RunLogError.invalidData(path: "t", detail: "column \"a\" appears twice")) {
            try CSVTable.parse("a,a\n", source: "t")
        }
        let table = try CSVTable.create(at: directory.file("m.csv"), columns: ["a", "b"])
        #expect(throws: RunLogError.invalidData(path: directory.file("m.csv"), detail: "row has 1 values for 2 columns")) {
            try table.append([1])
        }
        // Lenient where pandas is: CRLF line ends, blank lines, empty fields (NaN), no final newline.
        let parsed = try CSVTable.parse("a,b\r\n1, 2\r\n\r\n,4\r\n5,6", source: "t")
        #expect(parsed.isIdentical(to: try MetricsTable(columns: ["a", "b"], rows: [[1, 2], [.nan, 4], [5, 6]])))
    }
}
