/// Why a run-log file or directory could not be written or read.
///
/// Every case names the file it is about; `description` is a sentence a CLI can print.
public enum RunLogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A libhdf5 call (`call`, e.g. "H5Fopen") failed on the file at `path`, for the object
    /// `object` inside it ("/" for the file itself), with HDF5's most specific message.
    case hdf5(call: String, path: String, object: String, message: String)
    /// A group, dataset or attribute `object` does not exist in the HDF5 file at `path`.
    case missingObject(path: String, object: String)
    /// The HDF5 file at `path` was used after `close()`.
    case closed(path: String)
    /// Data of the wrong shape or kind: a row of the wrong length, a dataset that is not 2-D,
    /// columns that do not match, a value that is not a number.
    case invalidData(path: String, detail: String)
    /// The CSV file at `path` has another header than the one expected.
    case headerMismatch(path: String, expected: [String], found: [String])
    /// The CSV text of `path` cannot be parsed at line `line` (1-based).
    case malformedCSV(path: String, line: Int, detail: String)
    /// A file operation failed: `operation` on `path` with the C `errno` and its message.
    case io(operation: String, path: String, errno: Int32, message: String)
    /// A new run directory was asked for at `path`, but something is already there.
    case runDirectoryNotEmpty(path: String)
    /// The run directory at `path` lacks the files or folders `missing` (names inside it).
    case runDirectoryIncomplete(path: String, missing: [String])
    /// A JSON or text file at `path` does not hold what was expected.
    case invalidContents(path: String, detail: String)

    public var description: String {
        switch self {
        case let .hdf5(call, path, object, message):
            let what = object == "/" ? "" : " (object \"\(object)\")"
            let why = message.isEmpty ? "" : ": \(message)"
            return "HDF5 \(call) failed on \"\(path)\"\(what)\(why)"
        case let .missingObject(path, object):
            return "HDF5 file \"\(path)\" has no object \"\(object)\""
        case let .closed(path):
            return "HDF5 file \"\(path)\" is closed"
        case let .invalidData(path, detail):
            return "invalid data for \"\(path)\": \(detail)"
        case let .headerMismatch(path, expected, found):
            return "CSV file \"\(path)\" has header \(found.joined(separator: ",")), expected \(expected.joined(separator: ","))"
        case let .malformedCSV(path, line, detail):
            return "CSV file \"\(path)\" line \(line): \(detail)"
        case let .io(operation, path, errno, message):
            return "cannot \(operation) \"\(path)\": \(message) (errno \(errno))"
        case let .runDirectoryNotEmpty(path):
            return "run directory \"\(path)\" already exists and is not empty (resume it, or choose another directory)"
        case let .runDirectoryIncomplete(path, missing):
            return "run directory \"\(path)\" is missing \(missing.joined(separator: ", "))"
        case let .invalidContents(path, detail):
            return "\"\(path)\": \(detail)"
        }
    }
}
