import Electrochemistry
import Foundation

/// The CSV of a run, with the columns of PyBaMM's reference solutions.
enum SimulationCSV {
    /// The header line, as in Tests/ElectrochemistryTests/Fixtures/cases/*.csv.
    static let header = "t [s],I [A],V [V],T [K],sto_n_surf,sto_p_surf,sto_n_avg,sto_p_avg,discharge capacity [A.h]"
    /// The columns a model with SEI adds, as in the reference SEI cases.
    static let agingHeader = "SEI capacity loss [A.h],SEI thickness [m]"

    /// The whole file as UTF-8: the header and one line per row, numbers with 10 significant digits (`%.10g`);
    /// the SEI columns follow when the result has a degradation row for every row.
    static func bytes(_ result: SimulationResult) -> [UInt8] {
        let rows = result.rows
        let aging = result.agingRows.count == rows.count && !rows.isEmpty ? result.agingRows : nil
        var bytes = Array((header + (aging == nil ? "" : "," + agingHeader) + "\n").utf8)
        bytes.reserveCapacity(rows.count * (aging == nil ? 130 : 165) + bytes.count)
        var number = [CChar](repeating: 0, count: 40)
        func append(_ value: Double, _ separator: UInt8) {
            let length = number.withUnsafeMutableBufferPointer { out in
                withVaList([value]) { Int(vsnprintf(out.baseAddress, out.count, "%.10g", $0)) }
            }
            for k in 0..<min(length, number.count - 1) { bytes.append(UInt8(bitPattern: number[k])) }
            bytes.append(separator)
        }
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        for (index, row) in rows.enumerated() {
            append(row.time, comma); append(row.current, comma); append(row.voltage, comma)
            append(row.temperature, comma); append(row.stoNSurf, comma); append(row.stoPSurf, comma)
            append(row.stoNAvg, comma); append(row.stoPAvg, comma)
            if let aging {
                append(row.dischargeCapacity, comma)
                append(aging[index].seiCapacityLoss, comma); append(aging[index].seiThickness, newline)
            } else {
                append(row.dischargeCapacity, newline)
            }
        }
        return bytes
    }

    /// Writes the rows to `path` atomically: into a temporary file beside it, then renamed over it, so a reader
    /// never sees a half-written file.
    static func write(_ result: SimulationResult, to path: String) throws(SimulateSetupError) {
        do {
            try Data(bytes(result)).write(to: URL(fileURLWithPath: path), options: .atomic)
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
