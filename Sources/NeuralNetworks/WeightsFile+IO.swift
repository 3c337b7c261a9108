#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

/// Reading and writing weights files through the C library (no Foundation).
extension WeightsFile {
    /// Writes `bytes` to `path` atomically: to `path.tmp-<pid>` first, flushed and synced,
    /// then renamed over `path`, so a crash never leaves a half-written checkpoint.
    public static func writeBytes(_ bytes: [UInt8], to path: String) throws(WeightsFileError) {
        let temporary = "\(path).tmp-\(getpid())"
        guard let file = fopen(temporary, "wb") else { throw ioError("create", temporary) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != bytes.count {
            let error = ioError("write", temporary)
            fclose(file); remove(temporary)
            throw error
        }
        if fflush(file) != 0 || fsync(fileno(file)) != 0 {
            let error = ioError("flush", temporary)
            fclose(file); remove(temporary)
            throw error
        }
        if fclose(file) != 0 {
            let error = ioError("close", temporary)
            remove(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let error = ioError("rename \"\(temporary)\" to", path)
            remove(temporary)
            throw error
        }
    }

    /// The whole contents of the file at `path`.
    public static func readBytes(from path: String) throws(WeightsFileError) -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw ioError("open", path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes += chunk[0..<n]
            if n < chunk.count {
                if ferror(file) != 0 { throw ioError("read", path) }
                break
            }
        }
        return bytes
    }

    /// Writes named tensors and metadata to `path`.
    public static func write<S: TensorScalar>(_ tensors: [(name: String, tensor: Tensor<S>)],
                                              metadata: [String: String] = [:], to path: String) throws(WeightsFileError) {
        try writeBytes(encode(tensors, metadata: metadata), to: path)
    }

    /// Reads the metadata and tensors of the file at `path`, which must hold `S` elements.
    public static func read<S: TensorScalar>(from path: String, as type: S.Type) throws(WeightsFileError) -> Contents<S> {
        try decodeContents(readBytes(from: path), as: type)
    }

    /// Writes one MLP, saved under `name`, to `path`.
    public static func write<S: TensorScalar>(_ mlp: MLP<S>, name: String = "mlp", to path: String) throws(WeightsFileError) {
        try writeBytes(encode(mlp, name: name), to: path)
    }

    /// Reads the MLP saved under `name` from the file at `path`.
    public static func readMLP<S: TensorScalar>(from path: String, as type: S.Type, name: String = "mlp") throws(WeightsFileError) -> MLP<S> {
        try read(from: path, as: type).mlp(named: name)
    }

    /// An `io` error for the current `errno`.
    static func ioError(_ operation: String, _ path: String) -> WeightsFileError {
        let code = errno
        let message = strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return .io(operation: operation, path: path, errno: code, message: message)
    }
}
