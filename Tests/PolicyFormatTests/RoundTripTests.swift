import NeuralNetworks
@testable import PolicyFormat
import Testing

@Suite struct PolicyFormatRoundTripTests {
    @Test(arguments: [Precision.f32, .int8])
    func exportThenReadGivesTheSamePolicy(_ precision: Precision) throws {
        let mlp = randomPolicyMLP([10, 24, 24, 4], seed: 3)
        var head = testHead(inputs: 10, actions: 2, limits: .conservativeNMC(capacityAh: 80))
        head.metadata.training = ["algorithm": "sac_lagrangian", "run": "runs/x"]
        head.metadata.layout = "per_pack:4,6"
        let file = precision == .f32 ? try PolicyExport.f32(mlp, head: head)
                                     : try PolicyExport.int8(mlp, head: head, calibration: observationRows(100, width: 10, seed: 4))
        let bytes = file.encode()
        let back = try PolicyFile.decode(bytes)
        #expect(back == file)
        #expect(back.encode() == bytes)
        #expect(back.precision == precision)
        #expect(back.layers.last?.outputs == 2)  // the last layer is cut to the actions
        #expect(back.metadata.training["algorithm"] == "sac_lagrangian")
        let layout = try PolicyFileLayout(bytes: bytes)
        #expect(layout.arenaBytes == file.arenaBytes)
        #expect(layout.sections.map(\.name) == ["metadata", "normalisation", "layers", "action", "safety-limits"])
        #expect(layout.sections.map(\.required) == [false, true, true, true, true])
    }

    @Test func f32WeightsAreTheMLPsBitForBit() throws {
        let mlp = randomPolicyMLP([5, 7, 3], hidden: .relu, seed: 9)
        let file = try PolicyExport.f32(mlp, head: testHead(inputs: 5, actions: 3))
        guard case let .f32(w, b) = file.layers[1].weights else { Issue.record("not f32"); return }
        let source = mlp.layers[1].weight.scalars
        for o in 0..<3 { for i in 0..<7 { #expect(w[o * 7 + i].bitPattern == source[i * 3 + o].bitPattern) } }
        #expect(b == mlp.layers[1].bias.scalars)
        #expect(file.layers[0].activation == .relu)
    }

    @Test func unknownOptionalSectionsAreKeptAndSkippedRequiredOnesRefused() throws {
        var file = try PolicyFile.decode(try sampleFile(precision: .f32))
        file.otherSections = [RawSection(type: 77, required: false, bytes: [1, 2, 3])]
        let bytes = file.encode()
        #expect(try PolicyFile.decode(bytes).otherSections == file.otherSections)
        #expect(try EdgePolicy(bytes: bytes).actionCount == 3)
        file.otherSections = [RawSection(type: 77, required: true, bytes: [1, 2, 3])]
        let refused = file.encode()
        #expect(throws: PolicyFormatError.unknownRequiredSection(type: 77)) { try PolicyFile.decode(refused) }
        #expect(throws: PolicyFormatError.runtime(status: 10, message: "a required section of unknown type")) {
            try EdgePolicy(bytes: refused)
        }
    }

    @Test func exportRefusesWhatTheRuntimeCannotRun() {
        let elu = MLP<Float>(layers: randomPolicyMLP([3, 4, 2], seed: 1).layers, hiddenActivation: .elu)
        #expect(throws: PolicyFormatError.self) { try PolicyExport.f32(elu, head: testHead(inputs: 3, actions: 2)) }
        #expect(throws: PolicyFormatError.self) { try PolicyExport.f32(randomPolicyMLP([3, 4, 2], seed: 1), head: testHead(inputs: 3, actions: 3)) }
        #expect(throws: PolicyFormatError.self) {
            try PolicyExport.int8(randomPolicyMLP([3, 4, 2], seed: 1), head: testHead(inputs: 3, actions: 2), calibration: [])
        }
    }

    @Test func fixedPointMultipliersMatchTheirRealValue() {
        for m in [1e-9, 3.1e-5, 0.001, 0.25, 0.5, 0.7071, 0.999999999, 1.0, 1.5, 37.0] {
            let (q, s) = QuantisedDense.fixedPoint(m)
            #expect(q >= 1 << 30)
            #expect(abs(QuantisedDense.realMultiplier(q, s) - m) <= m * 1e-9)
        }
        #expect(QuantisedDense.fixedPoint(1e-12) == (0, 0))
    }

    @Test func crcMatchesTheRuntimes() {
        let bytes: [UInt8] = Array("123456789".utf8)
        #expect(bytes.withUnsafeBufferPointer { pe_crc32_swift($0) } == 0xCBF4_3926)
        #expect(CRC32.checksum(bytes) == 0xCBF4_3926)
    }
}
