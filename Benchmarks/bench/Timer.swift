import Foundation
import PulseBMS

/// Median wall-clock timing of a closure after warm-up runs.
struct Timer {
    let repeats: Int
    let warmup: Int

    /// The median and the spread (min, max) of `repeats` timings, in seconds.
    func measure(_ body: () -> Void) -> Timing {
        measure(setup: {}, body)
    }

    /// Like ``measure(_:)``, but runs `setup` before every run, outside the timed region.
    func measure(setup: () -> Void, _ body: () -> Void) -> Timing {
        for _ in 0..<warmup { setup(); body() }
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        let clock = ContinuousClock()
        for _ in 0..<repeats {
            setup()
            let elapsed = clock.measure(body)
            samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        samples.sort()
        let mid = samples.count / 2
        let median = samples.count % 2 == 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2
        return Timing(median: median, min: samples.first!, max: samples.last!)
    }
}

struct Timing {
    let median: Double
    let min: Double
    let max: Double
}

/// What a suite measured, printed as a table or as JSON.
struct Report {
    let suite: String
    /// `--threads`, when given; otherwise each measurement picks its own.
    let threads: Int?
    /// The OpenBLAS thread count each measurement ran with.
    var threadsUsed: [String: Int] = [:]
    /// When set, only this measurement runs.
    var only: String? = nil
    /// Measurement key (with its unit in the name) → value, in insertion order.
    var results: [(key: String, value: Double)] = []
    /// Reference tool's numbers under the same keys, when --compare ran it.
    var reference: ReferenceResult?
    /// Our key → the reference's key it is compared with, where they differ.
    var referenceKeys: [String: String] = [:]
    /// Further JSON members a suite reports (e.g. a nested view of its keys).
    var extra: [String: Any] = [:]

    mutating func add(_ key: String, _ value: Double, threads: Int) {
        results.append((key, value))
        threadsUsed[key] = threads
    }

    /// Sets OpenBLAS to `--threads`, or else to `natural`, and returns the count used.
    func useThreads(natural: Int) -> Int {
        let count = threads ?? natural
        OpenBLAS.threadCount = count
        return count
    }

    /// Whether the measurement `key` is selected.
    func wants(_ key: String) -> Bool { only == nil || only == key }

    /// The reference's value for our key `key`.
    func referenceValue(_ key: String) -> Double? { reference?.values[referenceKeys[key] ?? key] }

    /// How many times faster PulseBMS is: reference/ours for times, ours/reference for rates (keys `…_per_s…`).
    func speedup(_ key: String, _ value: Double) -> Double? {
        guard let r = referenceValue(key), value > 0, r > 0 else { return nil }
        return key.contains("_per_s") ? value / r : r / value
    }

    func json() -> String {
        var object: [String: Any] = ["suite": suite, "openblas_threads": threadsUsed,
                                     "build": "release"]
        for (k, v) in results { object[k] = v }
        for (k, v) in extra { object[k] = v }
        if let reference {
            object["reference"] = reference.json
            var ratios: [String: Double] = [:]
            for (k, v) in results { if let r = speedup(k, v) { ratios[k] = r } }
            object["speedup_vs_reference"] = ratios
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func table() -> String {
        var lines = ["suite \(suite) (OpenBLAS threads per measurement: \(results.map { "\($0.key) \(threadsUsed[$0.key] ?? 1)" }.joined(separator: ", ")))"]
        for (k, v) in results {
            var line = "  \(k.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%10.2f", v))"
            if let r = referenceValue(k), let ratio = speedup(k, v) {
                line += "   \(reference!.tool): \(String(format: "%10.2f", r))   speed-up ×\(String(format: "%.1f", ratio))"
            }
            lines.append(line)
        }
        if let reference {
            if let reason = reference.unavailable {
                lines.append("  reference: \(reference.tool) not run (\(reason)); no ratios")
            } else {
                lines.append("  reference: \(reference.tool) \(reference.version), same machine, same run")
            }
        }
        return lines.joined(separator: "\n")
    }
}
