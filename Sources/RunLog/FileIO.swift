#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Small POSIX file helpers with typed errors, shared by the CSV writer and the run directory.
enum FileIO {
    /// The error for a failed `operation` on `path`, from the current `errno`.
    static func error(_ operation: String, _ path: String) -> RunLogError {
        let code = errno
        return .io(operation: operation, path: path, errno: code, message: String(cString: strerror(code)))
    }

    /// Closes the descriptor `fd`; the result of `close(2)`.
    @discardableResult
    static func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }

    /// Writes all of `bytes` to the descriptor `fd`, retrying short writes and `EINTR`.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(RunLogError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            offset += n
        }
    }

    /// Writes `bytes` to `path` atomically: to a temporary file beside it first, synced,
    /// then renamed over `path`, so a reader or a crash never sees a half-written file.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(RunLogError) {
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw error("create", temporary) }
        do throws(RunLogError) {
            try writeAll(bytes, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw error("sync", temporary) }
        } catch {
            close(fd); unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let failure = error("close", temporary)
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let failure = error("rename \"\(temporary)\" to", path)
            unlink(temporary)
            throw failure
        }
    }

    /// The whole contents of the file at `path`.
    static func readBytes(_ path: String) throws(RunLogError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error("open", path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error("read", path)
            }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// The contents of the file at `path` as UTF-8 text.
    static func readText(_ path: String) throws(RunLogError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidContents(path: path, detail: "not valid UTF-8 text")
        }
        return text
    }

    /// Whether something exists at `path`, and whether it is a directory.
    static func exists(_ path: String) -> (exists: Bool, isDirectory: Bool) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        return (exists, isDirectory.boolValue)
    }

    /// Creates the directory at `path` and its missing parents.
    static func createDirectory(_ path: String) throws(RunLogError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "create directory", path: path, errno: errnoOf(error), message: "\(error.localizedDescription)")
        }
    }

    /// The names in the directory at `path`.
    static func contents(_ path: String) throws(RunLogError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .io(operation: "list directory", path: path, errno: errnoOf(error), message: "\(error.localizedDescription)")
        }
    }

    /// The POSIX error code inside a Foundation error, or 0.
    private static func errnoOf(_ error: any Error) -> Int32 {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return ns.domain == NSPOSIXErrorDomain ? Int32(ns.code) : 0
    }

    /// `path` made absolute against the current directory, with `.` and `..` resolved.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The path that leads from the directory `base` to `target` (both made absolute), e.g. "../runs/a/metrics.h5".
    static func relativePath(from base: String, to target: String) -> String {
        let from = absolute(base).split(separator: "/").map(String.init)
        let to = absolute(target).split(separator: "/").map(String.init)
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let parts = Array(repeating: "..", count: from.count - common) + to[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
