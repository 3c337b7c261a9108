import Foundation

/// The numbers a reference tool printed, keyed like ours.
struct ReferenceResult {
    let tool: String
    let version: String
    let values: [String: Double]
    let json: [String: Any]
    /// Why the reference could not run (its tool is not installed), if so.
    var unavailable: String? = nil
}

enum ReferenceError: Error, CustomStringConvertible {
    case scriptMissing(String)
    case failed(String, status: Int32, output: String)
    case unreadable(String, output: String)

    var description: String {
        switch self {
        case .scriptMissing(let path): "reference script not found at \(path); run bench from the package root"
        case .failed(let script, let status, let output): "\(script) exited with status \(status): \(output)"
        case .unreadable(let script, let output): "\(script) printed no JSON object: \(output)"
        }
    }
}

/// Runs a suite's reference script (Benchmarks/reference/) with python3 and reads its JSON.
enum ReferenceRunner {
    static func run(suite: Suite, repeats: Int, warmup: Int, progress: Bool) throws -> ReferenceResult {
        let entry: (String, String, String)? = switch suite {
        case .tensors: ("Benchmarks/reference/torch_ppo_cpo.py", "PyTorch", "torch_version")
        case .cell: ("Benchmarks/reference/pybamm_cell.py", "PyBaMM", "pybamm_version")
        case .aging: ("Benchmarks/reference/blast_aging.py", "BLAST-Lite", "blast_version")
        case .env: ("Benchmarks/reference/pybamm_fleet.py", "PyBaMM", "pybamm_version")
        case .control, .train, .edge, .fleet: nil
        }
        guard let (script, tool, versionKey) = entry else {
            return ReferenceResult(tool: "none", version: "unavailable", values: [:], json: [:],
                                   unavailable: "suite \(suite.rawValue) has absolute targets, no reference tool")
        }
        guard FileManager.default.fileExists(atPath: script) else { throw ReferenceError.scriptMissing(script) }
        if progress { FileHandle.standardError.write(Data("running reference: python3 \(script)…\n".utf8)) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--repeats", "\(repeats)", "--warmup", "\(warmup)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        if process.terminationStatus == 127 {
            return ReferenceResult(tool: tool, version: "unavailable", values: [:], json: [:], unavailable: "python3 not found")
        }
        if process.terminationStatus == 2, let reason = object?["error"] as? String {
            // The reference tool is not installed: report it, and measure PulseBMS alone.
            return ReferenceResult(tool: tool, version: "unavailable", values: [:], json: object ?? [:], unavailable: reason)
        }
        guard process.terminationStatus == 0 else {
            throw ReferenceError.failed(script, status: process.terminationStatus, output: output)
        }
        guard let object else {
            throw ReferenceError.unreadable(script, output: output)
        }
        var values: [String: Double] = [:]
        for (k, v) in object { if let d = v as? Double { values[k] = d } else if let i = v as? Int { values[k] = Double(i) } }
        return ReferenceResult(tool: tool, version: object[versionKey] as? String ?? "unknown", values: values, json: object)
    }
}
