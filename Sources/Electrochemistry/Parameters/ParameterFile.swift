#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing parameter files with the C library (no Foundation), with errors that name the path.
public enum ParameterFile {
    /// Reads the whole file at `path` as bytes.
    public static func readBytes(path: String) throws(ParameterError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count {
                if ferror(file) != 0 { throw .unreadableFile(path: path, reason: "read error") }
                break
            }
        }
        return bytes
    }

    /// Reads and parses the JSON file at `path`; a syntax error reports the path and byte offset.
    public static func readJSON(path: String) throws(ParameterError) -> JSONValue {
        let bytes = try readBytes(path: path)
        return try parseJSON(bytes, source: path)
    }

    /// Parses JSON `bytes`, naming `source` in any error.
    public static func parseJSON(_ bytes: [UInt8], source: String) throws(ParameterError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .invalidJSON(source: source, offset: error.offset, reason: error.reason)
        }
    }

    /// Writes `text` to the file at `path`, replacing it.
    public static func write(_ text: String, path: String) throws(ParameterError) {
        guard let file = fopen(path, "wb") else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        if written != bytes.count || closed != 0 {
            throw .unreadableFile(path: path, reason: "write failed")
        }
    }
}
