/// BLAST-Lite aging kept current while a cell runs: feed it every step's (t, SoC, T) and read q (and
/// r) at any time. Same chunking and state updates as ``BlastLite/simulate(_:time:soc:temperature:record:)``
/// (Gasper et al., NREL BLAST-Lite v1.1), made causal:
///
/// * reversals (plateau extrema at their last sample, as the `rainflow` package) are candidate
///   turning points; an ``IncrementalRainflow`` decides them: the end of a closed cycle is a turning
///   point, the start of a closed full cycle is not, one still in the residue is undecided;
/// * candidates are processed in order as soon as decided: a turning point i with EFC(i) − EFC(last)
///   > 1 (within a day of the last breakpoint) is a breakpoint; the first sample more than 1 day
///   after the last breakpoint is one too, once the candidates before it are decided (after
///   `maxDeferral`, undecided ones are taken as turning points, which they are if they stay in the
///   residue to the end); after a daily breakpoint the next turning point is not EFC-checked
///   (BLAST-Lite's `continue`);
/// * at a breakpoint the chunk since the previous one is stretched by 1/q about its first sample
///   (energy throughput conserved, clipped to [0, 1]; BLAST-Lite's shift of the later series is
///   zero, see ``BlastLite/simulate(_:time:soc:temperature:record:)``) and handed to the
///   model; the step between chunks is not counted, as in BLAST-Lite.
///
/// Only the samples since the last breakpoint are kept (at most `maxTimeDiff + maxDeferral`, two
/// days by default), so memory does not grow with time. Batch and incremental runs differ only when
/// a reversal still undecided `maxDeferral` after a daily breakpoint later turns out to be a full
/// cycle's start, and in that the batch driver restarts the profile when its chunk spans fall short
/// of its span.
public struct BlastLiteAgingTracker<Model: BlastLiteFadeModel>: Sendable {
    public private(set) var model: Model
    /// Stretch each chunk's SoC swings by 1/q (BLAST-Lite's `is_conserve_energy_throughput`): right
    /// when the SoC series describes a new cell's use; set false when the SoC already comes from a
    /// cell whose capacity fades (EFC is then still scaled by q, as in BLAST-Lite).
    public let conservesEnergyThroughput: Bool
    /// Breakpoint rules (BLAST-Lite defaults 86 400 s and 1 EFC).
    public let maxTimeDiff: Double, maxEFCDiff: Double
    /// How long (s) a daily breakpoint may wait for the rainflow counter to decide the reversals
    /// before it; the samples held are bounded by `maxTimeDiff + maxDeferral`.
    public let maxDeferral: Double

    private var time: [Double] = [], soc: [Double] = [], temperature: [Double] = []
    private var efcSum: [Double] = [], scratch: [Double] = []
    private var rainflow: IncrementalRainflow
    /// Global index of `time[0]` (the chunk start, BLAST-Lite's `prior_breakpoint`), of the last
    /// breakpoint (−1 before the first chunk's start, whose anchor is sample 0) and sample count.
    private var bufferStart = 0, last = 0, count = 0
    private var lastTime = 0.0, lastEFC = 0.0, skipNextTurningPoint = false
    private var previousTime = 0.0, previousSoC = 0.0, cumulativeEFC = 0.0
    /// Reversals since the last breakpoint not yet processed, and whether each is known to be a
    /// turning point (the end of a closed cycle), known not to be one (the start of a closed full
    /// cycle), or still in the rainflow residue.
    private enum CandidateStatus: UInt8, Sendable { case pending, turning, start }
    private var candidates: [Int] = [], statuses: [CandidateStatus] = []
    private var extremum = 0.0, extremumIndex = 0, direction: Int8 = 0
    /// Number of chunks handed to the model so far.
    public private(set) var chunkCount = 0

    public init(model: Model = Model(), conservesEnergyThroughput: Bool = true,
                maxTimeDiff: Double = 86_400, maxEFCDiff: Double = 1, maxDeferral: Double = 86_400,
                reservingSamples capacity: Int = 512) {
        self.maxDeferral = maxDeferral
        self.model = model
        self.conservesEnergyThroughput = conservesEnergyThroughput
        self.maxTimeDiff = maxTimeDiff
        self.maxEFCDiff = maxEFCDiff
        rainflow = IncrementalRainflow(reservingCapacity: 64, recordsCycles: true, indexesPlateauEnd: true)
        for k in 0..<5 { withBuffer(k) { $0.reserveCapacity(capacity) } }
        candidates.reserveCapacity(64); statuses.reserveCapacity(64)
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
    /// bounded by `maxTimeDiff + maxDeferral` of samples, whatever the run length.
    public var bufferedSampleCount: Int { time.count }
    public var residueCount: Int { rainflow.residue.count }

    /// Sample index of the last breakpoint (the end of the last chunk handed to the model).
    public var lastBreakpointIndex: Int { last }

    public var q: Double { model.q }
    public var r: Double? { model.r }
    public var days: Double { model.days }
    public var efc: Double { model.efc }

    /// Appends the sample at time `t` (s, increasing), state of charge `soc` and temperature `celsius`;
    /// non-finite or non-increasing samples are ignored. `onChunk` sees the model after each chunk.
    public mutating func record(time t: Double, soc s: Double, celsius: Double,
                                onChunk: (Model) -> Void = { _ in }) {
        guard t.isFinite, s.isFinite, celsius.isFinite else { return }
        let index = count
        if count > 0 {
            guard t > previousTime else { return }
            cumulativeEFC += abs(s - previousSoC) / 2
            trackReversal(s, index)
        } else {
            lastTime = t
            extremum = s
        }
        count += 1
        previousTime = t; previousSoC = s
        time.append(t); soc.append(s); temperature.append(celsius); efcSum.append(cumulativeEFC)
        rainflow.append(s)
        for cycle in rainflow.cycles {
            if cycle.count == 1 { mark(cycle.startIndex, .start) }
            mark(cycle.endIndex, .turning)
        }
        rainflow.removeRecordedCycles()
        drain(resolvingPending: false, before: Int.max, onChunk)
        settleDaily(force: false, onChunk)
    }

    /// Advances by `dt` seconds from the last sample (the first call records t = 0).
    public mutating func advance(by dt: Double, soc s: Double, celsius: Double, onChunk: (Model) -> Void = { _ in }) {
        record(time: count > 0 ? previousTime + dt : 0, soc: s, celsius: celsius, onChunk: onChunk)
    }

    /// Ends the series as BLAST-Lite does: the uncounted reversals become turning points and the last
    /// sample closes a final chunk. The tracker can keep recording afterwards.
    public mutating func finish(onChunk: (Model) -> Void = { _ in }) {
        guard count >= 2 else { return }
        drain(resolvingPending: true, before: Int.max, onChunk)
        settleDaily(force: true, onChunk)
        if last != count - 1 { commit(through: count - 1, onChunk) }
    }

    /// Daily breakpoints: the first sample j more than `maxTimeDiff` after the last breakpoint is
    /// one once every candidate before j is decided (BLAST-Lite places it from a later turning
    /// point, after the EFC checks of the turning points before j). Undecided candidates are taken
    /// as turning points once j lies `maxDeferral` in the past, or at the end.
    private mutating func settleDaily(force: Bool, _ onChunk: (Model) -> Void) {
        while previousTime - lastTime > maxTimeDiff {
            var k = max(0, last + 1 - bufferStart)
            while time[k] - lastTime <= maxTimeDiff { k += 1 }
            let j = bufferStart + k
            if let head = candidates.first, head < j, head > last {
                if !force && previousTime - time[k] <= maxDeferral { return }
                drain(resolvingPending: true, before: j, onChunk)
                continue
            }
            commit(through: j, onChunk)
            skipNextTurningPoint = true
            drain(resolvingPending: force, before: Int.max, onChunk)
        }
    }

    /// Reversal detection as the `rainflow` package (plateaus indexed at their last sample): the
    /// extremum left behind by a change of direction becomes a pending candidate turning point.
    private mutating func trackReversal(_ s: Double, _ index: Int) {
        if s == extremum {
            if direction != 0 { extremumIndex = index }
            return
        }
        let d: Int8 = s > extremum ? 1 : -1
        if direction != 0 && d != direction {
            candidates.append(extremumIndex); statuses.append(.pending)
        }
        direction = d; extremum = s; extremumIndex = index
    }

    private mutating func mark(_ index: Int, _ status: CandidateStatus) {
        var k = candidates.count - 1
        while k >= 0 && candidates[k] > index { k -= 1 }
        if k >= 0 && candidates[k] == index && statuses[k] == .pending { statuses[k] = status }
    }

    /// BLAST-Lite's `_find_breakpoints` over the candidates in index order, as far as they are
    /// decided (or all, taking undecided ones as turning points).
    private mutating func drain(resolvingPending: Bool, before limit: Int, _ onChunk: (Model) -> Void) {
        var done = 0
        while done < candidates.count {
            let i = candidates[done], status = statuses[done]
            if i <= last || status == .start { done += 1; continue }
            if i >= limit || (status == .pending && !resolvingPending) { break }
            let k = i - bufferStart
            if time[k] - lastTime > maxTimeDiff { break }   // a daily breakpoint comes first
            done += 1
            if skipNextTurningPoint { skipNextTurningPoint = false; continue }
            if efcSum[k] - lastEFC > maxEFCDiff {
                commit(through: i, onChunk)
            }
        }
        if done > 0 { candidates.removeFirst(done); statuses.removeFirst(done) }
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
