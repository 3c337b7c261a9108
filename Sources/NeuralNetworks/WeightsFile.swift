import LinearAlgebra
import Tensors

/// Named tensors (and MLPs) as bytes: a little-endian binary format with a magic, a
/// version, the element type, string metadata, per-tensor names and shapes, and a
/// CRC-32 over everything. The byte layout is specified in `docs/weights-format.md`.
///
/// Encoding then decoding gives back bit-identical scalars (NaN payloads and −0 included).
public enum WeightsFile {
    /// "PBWT", the first four bytes.
    public static let magic: [UInt8] = [0x50, 0x42, 0x57, 0x54]
    /// The format version this code writes and reads.
    public static let version: UInt16 = 1
    /// Bytes before the payload: magic, version, element type, reserved, payload length.
    public static let headerLength = 16
    /// Bytes after the payload: the CRC-32.
    public static let trailerLength = 4

    /// Decoded file contents: metadata and tensors in file order.
    public struct Contents<Scalar: TensorScalar>: Sendable {
        /// String key–value metadata (keys unique).
        public var metadata: [String: String]
        /// The tensors in the order they were written.
        public var tensors: [(name: String, tensor: Tensor<Scalar>)]

        public init(metadata: [String: String] = [:], tensors: [(name: String, tensor: Tensor<Scalar>)] = []) {
            self.metadata = metadata
            self.tensors = tensors
        }

        /// The first tensor called `name`.
        public func tensor(named name: String) -> Tensor<Scalar>? { tensors.first { $0.name == name }?.tensor }
    }

    /// The bytes of `tensors` with no metadata.
    public static func encode<S: TensorScalar>(_ tensors: [(name: String, tensor: Tensor<S>)]) -> [UInt8] {
        encode(tensors, metadata: [:])
    }

    /// The bytes of `tensors` and `metadata` (written sorted by key, so the output is
    /// deterministic). Traps on names over 65 535 UTF-8 bytes, ranks over 255 or extents
    /// over 2³² − 1: those are programmer errors.
    public static func encode<S: TensorScalar>(_ tensors: [(name: String, tensor: Tensor<S>)],
                                               metadata: [String: String]) -> [UInt8] {
        var payload = ByteWriter()
        payload.u32(metadata.count, "metadata entry count")
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            payload.string(key, lengthBytes: 2, "metadata key")
            payload.string(value, lengthBytes: 4, "metadata value")
        }
        payload.u32(tensors.count, "tensor count")
        for (name, tensor) in tensors {
            payload.string(name, lengthBytes: 2, "tensor name")
            checkPrecondition(tensor.rank <= 255, "WeightsFile: tensor \"\(name)\" has rank \(tensor.rank) > 255")
            payload.bytes.append(UInt8(tensor.rank))
            for extent in tensor.shape { payload.u32(extent, "extent of tensor \"\(name)\"") }
            payload.scalars(tensor)
        }
        var out: [UInt8] = []
        out.reserveCapacity(headerLength + payload.bytes.count + trailerLength)
        var header = ByteWriter()
        header.bytes = magic
        header.uint(UInt64(version), bytes: 2)
        header.bytes.append(S.typeTag)
        header.bytes.append(0)
        header.uint(UInt64(payload.bytes.count), bytes: 8)
        out += header.bytes
        out += payload.bytes
        var trailer = ByteWriter()
        trailer.uint(UInt64(CRC32.checksum(out)), bytes: 4)
        out += trailer.bytes
        return out
    }

    /// The tensors in `bytes`, which must hold `S` elements.
    public static func decode<S: TensorScalar>(_ bytes: [UInt8], as type: S.Type) throws(WeightsFileError)
        -> [(name: String, tensor: Tensor<S>)] {
        try decodeContents(bytes, as: type).tensors
    }

    /// The metadata and tensors in `bytes`. Checks, in order: magic, version, element
    /// type, length (truncation or trailing bytes), CRC-32, then the payload's structure.
    public static func decodeContents<S: TensorScalar>(_ bytes: [UInt8], as type: S.Type) throws(WeightsFileError)
        -> Contents<S> {
        let prefix = Array(bytes.prefix(4))
        guard prefix == Array(magic.prefix(prefix.count)) else { throw .badMagic(found: prefix) }
        guard bytes.count >= headerLength else { throw .truncated(at: bytes.count, expectedLength: headerLength) }
        var header = ByteReader(bytes: bytes, start: 4, end: headerLength)
        let fileVersion = UInt16(try header.uint(2, "version"))
        guard fileVersion == version else { throw .unsupportedVersion(found: fileVersion, supported: version) }
        let tag = try header.u8("element type")
        guard tag == 1 || tag == 2 else { throw .unknownElementType(tag: tag) }
        guard tag == S.typeTag else { throw .wrongElementType(requested: S.typeTag, found: tag) }
        let reserved = try header.u8("reserved byte")
        let payloadLength = try header.uint(8, "payload length")
        let available = UInt64(bytes.count)
        guard payloadLength <= available else {
            throw .truncated(at: bytes.count, expectedLength: Int(clamping: payloadLength &+ UInt64(headerLength + trailerLength)))
        }
        let total = headerLength + Int(payloadLength) + trailerLength
        guard bytes.count >= total else { throw .truncated(at: bytes.count, expectedLength: total) }
        guard bytes.count == total else { throw .trailingBytes(expectedLength: total, actualLength: bytes.count) }
        let end = total - trailerLength
        var trailer = ByteReader(bytes: bytes, start: end, end: total)
        let stored = UInt32(try trailer.uint(4, "CRC-32"))
        let computed = CRC32.checksum(bytes[0..<end])
        guard stored == computed else { throw .crcMismatch(expected: stored, actual: computed) }
        guard reserved == 0 else { throw .inconsistent("reserved byte 7 is \(reserved), expected 0") }

        var r = ByteReader(bytes: bytes, start: headerLength, end: end)
        var contents = Contents<S>()
        let entries = try r.uint(4, "metadata entry count")
        for _ in 0..<entries {
            let key = try r.string(lengthBytes: 2, "metadata key")
            let value = try r.string(lengthBytes: 4, "metadata value for \"\(key)\"")
            guard contents.metadata.updateValue(value, forKey: key) == nil else {
                throw .inconsistent("metadata key \"\(key)\" appears twice")
            }
        }
        let count = try r.uint(4, "tensor count")
        for _ in 0..<count {
            let name = try r.string(lengthBytes: 2, "tensor name")
            let rank = Int(try r.u8("rank of tensor \"\(name)\""))
            var shape: [Int] = []
            var elements = 1
            for _ in 0..<rank {
                let extent = Int(try r.uint(4, "shape of tensor \"\(name)\""))
                shape.append(extent)
                let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
                guard !overflow else { throw .inconsistent("tensor \"\(name)\" has shape \(shape) whose element count overflows") }
                elements = product
            }
            let tensor: Tensor<S> = try r.scalars(shape: shape, count: elements, name: name)
            contents.tensors.append((name, tensor))
        }
        guard r.offset == end else {
            throw .inconsistent("\(end - r.offset) bytes remain after the last tensor (payload ends at byte \(end))")
        }
        return contents
    }
}
