import Electrochemistry

/// A pack's BLAST-Lite fade kept current while the environment runs (``BlastLiteAgingTracker``), for the
/// chemistry's model, continuing from the pack's second-life state of health.
///
/// - The tracker sees the pack's own SoC, which already refers to its faded capacity, so energy throughput is
///   not re-stretched (`conservesEnergyThroughput: false`).
/// - Chunks close at most `chunkSeconds` (default 1 h) apart instead of BLAST-Lite's day, so that degradation
///   reaches the reward within the hour; the fade laws are the same.
/// - A second-life pack enters with retention q₀ and growth r₀ from the fleet sampler; the fitted models start
///   from a new cell, so the pack's health is taken as q₀ × q_model and r₀ × r_model. The models' fade rate is
///   highest when new, so this overstates a used pack's early fade — a conservative approximation, except for
///   the second-life LMO model, fitted from the second-life start itself.
final class FleetPackAging {
    private let tracker: AgingHandle
    let initialRetention: Double, initialGrowth: Double
    private var lastChunk: (days: Double, q: Double)
    /// Present capacity retention and resistance growth.
    private(set) var q: Double
    private(set) var r: Double

    init(modelName: String, initialRetention: Double, initialGrowth: Double = 1, chunkSeconds: Double = 3600) throws(BlastLiteUnknownModel) {
        tracker = Self.open(try BlastLite.model(named: modelName), chunkSeconds: chunkSeconds)
        self.initialRetention = initialRetention
        self.initialGrowth = initialGrowth
        lastChunk = (0, initialRetention)
        let state = tracker.state()
        q = initialRetention * state.q
        r = initialGrowth * (state.r ?? 1)
    }

    /// The fleet chemistries' models by concrete type, so that their tracker code is specialised (through a
    /// generic parameter opened at run time it would run unspecialised, with metadata look-ups on every call).
    private static func open(_ model: any BlastLiteFadeModel, chunkSeconds: Double) -> AgingHandle {
        switch model {
        case let m as BlastLiteLfpGr250AhPrismatic: return AgingHandle(m, chunkSeconds: chunkSeconds)
        case let m as BlastLiteLmoGrNissanLeaf66Ah: return AgingHandle(m, chunkSeconds: chunkSeconds)
        case let m as BlastLiteNmc811GrSiLGM50: return AgingHandle(m, chunkSeconds: chunkSeconds)
        default: return AgingHandle(model, chunkSeconds: chunkSeconds)
        }
    }

    /// Records one step; returns the length [days] and capacity loss of a chunk that closed on it.
    func advance(dt: Double, soc: Double, celsius: Double, finish: Bool) -> (days: Double, loss: Double)? {
        guard tracker.advance(dt, soc, celsius, finish) else { return nil }
        let state = tracker.state()
        q = initialRetention * state.q
        r = initialGrowth * (state.r ?? 1)
        let now = (days: state.days, q: q)
        defer { lastChunk = now }
        return (now.days - lastChunk.days, lastChunk.q - now.q)
    }
}

/// A ``BlastLiteAgingTracker`` behind closures made where its model type is known.
private struct AgingHandle {
    /// (dt, SoC, °C, finish) → whether a chunk closed.
    let advance: (Double, Double, Double, Bool) -> Bool
    let state: () -> (q: Double, r: Double?, days: Double)

    init<M: BlastLiteFadeModel>(_ model: M, chunkSeconds: Double) {
        let box = TrackerBox(BlastLiteAgingTracker(model: model, conservesEnergyThroughput: false,
                                                   maxTimeDiff: chunkSeconds, maxDeferral: chunkSeconds))
        advance = { dt, soc, celsius, finish in
            let before = box.tracker.chunkCount
            box.tracker.advance(by: dt, soc: min(max(soc, 0), 1), celsius: celsius)
            if finish { box.tracker.finish() }
            return box.tracker.chunkCount != before
        }
        state = { (box.tracker.q, box.tracker.r, box.tracker.days) }
    }
}

private final class TrackerBox<M: BlastLiteFadeModel> {
    var tracker: BlastLiteAgingTracker<M>
    init(_ tracker: BlastLiteAgingTracker<M>) { self.tracker = tracker }
}
