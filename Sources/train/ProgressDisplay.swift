import Foundation
import PulseBMS

/// The progress of a run on standard error: a bar redrawn in place on a terminal, one line per epoch otherwise
/// (or with `--quiet`), showing epochs, steps, the last epoch's return and cost against the limit, and speed.
final class ProgressDisplay {
    let inPlace: Bool
    var epochs = 0, stepsPerEpoch = 0, first = 0
    var startTime = Date()
    var done = 0

    init(quiet: Bool) { inPlace = !quiet && isatty(2) != 0 }

    func start(title: String, epochs: Int, stepsPerEpoch: Int, resumedAt: Int) {
        self.epochs = epochs; self.stepsPerEpoch = stepsPerEpoch; first = resumedAt
        startTime = Date()
        write("\(title)\n  \(epochs) epochs of \(stepsPerEpoch) steps\(resumedAt > 0 ? ", resuming after epoch \(resumedAt)" : "")\n")
    }

    func update(epoch: Int, steps: Int, report: EpochReport, evaluation: [EpisodeResult], constraint: String?,
                limit: Double?, seconds: Double) {
        let elapsed = Date().timeIntervalSince(startTime)
        let rate = Double((epoch - first) * stepsPerEpoch) / max(elapsed, 1e-9)
        let remaining = Double(epochs - epoch) * Double(stepsPerEpoch) / max(rate, 1e-9)
        let width = 24, filled = epochs > 0 ? width * epoch / epochs : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let cost = constraint.flatMap { report["cost_\($0)_mean"] } ?? report["cost_mean"] ?? .nan
        var line = "[\(bar)] \(epoch)/\(epochs)  \(Self.count(steps)) steps  return \(Self.number(report["return_mean"]))"
        line += "  cost \(Self.number(cost))\(limit.map { " (limit \(Self.number($0)))" } ?? "")"
        line += "  \(Self.count(Int(rate))) steps/s  ETA \(Self.duration(remaining))"
        if let r = evaluation.first.map({ _ in evaluation.map(\.reward).reduce(0, +) / Double(evaluation.count) }) {
            line += "  eval return \(Self.number(r))"
        }
        write(inPlace ? "\r\u{1B}[2K" + line : line + "\n")
    }

    func finish(run: String) {
        write((inPlace ? "\n" : "") + "done in \(Self.duration(Date().timeIntervalSince(startTime))): \(run)\n")
    }

    private func write(_ text: String) { FileHandle.standardError.write(text.data(using: .utf8)!) }

    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return String(format: abs(x) >= 100 ? "%.1f" : "%.3f", x)
    }

    static func count(_ n: Int) -> String {
        n >= 1_000_000 ? String(format: "%.2fM", Double(n) / 1e6) : n >= 10_000 ? String(format: "%.1fk", Double(n) / 1e3) : "\(n)"
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "–" }
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", t % 3600 / 60))m" : t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}
