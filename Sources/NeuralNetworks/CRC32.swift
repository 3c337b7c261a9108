/// CRC-32/IEEE (ISO-HDLC, as in zlib, PNG and Ethernet): reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF. The check value of the ASCII
/// bytes "123456789" is 0xCBF43926.
public struct CRC32: Sendable {
    /// The running register (before the final XOR).
    private var register: UInt32 = 0xFFFF_FFFF

    public init() {}

    /// The 256-entry table of the byte-at-a-time algorithm.
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// Feeds `bytes` into the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = register
        Self.table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        register = c
    }

    /// Feeds `bytes` into the checksum.
    public mutating func update<C: Collection<UInt8>>(_ bytes: C) {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        Array(bytes).withUnsafeBytes { update($0) }
    }

    /// The checksum of everything fed so far.
    public var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// The checksum of `bytes`.
    public static func checksum<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
