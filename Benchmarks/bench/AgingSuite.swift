import Foundation
import PulseBMS

/// Suite `aging` (issue 4, item 7): BLAST-Lite capacity fade for a fleet, incrementally.
///
/// `aging_10y_1000cells_s`: wall seconds to age 1,000 cells over ten years of hourly samples
/// (87,601 samples of SoC and temperature per cell) with ``BlastLiteAgingTracker``, the form a fleet
/// simulation updates every step. Models round-robin over `Lfp_Gr_250AhPrismatic`,
/// `Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery` and `Nmc811_GrSi_LGM50_5Ah_Battery`. Each cell has its own
/// seeded profile (`Xoshiro256StarStar(seed: cell)`), generated on the fly inside the timed region:
/// one daily cycle with random depth (0.1–0.9) about a random mean, discharging from hour 8 to 12
/// and charging from 18 to 22; temperature random per day (5–40 °C) plus a ±3 °C diurnal ramp.
/// Cells are spread over all cores with `DispatchQueue.concurrentPerform`. At most 3 timed runs
/// after at most 1 warm-up (each run is seconds long).
/// `aging_cell_year_us`: the same run expressed per cell-year (microseconds, wall).
/// `aging_10y_1000cells_cpu_s`: process CPU seconds of the run (all threads): on a shared machine the
/// wall time on idle cores is about this divided by the core count.
enum AgingSuite {
    static let cells = 1_000
    static let hours = 10 * 365 * 24   // samples 0…hours: 87,601
    static let models: [any BlastLiteFadeModel.Type] = [
        BlastLiteLfpGr250AhPrismatic.self, BlastLiteLmoGrNissanLeaf66Ah.self, BlastLiteNmc811GrSiLGM50.self,
    ]

    static func run(timer: Timer, into report: inout Report, progress: Bool) {
        let timer = Timer(repeats: min(timer.repeats, 3), warmup: min(timer.warmup, 1))
        let key = "aging_10y_1000cells_s"
        guard report.wants(key) || report.wants("aging_cell_year_us") else { return }
        if progress { FileHandle.standardError.write(Data("aging: 1000 cells × 10 years hourly…\n".utf8)) }
        var finalQ = [Double](repeating: 0, count: cells)
        var cpu: [Double] = []
        let timing = timer.measure {
            let start = clock()
            fleet(into: &finalQ)
            cpu.append(Double(clock() - start) / Double(CLOCKS_PER_SEC))
        }
        cpu.sort()
        report.add(key, timing.median, threads: 1)
        // Process CPU seconds of the same runs (all threads): wall × cores when the machine is idle.
        report.add("aging_10y_1000cells_cpu_s", cpu[cpu.count / 2], threads: 1)
        report.add("aging_cell_year_us", timing.median / Double(cells * 10) * 1e6, threads: 1)
        if progress {
            for (m, type) in models.enumerated() {
                let qs = stride(from: m, to: cells, by: models.count).map { finalQ[$0] }
                let line = "  \(type.className): final q \(String(format: "%.4f", qs.min()!))–\(String(format: "%.4f", qs.max()!)) over \(qs.count) cells\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }

    /// Ages every cell; final q per cell into `finalQ`.
    static func fleet(into finalQ: inout [Double]) {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        finalQ.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var cell = worker
                while cell < cells {
                    let seed = UInt64(cell)
                    out[cell] = switch cell % 3 {
                    case 0: ageCell(BlastLiteLfpGr250AhPrismatic.self, seed: seed)
                    case 1: ageCell(BlastLiteLmoGrNissanLeaf66Ah.self, seed: seed)
                    default: ageCell(BlastLiteNmc811GrSiLGM50.self, seed: seed)
                    }
                    cell += workers
                }
            }
        }
    }

    /// Ten years of one cell's seeded hourly profile through a tracker; returns the final q.
    static func ageCell<M: BlastLiteFadeModel>(_: M.Type, seed: UInt64) -> Double {
        var rng = Xoshiro256StarStar(seed: seed)
        var tracker = BlastLiteAgingTracker<M>(reservingSamples: 64)
        var high = 0.9, low = 0.5, celsius = 25.0
        for hour in 0...hours {
            let h = hour % 24
            if h == 0 {
                let depth = rng.nextUniform(in: 0.1, 0.9)
                let mean = rng.nextUniform(in: 0.05 + depth / 2, 0.95 - depth / 2)
                high = mean + depth / 2; low = mean - depth / 2
                celsius = rng.nextUniform(in: 5, 40)
            }
            let soc: Double = switch h {
            case 0...8: high
            case 9...12: high - (high - low) * Double(h - 8) / 4
            case 13...18: low
            case 19...22: low + (high - low) * Double(h - 18) / 4
            default: high
            }
            let diurnal = 3 * (1 - abs(Double(h) - 14) / 7).clamped(-1, 1)
            tracker.record(time: Double(hour) * 3600, soc: soc, celsius: celsius + diurnal)
        }
        return tracker.q
    }
}

private extension Double {
    func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(self, lo), hi) }
}
