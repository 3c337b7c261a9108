import EdgeRuntime
import Foundation
import PulseBMS

/// Suite `edge`: the C99 edge runtime (`EdgeRuntime`) as a device runs it.
///
/// - `infer_f32_ns`, `infer_int8_ns` (median) and `…_p99_ns`: one `pe_policy_infer` call of a 16→64→64→1 tanh
///   policy (the per-pack shape of the fleet environments: 6 site + 10 pack features, one action), each of
///   20 000 calls timed on its own after 2 000 untimed ones, observations cycling through 256 recorded rows.
///   Target ≤ 5 µs at p99.
/// - `runtime_code_bytes`: .text + .data of every `Sources/EdgeRuntime/*.c` compiled with `clang -Os -c`
///   (the flash a device spends on the runtime; target ≤ 16 KiB); `runtime_rodata_bytes` beside it (constant
///   tables and strings, also in flash).
/// The safety monitor's and estimator's keys come from `EdgeMonitorBench` (the monitor's own file).
enum EdgeSuite {
    static let sizes = [16, 64, 64, 1]

    static func run(into report: inout Report, progress: Bool) throws {
        let mlp = policy()
        let rows = observations(256)
        let head = PolicyExport.Head(normalisation: .identity(inputs: sizes[0]),
                                     action: ActionHead(squash: .tanh, low: [-1], high: [1]),
                                     metadata: .unnamed(environment: "bench", inputs: sizes[0], actions: 1))
        for (key, file) in [("infer_f32", try PolicyExport.f32(mlp, head: head)),
                            ("infer_int8", try PolicyExport.int8(mlp, head: head, calibration: rows))]
        where report.wants("\(key)_ns") || report.wants("\(key)_p99_ns") {
            let (median, p99) = try time(EdgePolicy(bytes: file.encode()), rows: rows)
            report.add("\(key)_ns", median, threads: 1)
            report.add("\(key)_p99_ns", p99, threads: 1)
        }
        if report.wants("runtime_code_bytes") || report.wants("runtime_rodata_bytes") {
            let (code, rodata) = try codeSize()
            report.add("runtime_code_bytes", Double(code), threads: 1)
            report.add("runtime_rodata_bytes", Double(rodata), threads: 1)
        }
        // The safety monitor and the SoC estimator: safety_check_ns, ekf_update_ns.
        try EdgeMonitorBench.run(into: &report)
    }

    /// A 16→64→64→1 tanh MLP with orthogonal weights (hidden gain √2, head gain 1, so the head is not ≈ 0).
    static func policy() -> MLP<Float> {
        var rng = Xoshiro256StarStar(seed: 2026)
        return MLP(sizes: sizes, hiddenActivation: .tanh, outputActivation: .identity, outputGain: 1, using: &rng)
    }

    static func observations(_ count: Int) -> [[Float]] {
        var rng = Xoshiro256StarStar(seed: 7)
        return (0..<count).map { _ in (0..<sizes[0]).map { _ in Float(rng.nextStandardNormal()) } }
    }

    /// Median and 99th percentile of single calls, in ns.
    static func time(_ policy: EdgePolicy, rows: [[Float]]) throws -> (median: Double, p99: Double) {
        let flat = rows.flatMap { $0 }
        var action: Float = 0
        var samples = [Double](repeating: 0, count: 20_000)
        let clock = ContinuousClock()
        try flat.withUnsafeBufferPointer { o in
            for k in 0..<(samples.count + 2_000) {
                let row = o.baseAddress! + (k % rows.count) * sizes[0]
                let start = clock.now
                let status = policy.infer(row, into: &action)
                let elapsed = clock.now - start
                guard status == PE_OK else { throw PolicyFormatError.runtime(status: Int(status.rawValue), message: "bench inference") }
                if k >= 2_000 {
                    samples[k - 2_000] = (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) * 1e-9).rounded()
                }
            }
        }
        samples.sort()
        return (samples[samples.count / 2], samples[samples.count * 99 / 100])
    }

    /// (.text + .data, .rodata) bytes of the runtime's objects at -Os.
    static func codeSize() throws -> (code: Int, rodata: Int) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.appendingPathComponent("Sources/EdgeRuntime")
        let sources = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".c") }.sorted()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-edge-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let clang = [ProcessInfo.processInfo.environment["CC"], "/opt/swift/usr/bin/clang", "/usr/bin/clang"].compactMap { $0 }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "clang"
        var code = 0, rodata = 0
        for source in sources {
            let object = scratch.appendingPathComponent(source + ".o").path
            _ = try run(clang, ["-std=c99", "-Os", "-c", "-I", directory.appendingPathComponent("include").path,
                                directory.appendingPathComponent(source).path, "-o", object])
            for line in try run("/usr/bin/size", ["-A", object]).split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 2, let bytes = Int(fields[1]) else { continue }
                let name = fields[0]
                if name.hasPrefix(".text") || name.hasPrefix(".data") { code += bytes }
                if name.hasPrefix(".rodata") { rodata += bytes }
            }
        }
        return (code, rodata)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PolicyFormatError.unsupportedModel("\(executable) \(arguments.joined(separator: " ")) failed: \(output)")
        }
        return output
    }
}
