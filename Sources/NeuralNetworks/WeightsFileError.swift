/// Why bytes or a file could not be read as weights (or written).
///
/// Every case names the offending value; `description` is a sentence a CLI can print.
public enum WeightsFileError: Error, Equatable, CustomStringConvertible {
    /// The first four bytes are not "PBWT".
    case badMagic(found: [UInt8])
    /// The format version is not one this reader understands.
    case unsupportedVersion(found: UInt16, supported: UInt16)
    /// The element-type tag is neither 1 (Float32) nor 2 (Float64).
    case unknownElementType(tag: UInt8)
    /// The file holds another element type than the one requested.
    case wrongElementType(requested: UInt8, found: UInt8)
    /// The bytes end at `at` but `expectedLength` are needed (header, or as the header declares).
    case truncated(at: Int, expectedLength: Int)
    /// More bytes follow the checksum than the header declares.
    case trailingBytes(expectedLength: Int, actualLength: Int)
    /// The stored CRC-32 (`expected`) differs from the one computed over the bytes (`actual`).
    case crcMismatch(expected: UInt32, actual: UInt32)
    /// The payload passed its checksum but its counts, lengths or shapes contradict each other.
    case inconsistent(String)
    /// A name, metadata key or value is not valid UTF-8.
    case invalidUTF8(what: String, offset: Int)
    /// A metadata key needed to rebuild a model is absent.
    case missingMetadata(key: String)
    /// A metadata value cannot be parsed.
    case invalidMetadata(key: String, value: String)
    /// A tensor needed to rebuild a model is absent.
    case missingTensor(name: String)
    /// A tensor has another shape than the model's metadata implies.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A file operation failed: `operation` on `path` with the C `errno` and its message.
    case io(operation: String, path: String, errno: Int32, message: String)

    /// The name of an element-type tag.
    static func typeName(_ tag: UInt8) -> String {
        switch tag {
        case 1: "Float32"
        case 2: "Float64"
        default: "unknown type \(tag)"
        }
    }

    public var description: String {
        switch self {
        case .badMagic(let found):
            let hex = found.map { b in String(b, radix: 16, uppercase: true).leftPadded(2) }.joined(separator: " ")
            return "not a PulseBMS weights file: bad magic [\(hex)], expected \"PBWT\" [50 42 57 54]"
        case .unsupportedVersion(let found, let supported):
            return "unsupported weights file version \(found) (this reader supports version \(supported))"
        case .unknownElementType(let tag):
            return "unknown element type tag \(tag) (expected 1 for Float32 or 2 for Float64)"
        case .wrongElementType(let requested, let found):
            return "wrong element type: the file holds \(Self.typeName(found)) but \(Self.typeName(requested)) was requested"
        case .truncated(let at, let expectedLength):
            return "weights file truncated at byte \(at): expected \(expectedLength) bytes"
        case .trailingBytes(let expectedLength, let actualLength):
            return "weights file has \(actualLength - expectedLength) trailing bytes: expected \(expectedLength) bytes, got \(actualLength)"
        case .crcMismatch(let expected, let actual):
            return "weights file corrupt: CRC-32 mismatch (stored 0x\(Self.hex(expected)), computed 0x\(Self.hex(actual)))"
        case .inconsistent(let detail):
            return "weights file inconsistent: \(detail)"
        case .invalidUTF8(let what, let offset):
            return "weights file: \(what) at byte \(offset) is not valid UTF-8"
        case .missingMetadata(let key):
            return "weights file: missing metadata key \"\(key)\""
        case .invalidMetadata(let key, let value):
            return "weights file: invalid metadata \"\(key)\" = \"\(value)\""
        case .missingTensor(let name):
            return "weights file: missing tensor \"\(name)\""
        case .shapeMismatch(let name, let expected, let found):
            return "weights file: tensor \"\(name)\" has shape \(found), expected \(expected)"
        case .io(let operation, let path, let errno, let message):
            return "cannot \(operation) \"\(path)\": \(message) (errno \(errno))"
        }
    }

    static func hex(_ v: UInt32) -> String { String(v, radix: 16, uppercase: true).leftPadded(8) }
}

extension String {
    /// The string padded with leading zeros to `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
