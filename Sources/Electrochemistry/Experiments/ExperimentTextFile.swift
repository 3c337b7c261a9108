#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads small text files (experiments, CSV profiles and signals) with the C library, without Foundation.
public enum ExperimentTextFile {
    /// The whole file at `path` as UTF-8 text, without a leading byte-order mark.
    ///
    /// - Throws: ``ExperimentError/unreadableFile(path:reason:)`` with the system's reason.
    public static func read(path: String) throws(ExperimentError) -> String {
        guard let file = fopen(path, "rb") else {
            throw .unreadableFile(path: path, reason: Self.systemReason())
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                fread(buffer.baseAddress, 1, buffer.count, file)
            }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count {
                if ferror(file) != 0 {
                    throw .unreadableFile(path: path, reason: Self.systemReason())
                }
                break
            }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableFile(path: path, reason: "the file is not valid UTF-8 text")
        }
        return text
    }

    private static func systemReason() -> String {
        let code = errno
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }

    /// Splits text into lines numbered from 1, with LF, CRLF or CR line ends.
    public static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        var lines: [(number: Int, text: Substring)] = []
        var number = 0
        // "\r\n" is a single Character in Swift, so split on any newline character.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }) {
            number += 1
            lines.append((number, line))
        }
        return lines
    }
}
