import PulseBMS

/// Pack keys of suite `aging`: stepping a 16s4p pack (issue 4, item 7).
///
/// `pack_16s4p_<model>_step_us`: the wall time of one 10 s ``Pack/step(current:dt:)`` of a 16s4p pack of Chen2020
/// cells (64 cells, 4 parallel strings) with second-life spread (``CellSpread/secondLife``, seed 2026) at 50 % SoC,
/// under a random pack current uniform in ±1C (±20 A), each step followed by the opposite current so the pack stays
/// near 50 % SoC. A step includes the string-current Newton solve (about 2–3 probes of every cell per step).
/// `pack_16s4p_<model>_newton_iters`: the mean number of Newton iterations per step over the timed runs.
/// Models: `ecm` (shipped Chen2020 Thevenin set) and `spme` (``SingleParticleModel`` SPMe). One thread.
enum PackSuite {
    static let period = 10.0

    static func run(timer: Timer, into report: inout Report, progress: Bool) {
        for (fidelity, steps) in [(PackFidelity.ecm, 64), (.spme, 8)] {
            let key = "pack_16s4p_\(fidelity.rawValue)_step_us"
            guard report.wants(key) else { continue }
            let threads = report.useThreads(natural: 1)
            let (seconds, iterations) = measureStep(fidelity: fidelity, steps: steps, timer: timer)
            report.add(key, seconds * 1e6, threads: threads)
            report.add("pack_16s4p_\(fidelity.rawValue)_newton_iters", iterations, threads: threads)
        }
    }

    /// Median seconds per 10 s step of a 16s4p Chen2020 pack at `fidelity`, and the mean Newton iterations per step;
    /// a timed run is `steps` steps (an even number: ±I pairs).
    static func measureStep(fidelity: PackFidelity, steps: Int, timer: Timer) -> (seconds: Double, iterations: Double) {
        let pack = try! Pack(design: .nmc, layout: PackLayout(series: 16, parallel: 4), fidelity: fidelity,
                             spread: .secondLife, seed: 2026, initialSoC: 0.5)
        let oneC = 4 * CellDesign.nmc.nominalCapacity
        var rng = Xoshiro256StarStar(seed: 2026)
        let magnitudes = (0..<1024).map { _ in rng.nextUniform(in: -oneC, oneC) }
        var next = 0, totalIterations = 0, totalSteps = 0
        let timing = timer.measure {
            for k in 0..<steps {
                let i = k % 2 == 0 ? magnitudes[next] : -magnitudes[next]
                if k % 2 == 1 { next = (next + 1) % magnitudes.count }
                let o = try! pack.step(current: i, dt: period)
                totalIterations += o.iterations
                totalSteps += 1
            }
        }
        let o = pack.outputs
        precondition(o.minimumCellVoltage > 2.5 && o.maximumCellVoltage < 4.2, "pack: the stepped pack left its window")
        return (timing.median / Double(steps), Double(totalIterations) / Double(totalSteps))
    }
}
