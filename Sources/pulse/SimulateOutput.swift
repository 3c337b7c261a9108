import Electrochemistry
import Foundation

/// The CSV of a run, with the columns of PyBaMM's reference solutions.
enum SimulationCSV {
    /// The header line, as in Tests/ElectrochemistryTests/Fixtures/cases/*.csv.
    static let header = "t [s],I [A],V [V],T [K],sto_n_surf,sto_p_surf,sto_n_avg,sto_p_avg,discharge capacity [A.h]"

    /// The whole file: the header and one line per row, numbers with 10 significant digits (`%.10g`).
    static func text(_ rows: [CellOutputs]) -> String {
        var text = header + "\n"
        text.reserveCapacity(rows.count * 120 + 100)
        var buffer = [CChar](repeating: 0, count: 40)
        for row in rows {
            let values = [row.time, row.current, row.voltage, row.temperature, row.stoNSurf, row.stoPSurf,
                          row.stoNAvg, row.stoPAvg, row.dischargeCapacity]
            for (k, value) in values.enumerated() {
                if k > 0 { text += "," }
                let length = buffer.withUnsafeMutableBufferPointer { out in
                    withVaList([value]) { Int(vsnprintf(out.baseAddress, out.count, "%.10g", $0)) }
                }
                text += String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            text += "\n"
        }
        return text
    }

    /// Writes the rows to `path` atomically: into a temporary file beside it, then renamed over it, so a reader
    /// never sees a half-written file.
    static func write(_ rows: [CellOutputs], to path: String) throws(SimulateSetupError) {
        do {
            try Data(text(rows).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SimulateSetupError(message: "cannot write \"\(path)\": \(error.localizedDescription)")
        }
    }
}

/// Progress of a run on stderr, only once it has taken more than a second: a bar redrawn in place when stderr
/// is a terminal, otherwise a line every 5 %.
final class SimulationProgressReporter {
    private let start = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastShown = -1.0
    private var lastDraw = ContinuousClock.now
    private var drewBar = false

    /// Wall time since the reporter was made [s].
    var elapsed: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    func update(_ progress: SimulationProgress) {
        guard elapsed > 1 else { return }
        let percent = (progress.fraction * 100).rounded(.down)
        let position = "step \(progress.stepIndex + 1)/\(progress.stepCount), t = \(Int(progress.time)) s"
        if isTerminal {
            guard ContinuousClock.now - lastDraw > .milliseconds(100) else { return }
            lastDraw = ContinuousClock.now
            let filled = Int(progress.fraction * 30)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
            emit("\r[\(bar)] \(Int(percent))%  \(position)   ")
            drewBar = true
        } else if percent >= lastShown + 5 {
            lastShown = percent
            emit("progress: \(Int(percent))% (\(position))\n")
        }
    }

    /// Ends the bar's line, if one was drawn.
    func finish() {
        if drewBar { emit("\n") }
    }

    private func emit(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
