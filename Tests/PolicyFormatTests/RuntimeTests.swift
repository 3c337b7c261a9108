import EdgeRuntime
import NeuralNetworks
@testable import PolicyFormat
import Testing

func pe_crc32_swift(_ b: UnsafeBufferPointer<UInt8>) -> UInt32 { pe_crc32(b.baseAddress, b.count) }

@Suite struct PolicyFormatRuntimeTests {
    /// The C runtime's f32 path against NeuralNetworks' MLP (Swift) on random observations.
    @Test(arguments: [Activation.tanh, .relu])
    func f32RuntimeMatchesSwiftForward(_ hidden: Activation) throws {
        let mlp = randomPolicyMLP([20, 64, 64, 4], hidden: hidden, seed: 11)
        let head = testHead(inputs: 20, actions: 4)
        let policy = try EdgePolicy(bytes: try PolicyExport.f32(mlp, head: head).encode())
        #expect(policy.precision == .f32 && policy.arenaBytes == 2 * 64 * 4)
        var worst: Float = 0
        for row in observationRows(500, width: 20, seed: 12) {
            let c = try policy.infer(row), swift = referenceActions(mlp, head: head, observation: row)
            for j in c.indices { worst = max(worst, abs(c[j] - swift[j])) }
        }
        #expect(worst <= 1e-5, "largest |C − Swift| = \(worst)")
    }

    /// The int8 path's error against the f32 policy, in action units over a range of 5 (bounds [−2, 3]).
    /// Measured: max 0.108 (2.2 % of the range), mean 0.020 (0.39 %) for this 20→64→64→4 tanh policy on 2000
    /// rows from the calibration distribution (another seed); docs/policy-format.md quotes the bound.
    @Test func int8ErrorIsBounded() throws {
        let mlp = randomPolicyMLP([20, 64, 64, 4], seed: 21)
        let head = testHead(inputs: 20, actions: 4)
        let f32 = try EdgePolicy(bytes: try PolicyExport.f32(mlp, head: head).encode())
        let int8File = try PolicyExport.int8(mlp, head: head, calibration: observationRows(2000, width: 20, seed: 22))
        let int8 = try EdgePolicy(bytes: int8File.encode())
        #expect(int8.precision == .int8 && int8.arenaBytes == 2 * 64)
        var worst: Float = 0, sum: Float = 0, n: Float = 0
        for row in observationRows(2000, width: 20, seed: 23) {
            let a = try f32.infer(row), b = try int8.infer(row)
            for j in a.indices { worst = max(worst, abs(a[j] - b[j])); sum += abs(a[j] - b[j]); n += 1 }
        }
        #expect(worst <= 0.15, "int8 max |error| = \(worst) of a range of 5")
        #expect(sum / n <= 0.03, "int8 mean |error| = \(sum / n)")
        print("int8 error: max \(worst), mean \(sum / n) (action range 5)")
    }

    /// The runtime's integer arithmetic against a plain-Swift int8 reference with exact rounding: equal but
    /// for rare one-quantum differences at rounding ties, which may grow by a quantum or two through layers.
    @Test(arguments: [Activation.tanh, .relu])
    func int8RuntimeFollowsTheIntegerScheme(_ hidden: Activation) throws {
        let mlp = randomPolicyMLP([16, 32, 32, 3], hidden: hidden, seed: 31)
        let head = testHead(inputs: 16, actions: 3, squash: .clip)
        let file = try PolicyExport.int8(mlp, head: head, calibration: observationRows(500, width: 16, seed: 32))
        let policy = try EdgePolicy(bytes: file.encode())
        guard case let .int8(q) = file.layers[2].weights else { Issue.record("not int8"); return }
        let quantum = q.output.scale * 2.5  // one output step, through the clip head onto [−2, 3]
        var worst: Float = 0, exact = 0
        let rows = observationRows(1000, width: 16, seed: 33)
        for row in rows {
            let c = try policy.infer(row), swift = int8ReferenceActions(file, observation: row)
            let gap = zip(c, swift).map { abs($0 - $1) }.max()!
            worst = max(worst, gap)
            if gap <= quantum * 1e-3 { exact += 1 }
        }
        #expect(worst <= 3 * quantum, "largest gap \(worst / quantum) quanta")
        #expect(exact >= rows.count * 9 / 10, "\(exact) of \(rows.count) rows equal")
    }

    @Test func clipSquashAndBoundsHold() throws {
        let mlp = randomPolicyMLP([6, 8, 2], seed: 5)
        let head = testHead(inputs: 6, actions: 2, squash: .clip)
        let policy = try EdgePolicy(bytes: try PolicyExport.f32(mlp, head: head).encode())
        for row in observationRows(200, width: 6, seed: 6).map({ $0.map { $0 * 50 } }) {
            let c = try policy.infer(row), swift = referenceActions(mlp, head: head, observation: row)
            for j in c.indices {
                #expect((-2...3).contains(c[j]))
                #expect(abs(c[j] - swift[j]) <= 1e-5)
            }
        }
    }

    @Test func nonFiniteObservationsAreRefused() throws {
        let policy = try EdgePolicy(bytes: try sampleFile(precision: .int8))
        var row = [Float](repeating: 0, count: 12)
        row[4] = .nan
        #expect(throws: PolicyFormatError.runtime(status: 18, message: "a non-finite observation")) { try policy.infer(row) }
    }

    @Test func limitsReachTheCStruct() throws {
        let policy = try EdgePolicy(bytes: try sampleFile(precision: .f32))
        #expect(policy.hasSafetyLimits)
        var limits = policy.limits
        #expect(limits.limit.0.fault == 4.2 && limits.limit.1.warning == 2.9 && limits.derating_count == 4)
        var charge: Float = -1, discharge: Float = -1
        pe_limits_derating(&limits, 5, &charge, &discharge)
        #expect(abs(charge - 0.5) < 1e-6 && abs(discharge - 0.75) < 1e-6)
        pe_limits_derating(&limits, .nan, &charge, &discharge)
        #expect(charge == 0 && discharge == 0)
        #expect(try !EdgePolicy(bytes: try sampleFile(precision: .f32, limits: false)).hasSafetyLimits)
    }

    /// The file's safety-limits table configures the safety monitor: an over-voltage latches after the fault
    /// debounce, a charge current is clamped to the over-current warning.
    @Test func limitsConfigureTheMonitor() throws {
        var limits = try EdgePolicy(bytes: try sampleFile(precision: .f32)).limits
        var config = pe_safety_config_t()
        #expect(pe_safety_config_from_limits(&limits, &config) == PE_SAFETY_OK)
        var state = pe_safety_state_t()
        #expect(pe_safety_init(&state) == PE_SAFETY_OK)
        let ov = limits.limit.0
        var m = pe_measurement_t(cell_voltage_max_v: 3.7, cell_voltage_min_v: 3.6, current_a: 0,
                                 temperature_max_c: 25, temperature_min_c: 25, soc: 0.5)
        var report = pe_safety_report_t()
        #expect(pe_safety_check(&state, &config, &m, &report) == PE_SAFETY_OK && report.faults == 0)
        #expect(pe_safety_clamp(&report, -1e6) == -limits.limit.2.warning)
        m.cell_voltage_max_v = ov.fault + 0.05
        for k in 1...Int(ov.fault_debounce) {
            #expect(report.faults & 1 == 0, "latched before \(k) checks")
            _ = pe_safety_check(&state, &config, &m, &report)
        }
        #expect(report.faults & 1 == 1)
        limits.derating_count = 0
        #expect(pe_safety_config_from_limits(&limits, &config) != PE_SAFETY_OK)
    }

    /// The C entry points' own checks: arena size and alignment, the header's arena field, NULL arguments.
    @Test func loaderChecksArenaAlignmentAndArguments() throws {
        let bytes = try sampleFile(precision: .f32)
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 4, alignment: 16)
        let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { storage.deallocate(); arena.deallocate() }
        var policy = pe_policy_t()
        func load(_ data: [UInt8], offset: Int = 0, arenaSize: Int = 4096) -> pe_status_t {
            UnsafeMutableRawBufferPointer(rebasing: storage[offset..<(offset + data.count)]).copyBytes(from: data)
            return pe_policy_load(storage.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, data.count,
                                  arena.baseAddress!.assumingMemoryBound(to: UInt8.self), arenaSize, &policy)
        }
        var needed = 0
        #expect(pe_policy_arena_size(bytes, bytes.count, &needed) == PE_OK)
        #expect(needed == 2 * 16 * 4)
        #expect(load(bytes) == PE_OK)
        #expect(load(bytes, arenaSize: needed) == PE_OK)
        #expect(load(bytes, arenaSize: needed - 1) == PE_ERR_ARENA_TOO_SMALL)
        #expect(policy.input_count == 0)  // zeroed on failure
        #expect(load(bytes, offset: 2) == PE_ERR_ALIGNMENT)
        var changed = bytes
        changed[16] = 0x40  // the header's arena field, CRC recomputed
        #expect(load(PolicyFormatBadInputTests.withCRC(changed)) == PE_ERR_ARENA_MISMATCH)
        #expect(pe_policy_load(nil, bytes.count, arena.baseAddress!.assumingMemoryBound(to: UInt8.self), 4096, &policy) == PE_ERR_NULL_ARGUMENT)
        #expect(pe_policy_infer(nil, nil, nil) == PE_ERR_NULL_ARGUMENT)
        #expect(String(cString: pe_status_string(pe_status_t(rawValue: 99))) == "unknown status")
    }
}
