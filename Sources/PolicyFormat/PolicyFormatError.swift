/// What is wrong with `.pbp` bytes or with a model to export; each case names the offending value.
public enum PolicyFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(length: Int, needed: Int)
    case badMagic(found: [UInt8])
    case unsupportedVersion(found: UInt16, supported: UInt16)
    case badHeader(String)
    case checksumMismatch(stored: UInt32, computed: UInt32)
    case badSectionTable(String)
    case unknownRequiredSection(type: UInt16)
    case missingSection(String)
    case badSectionLength(section: String, detail: String)
    case badDimension(String)
    case badValue(String)
    case badQuantisation(String)
    case arenaMismatch(header: Int, required: Int)
    case badMetadata(String)
    /// The model cannot be expressed in the format (an activation the runtime lacks, sizes over the limits).
    case unsupportedModel(String)
    /// The C runtime refused the bytes: its status code and message.
    case runtime(status: Int, message: String)
    /// A safety-monitor or fallback-guard config the C runtime refuses (names the setting and the status).
    case invalidRuntimeConfig(String)

    public var description: String {
        switch self {
        case let .truncated(length, needed): "truncated policy file: \(length) bytes, at least \(needed) needed"
        case let .badMagic(found): "not a .pbp policy file: starts with \(found.map { String($0, radix: 16) }), expected 50 42 50 46 (\"PBPF\")"
        case let .unsupportedVersion(found, supported): "policy format version \(found) is not supported (this build reads \(supported))"
        case let .badHeader(detail): "bad policy header: \(detail)"
        case let .checksumMismatch(stored, computed):
            "policy file damaged: CRC-32 stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))"
        case let .badSectionTable(detail): "bad section table: \(detail)"
        case let .unknownRequiredSection(type): "required section of unknown type \(type): a newer format, refused"
        case let .missingSection(name): "the mandatory \(name) section is missing"
        case let .badSectionLength(section, detail): "\(section) section: \(detail)"
        case let .badDimension(detail): "bad dimension: \(detail)"
        case let .badValue(detail): "bad value: \(detail)"
        case let .badQuantisation(detail): "bad int8 quantisation: \(detail)"
        case let .arenaMismatch(header, required): "the header asks for a \(header)-byte arena, the layers need \(required)"
        case let .badMetadata(detail): "bad metadata JSON: \(detail)"
        case let .unsupportedModel(detail): "cannot export: \(detail)"
        case let .runtime(status, message): "edge runtime refused the policy: \(message) (status \(status))"
        case let .invalidRuntimeConfig(detail): "edge runtime config refused: \(detail)"
        }
    }
}

/// Little-endian appends.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    mutating func u32(_ v: UInt32) { for k in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
    mutating func u32(_ v: Int) { u32(UInt32(v)) }
    mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f32s(_ v: [Float]) { for x in v { f32(x) } }
    mutating func i32s(_ v: [Int32]) { for x in v { i32(x) } }
    mutating func i8s(_ v: [Int8]) { for x in v { bytes.append(UInt8(bitPattern: x)) } }
    mutating func pad4() { while bytes.count % 4 != 0 { bytes.append(0) } }
}

/// Little-endian reads within one section, throwing `badSectionLength` when it runs out.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    let section: String

    init(_ bytes: [UInt8], start: Int, end: Int, section: String) {
        self.bytes = bytes
        position = start
        self.end = end
        self.section = section
    }

    var remaining: Int { end - position }

    mutating func take(_ n: Int, _ what: String) throws(PolicyFormatError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else {
            throw .badSectionLength(section: section, detail: "\(what) needs \(n) bytes, \(remaining) remain")
        }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    mutating func u32(_ what: String) throws(PolicyFormatError) -> UInt32 {
        let s = try take(4, what)
        return s.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u16(_ what: String) throws(PolicyFormatError) -> UInt16 {
        let s = try take(2, what)
        return UInt16(s[s.startIndex]) | UInt16(s[s.startIndex + 1]) << 8
    }

    mutating func i32(_ what: String) throws(PolicyFormatError) -> Int32 { Int32(bitPattern: try u32(what)) }
    mutating func f32(_ what: String) throws(PolicyFormatError) -> Float { Float(bitPattern: try u32(what)) }

    mutating func array<T>(_ count: Int, _ what: String, _ read: (inout ByteReader) throws(PolicyFormatError) -> T)
        throws(PolicyFormatError) -> [T] {
        guard count <= remaining / 4 + 1 else {
            throw .badSectionLength(section: section, detail: "\(count) \(what) do not fit in \(remaining) bytes")
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try read(&self)) }
        return out
    }

    mutating func f32s(_ count: Int, _ what: String) throws(PolicyFormatError) -> [Float] {
        try array(count, what) { (r: inout ByteReader) throws(PolicyFormatError) in try r.f32(what) }
    }

    mutating func i32s(_ count: Int, _ what: String) throws(PolicyFormatError) -> [Int32] {
        try array(count, what) { (r: inout ByteReader) throws(PolicyFormatError) in try r.i32(what) }
    }

    mutating func i8s(_ count: Int, _ what: String) throws(PolicyFormatError) -> [Int8] {
        try take(count, what).map { Int8(bitPattern: $0) }
    }
}
