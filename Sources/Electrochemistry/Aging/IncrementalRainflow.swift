/// Streaming rainflow counter (ASTM E1049-85 §5.4.4, as in ``Rainflow/count(_:)``) for use while a
/// cell runs: samples are appended one at a time, and a full cycle is recorded as soon as it closes.
///
/// The reversal stack holds every turning point not yet counted, its last entry being the current
/// (still moving) extremum. A sample continuing the last segment's direction replaces that
/// extremum, so the most recent range X only grows; a full cycle Y closes once X ≥ Y and stays
/// closed whatever the signal does next. Hence closing cycles early gives exactly the batch result:
/// `finish()` equals `Rainflow.count(signal)` for every signal.
///
/// No allocation in steady state once the reserved capacities are not exceeded (with
/// `recordsCycles: false` only the running sums are kept).
public struct IncrementalRainflow: Sendable {
    /// Counted cycles in the order they closed: full cycles and the half cycles of §5.4.4 step 5
    /// (starting point moved); empty when `recordsCycles` is false.
    public private(set) var cycles: [RainflowCycle] = []
    /// Values of the uncounted reversals (the residue); the last one is the current extremum.
    public private(set) var residue: [Double] = []
    /// Sample indices of `residue`.
    public private(set) var residueIndices: [Int] = []
    /// Number of closed full cycles.
    public private(set) var fullCycleCount: Int = 0
    /// Σ count·range over closed cycles: half cycles counted when the starting point moves (§5.4.4
    /// step 5) are included; the residue is not. For a state-of-charge signal in [0, 1] this is
    /// the number of equivalent full cycles counted so far.
    public private(set) var closedRangeSum: Double = 0
    /// Number of samples appended, including skipped ones.
    public private(set) var sampleCount: Int = 0
    /// Whether closed cycles (full and starting-point half cycles) are appended to `cycles`.
    public let recordsCycles: Bool
    /// Whether a plateau's extremum is indexed at its last sample (the `rainflow` package's
    /// convention, used by BLAST-Lite) rather than its first; values and counts are unaffected.
    public let indexesPlateauEnd: Bool

    public init(reservingCapacity capacity: Int = 64, recordsCycles: Bool = true, indexesPlateauEnd: Bool = false) {
        self.recordsCycles = recordsCycles
        self.indexesPlateauEnd = indexesPlateauEnd
        residue.reserveCapacity(capacity)
        residueIndices.reserveCapacity(capacity)
        if recordsCycles { cycles.reserveCapacity(capacity) }
    }

    /// Appends the next sample; non-finite samples are skipped (their index is still consumed).
    public mutating func append(_ value: Double) {
        let index = sampleCount
        sampleCount += 1
        guard value.isFinite else { return }
        let n = residue.count
        if n == 0 {
            residue.append(value)
            residueIndices.append(index)
            return
        }
        let top = residue[n - 1]
        if value == top {  // plateau: index its first (or last) sample; the start point stays put
            if indexesPlateauEnd && n >= 2 { residueIndices[n - 1] = index }
            return
        }
        if n >= 2, (value > top) == (top > residue[n - 2]) {
            // Monotone continuation: the current extremum moves on.
            residue[n - 1] = value
            residueIndices[n - 1] = index
        } else {
            residue.append(value)
            residueIndices.append(index)
        }
        reduce()
    }

    /// Steps 2–5 of §5.4.4 on the reversal stack; `residue[0]` is the starting point S.
    private mutating func reduce() {
        while residue.count >= 3 {
            let n = residue.count
            let x = abs(residue[n - 1] - residue[n - 2])
            let y = abs(residue[n - 2] - residue[n - 3])
            if x < y { return }
            let cycle = RainflowCycle(
                residue[n - 3], residueIndices[n - 3], residue[n - 2], residueIndices[n - 2],
                count: n == 3 ? 0.5 : 1)
            closedRangeSum += cycle.count * cycle.range
            if recordsCycles { cycles.append(cycle) }
            if n == 3 {
                residue.removeFirst()
                residueIndices.removeFirst()
            } else {
                fullCycleCount += 1
                residue[n - 3] = residue[n - 1]
                residueIndices[n - 3] = residueIndices[n - 1]
                residue.removeLast(2)
                residueIndices.removeLast(2)
            }
        }
    }

    /// Empties `cycles` (keeping its capacity), for callers that consume closures as they happen.
    public mutating func removeRecordedCycles() {
        cycles.removeAll(keepingCapacity: true)
    }

    /// The counted cycles followed by the residue's half cycles (§5.4.4 step 6), as if the signal
    /// ended now; the counter itself is unchanged and can keep running. Only the residue when
    /// `recordsCycles` is false.
    public func finish() -> [RainflowCycle] {
        var result = cycles
        if residue.count >= 2 {
            result.reserveCapacity(cycles.count + residue.count - 1)
            for k in 1..<residue.count {
                result.append(RainflowCycle(
                    residue[k - 1], residueIndices[k - 1], residue[k], residueIndices[k], count: 0.5))
            }
        }
        return result
    }
}
