#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A CSV file of metrics written one row at a time: a header of column names, then one line
/// of numbers per row.
///
/// Each row goes to the file in a single `write(2)` as soon as it is appended, so a process
/// that dies loses no appended row (`synchronize()` also survives power loss). Numbers are
/// written as Swift prints them (the shortest text that reads back to the same `Double`;
/// `nan`, `inf`, `-inf` for the others), which pandas' `read_csv` understands.
/// `read(at:)` and `parse(_:source:)` (in CSVTable+Reading.swift) read a file back.
public final class CSVTable {
    /// The path of the file.
    public let path: String
    /// The column names of the header.
    public let columns: [String]
    /// The number of data rows in the file.
    public private(set) var rowCount: Int
    /// The open descriptor, or -1 once closed.
    private var fd: Int32

    private init(path: String, columns: [String], rowCount: Int, fd: Int32) {
        self.path = path
        self.columns = columns
        self.rowCount = rowCount
        self.fd = fd
    }

    deinit { if fd >= 0 { FileIO.closeDescriptor(fd) } }

    /// Creates the file at `path` (replacing any file there) and writes the header.
    public static func create(at path: String, columns: [String]) throws(RunLogError) -> CSVTable {
        try MetricsTable.validate(columns: columns, source: path)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIO.error("create", path) }
        let table = CSVTable(path: path, columns: columns, rowCount: 0, fd: fd)
        try table.writeLine(columns.map(quoted))
        return table
    }

    /// Opens the existing file at `path` to append rows after the ones it has, when resuming a run.
    ///
    /// The header must be `columns` (`.headerMismatch` otherwise; an empty file gets the header).
    /// A last line without its newline — a row cut short by a crash — is removed. With
    /// `keepingRows`, only the first `keepingRows` data rows are kept (to resume from a checkpoint
    /// older than the last row); `.invalidData` if the file has fewer.
    public static func openForAppend(at path: String, columns: [String], keepingRows: Int? = nil) throws(RunLogError) -> CSVTable {
        try MetricsTable.validate(columns: columns, source: path)
        let bytes = try FileIO.readBytes(path)
        let lines = CSVRecords.parse(bytes).filter(\.terminated)
        var keepBytes = 0, rowCount = 0
        if let header = lines.first {
            guard header.fields == columns else {
                throw .headerMismatch(path: path, expected: columns, found: header.fields)
            }
            let rows = lines.dropFirst()
            for (index, record) in rows.enumerated() {
                _ = try numbers(record.fields, width: columns.count, path: path, line: index + 2)
            }
            let kept = keepingRows ?? rows.count
            guard kept >= 0, kept <= rows.count else {
                throw .invalidData(path: path, detail: "cannot keep \(kept) rows of a file with \(rows.count)")
            }
            keepBytes = kept == 0 ? header.end : rows[rows.startIndex + kept - 1].end
            rowCount = kept
        } else {
            // No complete line: an empty file, or a header cut short, which must be a start of ours.
            let expected = Array((columns.map(quoted).joined(separator: ",") + "\n").utf8)
            guard bytes.count < expected.count, Array(expected.prefix(bytes.count)) == bytes else {
                throw .headerMismatch(path: path, expected: columns, found: CSVRecords.parse(bytes).first?.fields ?? [])
            }
            guard (keepingRows ?? 0) == 0 else {
                throw .invalidData(path: path, detail: "cannot keep \(keepingRows ?? 0) rows of a file with 0")
            }
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw FileIO.error("open", path) }
        let table = CSVTable(path: path, columns: columns, rowCount: rowCount, fd: fd)
        if keepBytes < bytes.count, ftruncate(fd, off_t(keepBytes)) != 0 { throw FileIO.error("truncate", path) }
        if keepBytes == 0 { try table.writeLine(columns.map(quoted)) }
        return table
    }

    /// Appends one row (one value per column) and hands it to the operating system at once.
    public func append(_ row: [Double]) throws(RunLogError) {
        guard row.count == columns.count else {
            throw .invalidData(path: path, detail: "row has \(row.count) values for \(columns.count) columns")
        }
        try writeLine(row.map(Self.format))
        rowCount += 1
    }

    /// Forces the rows written so far to stable storage (`fsync`).
    public func synchronize() throws(RunLogError) {
        guard fd >= 0 else { throw .io(operation: "sync", path: path, errno: EBADF, message: "the CSV file is closed") }
        guard fsync(fd) == 0 else { throw FileIO.error("sync", path) }
    }

    /// Closes the file. Later calls do nothing; appending after it throws.
    public func close() throws(RunLogError) {
        guard fd >= 0 else { return }
        let status = FileIO.closeDescriptor(fd)
        fd = -1
        guard status == 0 else { throw FileIO.error("close", path) }
    }

    private func writeLine(_ fields: [String]) throws(RunLogError) {
        guard fd >= 0 else { throw .io(operation: "write", path: path, errno: EBADF, message: "the CSV file is closed") }
        try FileIO.writeAll(Array((fields.joined(separator: ",") + "\n").utf8), to: fd, path: path)
    }
}
