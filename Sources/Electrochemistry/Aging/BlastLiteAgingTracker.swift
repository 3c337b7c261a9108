/// BLAST-Lite aging kept current while a cell runs: feed it every step's (t, SoC, T) and read q (and
/// r) at any time. Same chunking and state updates as ``BlastLite/simulate(_:time:soc:temperature:record:)``
/// (Gasper et al., NREL BLAST-Lite v1.1), made causal:
///
/// * turning points come from an ``IncrementalRainflow`` (plateau extrema at their last sample, as the
///   `rainflow` package): a cycle's end index is a turning point once the cycle closes;
/// * a confirmed turning point i with EFC(i) − EFC(last) > 1 (and within a day of the last
///   breakpoint) is a breakpoint, as is the first sample more than 1 day after the last breakpoint;
///   after a daily breakpoint the next turning point is not EFC-checked (BLAST-Lite's `continue`);
/// * at a breakpoint the chunk since the previous one is stretched by 1/q about its first sample
///   (energy throughput conserved, clipped to [0, 1]; BLAST-Lite's shift of the later series is
///   zero, see ``BlastLite/simulate(_:time:soc:temperature:record:)``) and handed to the
///   model; the step between chunks is not counted, as in BLAST-Lite.
///
/// Only the samples since the last breakpoint are kept (at most about a day), so memory does not
/// grow with time. Batch and incremental runs differ only when a turning point is confirmed after a
/// daily breakpoint that follows it (its cycle closing more than a day later), and in that the batch
/// driver restarts the profile when its chunk spans fall short of the profile span.
public struct BlastLiteAgingTracker<Model: BlastLiteFadeModel>: Sendable {
    public private(set) var model: Model
    /// Stretch each chunk's SoC swings by 1/q (BLAST-Lite's `is_conserve_energy_throughput`): right
    /// when the SoC series describes a new cell's use; set false when the SoC already comes from a
    /// cell whose capacity fades (EFC is then still scaled by q, as in BLAST-Lite).
    public let conservesEnergyThroughput: Bool
    /// Breakpoint rules (BLAST-Lite defaults 86 400 s and 1 EFC).
    public let maxTimeDiff: Double, maxEFCDiff: Double

    private var time: [Double] = [], soc: [Double] = [], temperature: [Double] = []
    private var efcSum: [Double] = [], scratch: [Double] = []
    private var rainflow: IncrementalRainflow
    /// Global index of `time[0]` (the chunk start, BLAST-Lite's `prior_breakpoint`), of the last
    /// breakpoint (−1 before the first chunk's start, whose anchor is sample 0) and sample count.
    private var bufferStart = 0, last = 0, count = 0
    private var lastTime = 0.0, lastEFC = 0.0, skipNextTurningPoint = false
    private var previousTime = 0.0, previousSoC = 0.0, cumulativeEFC = 0.0
    private var pending: [Int] = []
    /// Number of chunks handed to the model so far.
    public private(set) var chunkCount = 0

    public init(model: Model = Model(), conservesEnergyThroughput: Bool = true,
                maxTimeDiff: Double = 86_400, maxEFCDiff: Double = 1, reservingSamples capacity: Int = 512) {
        self.model = model
        self.conservesEnergyThroughput = conservesEnergyThroughput
        self.maxTimeDiff = maxTimeDiff
        self.maxEFCDiff = maxEFCDiff
        rainflow = IncrementalRainflow(reservingCapacity: 64, recordsCycles: true, indexesPlateauEnd: true)
        for k in 0..<5 { withBuffer(k) { $0.reserveCapacity(capacity) } }
        pending.reserveCapacity(64)
    }

    private mutating func withBuffer(_ k: Int, _ body: (inout [Double]) -> Void) {
        switch k {
        case 0: body(&time)
        case 1: body(&soc)
        case 2: body(&temperature)
        case 3: body(&efcSum)
        default: body(&scratch)
        }
    }

    /// Samples held (those since the last breakpoint) and reversals held by the rainflow counter:
    /// bounded by about a day of samples, whatever the run length.
    public var bufferedSampleCount: Int { time.count }
    public var residueCount: Int { rainflow.residue.count }

    public var q: Double { model.q }
    public var r: Double? { model.r }
    public var days: Double { model.days }
    public var efc: Double { model.efc }

    /// Appends the sample at time `t` (s, increasing), state of charge `soc` and temperature `celsius`;
    /// non-finite or non-increasing samples are ignored. `onChunk` sees the model after each chunk.
    public mutating func record(time t: Double, soc s: Double, celsius: Double,
                                onChunk: (Model) -> Void = { _ in }) {
        guard t.isFinite, s.isFinite, celsius.isFinite else { return }
        if count > 0 {
            guard t > previousTime else { return }
            cumulativeEFC += abs(s - previousSoC) / 2
        } else {
            lastTime = t
        }
        previousTime = t; previousSoC = s
        time.append(t); soc.append(s); temperature.append(celsius); efcSum.append(cumulativeEFC)
        let index = count
        count += 1
        rainflow.append(s)
        for cycle in rainflow.cycles { pending.append(cycle.endIndex) }
        rainflow.removeRecordedCycles()
        processTurningPoints(onChunk)
        if t - lastTime > maxTimeDiff {
            commit(through: index, onChunk)
            skipNextTurningPoint = true
        }
    }

    /// Advances by `dt` seconds from the last sample (the first call records t = 0).
    public mutating func advance(by dt: Double, soc s: Double, celsius: Double, onChunk: (Model) -> Void = { _ in }) {
        record(time: count > 0 ? previousTime + dt : 0, soc: s, celsius: celsius, onChunk: onChunk)
    }

    /// Ends the series as BLAST-Lite does: the uncounted reversals become turning points and the last
    /// sample closes a final chunk. The tracker can keep recording afterwards.
    public mutating func finish(onChunk: (Model) -> Void = { _ in }) {
        guard count >= 2 else { return }
        for k in rainflow.residueIndices.indices.dropFirst() { pending.append(rainflow.residueIndices[k]) }
        processTurningPoints(onChunk)
        if last != count - 1 { commit(through: count - 1, onChunk) }
    }

    private mutating func processTurningPoints(_ onChunk: (Model) -> Void) {
        guard !pending.isEmpty else { return }
        pending.sort()
        for i in pending where i > last && i >= bufferStart {
            if skipNextTurningPoint { skipNextTurningPoint = false; continue }
            let k = i - bufferStart
            if time[k] - lastTime <= maxTimeDiff, efcSum[k] - lastEFC > maxEFCDiff {
                commit(through: i, onChunk)
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Hands samples [bufferStart, bp] to the model and drops them.
    private mutating func commit(through bp: Int, _ onChunk: (Model) -> Void) {
        let n = bp - bufferStart + 1
        lastTime = time[n - 1]; lastEFC = efcSum[n - 1]; last = bp
        scratch.removeAll(keepingCapacity: true)
        if conservesEnergyThroughput {
            let factor = 1 / model.q, s0 = soc[0]
            var outside = false
            for k in 0..<n {
                let v = s0 + factor * (soc[k] - s0)
                if v > 1 || v < 0 { outside = true }
                scratch.append(v)
            }
            if outside { for k in 0..<n { scratch[k] = max(0, min(1, scratch[k])) } }
        } else {
            for k in 0..<n { scratch.append(soc[k]) }
        }
        model.update(time: time[0..<n], soc: scratch[0..<n], temperature: temperature[0..<n])
        chunkCount += 1
        onChunk(model)
        time.removeFirst(n); soc.removeFirst(n); temperature.removeFirst(n); efcSum.removeFirst(n)
        bufferStart = bp + 1
    }
}
