#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import NeuralNetworks
import SeededRandom
import Tensors

@Suite struct WeightsFileTests {
    @Test func crc32CheckValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        var incremental = CRC32()
        incremental.update(Array("12345".utf8))
        incremental.update(Array("6789".utf8))
        #expect(incremental.value == 0xCBF4_3926)
    }

    func sample<S: TensorScalar>(_ type: S.Type) -> [(name: String, tensor: Tensor<S>)] {
        [("layers.0.weight", Tensor<S>(shape: [2, 3], scalars: [1, -0.0, .infinity, -.infinity, .nan,
                                                                  .leastNonzeroMagnitude])),
         ("π/μ — bias ✓", Tensor<S>([S.greatestFiniteMagnitude, -S.ulpOfOne, 1 / 3])),
         ("scalar", Tensor<S>(S(42.5))),
         ("empty", Tensor<S>.zeros([0, 4])),
         ("", Tensor<S>.zeros([1, 1, 1]))]
    }

    /// Same names, shapes and bit patterns (NaN, −0, ∞, subnormals included).
    func expectBitEqual<S: TensorScalar>(_ a: [(name: String, tensor: Tensor<S>)], _ b: [(name: String, tensor: Tensor<S>)]) {
        #expect(a.map(\.name) == b.map(\.name))
        #expect(a.map(\.tensor.shape) == b.map(\.tensor.shape))
        for (x, y) in zip(a, b) {
            #expect(zip(x.tensor.scalars, y.tensor.scalars).allSatisfy { bits($0) == bits($1) }, "tensor \(x.name)")
        }
    }

    func bits<S: TensorScalar>(_ v: S) -> [UInt8] { withUnsafeBytes(of: v) { Array($0) } }

    @Test func exactRoundTripFloatAndDouble() throws {
        let f = sample(Float.self), d = sample(Double.self)
        let fb = WeightsFile.encode(f), db = WeightsFile.encode(d)
        #expect(fb[6] == 1 && db[6] == 2)
        expectBitEqual(try WeightsFile.decode(fb, as: Float.self), f)
        expectBitEqual(try WeightsFile.decode(db, as: Double.self), d)
        // Deterministic bytes, metadata included.
        let meta = ["b": "2", "a": "ünïcode"]
        #expect(WeightsFile.encode(f, metadata: meta) == WeightsFile.encode(f, metadata: meta))
        #expect(try WeightsFile.decodeContents(WeightsFile.encode(f, metadata: meta), as: Float.self).metadata == meta)
    }

    /// The documented layout, byte for byte, for one small tensor.
    @Test func byteLayoutMatchesDocumentation() throws {
        let bytes = WeightsFile.encode([("w", Tensor<Float>([1.0, -2.0]))], metadata: ["k": "v"])
        let payload: [UInt8] = [1, 0, 0, 0, 1, 0, 0x6B, 1, 0, 0, 0, 0x76,        // metadata: 1 entry, "k" = "v"
                                1, 0, 0, 0, 1, 0, 0x77, 1, 2, 0, 0, 0,              // 1 tensor "w", rank 1, [2]
                                0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]     // 1.0f, -2.0f
        let header: [UInt8] = [0x50, 0x42, 0x57, 0x54, 1, 0, 1, 0] + [UInt8(payload.count), 0, 0, 0, 0, 0, 0, 0]
        let crc = CRC32.checksum(header + payload)
        let trailer = (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
        #expect(bytes == header + payload + trailer)
    }

    @Test func flippedByteGivesCRCMismatch() {
        let bytes = WeightsFile.encode(sample(Double.self))
        for position in [20, bytes.count / 2, bytes.count - 5, bytes.count - 1] {
            var corrupt = bytes
            corrupt[position] ^= 0x10
            #expect(throws: WeightsFileError.self) { try WeightsFile.decode(corrupt, as: Double.self) }
            do {
                _ = try WeightsFile.decode(corrupt, as: Double.self)
            } catch {
                guard case .crcMismatch(let stored, let computed) = error else {
                    Issue.record("byte \(position): expected a CRC mismatch, got \(error)"); continue
                }
                #expect(stored != computed)
                #expect(error.description.contains("CRC-32 mismatch"))
            }
        }
    }

    @Test func everyTruncationIsReportedAsTruncated() {
        let bytes = WeightsFile.encode(sample(Float.self))
        for length in 0..<bytes.count {
            let expectedLength = length < WeightsFile.headerLength ? WeightsFile.headerLength : bytes.count
            #expect(throws: WeightsFileError.truncated(at: length, expectedLength: expectedLength)) {
                try WeightsFile.decode(Array(bytes.prefix(length)), as: Float.self)
            }
        }
        #expect(WeightsFileError.truncated(at: 10, expectedLength: 16).description == "weights file truncated at byte 10: expected 16 bytes")
        #expect(throws: WeightsFileError.trailingBytes(expectedLength: bytes.count, actualLength: bytes.count + 1)) {
            try WeightsFile.decode(bytes + [0], as: Float.self)
        }
    }

    @Test func headerErrors() {
        let bytes = WeightsFile.encode(sample(Float.self))
        var bad = bytes
        bad[0] = 0x7F
        #expect(throws: WeightsFileError.badMagic(found: [0x7F, 0x42, 0x57, 0x54])) { try WeightsFile.decode(bad, as: Float.self) }
        #expect(throws: WeightsFileError.badMagic(found: Array("PK\u{3}\u{4}".utf8))) {
            try WeightsFile.decode(Array("PK\u{3}\u{4}rest of a zip".utf8), as: Float.self)
        }
        #expect(throws: WeightsFileError.wrongElementType(requested: 2, found: 1)) { try WeightsFile.decode(bytes, as: Double.self) }
        #expect(WeightsFileError.wrongElementType(requested: 2, found: 1).description
                == "wrong element type: the file holds Float32 but Float64 was requested")
        var version = bytes
        version[4] = 2
        #expect(throws: WeightsFileError.unsupportedVersion(found: 2, supported: 1)) { try WeightsFile.decode(version, as: Float.self) }
        var tag = bytes
        tag[6] = 9
        #expect(throws: WeightsFileError.unknownElementType(tag: 9)) { try WeightsFile.decode(tag, as: Float.self) }
    }

    /// Recomputes the trailer so that a deliberately inconsistent payload passes the CRC.
    func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var b = Array(bytes.dropLast(4))
        let crc = CRC32.checksum(b)
        b += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
        return b
    }

    @Test func structuralErrorsAfterAValidCRC() {
        let bytes = WeightsFile.encode([("w", Tensor<Float>([1.0, -2.0]))])
        // Payload: [0,0,0,0] metadata count, [1,0,0,0] tensor count at 20..<24, name length at 24.
        var count = bytes
        count[20] = 2
        #expect(throws: WeightsFileError.self) { try WeightsFile.decode(resealed(count), as: Float.self) }
        do { _ = try WeightsFile.decode(resealed(count), as: Float.self) } catch {
            guard case .inconsistent(let detail) = error else { Issue.record("expected inconsistent, got \(error)"); return }
            #expect(detail.contains("tensor name"))
        }
        var extent = bytes
        extent[28] = 3  // shape [3] needs 12 bytes of data but 8 remain
        do { _ = try WeightsFile.decode(resealed(extent), as: Float.self); Issue.record("decoded") } catch {
            guard case .inconsistent(let detail) = error else { Issue.record("expected inconsistent, got \(error)"); return }
            #expect(detail.contains("data of tensor \"w\" (shape [3])"))
        }
        var name = bytes
        name[26] = 0xFF
        #expect(throws: WeightsFileError.invalidUTF8(what: "tensor name", offset: 26)) {
            try WeightsFile.decode(resealed(name), as: Float.self)
        }
    }

    @Test func mlpRoundTripThroughAFile() throws {
        var g = Xoshiro256StarStar(seed: 3)
        let policy = MLP<Float>(sizes: [96, 64, 64, 16], hiddenActivation: .tanh, outputGain: 0.01, using: &g)
        let value = MLP<Float>(sizes: [96, 64, 64, 1], hiddenActivation: .elu, outputActivation: .softplus, using: &g)
        let path = "/tmp/pulsebms-nn-test-\(getpid()).pbw"
        defer { remove(path) }
        try WeightsFile.write(policy, to: path)
        let back = try WeightsFile.readMLP(from: path, as: Float.self)
        #expect(back.sizes == policy.sizes && back.hiddenActivation == .tanh && back.outputActivation == .identity)
        #expect(back.parameters == policy.parameters)

        let logStd = Tensor<Float>(repeating: -0.5, shape: [16])
        let bytes = WeightsFile.encode(models: [("policy", policy), ("value", value)], tensors: [("logStd", logStd)],
                                       metadata: ["algorithm": "PPO"])
        try WeightsFile.writeBytes(bytes, to: path)
        let contents = try WeightsFile.read(from: path, as: Float.self)
        #expect(contents.metadata["algorithm"] == "PPO")
        #expect(contents.tensor(named: "logStd") == logStd)
        let v = try contents.mlp(named: "value")
        #expect(v.parameters == value.parameters && v.hiddenActivation == .elu && v.outputActivation == .softplus)
        #expect(try contents.mlp(named: "policy").parameters == policy.parameters)
        #expect(throws: WeightsFileError.missingMetadata(key: "critic.kind")) { try contents.mlp(named: "critic") }
    }

    @Test func mlpMetadataErrors() {
        let mlp = randomMLP([3, 4, 2], seed: 1)
        var e = WeightsFile.entries(for: mlp)
        e.metadata["mlp.sizes"] = "3,5,2"
        #expect(throws: WeightsFileError.shapeMismatch(name: "mlp.layers.0.weight", expected: [3, 5], found: [3, 4])) {
            try WeightsFile.decodeMLP(WeightsFile.encode(e.tensors, metadata: e.metadata), as: Double.self)
        }
        e.metadata["mlp.sizes"] = "3,x,2"
        #expect(throws: WeightsFileError.invalidMetadata(key: "mlp.sizes", value: "3,x,2")) {
            try WeightsFile.decodeMLP(WeightsFile.encode(e.tensors, metadata: e.metadata), as: Double.self)
        }
        e = WeightsFile.entries(for: mlp)
        e.metadata["mlp.hiddenActivation"] = "sigmoid"
        #expect(throws: WeightsFileError.invalidMetadata(key: "mlp.hiddenActivation", value: "sigmoid")) {
            try WeightsFile.decodeMLP(WeightsFile.encode(e.tensors, metadata: e.metadata), as: Double.self)
        }
        e = WeightsFile.entries(for: mlp)
        #expect(throws: WeightsFileError.missingTensor(name: "mlp.layers.1.bias")) {
            try WeightsFile.decodeMLP(WeightsFile.encode(Array(e.tensors.dropLast()), metadata: e.metadata), as: Double.self)
        }
    }

    @Test func ioErrorsNameThePath() {
        let path = "/nonexistent-dir-\(getpid())/weights.pbw"
        #expect(throws: WeightsFileError.self) { try WeightsFile.readBytes(from: path) }
        do { _ = try WeightsFile.readBytes(from: path) } catch {
            guard case .io(let op, let p, let code, _) = error else { Issue.record("expected io, got \(error)"); return }
            #expect(op == "open" && p == path && code == ENOENT)
            #expect(error.description.contains(path))
        }
        #expect(throws: WeightsFileError.self) { try WeightsFile.writeBytes([1, 2, 3], to: path) }
    }

    @Test func flattenUnflattenRoundTrip() {
        let tensors = [randn([3, 4], seed: 1), randn([4], seed: 2), randn([], seed: 3), randn([0, 2], seed: 4)]
        let flat = ParameterVector.flatten(tensors)
        #expect(flat.shape == [17])
        #expect(Array(flat.scalars[0..<12]) == tensors[0].scalars)
        #expect(ParameterVector.unflatten(flat, shapes: ParameterVector.shapes(of: tensors)) == tensors)
    }
}
