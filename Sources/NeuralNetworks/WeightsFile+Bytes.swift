import LinearAlgebra
import Tensors

/// Appends little-endian fields to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    /// The low `count` bytes of `value`, least significant first.
    mutating func uint(_ value: UInt64, bytes count: Int) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    /// A 32-bit unsigned count; traps if `value` does not fit.
    mutating func u32(_ value: Int, _ what: String) {
        checkPrecondition(value >= 0 && value <= Int(UInt32.max), "WeightsFile: \(what) \(value) does not fit in 32 bits")
        uint(UInt64(value), bytes: 4)
    }

    /// A length-prefixed UTF-8 string, the length taking `lengthBytes` bytes.
    mutating func string(_ s: String, lengthBytes: Int, _ what: String) {
        let utf8 = Array(s.utf8)
        let limit = (UInt64(1) << (8 * UInt64(lengthBytes))) - 1
        checkPrecondition(UInt64(utf8.count) <= limit, "WeightsFile: \(what) of \(utf8.count) bytes exceeds \(limit)")
        uint(UInt64(utf8.count), bytes: lengthBytes)
        bytes += utf8
    }

    /// The scalars of `tensor` as little-endian IEEE 754.
    mutating func scalars<S: TensorScalar>(_ tensor: Tensor<S>) {
        tensor.withUnsafeScalars { p in
            #if _endian(little)
            bytes += UnsafeRawBufferPointer(p)
            #else
            let size = MemoryLayout<S>.size
            for v in p { withUnsafeBytes(of: v) { raw in for i in (0..<size).reversed() { bytes.append(raw[i]) } } }
            #endif
        }
    }
}

/// Reads little-endian fields from a range of a byte array, throwing `inconsistent`
/// when a field runs past the end of its range.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        self.offset = start
        self.end = end
    }

    private mutating func need(_ n: Int, _ what: String) throws(WeightsFileError) {
        guard n >= 0, n <= end - offset else {
            throw .inconsistent("\(what) needs \(n) bytes at byte \(offset) but the payload ends at byte \(end)")
        }
    }

    mutating func uint(_ count: Int, _ what: String) throws(WeightsFileError) -> UInt64 {
        try need(count, what)
        var v: UInt64 = 0
        for i in 0..<count { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += count
        return v
    }

    mutating func u8(_ what: String) throws(WeightsFileError) -> UInt8 { UInt8(try uint(1, what)) }

    mutating func string(lengthBytes: Int, _ what: String) throws(WeightsFileError) -> String {
        let n = Int(try uint(lengthBytes, "length of \(what)"))
        try need(n, what)
        let start = offset
        offset += n
        guard let s = String(validating: bytes[start..<(start + n)], as: UTF8.self) else {
            throw .invalidUTF8(what: what, offset: start)
        }
        return s
    }

    mutating func scalars<S: TensorScalar>(shape: [Int], count: Int, name: String) throws(WeightsFileError) -> Tensor<S> {
        let size = MemoryLayout<S>.size
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else { throw .inconsistent("tensor \"\(name)\" of shape \(shape) is too large") }
        try need(byteCount, "data of tensor \"\(name)\" (shape \(shape))")
        let start = offset
        offset += byteCount
        return bytes.withUnsafeBytes { raw in
            let source = UnsafeRawBufferPointer(rebasing: raw[start..<(start + byteCount)])
            return Tensor(shape: shape) { out in
                #if _endian(little)
                UnsafeMutableRawBufferPointer(out).copyMemory(from: source)
                #else
                let dest = UnsafeMutableRawBufferPointer(out)
                for e in 0..<count { for i in 0..<size { dest[e * size + i] = source[e * size + size - 1 - i] } }
                #endif
            }
        }
    }
}
