import Testing
import Glibc
@testable import Electrochemistry

/// SplitMix64 (Steele, Lea & Flood 2014), for reproducible random signals.
private struct RainflowTestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

private func streamed(_ signal: [Double], recordsCycles: Bool = true) -> IncrementalRainflow {
    var counter = IncrementalRainflow(reservingCapacity: 8, recordsCycles: recordsCycles)
    for x in signal { counter.append(x) }
    return counter
}

@Suite("Rainflow counting (ASTM E1049-85)")
struct RainflowTests {
    /// ASTM E1049-85 Fig. 6 history A..I = −2, 1, −3, 5, −1, 3, −4, 4, −2 (indices 0...8), worked
    /// by hand with §5.4.4 (S = starting point, stack bottom):
    /// - A B C: X=|C−B|=4 ≥ Y=|B−A|=3, Y holds S → half A–B (3), S=B.
    /// - B C D: X=8 ≥ Y=4, Y holds S → half B–C (4), S=C.
    /// - C D E: X=6 < Y=8. C D E F: X=4 < Y=6.
    /// - C D E F G: X=7 ≥ Y=4, Y=E–F lacks S → full E–F (4); stack C D G: X=9 ≥ Y=8, Y holds S →
    ///   half C–D (8), S=D.
    /// - D G H: X=8 < Y=9. D G H I: X=6 < Y=8. End: residue halves D–G (9), G–H (8), H–I (6).
    @Test func astmFigure6Example() {
        let history: [Double] = [-2, 1, -3, 5, -1, 3, -4, 4, -2]
        let expected = [
            RainflowCycle(range: 3, mean: -0.5, count: 0.5, startIndex: 0, endIndex: 1),
            RainflowCycle(range: 4, mean: -1, count: 0.5, startIndex: 1, endIndex: 2),
            RainflowCycle(range: 4, mean: 1, count: 1, startIndex: 4, endIndex: 5),
            RainflowCycle(range: 8, mean: 1, count: 0.5, startIndex: 2, endIndex: 3),
            RainflowCycle(range: 9, mean: 0.5, count: 0.5, startIndex: 3, endIndex: 6),
            RainflowCycle(range: 8, mean: 0, count: 0.5, startIndex: 6, endIndex: 7),
            RainflowCycle(range: 6, mean: 1, count: 0.5, startIndex: 7, endIndex: 8),
        ]
        #expect(Rainflow.reversals(history) == Array(0...8))
        #expect(Rainflow.count(history) == expected)
        let counter = streamed(history)
        #expect(counter.cycles == Array(expected.prefix(4)))
        #expect(counter.residue == [5, -4, 4, -2])
        #expect(counter.residueIndices == [3, 6, 7, 8])
        #expect(counter.fullCycleCount == 1)
        #expect(counter.closedRangeSum == 0.5 * 3 + 0.5 * 4 + 4 + 0.5 * 8)
        #expect(counter.finish() == expected)
    }

    /// A sine alone: every range has the same size 2A, so each contains the moving starting point
    /// and §5.4.4 counts N periods as 2N half cycles. Below an enclosing excursion (10 → sine → −10)
    /// the same N periods are N full cycles of range 2A plus one half cycle of range 20.
    @Test func sineCycles() {
        let periods = 7, perPeriod = 16, amplitude = 0.35
        let sine = (0...(periods * perPeriod)).map { k in
            -amplitude * cos(2 * Double.pi * Double(k) / Double(perPeriod))
        }
        let alone = Rainflow.count(sine)
        #expect(alone.count == 2 * periods)
        #expect(alone.allSatisfy { $0.count == 0.5 && abs($0.range - 2 * amplitude) < 1e-12 })
        #expect(abs(alone.reduce(0) { $0 + $1.count } - Double(periods)) < 1e-15)

        let enclosed = [10] + sine + [-10]
        let cycles = Rainflow.count(enclosed)
        let full = cycles.filter { $0.count == 1 }
        #expect(full.count == periods)
        #expect(full.allSatisfy { abs($0.range - 2 * amplitude) < 1e-12 && abs($0.mean) < 1e-12 })
        #expect(full.map(\.startIndex) == (0..<periods).map { 1 + $0 * perPeriod })
        #expect(cycles.last == RainflowCycle(range: 20, mean: 0, count: 0.5,
                                             startIndex: 0, endIndex: enclosed.count - 1))
        #expect(cycles.count == periods + 1)
        #expect(streamed(enclosed).finish() == cycles)
        #expect(streamed(enclosed).fullCycleCount == periods)
    }

    @Test func repeatedValuesAndMonotoneSignals() {
        #expect(Rainflow.reversals([1, 1, 1]) == [0])
        #expect(Rainflow.count([1, 1, 1]).isEmpty)
        // Monotone with plateaus: only the first and last distinct samples remain, one half cycle.
        let ramp: [Double] = [0, 0.5, 0.5, 1, 2, 2, 3]
        #expect(Rainflow.reversals(ramp) == [0, 6])
        #expect(Rainflow.count(ramp) == [RainflowCycle(range: 3, mean: 1.5, count: 0.5, startIndex: 0, endIndex: 6)])
        #expect(streamed(ramp).cycles.isEmpty)
        #expect(streamed(ramp.reversed()).finish() == Rainflow.count(ramp.reversed()))
        // Plateaus at turning points keep their first sample; 1 → 0.5 closes inside 0 → 2.
        let plateaus: [Double] = [0, 0, 1, 1, 1, 0.5, 0.5, 2, 2]
        #expect(Rainflow.reversals(plateaus) == [0, 2, 5, 7])
        let expected = [
            RainflowCycle(range: 0.5, mean: 0.75, count: 1, startIndex: 2, endIndex: 5),
            RainflowCycle(range: 2, mean: 1, count: 0.5, startIndex: 0, endIndex: 7),
        ]
        #expect(Rainflow.count(plateaus) == expected)
        #expect(streamed(plateaus).finish() == expected)
    }

    @Test func degenerateInputs() {
        #expect(Rainflow.reversals([]).isEmpty)
        #expect(Rainflow.count([]).isEmpty)
        #expect(Rainflow.reversals([4]) == [0])
        #expect(Rainflow.count([4]).isEmpty)
        #expect(streamed([]).finish().isEmpty)
        #expect(streamed([4]).finish().isEmpty)
        #expect(streamed([4]).residue == [4])
        #expect(Rainflow.count([3, 1]) == [RainflowCycle(range: 2, mean: 2, count: 0.5, startIndex: 0, endIndex: 1)])
        // Non-finite samples are skipped but keep their index.
        let gappy: [Double] = [0, .nan, 2, .infinity, 1]
        #expect(Rainflow.reversals(gappy) == [0, 2, 4])
        #expect(streamed(gappy).finish() == Rainflow.count(gappy))
        #expect(streamed(gappy).sampleCount == 5)
    }

    /// Random signals, continuous and coarsely quantised (plateaus and equal ranges): batch and
    /// streaming agree exactly, and the counting identities hold.
    @Test func randomSignalsBatchEqualsIncrementalAndIdentitiesHold() {
        var rng = RainflowTestRandom(state: 20_251_129)
        for trial in 0..<300 {
            let length = Int(rng.next() % 400)
            let levels = trial % 3 == 0 ? 5.0 : 0
            let signal = (0..<length).map { _ -> Double in
                let u = rng.unit()
                return levels > 0 ? (u * levels).rounded(.down) / levels : u
            }
            let batch = Rainflow.count(signal)
            let counter = streamed(signal)
            #expect(counter.finish() == batch, "trial \(trial)")

            let reversals = Rainflow.reversals(signal)
            let variation = zip(reversals.dropFirst(), reversals).reduce(0.0) {
                $0 + abs(signal[$1.0] - signal[$1.1])
            }
            let weighted = batch.reduce(0.0) { $0 + 2 * $1.count * $1.range }
            #expect(abs(weighted - variation) <= 1e-12 * max(1, variation), "trial \(trial)")
            // Each full cycle removes two ranges, each half cycle one.
            let ranges = batch.reduce(0.0) { $0 + 2 * $1.count }
            #expect(ranges == Double(max(reversals.count - 1, 0)), "trial \(trial)")
            // Cycle endpoints are exactly the reversals.
            let endpoints = Set(batch.flatMap { [$0.startIndex, $0.endIndex] })
            #expect(endpoints == Set(reversals.count >= 2 ? reversals : []), "trial \(trial)")
            for c in batch {
                #expect(c.startIndex < c.endIndex)
                #expect(c.range == abs(signal[c.endIndex] - signal[c.startIndex]))
            }
            #expect(counter.fullCycleCount == batch.filter { $0.count == 1 }.count)
            let closed = counter.cycles.reduce(0.0) { $0 + $1.count * $1.range }
            #expect(abs(counter.closedRangeSum - closed) <= 1e-12 * max(1, closed))
            let sumsOnly = streamed(signal, recordsCycles: false)
            #expect(sumsOnly.cycles.isEmpty)
            #expect(sumsOnly.closedRangeSum == counter.closedRangeSum)
            #expect(sumsOnly.residue == counter.residue)
        }
    }

    /// With `indexesPlateauEnd` the streamed cycle ends are BLAST-Lite's turning points (the
    /// `rainflow` package's convention: a plateau's extremum at its last sample).
    @Test func plateauEndIndexingGivesBlastLiteTurningPoints() {
        var rng = RainflowTestRandom(state: 7_041)
        for trial in 0..<300 {
            let length = 2 + Int(rng.next() % 200)
            let signal = (0..<length).map { _ in (rng.unit() * 4).rounded(.down) / 4 }
            guard Set(signal).count >= 2 else { continue }
            var counter = IncrementalRainflow(reservingCapacity: 8, indexesPlateauEnd: true)
            for x in signal { counter.append(x) }
            let ends = Array(Set(counter.finish().map(\.endIndex))).sorted()
            #expect(ends == BlastLite.turningPoints(signal), "trial \(trial)")
            #expect(counter.finish().map(\.range) == streamed(signal).finish().map(\.range), "trial \(trial)")
        }
    }
}
