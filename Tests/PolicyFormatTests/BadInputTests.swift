import EdgeRuntime
import NeuralNetworks
@testable import PolicyFormat
import SeededRandom
import Testing

/// Damaged files through both readers (the Swift `PolicyFile.decode` and the C runtime via `EdgePolicy`):
/// each refuses with a typed error or status, never traps, and whatever Swift accepts C accepts too (the
/// Swift reader is the stricter: it also checks the int8 multipliers against the scales).
@Suite struct PolicyFormatBadInputTests {
    /// (Swift accepted, C accepted) for `bytes`.
    func readBoth(_ bytes: [UInt8]) -> (swift: Bool, c: Bool) {
        let swift = (try? PolicyFile.decode(bytes)) != nil
        let c = (try? EdgePolicy(bytes: bytes)) != nil
        return (swift, c)
    }

    static func withCRC(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        let crc = CRC32.checksum(b[0..<(b.count - 4)])
        for k in 0..<4 { b[b.count - 4 + k] = UInt8((crc >> (8 * UInt32(k))) & 0xFF) }
        return b
    }

    @Test(arguments: [Precision.f32, .int8])
    func everyTruncationIsRefused(_ precision: Precision) throws {
        let valid = try sampleFile(precision: precision)
        for n in 0..<valid.count {
            let r = readBoth(Array(valid[0..<n]))
            #expect(!r.swift && !r.c, "truncated at \(n)")
        }
        #expect(throws: PolicyFormatError.truncated(length: 20, needed: 32)) { try PolicyFile.decode(Array(valid[0..<20])) }
        #expect(throws: PolicyFormatError.truncated(length: 100, needed: valid.count)) { try PolicyFile.decode(Array(valid[0..<100])) }
    }

    @Test(arguments: [Precision.f32, .int8])
    func everyBitFlipOfHeaderAndTableIsRefused(_ precision: Precision) throws {
        let valid = try sampleFile(precision: precision)
        let tableEnd = 32 + 16 * Int(valid[12])
        for i in 0..<tableEnd {
            for bit in 0..<8 {
                var b = valid
                b[i] ^= 1 << bit
                let r = readBoth(b)
                #expect(!r.swift && !r.c, "bit \(bit) of byte \(i)")
            }
        }
    }

    @Test func headerDamageGetsItsOwnStatus() throws {
        let valid = try sampleFile(precision: .f32)
        var b = valid
        b[0] = 0x51
        #expect(throws: PolicyFormatError.badMagic(found: [0x51, 0x42, 0x50, 0x46])) { try PolicyFile.decode(b) }
        #expect(throws: PolicyFormatError.runtime(status: Int(PE_ERR_BAD_MAGIC.rawValue), message: "not a policy file (bad magic)")) {
            try EdgePolicy(bytes: b)
        }
        b = valid
        b[4] = 2
        #expect(throws: PolicyFormatError.unsupportedVersion(found: 2, supported: 1)) { try PolicyFile.decode(b) }
        #expect(throws: PolicyFormatError.runtime(status: Int(PE_ERR_UNSUPPORTED_VERSION.rawValue), message: "unsupported format version")) {
            try EdgePolicy(bytes: b)
        }
        b = valid
        b[200] ^= 0x10
        #expect(throws: PolicyFormatError.self) { try PolicyFile.decode(b) }
        #expect(throws: PolicyFormatError.runtime(status: Int(PE_ERR_CHECKSUM.rawValue), message: "CRC-32 mismatch (the file is damaged)")) {
            try EdgePolicy(bytes: b)
        }
        #expect(throws: PolicyFormatError.self) { try EdgePolicy(bytes: valid + [0]) }
    }

    /// Every 32-bit word set to huge or special values with the CRC recomputed, so that the checksum cannot
    /// hide them: counts, dimensions, offsets and parameters are judged on their own.
    @Test(arguments: [Precision.f32, .int8])
    func absurdValuesWithValidCRCAreRefused(_ precision: Precision) throws {
        let valid = try sampleFile(precision: precision)
        let values: [UInt32] = [0, 4097, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x7FC0_0000, 0x7F80_0000]
        var swiftOnly = 0
        for position in stride(from: 0, to: valid.count - 4, by: 4) {
            for v in values {
                var b = valid
                for k in 0..<4 { b[position + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
                let r = readBoth(Self.withCRC(b))
                #expect(!r.swift || r.c, "Swift accepted what C refused: word \(position) = \(v)")
                if r.swift != r.c { swiftOnly += 1 }
            }
        }
        // The dimension words of the layers section, specifically: huge widths are refused by both.
        let layout = try PolicyFileLayout(bytes: valid)
        let layers = layout.sections.first { $0.type == SectionType.layers.rawValue }!
        for word in [0, 8, 12, 24, 28] {  // layer count, layer 0 in/out, layer 1 in/out
            var b = valid
            for k in 0..<4 { b[layers.offset + word + k] = [0x00, 0x00, 0x01, 0x00][k] }  // 65 536
            let r = readBoth(Self.withCRC(b))
            #expect(!r.swift && !r.c, "layer word \(word) = 65536")
        }
    }

    /// Seeded random multi-byte mutations, half with the CRC recomputed.
    @Test(arguments: [Precision.f32, .int8])
    func randomMutationsNeverTrap(_ precision: Precision) throws {
        let valid = try sampleFile(precision: precision)
        var rng = Xoshiro256StarStar(seed: precision == .f32 ? 101 : 202)
        var accepted = 0
        for k in 0..<3000 {
            var b = valid
            for _ in 0...(Int(rng.next() % 6)) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            if k % 2 == 1 { b = Self.withCRC(b) }
            let r = readBoth(b)
            #expect(!r.swift || r.c)
            if r.c {
                accepted += 1
                let policy = try EdgePolicy(bytes: b)
                do {
                    let a = try policy.infer([Float](repeating: 0.5, count: policy.inputCount))
                    #expect(a.allSatisfy { $0.isFinite })
                } catch let error {
                    #expect(error == .runtime(status: Int(PE_ERR_NONFINITE_OUTPUT.rawValue), message: "the network produced a non-finite action"))
                }
            }
        }
        #expect(accepted < 3000)
    }
}
